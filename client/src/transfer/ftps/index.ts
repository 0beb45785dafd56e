// The FTPS transfer layer: upload a package to a staging folder, list and download exports.
// No `vscode` here: the CLI and the VS Code commands both sit on top of this.
export * from './errors';
export { FtpsEndpoint, endpointPort, openFtpsSession } from './connection';
export { TransferProgress, ProgressListener, FileInFlight, FileRetry } from '../common/progress';
export { RetryState, describeRetry } from '../common/retryNotice';
export { RetryPolicy } from '../common/backoff';
export { UploadItem, UploadedFile, FtpsUploadOptions, FtpsUploadResult, FtpsUploadError, uploadToFtps } from './upload';
export { deleteStagedFiles } from './remove';
export { StagedFile, StagedPackage, StagingListing, STAGING_RETENTION_DAYS, listStagingFolder, groupStagedFiles } from './staging';
export { DownloadItem, DownloadedFile, FtpsDownloadOptions, FtpsDownloadError, ExistingFilesError, PARTIAL_SUFFIX, downloadFromFtps, existingDownloadTargets } from './download';
export { FtpsLimits, DEFAULT_FTPS_TIMEOUT_SECONDS, DEFAULT_MIN_BYTES_PER_SECOND } from './limits';
export { StagingRegion, KNOWN_STAGING_REGIONS, findStagingRegion } from './regions';
export { formatBytes, formatDuration } from '../common/format';
export { describeTransferProgress } from '../common/progressText';
