// A CloudControl API failure in the editor's words. The client's message already carries the
// server's responseCode and message verbatim; only its advice for the command line (`--ca FILE`)
// is replaced by the setting that does the same here.
import { CloudControlError } from '../transfer/cloudcontrol';

export const CA_SETTING = 'ovfkit.cloudcontrol.caFile';

export function cloudControlFailureText(err: unknown): string {
  if (!(err instanceof CloudControlError)) return err instanceof Error ? err.message : String(err);
  if (err.kind === 'tls') return err.message.replace(/\(--ca FILE\)/, `(setting ${CA_SETTING})`);
  return err.message;
}

/** The server's own words of a failure, `RESPONSE_CODE: message`, when it said anything. */
export function serverWords(err: unknown): string | undefined {
  if (!(err instanceof CloudControlError)) return undefined;
  const words = [err.responseCode, err.serverMessage].filter(Boolean).join(': ');
  return words || undefined;
}
