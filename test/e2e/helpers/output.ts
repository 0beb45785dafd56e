// Lines the suites print for the person reading the e2e log (the mocha report, timings).
import { format } from 'node:util';

/** Prefix scripts/e2e/run.mjs looks for in the page console to tell the report from workbench logs. */
export const OUTPUT_MARKER = '[ovfkit-e2e:out] ';

export function report(...args: unknown[]): void {
  console.log(process.env.OVFKIT_E2E_RUNNER === 'code-server' ? `${OUTPUT_MARKER}${format(...args)}` : format(...args));
}
