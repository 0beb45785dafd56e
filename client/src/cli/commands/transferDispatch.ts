// `ovfkit upload <ftps|vcloud> ...`, `ovfkit download <ftps> ...` and the CloudControl image
// commands (`import|export|images cloudcontrol`): pick the protocol's command.
import { CliCommand, UsageError } from '../io';
import { uploadVcloud } from './uploadVcloud';
import { uploadFtps } from './uploadFtps';
import { downloadFtps } from './downloadFtps';
import { importCloudcontrol } from './importCloudcontrol';
import { exportCloudcontrol } from './exportCloudcontrol';
import { imagesCloudcontrol } from './imagesCloudcontrol';

function dispatcher(verb: string, protocols: Record<string, CliCommand>): CliCommand {
  return async (args, io) => {
    const [protocol, ...rest] = args;
    const names = Object.keys(protocols).join('|');
    if (!protocol || protocol === '--help' || protocol === '-h') {
      (protocol ? io.stdout : io.stderr).write(`usage: ovfkit ${verb} <${names}> [options] ...\n`);
      return protocol ? 0 : 2;
    }
    const command = protocols[protocol];
    if (!command) throw new UsageError(`unknown protocol '${protocol}' (expected ${names})`);
    return command(rest, io);
  };
}

// Protocol modules register here (one line each).
export const upload: CliCommand = dispatcher('upload', {
  ftps: uploadFtps,
  vcloud: uploadVcloud,
});

export const download: CliCommand = dispatcher('download', {
  ftps: downloadFtps,
});

export const importImage: CliCommand = dispatcher('import', {
  cloudcontrol: importCloudcontrol,
});

export const exportImage: CliCommand = dispatcher('export', {
  cloudcontrol: exportCloudcontrol,
});

export const images: CliCommand = dispatcher('images', {
  cloudcontrol: imagesCloudcontrol,
});
