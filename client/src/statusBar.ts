// The status bar while an .ovf editor is active, as two items: the targets checked (click to
// choose them) and the package's state (ovfkit's error count, manifest fresh/stale/being checked/
// failed verification; click for Problems). Targets come from the language server, the manifest
// state from the domain's freshness check (manifestBadge.ts): nothing here re-implements either.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { manifestPathFor } from '../../server/src/ovf';
import type { ExtensionServices } from './extension';
import { ManifestBadge, ManifestBadges } from './manifestBadge';
import { targetsInForce } from './targets/targetsInForce';

/** How long the text must rest before the targets are asked again after an edit. */
const TEXT_SETTLE_MS = 300;

export interface PackageState {
  targets: string[];
  /** The targets come from the descriptor's own `<!-- ovfkit: targets=... -->` comment. */
  targetsFromDescriptor: boolean;
  errors: number;
  warnings: number;
  manifest: ManifestBadge;
  manifestName: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Text, tooltip and screen-reader label of both items for a state. */
export function describePackageState(s: PackageState): Record<'targets' | 'package', { text: string; tooltip: string; label: string }> {
  const targets = s.targets.length > 0 ? s.targets.join(', ') : 'generic';
  const byComment = s.targetsFromDescriptor ? ' (descriptor)' : '';
  const m = s.manifest;
  const icon = { fresh: '$(pass)', stale: '$(history)', missing: '$(circle-slash)', checking: '$(sync~spin)', failed: '$(error)' }[m.state];
  const short = { fresh: '.mf fresh', stale: '.mf stale', missing: 'no .mf', checking: '.mf checking', failed: '.mf failed' }[m.state];
  const words = { fresh: 'manifest fresh', stale: 'manifest stale', missing: 'no manifest', checking: 'manifest being checked', failed: 'verification failed' }[m.state];
  const line = {
    fresh: `${s.manifestName} matches every file it lists`,
    stale: `${s.manifestName} is out of date${m.reason ? `: ${m.reason}` : ''}; generate it again`,
    missing: `no ${s.manifestName} beside the descriptor`,
    checking: m.reason ?? `checking ${s.manifestName}`,
    failed: `${m.reason ?? 'Verify Package failed'}; see Problems`,
  }[m.state];
  return {
    targets: {
      text: `$(cloud) ${targets}`,
      tooltip: [
        `Checked against: ${targets}${s.targets.length === 0 ? ' OVF rules only' : ' (+ the generic OVF rules)'}`,
        s.targetsFromDescriptor ? 'Chosen by the descriptor\'s <!-- ovfkit: targets=… --> comment' : 'From the ovfkit.targets setting',
        'Click to choose the targets for this file or the workspace',
      ].join('\n'),
      label: `OVF targets: ${targets}${byComment}`,
    },
    package: {
      text: `${s.errors > 0 ? '$(error)' : '$(check)'} ${s.errors}  ${icon} ${short}`,
      tooltip: [`Problems: ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}`, `Manifest: ${line}`, 'Click to open the Problems panel'].join('\n'),
      label: `OVF package: ${plural(s.errors, 'error')}; ${words}`,
    },
  };
}

export function registerStatusBar(services: ExtensionServices): { badges: ManifestBadges } {
  const targetsItem = vscode.window.createStatusBarItem('ovfkit.targets', vscode.StatusBarAlignment.Left, 101);
  targetsItem.name = 'OVF targets';
  targetsItem.command = { title: 'Choose Targets', command: 'ovfkit.chooseTargets' };
  const packageItem = vscode.window.createStatusBarItem('ovfkit.packageState', vscode.StatusBarAlignment.Left, 100);
  packageItem.name = 'OVF package state';
  packageItem.command = { title: 'Show Problems', command: 'workbench.actions.view.problems' };
  const badges = new ManifestBadges();
  let generation = 0;
  let shownDirty: boolean | undefined; // the dirty state of the last refresh started
  let settleTimer: NodeJS.Timeout | undefined;

  const refresh = async (): Promise<void> => {
    const editor = vscode.window.activeTextEditor;
    const mine = ++generation;
    if (!editor || editor.document.languageId !== 'ovf') {
      targetsItem.hide();
      packageItem.hide();
      return;
    }
    // Noted now, not when the answer arrives: a revert during a slow refresh must still trigger one.
    shownDirty = editor.document.isDirty;
    try {
      const document = editor.document;
      const [targets, manifest] = await Promise.all([targetsInForce(services.client, document), badges.badgeFor(document)]);
      if (mine !== generation) return; // a newer refresh started meanwhile
      const mineDiagnostics = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'ovfkit');
      const described = describePackageState({
        targets: targets.targets,
        targetsFromDescriptor: targets.fromDescriptor,
        errors: mineDiagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length,
        warnings: mineDiagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Warning).length,
        manifest,
        manifestName: path.basename(manifestPathFor(document.uri.fsPath || document.uri.path)),
      });
      for (const [item, d] of [[targetsItem, described.targets], [packageItem, described.package]] as const) {
        item.text = d.text;
        item.tooltip = d.tooltip;
        item.accessibilityInformation = { label: d.label, role: 'button' };
        item.show();
      }
      const failing = mineDiagnostics.some((d) => d.severity === vscode.DiagnosticSeverity.Error) || manifest.state === 'failed';
      packageItem.backgroundColor = failing ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    } catch (e) {
      services.log.warn(`status bar: ${(e as Error).message}`);
    }
  };
  const isActive = (uri: vscode.Uri) => vscode.window.activeTextEditor?.document.uri.toString() === uri.toString();

  // Every file of the active package may change on disk (a disk rewritten, the manifest generated,
  // a git checkout): watch the descriptor's folder and one level below, as the language server does.
  let watcher: { folder: string; disposable: vscode.Disposable } | undefined;
  const watchActiveFolder = (): void => {
    const doc = vscode.window.activeTextEditor?.document;
    const folder = doc?.languageId === 'ovf' && doc.uri.scheme === 'file' ? path.dirname(doc.uri.fsPath) : undefined;
    if (folder === watcher?.folder) return;
    watcher?.disposable.dispose();
    watcher = undefined;
    if (!folder) return;
    const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(folder), '{*,*/*}'));
    const changed = (): void => {
      badges.cancel();
      void refresh();
    };
    watcher = { folder, disposable: vscode.Disposable.from(w, w.onDidCreate(changed), w.onDidChange(changed), w.onDidDelete(changed)) };
  };

  services.context.subscriptions.push(
    targetsItem,
    packageItem,
    badges,
    { dispose: () => watcher?.disposable.dispose() },
    badges.onDidChange(refresh),
    vscode.window.onDidChangeActiveTextEditor(() => {
      watchActiveFolder();
      void refresh();
    }),
    vscode.languages.onDidChangeDiagnostics((e) => { if (e.uris.some(isActive)) void refresh(); }),
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('ovfkit.targets')) void refresh(); }),
    vscode.workspace.onDidSaveTextDocument((d) => { if (isActive(d.uri)) void refresh(); }),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (!isActive(e.document.uri)) return;
      if (e.contentChanges.length > 0) badges.cancel(); // an answer about the old text is of no use
      // Freshness depends on unsaved changes; refresh when the dirty state flips (a revert or a save
      // flips it with no content change), not on every keystroke.
      if (e.document.isDirty !== shownDirty) void refresh();
      // The text may have changed the targets comment. Asked once typing pauses, so that the server
      // has the new text: a request sent with the change itself can overtake it and get the old answer.
      if (e.contentChanges.length > 0) {
        clearTimeout(settleTimer);
        settleTimer = setTimeout(() => void refresh(), TEXT_SETTLE_MS);
      }
    }),
    { dispose: () => clearTimeout(settleTimer) },
  );
  watchActiveFolder();
  void refresh();
  return { badges };
}
