// `ovfkit images cloudcontrol ...`: the organization's Client Images (imports in progress are the
// ones not yet NORMAL, with their step) and the exports in progress.
import { CloudControlClient, CustomerImage, ImageExport } from '../../transfer/cloudcontrol';
import { CliCommand, UsageError, parseOptions } from '../io';
import { API_OPTIONS, API_OPTIONS_HELP, apiTargetFromArgs } from '../cloudcontrol/endpointOptions';
import { cloudControlFailure } from '../cloudcontrol/failureText';
import { describeStep } from '../cloudcontrol/serverProgress';
import { formatFromArgs } from '../cloudcontrol/outputFormat';

const HELP = `usage: ovfkit images cloudcontrol (--region R | --api-host HOST[:PORT]) --user U --password-env VAR [--ca FILE]
           [--datacenter ID] [--format text|json]

Lists the Client Images (id, name, data centre, state, progress) and the exports in progress.
An image being imported is one not yet NORMAL; its progress is the server's step and percent.
Exit 0 when listed, 1 when the server refuses, 2 on bad usage.

options:
${API_OPTIONS_HELP}
  --datacenter ID      only the images of this data centre
  --format text|json   text: a table; json: {"images": [...], "exportsInProgress": [...]}
  -h, --help           this help
`;

export const imagesCloudcontrol: CliCommand = async (args, io) => {
  const { values, positionals } = parseOptions({ args, allowPositionals: true, options: { ...API_OPTIONS, datacenter: { type: 'string' }, format: { type: 'string' } } });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const format = formatFromArgs(values.format);
  const target = apiTargetFromArgs(values, io);
  let client: CloudControlClient | undefined;
  let images: CustomerImage[];
  let exportsInProgress: ImageExport[];
  try {
    client = await CloudControlClient.connect(target.endpoint);
    images = await client.listCustomerImages({ datacenterId: values.datacenter });
    exportsInProgress = await client.listExportsInProgress();
  } catch (err) {
    const f = cloudControlFailure(err, 'the listing');
    io.stderr.write(`ovfkit images cloudcontrol: ${f.text}\n`);
    return f.exitCode;
  } finally {
    client?.close();
  }
  if (values.datacenter) {
    const ids = new Set(images.map((i) => i.id));
    exportsInProgress = exportsInProgress.filter((e) => !e.imageId || ids.has(e.imageId));
  }
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify({ images: images.map(imageJson), exportsInProgress: exportsInProgress.map(exportJson) })}\n`);
    return 0;
  }
  io.stdout.write(images.length ? table(['ID', 'NAME', 'DATACENTER', 'STATE', 'PROGRESS'], images.map((i) => [i.id, i.name, i.datacenterId, i.state, progressOf(i)])) : `no client images${values.datacenter ? ` in ${values.datacenter}` : ''}\n`);
  if (exportsInProgress.length) {
    io.stdout.write('\nexports in progress:\n');
    io.stdout.write(table(['EXPORT ID', 'PREFIX', 'IMAGE', 'PROGRESS'], exportsInProgress.map((e) => [e.imageExportId, e.ovfPackagePrefix, e.imageName ?? e.imageId ?? '', describeStep(e.progress, e.state)])));
  }
  return 0;
};

function progressOf(image: CustomerImage): string {
  if (image.state === 'NORMAL') return '';
  const reason = image.progress?.failureReason ?? image.failureReason;
  if (reason) return reason;
  return image.progress ? describeStep(image.progress, '') : '';
}

function imageJson(i: CustomerImage) {
  return { id: i.id, name: i.name, datacenterId: i.datacenterId, state: i.state, progress: i.progress ?? null, failureReason: i.progress?.failureReason ?? i.failureReason ?? null, createTime: i.createTime ?? null };
}

function exportJson(e: ImageExport) {
  return { imageExportId: e.imageExportId, ovfPackagePrefix: e.ovfPackagePrefix, imageId: e.imageId ?? null, imageName: e.imageName ?? null, state: e.state, progress: e.progress ?? null };
}

/** Columns padded to their widest cell; the last one is not padded. */
function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  return [head, ...rows].map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ').trimEnd() + '\n').join('');
}
