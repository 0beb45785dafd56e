// `ovfkit sign FILE.ovf --key KEY.pem [--cert CERT.pem] [--algorithm sha256|sha512|sha1]
// [--passphrase-env VAR]`: writes FILE.cert, the signature of FILE.mf with the certificate after it,
// in the format ovftool and open-vmdk write. The passphrase only ever comes from the environment.
import { readFile } from 'node:fs/promises';
import { CertFileError, ManifestToSignError, SIGNATURE_ALGORITHMS, SignatureAlgorithm, signPackage } from '../../../../server/src/ovf';
import { CliCommand, UsageError, parseOptions } from '../io';
import { requireDescriptorFile } from './manifest';

const USAGE = `usage: ovfkit sign --key KEY.pem [--cert CERT.pem] [--algorithm sha256|sha512|sha1]
                   [--passphrase-env VAR] FILE.ovf

Signs FILE.mf (run 'ovfkit manifest FILE.ovf' first) and writes FILE.cert beside it: the line
'SHA256(FILE.mf)= <signature>' and the PEM certificate. --cert may be left out when KEY.pem also
holds the certificate. An encrypted key reads its passphrase from the environment variable VAR.
Default algorithm: sha256.
`;

/** A signature file is small; a "key" or "certificate" larger than this is not one. */
const MAX_PEM_BYTES = 1024 * 1024;

export const sign: CliCommand = async (args, io) => {
  const { values, positionals } = parseOptions({
    args,
    options: {
      key: { type: 'string' },
      cert: { type: 'string' },
      algorithm: { type: 'string', short: 'a', default: 'sha256' },
      'passphrase-env': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length ? 'give one descriptor' : 'missing FILE.ovf');
  if (!values.key) throw new UsageError('missing --key KEY.pem');
  const algorithm = values.algorithm.toUpperCase() as SignatureAlgorithm;
  if (!SIGNATURE_ALGORITHMS.includes(algorithm)) throw new UsageError(`unknown algorithm '${values.algorithm}' (expected sha256|sha512|sha1)`);
  let passphrase: string | undefined;
  if (values['passphrase-env'] !== undefined) {
    passphrase = io.env[values['passphrase-env']];
    if (!passphrase) throw new UsageError(`the environment variable ${values['passphrase-env']} (--passphrase-env) is not set`);
  }
  const descriptor = positionals[0];
  await requireDescriptorFile(descriptor);
  const keyPem = (await readCapped(values.key, MAX_PEM_BYTES, `the key ${values.key}`)).toString('utf8');
  const certPem = values.cert ? (await readCapped(values.cert, MAX_PEM_BYTES, `the certificate ${values.cert}`)).toString('utf8') : undefined;
  let certPath: string, manifestName: string;
  try {
    ({ certPath, manifestName } = await signPackage(descriptor, { keyPem, certPem, passphrase, algorithm }));
  } catch (err) {
    if (err instanceof ManifestToSignError) throw new UsageError(err.missing ? `${err.message}; run 'ovfkit manifest ${descriptor}' first` : err.message);
    if (err instanceof CertFileError) {
      io.stderr.write(`ovfkit sign: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  io.stdout.write(`wrote ${certPath} (${algorithm} signature of ${manifestName})\n`);
  return 0;
};

async function readCapped(file: string, cap: number, what: string): Promise<Buffer> {
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `${what} does not exist` : `cannot read ${what}: ${(err as Error).message}`);
  }
  if (data.length > cap) throw new UsageError(`${what} is ${data.length} bytes: too large to be one`);
  return data;
}
