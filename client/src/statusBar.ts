// The status bar item shown while an .ovf editor is active: the package's state at a glance
// (targets checked, ovfkit's error count, manifest fresh or stale). Clicking it opens Problems.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionServices } from './extension';

export type ManifestState = 'fresh' | 'stale' | 'missing';

export interface PackageState {
  targets: string[];
  /** The targets come from the descriptor's own `<!-- ovfkit: targets=... -->` comment. */
  targetsFromDescriptor: boolean;
  errors: number;
  warnings: number;
  manifest: ManifestState;
  manifestName: string;
}

/** `<base>.mf` beside the descriptor, as the OVF spec names it. */
export function manifestPathFor(descriptorPath: string): string {
  const parsed = path.parse(descriptorPath);
  return path.join(parsed.dir, `${parsed.name}.mf`);
}

/** Fresh when the manifest is at least as new as the saved descriptor. An unsaved descriptor
 *  counts as stale: the manifest will not match what is about to be saved. */
export async function manifestState(document: vscode.TextDocument): Promise<ManifestState> {
  if (document.uri.scheme !== 'file') return 'missing';
  try {
    const [mf, ovf] = await Promise.all([fs.stat(manifestPathFor(document.uri.fsPath)), fs.stat(document.uri.fsPath)]);
    return !document.isDirty && mf.mtimeMs >= ovf.mtimeMs ? 'fresh' : 'stale';
  } catch {
    return 'missing';
  }
}

const KNOWN_TARGETS = ['vcloud', 'cloudcontrol'];
// The directive as the language server reads it (readDirectives in server/src/ovf/model/descriptor.ts):
// the last such comment wins, and it replaces the setting.
const TARGETS_DIRECTIVE = /<!--\s*ovfkit:\s*targets\s*=\s*([\w\s,-]*?)\s*-->/g;

/** The cloud targets in force for a descriptor: its own directive, else the `ovfkit.targets` setting. */
export function targetsFor(document: vscode.TextDocument): { targets: string[]; fromDescriptor: boolean } {
  let named: string[] | undefined;
  for (const m of document.getText().matchAll(TARGETS_DIRECTIVE)) named = m[1].split(/[\s,]+/).filter(Boolean);
  if (named) return { targets: named.filter((n) => KNOWN_TARGETS.includes(n)), fromDescriptor: true };
  return { targets: vscode.workspace.getConfiguration('ovfkit', document.uri).get<string[]>('targets') ?? [], fromDescriptor: false };
}

export async function readPackageState(document: vscode.TextDocument): Promise<PackageState> {
  const { targets, fromDescriptor } = targetsFor(document);
  const mine = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'ovfkit');
  return {
    targets,
    targetsFromDescriptor: fromDescriptor,
    errors: mine.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length,
    warnings: mine.filter((d) => d.severity === vscode.DiagnosticSeverity.Warning).length,
    manifest: await manifestState(document),
    manifestName: path.basename(manifestPathFor(document.uri.fsPath)),
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Text, tooltip and screen-reader label for a state. */
export function describePackageState(s: PackageState): { text: string; tooltip: string; label: string } {
  const targets = s.targets.length > 0 ? s.targets.join(', ') : 'generic';
  const manifestIcon = { fresh: '$(pass)', stale: '$(history)', missing: '$(circle-slash)' }[s.manifest];
  const manifestWords = { fresh: 'manifest fresh', stale: 'manifest stale', missing: 'no manifest' }[s.manifest];
  const text = `$(package) ${targets}  ${s.errors > 0 ? '$(error)' : '$(check)'} ${s.errors}  ${manifestIcon} ${s.manifest === 'missing' ? 'no .mf' : `.mf ${s.manifest}`}`;
  const manifestLine = {
    fresh: `${s.manifestName} is newer than the descriptor`,
    stale: `${s.manifestName} is older than the descriptor (or the descriptor has unsaved changes): generate it again`,
    missing: `no ${s.manifestName} beside the descriptor`,
  }[s.manifest];
  const tooltip = [
    `OVF package — targets: ${targets}${s.targets.length === 0 ? ' rules only' : ' (+ generic rules)'}${s.targetsFromDescriptor ? ', set by the descriptor\'s ovfkit: targets= comment' : ''}`,
    `Problems: ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}`,
    `Manifest: ${manifestLine}`,
    'Click to open the Problems panel',
  ].join('\n');
  const label = `OVF package: targets ${targets}${s.targetsFromDescriptor ? ' (descriptor)' : ''}; ${plural(s.errors, 'error')}; ${manifestWords}`;
  return { text, tooltip, label };
}

export function registerStatusBar(services: ExtensionServices): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem('ovfkit.packageState', vscode.StatusBarAlignment.Left, 100);
  item.name = 'OVF package state';
  item.command = { title: 'Show Problems', command: 'workbench.actions.view.problems' };
  let generation = 0;
  let shownDirty: boolean | undefined; // the dirty state the item reflects

  const refresh = async (): Promise<void> => {
    const editor = vscode.window.activeTextEditor;
    const mine = ++generation;
    if (!editor || editor.document.languageId !== 'ovf') {
      item.hide();
      return;
    }
    try {
      const dirty = editor.document.isDirty;
      const state = await readPackageState(editor.document);
      if (mine !== generation) return; // a newer refresh started meanwhile
      const { text, tooltip, label } = describePackageState(state);
      item.text = text;
      item.tooltip = tooltip;
      item.accessibilityInformation = { label, role: 'button' };
      item.backgroundColor = state.errors > 0 ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
      shownDirty = dirty;
      item.show();
    } catch (e) {
      services.log.warn(`status bar: ${(e as Error).message}`);
    }
  };
  const isActive = (uri: vscode.Uri) => vscode.window.activeTextEditor?.document.uri.toString() === uri.toString();

  // Manifests and descriptors change on disk (generate command, other tools, a git checkout).
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.{mf,ovf}');
  services.context.subscriptions.push(
    item,
    watcher,
    watcher.onDidCreate(refresh),
    watcher.onDidChange(refresh),
    watcher.onDidDelete(refresh),
    vscode.window.onDidChangeActiveTextEditor(refresh),
    vscode.languages.onDidChangeDiagnostics((e) => { if (e.uris.some(isActive)) void refresh(); }),
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('ovfkit.targets')) void refresh(); }),
    vscode.workspace.onDidSaveTextDocument((d) => { if (isActive(d.uri)) void refresh(); }),
    // Freshness depends on unsaved changes; refresh when the dirty state flips, not on every keystroke.
    vscode.workspace.onDidChangeTextDocument((e) => { if (isActive(e.document.uri) && e.document.isDirty !== shownDirty) void refresh(); }),
  );
  void refresh();
  return item;
}
