// `npm run vcloud-sim`: starts the vCloud transfer-service simulator and prints how to reach it.
// The password is a throw-away one for this simulator only; printing it is the point.
import { parseArgs } from 'node:util';
import { runSimulatorFromCommandLine } from '../runMain';
import { startVcloudSimulator, VcloudSimulator } from './simulator';

// The extension loads this bundle (dist/vcloudSim.js) to run the simulator in-process.
export { startVcloudSimulator };
export type { VcloudSimulator };

const USAGE = `usage: vcloud-sim [--port N] [--org NAME] [--user NAME] [--password TEXT] [--catalog NAME]... [--vdc NAME]... [--dir DIR] [--legacy]
                 [--descriptor-ms N] [--import-ms N] [--rate-per-connection BYTES_PER_S]

Starts a vCloud Director transfer-service simulator on https://127.0.0.1 with a generated test CA.
--legacy behaves like vCloud before 5.5 (API 5.1, /api/sessions login, uploads through a VDC).
--descriptor-ms and --import-ms set how long the server takes to process a descriptor and to
import the uploaded files (defaults 150 and 400). --rate-per-connection caps what one TCP connection
may send to it (request bodies), like a long link, to measure parallel uploads.`;

export async function runSimulatorMain(argv: string[]): Promise<VcloudSimulator | undefined> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      org: { type: 'string' },
      user: { type: 'string' },
      password: { type: 'string' },
      catalog: { type: 'string', multiple: true },
      vdc: { type: 'string', multiple: true },
      dir: { type: 'string' },
      legacy: { type: 'boolean' },
      'descriptor-ms': { type: 'string' },
      'import-ms': { type: 'string' },
      'rate-per-connection': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return undefined;
  }
  const rate = values['rate-per-connection'] !== undefined ? Number(values['rate-per-connection']) : undefined;
  if (rate !== undefined && !(Number.isFinite(rate) && rate > 0)) throw new Error(`--rate-per-connection ${values['rate-per-connection']}: expected a positive number of bytes per second`);
  const sim = await startVcloudSimulator({
    port: values.port ? Number(values.port) : 0,
    org: values.org,
    user: values.user,
    password: values.password,
    catalogs: values.catalog,
    vdcs: values.vdc,
    storageDir: values.dir,
    legacy: values.legacy,
    descriptorProcessingMs: values['descriptor-ms'] !== undefined ? Number(values['descriptor-ms']) : undefined,
    importProcessingMs: values['import-ms'] !== undefined ? Number(values['import-ms']) : undefined,
    ratePerConnection: rate,
  });
  process.stdout.write(
    [
      'vCloud transfer-service simulator running',
      `  URL:      ${sim.url}`,
      `  org:      ${sim.org.name}`,
      `  user:     ${sim.user}`,
      `  password: ${sim.password}`,
      `  API token: ${sim.legacy ? '(none: legacy mode)' : sim.apiToken}`,
      `  CA file:  ${sim.caFile}`,
      `  catalogs: ${sim.catalogs.map((c) => c.name).join(', ')}${sim.legacy ? ' (no upload link: legacy mode)' : ''}`,
      `  VDCs:     ${sim.vdcs.map((v) => v.name).join(', ')}`,
      `  files in: ${sim.storageDir}`,
      '',
      'Try:',
      `  VCLOUD_PASSWORD='${sim.password}' npx ovfkit upload vcloud --url ${sim.url} --org ${sim.org.name} --user ${sim.user} --password-env VCLOUD_PASSWORD --ca ${sim.caFile} --${sim.legacy ? 'vdc ' + sim.vdcs[0].name : 'catalog ' + sim.catalogs[0].name} FILE.ovf`,
      'Ctrl-C stops it.',
      '',
    ].join('\n'),
  );
  return sim;
}

if (require.main === module) runSimulatorFromCommandLine('vcloud-sim', runSimulatorMain);
