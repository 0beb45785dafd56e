// What the status bar says about a descriptor's manifest, and why: the domain's freshness check
// (stat every listed file, hash only the ones changed after the manifest), a background re-hash
// that any edit or file change cancels, and the last failed *Verify Package*, which stays shown
// until the manifest or a file of the package changes. "Changes" is judged by the files' own size
// and mtime, not by watcher events: an event may arrive late (a loaded machine), after the
// verification it came before.
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import { checkManifestFreshness, ConfirmedStamps, confirmManifestFreshness, isAbortError, manifestPathFor, packageMembers } from '../../server/src/ovf';
import type { VerifyResult } from '../../server/src/ovf';
import { describeVerifySummary } from './commands/manifestVerify';

export type ManifestBadgeState = 'fresh' | 'stale' | 'missing' | 'checking' | 'failed';

export interface ManifestBadge {
  state: ManifestBadgeState;
  /** Why, in words, for the tooltip. */
  reason?: string;
}

export class ManifestBadges implements vscode.Disposable {
  private readonly confirmed: ConfirmedStamps = new Map();
  /** The outcome of the last re-hash per descriptor, keyed by the stamps it looked at. */
  private readonly lastStale = new Map<string, { stamps: string; reason: string }>();
  private readonly verifyFailures = new Map<string, { paths: string[]; stamps: string; reason: string }>();
  private running: { descriptor: string; controller: AbortController } | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** A background re-hash finished: ask again. */
  readonly onDidChange = this.changed.event;

  async badgeFor(document: vscode.TextDocument): Promise<ManifestBadge> {
    if (document.uri.scheme !== 'file') return { state: 'missing' };
    const descriptor = document.uri.fsPath;
    const check = await checkManifestFreshness(descriptor, this.confirmed).catch((err: Error) => ({ state: 'stale' as const, reason: err.message }));
    if (check.state === 'missing') return { state: 'missing' };
    if (document.isDirty) return { state: 'stale', reason: 'the descriptor has unsaved changes' };
    const failure = this.verifyFailures.get(descriptor);
    if (failure) {
      if ((await stampsOf(failure.paths)) === failure.stamps) return { state: 'failed', reason: failure.reason };
      this.verifyFailures.delete(descriptor);
    }
    if (check.state !== 'unsure') return check.state === 'stale' ? { state: 'stale', reason: check.reason } : { state: 'fresh' };
    const stamps = check.suspects.map((s) => `${s.job.path}=${s.stamp}`).join('|');
    const known = this.lastStale.get(descriptor);
    if (known?.stamps === stamps) return { state: 'stale', reason: known.reason };
    if (this.running?.descriptor !== descriptor) {
      this.cancel();
      const controller = new AbortController();
      this.running = { descriptor, controller };
      confirmManifestFreshness(check, this.confirmed, { signal: controller.signal, concurrency: 1 }).then(
        (result) => {
          if (result.state === 'stale') this.lastStale.set(descriptor, { stamps, reason: result.reason });
          else this.lastStale.delete(descriptor);
        },
        (err) => {
          if (!isAbortError(err)) this.lastStale.set(descriptor, { stamps, reason: (err as Error).message });
        },
      ).finally(() => {
        if (this.running?.controller !== controller) return;
        this.running = undefined;
        if (!controller.signal.aborted) this.changed.fire();
      });
    }
    return { state: 'checking', reason: `${check.suspects.map((s) => s.job.name).join(', ')} changed on disk after the manifest was written; re-hashing to compare` };
  }

  /** Stops a background re-hash (the document or a package file changed: its answer would be old). */
  cancel(): void {
    this.running?.controller.abort();
    this.running = undefined;
  }

  /** Remembers a failed verification of a package with a manifest; a passed one clears it. */
  async recordVerify(result: VerifyResult): Promise<void> {
    if (result.ok || !result.manifest) {
      this.verifyFailures.delete(result.descriptorPath);
      return;
    }
    const paths = await packagePaths(result.descriptorPath);
    this.verifyFailures.set(result.descriptorPath, {
      paths,
      stamps: await stampsOf(paths),
      reason: `Verify Package failed: ${describeVerifySummary(result.summary)}`,
    });
    this.changed.fire();
  }

  dispose(): void {
    this.cancel();
    this.changed.dispose();
  }
}

/**
 * The manifest and every package file, the descriptor among them (read once, when the failure is
 * recorded: an edit that adds a file changes the descriptor's stamp, which ends the failure anyway).
 */
async function packagePaths(descriptor: string): Promise<string[]> {
  const members = await packageMembers(descriptor).catch(() => []);
  return [manifestPathFor(descriptor), descriptor, ...members.map((m) => m.path)];
}

/** Their sizes and mtimes: a failure holds while these do. */
async function stampsOf(paths: string[]): Promise<string> {
  const stamps = await Promise.all(paths.map((p) => fs.stat(p).then((s) => `${s.size}:${s.mtimeMs}`, () => 'none')));
  return stamps.join('|');
}
