// The embedded vCloud simulator: lets a user try "Upload Package to vCloud Director" without a
// vCloud. It runs in the extension host, loaded from its own bundle (dist/vcloudSim.js) only when
// asked for, and stops with the extension.
import * as vscode from 'vscode';
import type { VcloudSimulator } from '../simulator/vcloud/simulator';
import type { ExtensionServices } from '../extension';

let running: Promise<VcloudSimulator> | undefined;

export function embeddedSimulator(services: ExtensionServices): Promise<VcloudSimulator> {
  if (!running) {
    const bundle = services.context.asAbsolutePath('dist/vcloudSim.js');
    // A runtime require of the separate bundle: the simulator (and its certificate code) stays out
    // of extension.js until someone uses it.
    const load = require as (id: string) => { startVcloudSimulator: (o?: object) => Promise<VcloudSimulator> };
    running = load(bundle)
      .startVcloudSimulator({ org: 'ovfkit-demo', user: 'demo' })
      .then((sim) => {
        services.log.info(`started the built-in vCloud simulator at ${sim.url} (organisation ${sim.org.name}, user ${sim.user}; files kept in ${sim.storageDir})`);
        services.context.subscriptions.push(new vscode.Disposable(() => void sim.close()));
        return sim;
      });
    running.catch(() => (running = undefined));
  }
  return running;
}
