// ovfkit: New OVF Descriptor. Picks VMDKs (or takes the ones selected in the explorer) and checks
// them first, then asks a target and a VM name, writes `<name>.ovf` beside the first disk (for
// CloudControl with its manifest) and opens it. Every choice can be passed in
// `options`, so tests and automation run it without prompts.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULTS, defaultVmName, DescriptorExistsError, isAbortError, NEEDS_MANIFEST, NEW_DESCRIPTOR_TARGETS, NewDescriptorTarget, NewDisks, readNewDisks, writeNewDescriptor, WrittenDescriptor } from '../../../server/src/ovf';
import type { ExtensionServices } from '../extension';
import { withHashProgress } from './manifestGenerate';

export interface NewDescriptorOptions {
  /** The VMDKs; the descriptor is written beside the first. */
  disks?: Array<vscode.Uri | string>;
  target?: NewDescriptorTarget;
  name?: string;
  cpus?: number;
  memoryMb?: number;
  network?: string;
  /** Replace an existing `<name>.ovf` without asking. */
  overwrite?: boolean;
  /** Open the new descriptor in an editor (default true). */
  open?: boolean;
}

const TARGET_ITEMS: Record<NewDescriptorTarget, { label: string; detail: string }> = {
  vcloud: { label: 'vCloud Director', detail: 'OVF 1.0, VMXNET3 NIC, vmx-10, VM id of at most 13 characters' },
  cloudcontrol: { label: 'NTT CloudControl', detail: 'OVF 1.0, VMXNET3 NIC, vmx-10, within the data centre limits you keep' },
  generic: { label: 'Any OVF reader', detail: 'OVF 1.0, E1000 NIC, vmx-07: VMware, VirtualBox, virt-v2v and others' },
};

export function registerNewDescriptorCommand(services: ExtensionServices): void {
  services.context.subscriptions.push(
    // From the explorer, the second argument is every selected resource.
    vscode.commands.registerCommand('ovfkit.newDescriptor', (uri?: vscode.Uri | string, second?: NewDescriptorOptions | vscode.Uri[]) =>
      newDescriptorCommand(services, uri, Array.isArray(second) ? { disks: second } : second ?? {}),
    ),
  );
}

/** Resolves to the descriptor's path, or undefined when cancelled or failed (already reported). */
export async function newDescriptorCommand(services: ExtensionServices, uri?: vscode.Uri | string, options: NewDescriptorOptions = {}): Promise<string | undefined> {
  const diskPaths = await chooseDisks(uri, options);
  if (!diskPaths) return undefined;
  // The disks are checked before any question: a file that is no VMDK is said at once, plainly.
  let disks: NewDisks;
  try {
    disks = await readNewDisks(diskPaths);
  } catch (err) {
    return failed(services, err);
  }
  const target = options.target ?? (await chooseTarget(diskPaths[0]));
  if (!target) return undefined;
  const name = options.name ?? (await vscode.window.showInputBox({
    title: 'New OVF Descriptor: VM name',
    prompt: `Writes <name>.ovf beside ${path.basename(diskPaths[0])}; the VM id is derived from it (13 characters at most)`,
    value: defaultVmName(diskPaths[0]),
    validateInput: (v) => (v.trim() === '' ? 'Give the VM a name' : undefined),
  }));
  if (!name) return undefined;

  const request = {
    diskPaths, disks, target, name,
    cpus: options.cpus ?? DEFAULTS.cpus, memoryMb: options.memoryMb ?? DEFAULTS.memoryMb, network: options.network ?? DEFAULTS.network,
  };
  // CloudControl's descriptor comes with its manifest: hashing the disks shows progress and can be cancelled.
  const write = (overwrite: boolean | undefined) => NEEDS_MANIFEST[target]
    ? withHashProgress(`Writing ${name}.ovf and its manifest`, (signal, onProgress) => writeNewDescriptor({ ...request, overwrite, manifest: { signal, onProgress } }))
    : writeNewDescriptor({ ...request, overwrite });
  let written: WrittenDescriptor;
  try {
    try {
      written = await write(options.overwrite);
    } catch (err) {
      if (!(err instanceof DescriptorExistsError) || options.overwrite !== undefined) throw err;
      const replace = await vscode.window.showWarningMessage(`${path.basename(err.path)} already exists beside the disks. Replace it?`, { modal: true }, 'Replace');
      if (replace !== 'Replace') return undefined;
      written = await write(true);
    }
  } catch (err) {
    return failed(services, err);
  }
  services.log.info(`wrote ${written.path}${written.manifestPath ? ` and ${written.manifestPath}` : ''} (${target}, ${diskPaths.length} disk${diskPaths.length === 1 ? '' : 's'})`);
  for (const w of disks.warnings) {
    services.log.warn(w);
    void vscode.window.showWarningMessage(`New OVF Descriptor: ${w}`);
  }
  if (options.open !== false) await vscode.window.showTextDocument(vscode.Uri.file(written.path));
  return written.path;
}

function failed(services: ExtensionServices, err: unknown): undefined {
  if (isAbortError(err)) return undefined;
  services.log.error(`new descriptor: ${(err as Error).message}`);
  void vscode.window.showErrorMessage(`New OVF Descriptor: ${(err as Error).message}`);
  return undefined;
}

async function chooseDisks(uri: vscode.Uri | string | undefined, options: NewDescriptorOptions): Promise<string[] | undefined> {
  const given = options.disks?.length ? options.disks : uri ? [uri] : [];
  if (given.length > 0) return given.map((d) => (typeof d === 'string' ? d : d.fsPath));
  const picked = await vscode.window.showOpenDialog({
    title: 'New OVF Descriptor: choose the VM\'s disks (the descriptor is written beside the first)',
    canSelectMany: true,
    filters: { 'VMDK disks': ['vmdk'] },
    openLabel: 'Use these disks',
  });
  return picked?.length ? picked.map((u) => u.fsPath) : undefined;
}

async function chooseTarget(firstDisk: string): Promise<NewDescriptorTarget | undefined> {
  // The clouds the user validates against come first; the default setting names both.
  const configured = vscode.workspace.getConfiguration('ovfkit', vscode.Uri.file(firstDisk)).get<string[]>('targets', []);
  const order = [...NEW_DESCRIPTOR_TARGETS].sort((a, b) => Number(!configured.includes(a)) - Number(!configured.includes(b)));
  const picked = await vscode.window.showQuickPick(
    order.map((target) => ({ ...TARGET_ITEMS[target], description: target, target })),
    { title: 'New OVF Descriptor: where will the VM run?', placeHolder: 'Target (chooses the hardware version, NIC type and the rules the descriptor is checked against)' },
  );
  return picked?.target;
}
