// Activation: start the language server and register the commands. Each concern lives in its own
// module under commands/; this file only wires them together.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DidChangeConfigurationNotification, LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { LANGUAGE_SERVER_NODE_FLAGS } from '../../server/src/serverFlags';
import { Log } from './log';
import { registerStatusBar } from './statusBar';
import { registerManifestCommands } from './commands/manifestCommands';
import { registerVcloudCommands } from './commands/vcloudCommands';
import { registerNewDescriptorCommand } from './commands/newDescriptor';
import { registerFtpsCommands } from './commands/ftpsCommands';
import { registerOvaCommands } from './commands/ovaCommands';
import { registerPackCommands } from './commands/packCommands';
import { OVA_ENTRY_SCHEME } from '../../server/src/ovf';
import { registerDisableRuleCommand } from './commands/disableRule';
import { registerChooseTargets } from './targets/chooseTargets';
import { registerTargetsQuestion } from './targets/targetsQuestion';
import { registerForgetCredentials } from './commands/forgetCredentials';
import { DatacenterCache, datacenterConfigurationMiddleware } from './cloudcontrol/datacenterCache';
import { CloudControlServices, registerCloudControl } from './cloudcontrol/commands';

let client: LanguageClient | undefined;

/** What command modules receive: the context, the shared log and the running language client. */
export interface ExtensionServices {
  context: vscode.ExtensionContext;
  log: Log;
  client: LanguageClient;
  /** CloudControl data centres' limits as last read from the API. */
  datacenters: DatacenterCache;
  /** The CloudControl view (set once registered; tests read it). */
  cloudcontrol?: CloudControlServices;
}

export async function activate(context: vscode.ExtensionContext): Promise<ExtensionServices> {
  const started = Date.now();
  const log = new Log(vscode.window.createOutputChannel('ovfkit'));
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...LANGUAGE_SERVER_NODE_FLAGS] } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...LANGUAGE_SERVER_NODE_FLAGS, '--nolazy', '--inspect=6009'] } },
  };
  const datacenters = new DatacenterCache(context.globalState);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'ovf' },
      { scheme: 'untitled', language: 'ovf' },
      // The descriptor of an OVA, read from the tar (read-only).
      { scheme: OVA_ENTRY_SCHEME, language: 'ovf' },
      { scheme: 'file', language: 'ovf-manifest' },
    ],
    synchronize: { configurationSection: 'ovfkit' },
    outputChannelName: 'ovfkit language server',
    middleware: { workspace: datacenterConfigurationMiddleware(datacenters) },
  };
  client = new LanguageClient('ovfkit', 'ovfkit language server', serverOptions, clientOptions);
  const services: ExtensionServices = { context, log, client, datacenters };
  // New data-centre limits: the server pulls its configuration again and re-validates.
  context.subscriptions.push(datacenters.onDidChange(() => {
    if (client?.isRunning()) void client.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }));
  // Commands first: manifests and uploads must work even if the language server cannot start.
  const status = registerStatusBar(services);
  registerManifestCommands(services, (result) => status.badges.recordVerify(result));
  registerChooseTargets(services);
  registerTargetsQuestion(services);
  registerForgetCredentials(services);
  registerVcloudCommands(services);
  registerNewDescriptorCommand(services);
  registerFtpsCommands(services);
  registerOvaCommands(services);
  registerPackCommands(services);
  registerDisableRuleCommand(services);
  services.cloudcontrol = registerCloudControl(services);
  try {
    await client.start();
  } catch (err) {
    log.error(`the language server did not start: ${err instanceof Error ? err.message : String(err)}`);
    void vscode.window.showErrorMessage('ovfkit: the OVF language server did not start; see the ovfkit output for why.');
  }
  log.info(`activated in ${Date.now() - started} ms`);
  return services;
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
