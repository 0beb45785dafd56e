// OVAs in the editor: opening an .ova shows what it holds and its descriptor, read straight from the
// tar as a read-only document (validated by the language server like any descriptor, with the
// members as its package); *ovfkit: Unpack OVA* writes the members into a folder.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { descriptorMember, formatBytes, indexOva, openOva, OVA_ENTRY_SCHEME, ovaEntryPath, OvaError, OvaIndex, readMembers, readOvaDescriptor, splitOvaEntryPath, unpackOva } from '../../../server/src/ovf';
import type { ExtensionServices } from '../extension';

export const OVA_VIEW_TYPE = 'ovfkit.ovaViewer';

/** The read-only document of an OVA's descriptor member. */
export function ovaDescriptorUri(ova: vscode.Uri, entry: string): vscode.Uri {
  return vscode.Uri.from({ scheme: OVA_ENTRY_SCHEME, path: ovaEntryPath(ova.fsPath, entry) });
}

/** The descriptor members of OVAs as a read-only file system: the editor then refuses edits and
 *  shows the document as read-only, which a content provider's document is not. */
class OvaDescriptorFileSystem implements vscode.FileSystemProvider {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;

  private async read(uri: vscode.Uri): Promise<{ text: Buffer; mtime: number }> {
    const split = splitOvaEntryPath(uri.path);
    if (!split) throw vscode.FileSystemError.FileNotFound(uri);
    const { handle, size } = await openOva(split.ovaPath).catch((err) => {
      throw (err as NodeJS.ErrnoException).code === 'ENOENT' ? vscode.FileSystemError.FileNotFound(uri) : err;
    });
    try {
      const { member, text } = await readOvaDescriptor(handle, await readMembers(handle, size));
      if (member.name !== split.entry) throw vscode.FileSystemError.FileNotFound(uri);
      return { text: Buffer.from(text, 'utf8'), mtime: (await handle.stat()).mtimeMs };
    } finally {
      await handle.close();
    }
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const { text, mtime } = await this.read(uri);
    return { type: vscode.FileType.File, ctime: mtime, mtime, size: text.length, permissions: vscode.FilePermission.Readonly };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return (await this.read(uri)).text;
  }

  /** The OVA changed on disk: its open descriptor documents read it again. */
  refresh(ova: vscode.Uri): void {
    const events = vscode.workspace.textDocuments
      .filter((doc) => doc.uri.scheme === OVA_ENTRY_SCHEME && splitOvaEntryPath(doc.uri.path)?.ovaPath === ova.fsPath)
      .map((doc) => ({ type: vscode.FileChangeType.Changed, uri: doc.uri }));
    if (events.length) this.changed.fire(events);
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => {});
  }
  readDirectory(): never {
    throw vscode.FileSystemError.NoPermissions('an OVA is shown by its descriptor only');
  }
  createDirectory(): never {
    throw vscode.FileSystemError.NoPermissions('OVA members are read-only');
  }
  writeFile(): never {
    throw vscode.FileSystemError.NoPermissions('OVA members are read-only; unpack the OVA to edit its descriptor');
  }
  delete(): never {
    throw vscode.FileSystemError.NoPermissions('OVA members are read-only');
  }
  rename(): never {
    throw vscode.FileSystemError.NoPermissions('OVA members are read-only');
  }
}

/** The editor of an .ova file: its members, and its descriptor opened beside as a document. */
class OvaViewer implements vscode.CustomReadonlyEditorProvider {
  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => {} };
  }

  async resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): Promise<void> {
    panel.webview.options = { enableScripts: false, enableCommandUris: [UNPACK_COMMAND] };
    let index: OvaIndex;
    try {
      index = await indexOva(document.uri.fsPath);
    } catch (err) {
      panel.webview.html = page(`<p>ovfkit cannot read this OVA: ${escapeHtml(messageOf(err))}</p>`);
      return;
    }
    const descriptor = descriptorMember(index);
    const unpack = `command:${UNPACK_COMMAND}?${encodeURIComponent(JSON.stringify([document.uri.toString()]))}`;
    const rows = index.members.map((m) => `<tr><td>${escapeHtml(m.name)}</td><td class="n">${escapeHtml(formatBytes(m.size))}</td></tr>`).join('');
    panel.webview.html = page(
      `<p>${index.members.length} members, read in place (nothing is unpacked). ` +
        (descriptor ? `The descriptor <b>${escapeHtml(descriptor.name)}</b> is open beside, read-only, with its diagnostics.` : 'No descriptor (.ovf) member.') +
        ` <a href="${unpack}">Unpack…</a></p><table><tr><th>member</th><th>size</th></tr>${rows}</table>`,
    );
    if (descriptor) await vscode.window.showTextDocument(ovaDescriptorUri(document.uri, descriptor.name), { preview: false, viewColumn: vscode.ViewColumn.Beside });
  }
}

const UNPACK_COMMAND = 'ovfkit.unpackOva';

export function registerOvaCommands({ context, log }: ExtensionServices): void {
  const provider = new OvaDescriptorFileSystem();
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.ova', true, false, true);
  context.subscriptions.push(
    vscode.workspace.registerFileSystemProvider(OVA_ENTRY_SCHEME, provider, { isReadonly: true, isCaseSensitive: true }),
    vscode.window.registerCustomEditorProvider(OVA_VIEW_TYPE, new OvaViewer(), { supportsMultipleEditorsPerDocument: true }),
    watcher,
    watcher.onDidChange((uri) => provider.refresh(uri)),
    vscode.commands.registerCommand('ovfkit.openOvaDescriptor', async (uri?: vscode.Uri) => {
      const ova = uri ?? (await pickOva());
      if (!ova) return;
      try {
        const descriptor = descriptorMember(await indexOva(ova.fsPath));
        if (!descriptor) throw new OvaError('it holds no .ovf descriptor');
        await vscode.window.showTextDocument(ovaDescriptorUri(ova, descriptor.name), { preview: false });
      } catch (err) {
        void vscode.window.showErrorMessage(`ovfkit cannot open ${path.basename(ova.fsPath)}: ${messageOf(err)}`);
      }
    }),
    vscode.commands.registerCommand('ovfkit.unpackOva', async (arg?: vscode.Uri | string) => {
      const ova = typeof arg === 'string' ? vscode.Uri.parse(arg) : arg ?? (await pickOva());
      if (ova) await unpackWithProgress(ova, log);
    }),
  );
}

async function pickOva(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'OVA packages': ['ova'] }, openLabel: 'Choose OVA' });
  return picked?.[0];
}

async function unpackWithProgress(ova: vscode.Uri, log: ExtensionServices['log']): Promise<void> {
  const name = path.basename(ova.fsPath);
  const suggested = vscode.Uri.file(path.join(path.dirname(ova.fsPath), name.replace(/\.ova$/i, '') || 'unpacked'));
  const to = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, defaultUri: vscode.Uri.file(path.dirname(ova.fsPath)), openLabel: `Unpack ${name} here` })
    .then((picked) => (picked?.[0] ? vscode.Uri.joinPath(picked[0], path.basename(suggested.fsPath)) : undefined));
  if (!to) return;
  const run = (overwrite: boolean) => vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Unpacking ${name}`, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      let reported = 0;
      return unpackOva(ova.fsPath, to.fsPath, {
        overwrite,
        signal: controller.signal,
        onProgress: (p) => {
          const pct = p.bytesTotal ? (100 * p.bytesDone) / p.bytesTotal : 100;
          if (pct - reported >= 1) {
            progress.report({ increment: pct - reported, message: `${p.name} — ${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}` });
            reported = pct;
          }
        },
      });
    },
  );
  try {
    let result;
    try {
      result = await run(false);
    } catch (err) {
      if (!(err instanceof OvaError) || !/exists; pass --force/.test(err.message)) throw err;
      const replace = 'Replace Existing Files';
      const answer = await vscode.window.showWarningMessage(`${to.fsPath} already holds files of ${name}. Replace them?`, { modal: true }, replace);
      if (answer !== replace) return;
      result = await run(true);
    }
    log.info(`unpacked ${name} into ${to.fsPath} (${result.written.length} files)`);
    const descriptor = result.written.find((f) => /\.ovf$/i.test(f));
    const open = 'Open Descriptor';
    const answer = await vscode.window.showInformationMessage(`Unpacked ${result.written.length} files of ${name} into ${to.fsPath}.`, ...(descriptor ? [open] : []));
    if (answer === open && descriptor) await vscode.window.showTextDocument(vscode.Uri.file(descriptor));
  } catch (err) {
    if ((err as Error).name === 'AbortError') {
      void vscode.window.showInformationMessage(`Unpacking ${name} was cancelled; no partial file is left.`);
      return;
    }
    void vscode.window.showErrorMessage(`ovfkit did not unpack ${name}: ${messageOf(err)}`);
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(body: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline';">` +
    `<style>body{font-family:var(--vscode-font-family);color:var(--vscode-foreground)}table{border-collapse:collapse}td,th{padding:2px 12px;text-align:left}td.n{text-align:right}</style>` +
    `</head><body>${body}</body></html>`;
}
