// LSP glue for the editing features over the domain in ovf/editing: completion, hover,
// go to definition, find references and rename. Requests never throw: a document too broken to
// answer gets an empty answer.
import {
  CompletionItem, CompletionItemKind, Hover, InsertTextFormat, Location, MarkupKind, Position, PrepareRenameResult,
  Range, ResponseError, TextEdit, WorkspaceEdit,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Completion, completionsAt } from '../ovf/editing/completion';
import { hoverAt } from '../ovf/editing/hover';
import { occurrencesOf, RenameError, renameEdits, symbolAt } from '../ovf/editing/navigation';
import { PackageFacts } from '../ovf/package/packageFacts';
import { DocumentModels } from './documentModels';
import { PackageFactsCache } from './packageWatcher';

const KINDS: Record<Completion['kind'], CompletionItemKind> = {
  element: CompletionItemKind.Property,
  attribute: CompletionItemKind.Field,
  value: CompletionItemKind.EnumMember,
  reference: CompletionItemKind.Reference,
  file: CompletionItemKind.File,
  snippet: CompletionItemKind.Snippet,
};

export class EditingFeatures {
  constructor(private readonly models: DocumentModels, private readonly packages: PackageFactsCache) {}

  async completion(document: TextDocument, position: Position): Promise<CompletionItem[]> {
    const text = document.getText();
    // The document keeps its own line table; building one per request would cost a full scan.
    const range = (span: { start: number; end: number }) => ({ start: document.positionAt(span.start), end: document.positionAt(span.end) });
    const usable = this.models.getUsable(document);
    const pkg = usable ? await this.facts(document.uri, usable.model) : undefined;
    return completionsAt(text, document.offsetAt(position), usable?.model, pkg).map((c) => ({
      label: c.label,
      kind: KINDS[c.kind],
      detail: c.detail,
      documentation: c.documentation ? { kind: MarkupKind.Markdown, value: c.documentation } : undefined,
      sortText: c.sortText,
      filterText: c.filterText,
      insertTextFormat: c.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      textEdit: { range: range(c.replace), newText: c.insertText },
      additionalTextEdits: c.additionalEdits?.map((e) => ({ range: range(e.span), newText: e.newText })),
    }));
  }

  async hover(document: TextDocument, position: Position): Promise<Hover | null> {
    const model = this.current(document);
    if (!model) return null;
    const info = hoverAt(model, document.offsetAt(position), await this.facts(document.uri, model));
    return info ? { contents: { kind: MarkupKind.Markdown, value: info.markdown }, range: model.lines.rangeOf(info.span) } : null;
  }

  definition(document: TextDocument, position: Position): Location[] {
    const model = this.current(document);
    const symbol = model && symbolAt(model, document.offsetAt(position));
    if (!model || !symbol) return [];
    return occurrencesOf(model, symbol).filter((o) => o.isDefinition).map((o) => ({ uri: document.uri, range: model.lines.rangeOf(o.span) }));
  }

  references(document: TextDocument, position: Position, includeDeclaration: boolean): Location[] {
    const model = this.current(document);
    const symbol = model && symbolAt(model, document.offsetAt(position));
    if (!model || !symbol) return [];
    return occurrencesOf(model, symbol)
      .filter((o) => includeDeclaration || !o.isDefinition)
      .map((o) => ({ uri: document.uri, range: model.lines.rangeOf(o.span) }));
  }

  prepareRename(document: TextDocument, position: Position): PrepareRenameResult | null {
    const model = this.current(document);
    const symbol = model && symbolAt(model, document.offsetAt(position));
    if (!model || !symbol) return null;
    return { range: model.lines.rangeOf(symbol.span), placeholder: symbol.name };
  }

  rename(document: TextDocument, position: Position, newName: string): WorkspaceEdit | ResponseError<void> | null {
    const model = this.current(document);
    const symbol = model && symbolAt(model, document.offsetAt(position));
    if (!model || !symbol) return null;
    try {
      const edits: TextEdit[] = renameEdits(model, symbol, newName).map((e) => ({ range: model.lines.rangeOf(e.span) as Range, newText: e.newText }));
      return { changes: { [document.uri]: edits } };
    } catch (err) {
      if (err instanceof RenameError) return new ResponseError(0, err.message);
      throw err;
    }
  }

  /** Navigation and hover need exact offsets: only the model of this very version will do. */
  private current(document: TextDocument) {
    const model = this.models.get(document);
    return model.xml.error ? undefined : model;
  }

  private async facts(uri: string, model: Parameters<PackageFactsCache['get']>[1]): Promise<PackageFacts | undefined> {
    try {
      return await this.packages.get(uri, model);
    } catch {
      return undefined;
    }
  }
}
