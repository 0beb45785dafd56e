// How much of a manifest ovfkit reads. A manifest has one short line per package file, so 4 MiB
// is tens of thousands of files; anything larger is not a manifest and is refused unread.
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
