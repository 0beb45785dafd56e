// The export's package prefix: CloudControl writes PREFIX.ovf, PREFIX.mf and PREFIX-diskN.vmdk, so
// the prefix must be a plain file name. Pure, so it is tested without an editor.
export const PREFIX_PATTERN = /^[A-Za-z0-9_.-]{1,100}$/;

/** The image name with anything but letters, digits, dot, dash and underscore made '-'. */
export function defaultPrefix(imageName: string): string {
  return imageName.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[-.]+|-+$/g, '').slice(0, 100) || 'export';
}
