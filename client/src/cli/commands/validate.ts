// `ovfkit validate [--target T ...] [--format text|json] FILE...`
import * as path from 'node:path';
import { DescriptorReadError, FileReport, OvaError, TARGET_NAMES, TargetName, validateFile, ValidateOptions, validateOva } from '../../../../server/src/ovf';
import { CliCommand, UsageError, parseOptions } from '../io';
import { readDatacenterLimits } from '../datacenterLimits';
import { Format, formatFindings, FORMATS } from '../report';

const HELP = `usage: ovfkit validate [--target vcloud|cloudcontrol|generic]... [--format text|json|sarif]
       [--datacenter ID --datacenter-limits FILE.json] FILE.ovf|FILE.ova...

Checks OVF descriptors against the generic OVF rules and each chosen target's rules (default:
vcloud and cloudcontrol). An OVA is read in place: its descriptor member is checked, with its
members as the package's files. A descriptor may choose its targets and turn rules off for itself
with comments: <!-- ovfkit: targets=vcloud --> and <!-- ovfkit: disable=CODE,CODE --> (codes:
docs/RULES.md). Exit 0 when no finding is an error, 1 when any is, 2 on bad usage or an unreadable
file.

options:
  -t, --target T   a target to check (repeatable, or comma separated); 'generic' alone checks
                   only the OVF rules
  -f, --format F   text (file:line:col: severity code message; VS Code tasks read it with the
                   \$ovfkit problem matcher), json (with related locations) or sarif (SARIF 2.1.0
                   for code-scanning services)
  --datacenter ID  judge the CloudControl limits with data centre ID's (a descriptor's
                   <!-- ovfkit: datacenter=ID --> comment wins)
  --datacenter-limits FILE.json
                   the data centres' limits, as \`ovfkit images cloudcontrol --format json\` prints
  -h, --help       this help
`;

export const validate: CliCommand = async (args, io) => {
  const { values, positionals } = parse(args);
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const format = parseFormat(values.format);
  const targets = parseTargets(values.target);
  if (positionals.length === 0) throw new UsageError('no descriptor given');
  const options: ValidateOptions = {
    ...(targets && { targets }),
    settings: {
      ...(values.datacenter && { datacenter: values.datacenter }),
      ...(values['datacenter-limits'] && { datacenters: await readDatacenterLimits(values['datacenter-limits']) }),
    },
  };

  const reports: (FileReport & { entry?: string })[] = [];
  let unreadable = false;
  let badOva = false;
  for (const file of positionals) {
    try {
      reports.push(/\.ova$/i.test(file) ? await validateOva(file, options) : await validateFile(file, options));
    } catch (err) {
      if (err instanceof OvaError) {
        io.stderr.write(`ovfkit validate: ${file}: ${err.message}\n`);
        badOva = true;
        continue;
      }
      const code = (err as NodeJS.ErrnoException).code;
      if (!(err instanceof DescriptorReadError) && code !== 'ENOENT' && code !== 'EACCES') throw err;
      io.stderr.write(`ovfkit validate: ${err instanceof DescriptorReadError ? err.message : `${file}: cannot read: ${(err as Error).message}`}\n`);
      unreadable = true;
    }
  }
  io.stdout.write(formatFindings(reports.map((r) => ({ file: path.relative(process.cwd(), r.file) || r.file, entry: r.entry, findings: r.findings })), format));
  if (unreadable) return 2;
  return badOva || reports.some((r) => r.findings.some((f) => f.severity === 'error')) ? 1 : 0;
};

function parse(args: string[]) {
  return parseOptions({
    args,
    allowPositionals: true,
    options: {
      target: { type: 'string', short: 't', multiple: true },
      format: { type: 'string', short: 'f' },
      datacenter: { type: 'string' },
      'datacenter-limits': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** --format: text (the default), json or sarif. */
export function parseFormat(given: string | undefined): Format {
  const format = given ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be ${FORMATS.join(', ')}, not '${format}'`);
  return format as Format;
}

export function parseTargets(given: string[] | undefined): TargetName[] | undefined {
  if (!given) return undefined;
  const names = given.flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean);
  for (const n of names) {
    if (!(TARGET_NAMES as readonly string[]).includes(n)) throw new UsageError(`unknown target '${n}' (expected ${TARGET_NAMES.join(', ')})`);
  }
  return names.filter((n) => n !== 'generic') as TargetName[];
}
