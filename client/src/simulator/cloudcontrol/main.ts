// `npm run cloudcontrol-sim`: starts the CloudControl API + FTPS staging simulator and prints how
// to reach it. The password is a throw-away one for this simulator only; printing it is the point.
import { parseArgs } from 'node:util';
import { runSimulatorFromCommandLine } from '../runMain';
import { CloudControlSimulator, startCloudControlSimulator } from './simulator';

export { startCloudControlSimulator };
export type { CloudControlSimulator };

const USAGE = `usage: cloudcontrol-sim [--port N] [--user NAME] [--password TEXT] [--dir DIR] [--polls N]

Starts a CloudControl CaaS API simulator on https://127.0.0.1 and an FTPS staging server (explicit
TLS) on the same staging folder, with a generated test CA. --polls sets how many status polls an
import or export takes (default 3).`;

export async function runSimulatorMain(argv: string[]): Promise<CloudControlSimulator | undefined> {
  const { values } = parseArgs({ args: argv, options: { port: { type: 'string' }, user: { type: 'string' }, password: { type: 'string' }, dir: { type: 'string' }, polls: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return undefined;
  }
  const sim = await startCloudControlSimulator({ port: values.port ? Number(values.port) : 0, user: values.user, password: values.password, stagingDir: values.dir, pollsToFinish: values.polls ? Number(values.polls) : undefined });
  process.stdout.write(
    [
      'CloudControl simulator running',
      `  API URL:  ${sim.apiUrl}`,
      `  API host: ${sim.apiHost}`,
      `  FTPS:     ${sim.ftps.host}:${sim.ftps.port} (explicit TLS)`,
      `  user:     ${sim.user}`,
      `  password: ${sim.password}`,
      `  CA file:  ${sim.caFile}`,
      `  data centres: ${sim.datacenters.map((d) => `${d.id} (${d.city})`).join(', ')}`,
      `  staging folder: ${sim.stagingDir}`,
      'Ctrl-C stops it.',
      '',
    ].join('\n'),
  );
  return sim;
}

if (require.main === module) runSimulatorFromCommandLine('cloudcontrol-sim', runSimulatorMain);
