// The embedded CloudControl simulator (API + FTPS staging on one folder): lets a user try the
// import and export without an account. Loaded from its own bundle (dist/cloudcontrolSim.js) only
// when asked for, like the vCloud one, and stopped with the extension.
import * as vscode from 'vscode';
import type { CloudControlSimulator } from '../simulator/cloudcontrol/simulator';
import type { ExtensionServices } from '../extension';

let running: Promise<CloudControlSimulator> | undefined;
let started: CloudControlSimulator | undefined;

export function embeddedCloudControlSimulator(services: ExtensionServices): Promise<CloudControlSimulator> {
  if (!running) {
    const bundle = services.context.asAbsolutePath('dist/cloudcontrolSim.js');
    // A runtime require of the separate bundle keeps the simulator (ftp-srv, certificates) out of extension.js.
    const load = require as (id: string) => { startCloudControlSimulator: (o?: object) => Promise<CloudControlSimulator> };
    running = load(bundle)
      .startCloudControlSimulator({ user: 'demo' })
      .then((sim) => {
        services.log.info(`started the built-in CloudControl simulator: API ${sim.apiHost}, FTPS staging ${sim.ftps.host}:${sim.ftps.port}, user ${sim.user}; staging folder ${sim.stagingDir}`);
        services.context.subscriptions.push(new vscode.Disposable(() => void sim.close()));
        started = sim;
        return sim;
      });
    running.catch(() => (running = undefined));
  }
  return running;
}

/** True when host:port is the embedded simulator's staging server (an upload there imports into it). */
export function isEmbeddedSimulatorStaging(host: string | undefined, port: number | undefined): boolean {
  return started !== undefined && host === started.ftps.host && port === started.ftps.port;
}
