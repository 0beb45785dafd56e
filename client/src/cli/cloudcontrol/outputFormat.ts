// --format text|json of the cloudcontrol commands.
import { UsageError } from '../io';

export function formatFromArgs(value: string | undefined): 'text' | 'json' {
  if (value === undefined || value === 'text' || value === 'json') return value ?? 'text';
  throw new UsageError(`--format ${value}: expected text or json`);
}
