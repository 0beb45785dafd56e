// One parse per document version, shared by every feature. When an edit breaks the XML, features
// that can (outline, navigation) keep answering from the last well-formed model.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Descriptor, parseDescriptor } from '../ovf/model/descriptor';

interface Entry {
  version: number;
  model: Descriptor;
  lastGood: Descriptor | undefined;
}

export class DocumentModels {
  private readonly entries = new Map<string, Entry>();

  /** The model of this exact version (parsed now if needed). */
  get(document: TextDocument): Descriptor {
    const entry = this.entries.get(document.uri);
    if (entry && entry.version === document.version) return entry.model;
    const model = parseDescriptor(document.getText());
    const lastGood = model.xml.error ? entry?.lastGood ?? entry?.model : model;
    this.entries.set(document.uri, { version: document.version, model, lastGood: lastGood?.xml.error ? undefined : lastGood });
    return model;
  }

  /** The current model if well-formed, else the last well-formed one (its offsets may be stale). */
  getUsable(document: TextDocument): { model: Descriptor; stale: boolean } | undefined {
    const model = this.get(document);
    if (!model.xml.error) return { model, stale: false };
    const lastGood = this.entries.get(document.uri)?.lastGood;
    return lastGood ? { model: lastGood, stale: true } : undefined;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }
}
