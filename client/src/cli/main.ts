// `ovfkit <command> ...`: the command-line front end over the domain and transfer layers.
import { download, exportImage, images, importImage, upload } from './commands/transferDispatch';
import { validate } from './commands/validate';
import { manifest } from './commands/manifest';
import { verify } from './commands/verify';
import { newCommand } from './commands/new';
import { pack } from './commands/pack';
import { sign } from './commands/sign';
import { unpack } from './commands/unpack';
import { CliCommand, CliIO, UsageError } from './io';

// One line per command; the module behind it parses its own options.
const commands: Record<string, { summary: string; run: CliCommand }> = {
  validate: { summary: 'check descriptors against OVF and cloud rules', run: validate },
  upload: { summary: 'upload a package (ftps, vcloud)', run: upload },
  download: { summary: 'download an exported package (ftps)', run: download },
  import: { summary: 'import a staged package as a client image (cloudcontrol)', run: importImage },
  export: { summary: 'export a client image to the staging area (cloudcontrol)', run: exportImage },
  images: { summary: 'list client images and exports in progress (cloudcontrol)', run: images },
  manifest: { summary: 'write FILE.mf covering the descriptor and its files', run: manifest },
  verify: { summary: 'check a package against its manifest', run: verify },
  new: { summary: 'write a minimal OVF descriptor for VMDK disks', run: newCommand },
  pack: { summary: 'write the package as one OVA (manifest generated if missing or stale)', run: pack },
  sign: { summary: 'sign the manifest: write FILE.cert', run: sign },
  unpack: { summary: 'unpack an OVA into a folder', run: unpack },
};

const USAGE = `usage: ovfkit <command> [options]

commands:
${Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`).join('\n')}

Run 'ovfkit <command> --help' for a command's options.`;

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? io.stdout : io.stderr).write(USAGE + '\n');
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const entry = commands[name];
  if (!entry) {
    io.stderr.write(`ovfkit: unknown command '${name}'\n\n${USAGE}\n`);
    return 2;
  }
  try {
    return await entry.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`ovfkit ${name}: ${err.message}\nRun 'ovfkit ${name} --help' for usage.\n`);
      return 2;
    }
    io.stderr.write(`ovfkit ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

declare const OVFKIT_VERSION: string | undefined;
const VERSION = typeof OVFKIT_VERSION === 'string' ? OVFKIT_VERSION : 'dev';

/** Runs the CLI on this process's arguments and streams; used by bin/ovfkit.js. */
export function runFromProcess(): void {
  const controller = new AbortController();
  // First Ctrl-C cancels cleanly (partial transfers stay resumable); a second one exits at once.
  process.once('SIGINT', () => {
    controller.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, signal: controller.signal })
    .then((code) => { process.exitCode = code; })
    .catch((err) => { process.stderr.write(`ovfkit: ${err?.stack ?? err}\n`); process.exitCode = 1; });
}

if (require.main === module) runFromProcess();
