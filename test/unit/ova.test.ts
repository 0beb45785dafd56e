// OVA read in place, written and unpacked, checked against the two readers and writers users have:
// GNU tar and Python's tarfile (both must be installed; CI has them).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, writeSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { indexOva, OvaError, openOva, readMember } from '../../server/src/ovf/ova/ovaIndex';
import { packOva } from '../../server/src/ovf/ova/packOva';
import { BLOCK, formatFileHeader, parseHeader } from '../../server/src/ovf/ova/tarHeader';
import { unpackOva } from '../../server/src/ovf/ova/unpackOva';
import type { PackageFile } from '../../server/src/ovf/package/packageFiles';

const scratch = mkdtempSync(path.join(tmpdir(), 'ovfkit-ova-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let n = 0;
const freshDir = () => {
  const d = path.join(scratch, `t${n++}`);
  mkdirSync(d);
  return d;
};

/** A package folder: descriptor, manifest and two disks of awkward sizes (one empty). */
function makePackage(): { dir: string; files: PackageFile[]; contents: Map<string, Buffer> } {
  const dir = freshDir();
  const contents = new Map<string, Buffer>([
    ['app.ovf', Buffer.from('<?xml version="1.0"?>\n<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1"/>\n')],
    ['app.mf', Buffer.from('SHA1(app.ovf)= 0000000000000000000000000000000000000000\n')],
    ['disk1.vmdk', randomBytes(3 * 1024 * 1024 + 123)],
    ['empty.iso', Buffer.alloc(0)],
  ]);
  const files: PackageFile[] = [];
  for (const [name, data] of contents) {
    writeFileSync(path.join(dir, name), data);
    files.push({ role: name.endsWith('.ovf') ? 'descriptor' : name.endsWith('.mf') ? 'manifest' : 'file', name, path: path.join(dir, name), packageDir: dir });
  }
  return { dir, files, contents };
}

function python(script: string, ...args: string[]): string {
  return execFileSync('python3', ['-c', script, ...args], { encoding: 'utf8' });
}

async function memberBytes(ova: string): Promise<Map<string, Buffer>> {
  const index = await indexOva(ova);
  const { handle } = await openOva(ova);
  try {
    const out = new Map<string, Buffer>();
    for (const m of index.members) out.set(m.name, await readMember(handle, m, 64 * 1024 * 1024));
    return out;
  } finally {
    await handle.close();
  }
}

describe('ovfkit pack output', () => {
  test('GNU tar and Python tarfile read it with identical contents, descriptor first', async () => {
    const { files, contents } = makePackage();
    const ova = path.join(freshDir(), 'app.ova');
    await packOva(files, ova);
    assert.equal(readFileSync(ova).length % BLOCK, 0);

    const listed = execFileSync('tar', ['-tf', ova], { encoding: 'utf8' }).trim().split('\n');
    assert.deepEqual(listed, [...contents.keys()]);
    const gnuOut = freshDir();
    execFileSync('tar', ['-xf', ova, '-C', gnuOut]);
    for (const [name, data] of contents) assert.ok(readFileSync(path.join(gnuOut, name)).equals(data), `GNU tar: ${name} differs`);

    const report = JSON.parse(python(
      'import tarfile,hashlib,json,sys\n' +
      't=tarfile.open(sys.argv[1])\n' +
      'print(json.dumps([[m.name,m.size,hashlib.sha256(t.extractfile(m).read()).hexdigest()] for m in t.getmembers()]))', ova));
    const expected = [...contents].map(([name, data]) => [name, data.length, createHash('sha256').update(data).digest('hex')]);
    assert.deepEqual(report, expected);
  });

  test('a file that would replace an existing OVA is refused unless asked, and no .partial is left', async () => {
    const { files } = makePackage();
    const out = freshDir();
    const ova = path.join(out, 'app.ova');
    writeFileSync(ova, 'keep me');
    await assert.rejects(packOva(files, ova), /exists/);
    assert.equal(readFileSync(ova, 'utf8'), 'keep me');
    await packOva(files, ova, { overwrite: true });
    assert.deepEqual(readdirSync(out), ['app.ova']);
  });

  test('a missing or symlinked package file stops the pack and leaves nothing behind', async () => {
    const { dir, files } = makePackage();
    const out = freshDir();
    rmSync(path.join(dir, 'disk1.vmdk'));
    symlinkSync('/etc/hostname', path.join(dir, 'disk1.vmdk'));
    await assert.rejects(packOva(files, path.join(out, 'app.ova')), /leads outside the package folder/);
    rmSync(path.join(dir, 'disk1.vmdk'));
    await assert.rejects(packOva(files, path.join(out, 'app.ova')), /missing/);
    assert.deepEqual(readdirSync(out), []);
  });

  test('an abort stops the pack and removes the partial archive', async () => {
    const { files } = makePackage();
    const out = freshDir();
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(packOva(files, path.join(out, 'app.ova'), { signal: controller.signal }), { name: 'AbortError' });
    assert.deepEqual(readdirSync(out), []);
  });
});

describe('OVAs read in place', () => {
  for (const format of ['ustar', 'gnu', 'pax']) {
    test(`GNU tar --format=${format}, with a long member name`, async () => {
      const { dir, contents } = makePackage();
      const longName = `${'x'.repeat(120)}.vmdk`;
      writeFileSync(path.join(dir, longName), 'long');
      contents.set(longName, Buffer.from('long'));
      const ova = path.join(freshDir(), 'app.ova');
      // ustar cannot hold a 125-byte name without a '/': that format gets the short names only.
      const names = format === 'ustar' ? [...contents.keys()].filter((k) => k !== longName) : [...contents.keys()];
      execFileSync('tar', [`--format=${format}`, '-cf', ova, '-C', dir, ...names]);
      const read = await memberBytes(ova);
      assert.deepEqual([...read.keys()], names);
      for (const name of names) assert.ok(read.get(name)!.equals(contents.get(name)!), `${name} differs`);
    });
  }

  test("Python tarfile's default (PAX) OVA, and GNU tar's './' directory entry", async () => {
    const { dir, contents } = makePackage();
    const ova = path.join(freshDir(), 'py.ova');
    python('import tarfile,sys,os\nwith tarfile.open(sys.argv[1],"w") as t:\n  for n in sys.argv[3:]: t.add(os.path.join(sys.argv[2],n),arcname=n)', ova, dir, ...contents.keys());
    const read = await memberBytes(ova);
    assert.deepEqual([...read.keys()], [...contents.keys()]);
    const dotted = path.join(freshDir(), 'dot.ova');
    execFileSync('tar', ['-cf', dotted, '-C', dir, '.']);
    const names = (await indexOva(dotted)).members.map((m) => m.name).sort();
    assert.deepEqual(names, [...contents.keys()].sort());
  });

  test('a member over 8 GiB: base-256 size written, read back by ovfkit, GNU tar and Python (sparse file)', async () => {
    const size = 9 * 1024 ** 3 + 5;
    const header = formatFileHeader('big.vmdk', size, 1700000000);
    assert.equal(parseHeader(header).size, size);
    const ova = path.join(freshDir(), 'big.ova');
    const fd = openSync(ova, 'w');
    writeSync(fd, header, 0, BLOCK, 0);
    const end = BLOCK + size + (BLOCK - (size % BLOCK));
    ftruncateSync(fd, end + 2 * BLOCK);
    closeSync(fd);
    const index = await indexOva(ova);
    assert.deepEqual(index.members.map((m) => [m.name, m.size, m.dataOffset]), [['big.vmdk', size, BLOCK]]);
    assert.match(execFileSync('tar', ['-tvf', ova], { encoding: 'utf8' }), new RegExp(`${size}.*big\\.vmdk`));
    assert.equal(python('import tarfile,sys\nprint(tarfile.open(sys.argv[1]).getmembers()[0].size)', ova).trim(), String(size));
  });
});

describe('unsafe OVAs are refused whole', () => {
  /** Builds a tar with Python, where any name or type can be written. */
  function hostileTar(kind: string): string {
    const ova = path.join(freshDir(), `${kind}.ova`);
    python(
      'import tarfile,sys,io\n' +
      'kind=sys.argv[2]\n' +
      'with tarfile.open(sys.argv[1],"w",format=tarfile.USTAR_FORMAT) as t:\n' +
      '  def add(name,data=b"x",type=tarfile.REGTYPE,link=""):\n' +
      '    i=tarfile.TarInfo(name); i.size=len(data) if type==tarfile.REGTYPE else 0; i.type=type; i.linkname=link\n' +
      '    t.addfile(i,io.BytesIO(data) if type==tarfile.REGTYPE else None)\n' +
      '  add("app.ovf",b"<Envelope/>")\n' +
      '  if kind=="dotdot": add("../evil.txt")\n' +
      '  if kind=="absolute": add("/tmp/evil.txt")\n' +
      '  if kind=="symlink": add("disk.vmdk",type=tarfile.SYMTYPE,link="/etc/passwd")\n' +
      '  if kind=="hardlink": add("disk.vmdk",type=tarfile.LNKTYPE,link="app.ovf")\n' +
      '  if kind=="device": add("disk.vmdk",type=tarfile.CHRTYPE)\n' +
      '  if kind=="fifo": add("disk.vmdk",type=tarfile.FIFOTYPE)\n' +
      '  if kind=="duplicate": add("app.ovf",b"<Other/>")\n',
      ova, kind);
    return ova;
  }

  const cases: [string, RegExp][] = [
    ['dotdot', /leaves the folder/],
    ['absolute', /absolute/],
    ['symlink', /is a link/],
    ['hardlink', /is a link/],
    ['device', /a device/],
    ['fifo', /a FIFO/],
    ['duplicate', /appears twice/],
  ];
  for (const [kind, message] of cases) {
    test(`${kind}: indexing refuses it and unpacking writes nothing`, async () => {
      const ova = hostileTar(kind);
      await assert.rejects(indexOva(ova), (err: unknown) => err instanceof OvaError && message.test(err.message));
      const parent = freshDir();
      const to = path.join(parent, 'out');
      await assert.rejects(unpackOva(ova, to), OvaError);
      assert.deepEqual(existsSync(to) ? readdirSync(to) : [], [], 'nothing written in the target');
      assert.deepEqual(readdirSync(parent).filter((f) => f !== 'out'), [], 'nothing written beside it');
      assert.ok(!existsSync('/tmp/evil.txt'));
    });
  }

  test('a size header running past the end of the file', async () => {
    const { files } = makePackage();
    const ova = path.join(freshDir(), 'cut.ova');
    await packOva(files, ova);
    const whole = readFileSync(ova);
    // descriptor and manifest take a header and a block each; cut inside disk1.vmdk's data.
    writeFileSync(ova, whole.subarray(0, 5 * BLOCK + 1000));
    await assert.rejects(indexOva(ova), /past the end of the OVA/);
  });

  test('not a tar at all, or empty', async () => {
    const dir = freshDir();
    writeFileSync(path.join(dir, 'x.ova'), '<?xml version="1.0"?><Envelope/>'.padEnd(600, ' '));
    await assert.rejects(indexOva(path.join(dir, 'x.ova')), /not a tar archive/);
    writeFileSync(path.join(dir, 'e.ova'), '');
    await assert.rejects(indexOva(path.join(dir, 'e.ova')), /empty or too short/);
  });

  test('unpack: an existing file is kept unless overwrite, and a symlinked target folder is not followed', async () => {
    const { files, contents } = makePackage();
    const ova = path.join(freshDir(), 'app.ova');
    await packOva(files, ova);
    const to = freshDir();
    writeFileSync(path.join(to, 'disk1.vmdk'), 'mine');
    await assert.rejects(unpackOva(ova, to), /exists/);
    assert.deepEqual(readdirSync(to), ['disk1.vmdk']);
    await unpackOva(ova, to, { overwrite: true });
    for (const [name, data] of contents) assert.ok(readFileSync(path.join(to, name)).equals(data));

    // A member in a subfolder whose folder in the target is a symlink to elsewhere: refused.
    const nested = path.join(freshDir(), 'nested.ova');
    python('import tarfile,sys,io\nwith tarfile.open(sys.argv[1],"w",format=tarfile.USTAR_FORMAT) as t:\n  i=tarfile.TarInfo("sub/x.vmdk"); i.size=1; t.addfile(i,io.BytesIO(b"x"))', nested);
    const victim = freshDir();
    const target = freshDir();
    symlinkSync(victim, path.join(target, 'sub'));
    await assert.rejects(unpackOva(nested, target), /outside/);
    assert.deepEqual(readdirSync(victim), [], 'nothing written through the symlink');
  });
});
