// `ovfkit validate`: output formats, exit codes, and the whole corpus without crash or hang.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { JsonFinding } from '../../client/src/cli/report';
import { ruleMeta } from '../../server/src/ovf/rules/index';
import { runCli } from '../support/cliRunner';
import { descriptor } from '../support/descriptors';
import { makeTempDir } from '../support/tempDir';

const CORPUS = path.resolve('test/fixtures/corpus');

function packageDir(files: Record<string, string | Buffer>): string {
  const dir = makeTempDir('ovfkit-cli-');
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

describe('ovfkit validate', () => {
  test('a complete, valid package exits 0 and prints nothing', async () => {
    const dir = packageDir({ 'web.ovf': descriptor(), 'disk1.vmdk': Buffer.alloc(1024), 'web.mf': 'SHA1(web.ovf)= 00\n' });
    const r = await runCli(['validate', path.join(dir, 'web.ovf')]);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, '');
    assert.equal(r.code, 0);
  });

  test('text output is file:line:col: severity code message, exit 1 on an error', async () => {
    const dir = packageDir({ 'web.ovf': descriptor().replace('ovf:id="file1"', 'ovf:id="file1" ovf:compression="gzip"'), 'disk1.vmdk': Buffer.alloc(1024) });
    const r = await runCli(['validate', '--target', 'vcloud', 'web.ovf'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "web.ovf:4:65: error vcloud/compression vCloud Director refuses compressed packages: File 'disk1.vmdk' is gzip-compressed; decompress it and remove ovf:compression\n");
  });

  test('warnings alone exit 0', async () => {
    const dir = packageDir({ 'web.ovf': descriptor({ vsId: 'a-very-long-virtual-machine-name' }), 'disk1.vmdk': Buffer.alloc(1024) });
    const r = await runCli(['validate', '-t', 'vcloud', '--format', 'json', 'web.ovf'], { cwd: dir });
    assert.equal(r.code, 0);
    const findings = JSON.parse(r.stdout) as JsonFinding[];
    assert.deepEqual(findings.map((f) => [f.code, f.severity]), [['vcloud/id-too-long', 'warning']]);
    const text = readFileSync(path.join(dir, 'web.ovf'), 'utf8');
    const lines = text.split('\n');
    const f = findings[0];
    assert.equal(f.file, 'web.ovf');
    assert.equal(lines[f.line - 1].slice(f.column - 1, f.endColumn - 1), 'a-very-long-virtual-machine-name');
    assert.equal(f.endLine, f.line);
  });

  test('JSON has 1-based positions and every field', async () => {
    const dir = packageDir({ 'bad.ovf': '<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1">\n  <References>\n</Envelope>\n' });
    const r = await runCli(['validate', '--format=json', path.join(dir, 'bad.ovf')]);
    assert.equal(r.code, 1);
    const [f] = JSON.parse(r.stdout) as JsonFinding[];
    assert.deepEqual({ ...f, file: path.basename(f.file), related: f.related?.map((x) => ({ ...x, file: path.basename(x.file) })) }, {
      file: 'bad.ovf', line: 2, column: 4, endLine: 2, endColumn: 14, severity: 'error', code: 'xml/malformed',
      message: 'Element <References> is not closed: expected </References> before </Envelope>',
      related: [{ file: 'bad.ovf', line: 3, column: 3, endLine: 3, endColumn: 11, message: '</Envelope> closes an enclosing element while <References> is still open' }],
    });
    assert.equal(f.related![0].file, f.file);
  });

  test('bad usage and unreadable input exit 2 with a message', async () => {
    assert.equal((await runCli(['validate'])).code, 2);
    assert.equal((await runCli(['validate', '--format', 'xml', 'x.ovf'])).code, 2);
    const unknownTarget = await runCli(['validate', '--target', 'azure', 'x.ovf']);
    assert.equal(unknownTarget.code, 2);
    assert.match(unknownTarget.stderr, /unknown target 'azure'/);
    const missing = await runCli(['validate', path.join(tmpdir(), 'no-such-descriptor.ovf')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no-such-descriptor\.ovf: cannot read: no such file/);
    assert.equal((await runCli(['frobnicate'])).code, 2);
  });

  test('a disk image passed as a descriptor is refused without reading it whole', async () => {
    const dir = packageDir({});
    const big = path.join(dir, 'disk.ovf');
    writeFileSync(big, '');
    const { truncateSync } = await import('node:fs');
    truncateSync(big, 200 * 1024 * 1024); // sparse: costs no disk space
    const r = await runCli(['validate', big]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /too large for an OVF descriptor/);
  });
});

describe('the real-world corpus', () => {
  const index = readFileSync(path.join(CORPUS, 'INDEX.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
  const role = new Map(index.map((c) => [c[0], c[11]]));
  const descriptors = readdirSync(path.join(CORPUS, 'files')).filter((f) => f.endsWith('.ovf'));

  test('every descriptor is processed by the CLI without crash or hang', async () => {
    const r = await runCli(['validate', '--format', 'json', ...descriptors.map((f) => path.join(CORPUS, 'files', f))], { timeoutMs: 60000 });
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
    assert.equal(r.stderr, '');
    const findings = JSON.parse(r.stdout) as JsonFinding[];
    assert.ok(findings.length > 0);
  });

  test('valid exports get no structural or reference error from the generic rules', async () => {
    const valid = descriptors.filter((f) => ['real-export', 'real-export-edited', 'synthetic-valid'].includes(role.get(f) ?? ''));
    assert.ok(valid.length >= 40, `only ${valid.length} valid files`);
    const r = await runCli(['validate', '--target', 'generic', '--format', 'json', ...valid.map((f) => path.join(CORPUS, 'files', f))]);
    const errors = (JSON.parse(r.stdout) as JsonFinding[]).filter((f) => {
      const category = ruleMeta(f.code)?.category;
      return f.severity === 'error' && (category === 'syntax' || category === 'structure' || category === 'reference');
    });
    assert.deepEqual(errors.map((e) => `${path.basename(e.file)}:${e.line} ${e.code} ${e.message}`), []);
  });

  test('negative files are caught', async () => {
    const expected: Record<string, string> = {
      'ganeti__wrong_xml.ovf': 'xml/malformed',
      'glance__testserver-bad-ovf.ova.illegal-xml.ovf': 'xml/malformed',
      'pve__XEE.ovf': 'xml/dtd',
      'cot__invalid.ovf': 'ref/file-ref',
      'ganeti__no_disk_in_ref.ovf': 'ref/file-ref',
      'cot__ersatz_ovf_3.0.ovf': 'ovf/not-an-envelope',
      'ganeti__empty.ovf': 'ovf/missing-attribute',
    };
    for (const [file, code] of Object.entries(expected)) {
      const r = await runCli(['validate', '-t', 'generic', '--format', 'json', path.join(CORPUS, 'files', file)]);
      assert.equal(r.code, 1, file);
      assert.ok((JSON.parse(r.stdout) as JsonFinding[]).some((f) => f.code === code), `${file} should report ${code}`);
    }
  });
});
