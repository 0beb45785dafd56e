// The command-line entry both simulators share: start, stop cleanly on Ctrl-C or SIGTERM, and
// say why it could not start.
export function runSimulatorFromCommandLine(name: string, start: (argv: string[]) => Promise<{ close(): Promise<unknown> } | undefined>): void {
  start(process.argv.slice(2))
    .then((sim) => {
      if (!sim) return;
      const stop = () => void sim.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    })
    .catch((err) => {
      process.stderr.write(`${name}: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    });
}
