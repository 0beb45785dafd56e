// The vCloud Director transfer layer: what front ends (CLI, VS Code command) use.
export { VcloudConnection, normaliseBaseUrl, pickApiVersion } from './connection';
export { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_REQUEST_TIMEOUT_SECONDS } from './httpClient';
export type { ConnectOptions, Credentials } from './connection';
export * from './errors';
export { describeProgress } from './progress';
export { formatBytes, formatDuration } from '../common/format';
export type { UploadPhase, UploadProgress } from './progress';
export * from './resumeRecord';
export { cancelVcloudUpload, defaultTemplateName, DEFAULT_CHUNK_SIZE, DEFAULT_LINK_TIMEOUT_SECONDS, DEFAULT_TASK_TIMEOUT_SECONDS, statusName, uploadToVcloud } from './upload';
export type { VcloudUploadOptions, VcloudUploadResult } from './upload';
