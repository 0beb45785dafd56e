// The one wording of sizes, rates and times left; it lives in the domain so hashing uses it too.
export { describeBytesProgress, etaSeconds, formatBytes, formatDuration, formatRate, percentDone } from '../../../../server/src/ovf';
