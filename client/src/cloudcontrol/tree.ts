// The CloudControl view in the Explorer: the staging folder's packages (with the days until
// CloudControl deletes them), the client images with their state, and imports and exports in
// progress. It reads only when VS Code asks for its children (the view is visible), asks nothing
// (no login prompt: the welcome content offers to connect instead), and re-reads on a bounded
// interval only while something is in progress and the view is visible.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../extension';
import { CustomerImage, ImageExport } from '../transfer/cloudcontrol';
import { printable } from '../transfer/common/sanitise';
import { formatBytes, listStagingFolder, StagedPackage } from '../transfer/ftps';
import { chooseFtpsEndpoint } from '../commands/ftpsEndpoint';
import { CloudControlConnection, resolveConnection, withClient } from './connection';
import { cloudControlFailureText } from './failureText';
import { describeExportProgress, describeImageProgress } from './progressText';
import { describeDeletion } from './stagingExpiry';

export const VIEW_ID = 'ovfkit.cloudcontrol';
/** While an import or export runs: how often the view re-reads. */
export const REFRESH_WHILE_BUSY_MS = 10_000;
const SIGNED_IN_CONTEXT = 'ovfkit.cloudcontrol.signedIn';

export type CloudControlNode =
  | { kind: 'group'; group: 'staging' | 'images' | 'progress' }
  | { kind: 'staged'; pkg: StagedPackage }
  | { kind: 'image'; image: CustomerImage }
  | { kind: 'export'; exp: ImageExport }
  | { kind: 'note'; text: string; tooltip?: string };

interface Snapshot {
  staging?: StagedPackage[];
  stagingError?: string;
  images?: CustomerImage[];
  exports?: ImageExport[];
  apiError?: string;
}

/** What the view shows, as plain data (the e2e suite reads it). */
export interface TreeSnapshot {
  signedIn: boolean;
  staging: Array<{ name: string; description: string }>;
  images: Array<{ name: string; state: string; datacenterId: string }>;
  inProgress: string[];
  errors: string[];
}

export class CloudControlTree implements vscode.TreeDataProvider<CloudControlNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<CloudControlNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private snapshot: Promise<Snapshot | undefined> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private visible = false;
  private localWork = 0;
  private view: vscode.TreeView<CloudControlNode> | undefined;

  constructor(private readonly services: ExtensionServices) {}

  attach(view: vscode.TreeView<CloudControlNode>): void {
    this.view = view;
    this.visible = view.visible;
    view.onDidChangeVisibility((e) => {
      this.visible = e.visible;
      if (e.visible && this.busy()) this.refresh();
    });
  }

  /** Reads everything again (the next time VS Code asks). */
  refresh(): void {
    this.snapshot = undefined;
    this.changed.fire(undefined);
  }

  /** An import or export this window runs: keep the view moving while it does. */
  track(event: 'started' | 'changed' | 'ended'): void {
    if (event === 'started') this.localWork++;
    if (event === 'ended') this.localWork = Math.max(0, this.localWork - 1);
    this.refresh();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.changed.dispose();
  }

  private busy(): boolean {
    return this.localWork > 0;
  }

  private load(): Promise<Snapshot | undefined> {
    if (!this.snapshot) {
      this.snapshot = this.read();
      void this.snapshot.then((s) => this.scheduleWhileBusy(s));
    }
    return this.snapshot;
  }

  private scheduleWhileBusy(s: Snapshot | undefined): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const pending = (s?.images ?? []).some((i) => i.state.startsWith('PENDING_')) || (s?.exports ?? []).length > 0;
    if ((pending || this.busy()) && this.visible) this.timer = setTimeout(() => this.refresh(), REFRESH_WHILE_BUSY_MS);
  }

  private async read(): Promise<Snapshot | undefined> {
    const conn = await resolveConnection(this.services, 'CloudControl', {}, true).catch(() => undefined);
    await vscode.commands.executeCommand('setContext', SIGNED_IN_CONTEXT, conn !== undefined);
    if (!conn) return undefined;
    const snap: Snapshot = {};
    await Promise.all([this.readStaging(conn, snap), this.readApi(conn, snap)]);
    return snap;
  }

  private async readStaging(conn: CloudControlConnection, snap: Snapshot): Promise<void> {
    try {
      const chosen = await chooseFtpsEndpoint(this.services, 'CloudControl', { ...conn.ftps, noPrompt: true });
      if (!chosen) throw new Error('no staging login');
      snap.staging = (await listStagingFolder(chosen.endpoint, chosen.remoteDir)).packages;
    } catch (err) {
      snap.stagingError = err instanceof Error ? err.message : String(err);
    }
  }

  private async readApi(conn: CloudControlConnection, snap: Snapshot): Promise<void> {
    try {
      await withClient(this.services, conn, async (client) => {
        const [images, exports] = await Promise.all([client.listCustomerImages(), client.listExportsInProgress()]);
        snap.images = images;
        snap.exports = exports;
      });
    } catch (err) {
      snap.apiError = cloudControlFailureText(err);
    }
  }

  async getChildren(node?: CloudControlNode): Promise<CloudControlNode[]> {
    const snap = await this.load();
    if (!snap) return []; // the welcome content offers to connect
    if (!node) return [{ kind: 'group', group: 'staging' }, { kind: 'group', group: 'images' }, { kind: 'group', group: 'progress' }];
    if (node.kind !== 'group') return [];
    if (node.group === 'staging') {
      if (snap.stagingError) return [{ kind: 'note', text: 'The staging folder could not be listed', tooltip: snap.stagingError }];
      return snap.staging!.length ? snap.staging!.map((pkg) => ({ kind: 'staged' as const, pkg })) : [{ kind: 'note', text: 'No packages staged' }];
    }
    if (snap.apiError) return [{ kind: 'note', text: 'The CloudControl API did not answer', tooltip: snap.apiError }];
    if (node.group === 'images') {
      return snap.images!.length ? snap.images!.map((image) => ({ kind: 'image' as const, image })) : [{ kind: 'note', text: 'No client images' }];
    }
    const running: CloudControlNode[] = [
      ...snap.images!.filter((i) => i.state !== 'NORMAL').map((image) => ({ kind: 'image' as const, image })),
      ...snap.exports!.map((exp) => ({ kind: 'export' as const, exp })),
    ];
    return running.length ? running : [{ kind: 'note', text: 'Nothing in progress' }];
  }

  getTreeItem(node: CloudControlNode): vscode.TreeItem {
    switch (node.kind) {
      case 'group': {
        const label = { staging: 'Staging folder', images: 'Client images', progress: 'In progress or failed' }[node.group];
        const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Expanded);
        item.contextValue = `group.${node.group}`;
        return item;
      }
      case 'staged': {
        const { pkg } = node;
        const item = new vscode.TreeItem(printable(pkg.name), vscode.TreeItemCollapsibleState.None);
        item.description = `${describeDeletion(pkg.expiresAt)} · ${formatBytes(pkg.totalBytes)}`;
        item.tooltip = `${pkg.files.map((f) => printable(f.name)).join('\n')}${pkg.expiresAt ? `\n\nCloudControl deletes it on ${pkg.expiresAt.toLocaleString()}` : ''}`;
        item.iconPath = new vscode.ThemeIcon('package');
        const hasManifest = pkg.files.some((f) => f.name === `${pkg.name}.mf`);
        item.contextValue = hasManifest ? 'stagedPackage.withManifest' : 'stagedPackage';
        return item;
      }
      case 'image': {
        const { image } = node;
        const item = new vscode.TreeItem(printable(image.name), vscode.TreeItemCollapsibleState.None);
        item.description = image.state === 'NORMAL' ? `${image.datacenterId} · NORMAL` : `${image.datacenterId} · ${describeImageProgress(image)}`;
        item.tooltip = [`${image.name} (${image.id})`, `state ${image.state}`, image.osDisplayName, image.failureReason ?? image.progress?.failureReason].filter(Boolean).join('\n');
        const failed = image.state !== 'NORMAL' && !image.state.startsWith('PENDING_');
        item.iconPath = new vscode.ThemeIcon(image.state === 'NORMAL' ? 'vm' : failed ? 'error' : 'sync');
        item.contextValue = image.state === 'NORMAL' ? 'image.normal' : failed ? 'image.failed' : 'image.pending';
        return item;
      }
      case 'export': {
        const { exp } = node;
        const item = new vscode.TreeItem(`Export of ${printable(exp.imageName ?? exp.imageId ?? '?')} as ${printable(exp.ovfPackagePrefix)}`, vscode.TreeItemCollapsibleState.None);
        item.description = describeExportProgress(exp);
        item.iconPath = new vscode.ThemeIcon('sync');
        item.contextValue = 'export';
        return item;
      }
      case 'note': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.tooltip = node.tooltip;
        if (node.tooltip) item.iconPath = new vscode.ThemeIcon('warning');
        return item;
      }
    }
  }

  /** The view as plain data, read now. */
  async snapshotNow(): Promise<TreeSnapshot> {
    this.refresh();
    const snap = await this.load();
    const staging = snap?.staging?.map((pkg) => ({ name: pkg.name, description: this.getTreeItem({ kind: 'staged', pkg }).description as string })) ?? [];
    const images = snap?.images?.map((i) => ({ name: i.name, state: i.state, datacenterId: i.datacenterId })) ?? [];
    const inProgress = [
      ...(snap?.images ?? []).filter((i) => i.state !== 'NORMAL').map((i) => this.getTreeItem({ kind: 'image', image: i }).label as string),
      ...(snap?.exports ?? []).map((exp) => this.getTreeItem({ kind: 'export', exp }).label as string),
    ];
    return { signedIn: snap !== undefined, staging, images, inProgress, errors: [snap?.stagingError, snap?.apiError].filter((e): e is string => !!e) };
  }

  get treeView(): vscode.TreeView<CloudControlNode> | undefined {
    return this.view;
  }
}
