// The language server process: LSP glue over the domain in ovf/. Each feature lives in features/.
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import {
  CodeActionKind, createConnection, Disposable, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification,
  ProposedFeatures, TextDocuments, TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { resolveSettings, ValidationSettings } from './ovf/settings';
import { DiagnosticsFeature } from './features/diagnostics';
import { DocumentModels } from './features/documentModels';
import { documentLinks } from './features/documentLinks';
import { documentSymbols } from './features/documentSymbols';
import { foldingRanges } from './features/foldingRanges';
import { EditingFeatures } from './features/editing';
import { quickFixes, toLspFix } from './features/lspConvert';
import { disableRuleFix } from './ovf/editing/disableRule';
import { isManifestUri, ManifestFeature } from './features/manifestFeature';
import { PackageFactsCache, packageSource } from './features/packageWatcher';
import { otherTargetFixes, targetsEdit, targetsInForce } from './features/targets';
import { TARGETS_EDIT_REQUEST, TARGETS_REQUEST, TargetsEditParams, TargetsParams } from './targetsProtocol';

declare const OVFKIT_VERSION: string | undefined; // set by esbuild.mjs from package.json

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const models = new DocumentModels();
const packages = new PackageFactsCache();

let canPullConfiguration = false;
let canWatchFiles = false;
/** Settings pushed by clients that cannot answer workspace/configuration. */
let initialSettings: unknown = {};
const settingsCache = new Map<string, Promise<ValidationSettings>>();

function settingsFor(uri: string): Promise<ValidationSettings> {
  let settings = settingsCache.get(uri);
  if (!settings) {
    settings = canPullConfiguration
      ? connection.workspace.getConfiguration({ scopeUri: uri, section: 'ovfkit' }).then(resolveSettings, () => resolveSettings({}))
      : Promise.resolve(resolveSettings(initialSettings));
    settingsCache.set(uri, settings);
  }
  return settings;
}

const diagnostics = new DiagnosticsFeature(connection, documents, models, packages, settingsFor);
// `.mf` documents are their own language with their own feature; everything else is a descriptor.
const manifests = new ManifestFeature(connection, documents);

connection.onInitialize((params) => {
  const caps = params.capabilities;
  canPullConfiguration = !!caps.workspace?.configuration;
  canWatchFiles = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  initialSettings = params.initializationOptions?.settings ?? {};
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      documentLinkProvider: { resolveProvider: false },
      completionProvider: { triggerCharacters: ['<', '"', "'", ' ', ':', '/'] },
      hoverProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: { prepareProvider: true },
    },
    serverInfo: { name: 'ovfkit', version: typeof OVFKIT_VERSION === 'string' ? OVFKIT_VERSION : 'dev' },
  };
});

connection.onInitialized(() => {
  if (canPullConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'ovfkit' });
});

// Disks and manifests beside a descriptor change its diagnostics (missing file, size, manifest),
// so each open descriptor's folder is watched, and only those folders.
const watchedFolders = new Map<string, { users: number; registration: Promise<Disposable> }>();

/** The file whose folder holds a document's package: the descriptor, or the OVA it was read from. */
function packageFile(uri: string): string | undefined {
  const source = packageSource(uri);
  return source?.ovaPath ?? source?.descriptorPath;
}

function watchFolderOf(uri: string): void {
  const file = packageFile(uri);
  if (!canWatchFiles || !file) return;
  const folder = URI.file(path.dirname(file)).toString();
  const entry = watchedFolders.get(folder);
  if (entry) {
    entry.users++;
    return;
  }
  const registration = connection.client.register(DidChangeWatchedFilesNotification.type, {
    // The folder and one level below it: hrefs such as `disks/a.vmdk` are common, deeper ones are not.
    watchers: [{ globPattern: { baseUri: folder, pattern: '{*,*/*}' } }],
  });
  watchedFolders.set(folder, { users: 1, registration });
}

function unwatchFolderOf(uri: string): void {
  const file = packageFile(uri);
  if (!file) return;
  const folder = URI.file(path.dirname(file)).toString();
  const entry = watchedFolders.get(folder);
  if (entry && --entry.users === 0) {
    watchedFolders.delete(folder);
    void entry.registration.then((d) => d.dispose());
  }
}

connection.onDidChangeConfiguration((change) => {
  settingsCache.clear();
  if (!canPullConfiguration) initialSettings = (change.settings as { ovfkit?: unknown })?.ovfkit ?? initialSettings;
  for (const doc of documents.all()) diagnostics.schedule(doc.uri, true);
});

connection.onDidChangeWatchedFiles(({ changes }) => {
  const affected = new Set<string>();
  for (const change of changes) {
    for (const uri of packages.invalidateFolderOf(change.uri)) affected.add(uri);
    manifests.fileChanged(change.uri);
  }
  for (const uri of affected) if (documents.get(uri)) diagnostics.schedule(uri, true);
});

documents.onDidOpen((e) => {
  watchFolderOf(e.document.uri);
  if (isManifestUri(e.document.uri)) manifests.schedule(e.document.uri, true);
  else diagnostics.schedule(e.document.uri, true);
});
documents.onDidChangeContent((e) => {
  if (isManifestUri(e.document.uri)) manifests.schedule(e.document.uri);
  else diagnostics.schedule(e.document.uri);
});
documents.onDidSave((e) => {
  if (isManifestUri(e.document.uri)) return manifests.schedule(e.document.uri, true);
  packages.delete(e.document.uri);
  diagnostics.schedule(e.document.uri, true);
});
documents.onDidClose((e) => {
  unwatchFolderOf(e.document.uri);
  if (isManifestUri(e.document.uri)) return manifests.clear(e.document.uri);
  models.delete(e.document.uri);
  packages.delete(e.document.uri);
  settingsCache.delete(e.document.uri);
  diagnostics.clear(e.document.uri);
});

connection.onCodeAction((params) => {
  if (isManifestUri(params.textDocument.uri)) return manifests.codeActions(params);
  const document = documents.get(params.textDocument.uri);
  const model = document && models.get(document);
  const otherTargets = document ? otherTargetFixes(document, models, params.context.diagnostics) : [];
  return quickFixes(params.textDocument.uri, params.context.diagnostics, diagnostics.lastPublished(params.textDocument.uri), (code) =>
    model && toLspFix(disableRuleFix(model, code), model.lines), otherTargets);
});

// Editing features answer for descriptors only; `.mf` documents get nothing from them.
const editing = new EditingFeatures(models, packages);
function descriptor(uri: string) {
  return isManifestUri(uri) ? undefined : documents.get(uri);
}
connection.onCompletion(async ({ textDocument, position }) => {
  const doc = descriptor(textDocument.uri);
  return doc ? editing.completion(doc, position) : [];
});
connection.onHover(async ({ textDocument, position }) => {
  const doc = descriptor(textDocument.uri);
  return doc ? editing.hover(doc, position) : null;
});
connection.onDefinition(({ textDocument, position }) => {
  const doc = descriptor(textDocument.uri);
  return doc ? editing.definition(doc, position) : [];
});
connection.onReferences(({ textDocument, position, context }) => {
  const doc = descriptor(textDocument.uri);
  return doc ? editing.references(doc, position, context.includeDeclaration) : [];
});
connection.onPrepareRename(({ textDocument, position }) => {
  const doc = descriptor(textDocument.uri);
  return doc ? editing.prepareRename(doc, position) : null;
});
connection.onRenameRequest(({ textDocument, position, newName }) => {
  const doc = descriptor(textDocument.uri);
  return doc ? editing.rename(doc, position, newName) : null;
});

// The extension's status bar and target picker ask the validator's own answer, never re-read the comment.
connection.onRequest(TARGETS_REQUEST, async ({ uri }: TargetsParams) => {
  const doc = descriptor(uri);
  return doc ? targetsInForce(doc, models, await settingsFor(uri), diagnostics.lastPublished(uri)) : null;
});
connection.onRequest(TARGETS_EDIT_REQUEST, ({ uri, targets }: TargetsEditParams) => {
  const doc = descriptor(uri);
  return doc ? targetsEdit(doc, models, targets) : null;
});

// Outline, folding and links answer from the last well-formed model while an edit breaks the XML.
function usableModel(uri: string) {
  const doc = isManifestUri(uri) ? undefined : documents.get(uri);
  return doc && models.getUsable(doc)?.model;
}
connection.onDocumentSymbol(({ textDocument }) => {
  const model = usableModel(textDocument.uri);
  return model ? documentSymbols(model) : [];
});
connection.onFoldingRanges(({ textDocument }) => {
  const model = usableModel(textDocument.uri);
  return model ? foldingRanges(model) : [];
});
connection.onDocumentLinks(({ textDocument }) => {
  const model = usableModel(textDocument.uri);
  return model ? documentLinks(model, textDocument.uri) : [];
});

documents.listen(connection);
connection.listen();
