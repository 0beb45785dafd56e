// `ovfkit upload <ftps|vcloud> ...` and `ovfkit download <ftps> ...`: pick the protocol's command.
import { CliCommand, UsageError } from '../io';

type Loader = () => Promise<CliCommand>;

function dispatcher(verb: string, protocols: Record<string, Loader>): CliCommand {
  return async (args, io) => {
    const [protocol, ...rest] = args;
    const names = Object.keys(protocols).join('|');
    if (!protocol || protocol === '--help' || protocol === '-h') {
      (protocol ? io.stdout : io.stderr).write(`usage: ovfkit ${verb} <${names}> [options] ...\n`);
      return protocol ? 0 : 2;
    }
    const load = protocols[protocol];
    if (!load) throw new UsageError(`unknown protocol '${protocol}' (expected ${names})`);
    return (await load())(rest, io);
  };
}

// Protocol modules register here (one line each).
export const upload: CliCommand = dispatcher('upload', {
});

export const download: CliCommand = dispatcher('download', {
});
