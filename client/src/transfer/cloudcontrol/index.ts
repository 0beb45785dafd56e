// The CloudControl CaaS API layer: data centres, Client Image import and export, bounded waits.
// No `vscode` here: the CLI and the VS Code commands both sit on top of this.
export { CloudControlError, CloudControlErrorKind } from './errors';
export { CLOUDCONTROL_REGIONS, CloudControlRegion, apiHostForRegion, findCloudControlRegion } from './regions';
export { CustomerImage, Datacenter, DatacenterLimits, ImageExport, ImageProgress, StagedPackage } from './responses';
export { CloudControlClient, CloudControlEndpoint, WaitOptions, DEFAULT_API_VERSION, DEFAULT_POLL_MS, DEFAULT_WAIT_TIMEOUT_MS, checkApiHost, checkApiVersion } from './client';
export { PollInterval } from './poll';
export { DEFAULT_MAX_ANSWER_BYTES, DEFAULT_REQUEST_TIMEOUT_MS } from './http';
