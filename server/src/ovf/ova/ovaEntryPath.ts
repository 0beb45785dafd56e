// How an editor names a member of an OVA: the OVA's path with the member's name appended,
// `/pkgs/app.ova/app.ovf` (under the `ovfkit-ova` URI scheme). Pure string functions, shared by the
// extension (which shows the member read-only) and the language server (which validates it).
export const OVA_ENTRY_SCHEME = 'ovfkit-ova';

export function ovaEntryPath(ovaPath: string, entry: string): string {
  return `${ovaPath.replace(/\/+$/, '')}/${entry}`;
}

/** Splits `/pkgs/app.ova/app.ovf` at the last `.ova/`; undefined when the path names no OVA member. */
export function splitOvaEntryPath(p: string): { ovaPath: string; entry: string } | undefined {
  const m = /^(.*\.ova)\/([^/]+)$/i.exec(p);
  return m ? { ovaPath: m[1], entry: m[2] } : undefined;
}
