// Output for machines and CI: JSON findings with related locations, SARIF 2.1.0, the `$ovfkit`
// problem matcher against what the CLI really prints, CLI wording of remedies, the disable
// directive, and `ovfkit verify` on a package that has no manifest yet.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { JsonFinding } from '../../client/src/cli/report';
import { MANIFEST_CHECKS } from '../../server/src/ovf/manifest/manifestChecks';
import { RULES, SYNTAX_RULES } from '../../server/src/ovf/rules/index';
import { ruleAnchor } from '../../server/src/ovf/rules/rulesDoc';
import { runCli } from '../support/cliRunner';
import { descriptor } from '../support/descriptors';
import { makeTempDir } from '../support/tempDir';

function packageDir(files: Record<string, string | Buffer>): string {
  const dir = makeTempDir('ovfkit-cli-out-');
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

/** A package with a dangling fileRef (related: References), a duplicate File id and no manifest. */
function brokenPackage(): string {
  const references = '<References>\n    <File ovf:href="disk1.vmdk" ovf:id="file1" ovf:size="1024"/>\n    <File ovf:href="disk2.vmdk" ovf:id="file1" ovf:size="1024"/>\n  </References>';
  const text = descriptor({ references }).replace('ovf:fileRef="file1"', 'ovf:fileRef="nofile"');
  return packageDir({ 'pkg.ovf': text, 'disk1.vmdk': Buffer.alloc(1024), 'disk2.vmdk': Buffer.alloc(1024) });
}

const textAt = (text: string, f: { line: number; column: number; endLine: number; endColumn: number }) => {
  assert.equal(f.endLine, f.line, 'one-line span expected');
  return text.split('\n')[f.line - 1].slice(f.column - 1, f.endColumn - 1);
};

describe('machine output', () => {
  test('JSON findings carry their related locations (file, line, column, message)', async () => {
    const dir = brokenPackage();
    const r = await runCli(['validate', '-f', 'json', 'pkg.ovf'], { cwd: dir });
    assert.equal(r.code, 1);
    const findings = JSON.parse(r.stdout) as JsonFinding[];
    const text = readFileSync(path.join(dir, 'pkg.ovf'), 'utf8');
    const dangling = findings.find((f) => f.code === 'ref/file-ref')!;
    assert.deepEqual(dangling.related?.map((x) => [x.file, textAt(text, x), x.message]), [['pkg.ovf', 'References', 'the References section']]);
    const duplicate = findings.find((f) => f.code === 'ovf/duplicate-id')!;
    assert.equal(duplicate.related?.length, 1);
    const first = duplicate.related![0];
    assert.equal(textAt(text, first), 'file1');
    assert.ok(first.line < duplicate.line, 'the related location is the first File with the id');
    assert.match(first.message, /first .*'file1'/);
    assert.ok(!findings.find((f) => f.code === 'cloudcontrol/manifest-missing')!.related, 'no related key without related locations');
  });

  test('SARIF 2.1.0: one run, the rules with help, results with locations and related locations', async () => {
    const dir = brokenPackage();
    const r = await runCli(['validate', '--format', 'sarif', 'pkg.ovf'], { cwd: dir });
    assert.equal(r.code, 1);
    const log = JSON.parse(r.stdout);
    // The schema's required properties, level by level.
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema, /sarif-schema-2\.1\.0\.json$/);
    assert.equal(log.runs.length, 1);
    const [run] = log.runs;
    assert.equal(run.tool.driver.name, 'ovfkit');
    const rules = run.tool.driver.rules as Array<{ id: string; shortDescription: { text: string }; help: { text: string }; helpUri: string; defaultConfiguration: { level: string } }>;
    assert.deepEqual(rules.map((x) => x.id), [...SYNTAX_RULES, ...RULES, ...MANIFEST_CHECKS].map((x) => x.code));
    const doc = readFileSync('docs/RULES.md', 'utf8').split('\n');
    for (const rule of rules) {
      assert.ok(rule.shortDescription.text && rule.help.text, `${rule.id} has no description`);
      assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
      const [file, fragment] = rule.helpUri.split('#');
      assert.equal(fileURLToPath(file), path.resolve('docs/RULES.md'));
      assert.ok(doc[Number(fragment.slice(1)) - 1].includes(`<a id="${ruleAnchor(rule.id)}"></a>\`${rule.id}\``), `${rule.helpUri} is not ${rule.id}'s row`);
    }

    const json = JSON.parse((await runCli(['validate', '-f', 'json', 'pkg.ovf'], { cwd: dir })).stdout) as JsonFinding[];
    assert.equal(run.results.length, json.length);
    run.results.forEach((result: any, i: number) => {
      const f = json[i];
      assert.equal(result.ruleId, f.code);
      assert.equal(rules[result.ruleIndex].id, f.code);
      assert.equal(result.level, { error: 'error', warning: 'warning', information: 'note', hint: 'note' }[f.severity]);
      assert.equal(result.message.text, f.message);
      assert.equal(result.locations.length, 1);
      const { artifactLocation, region } = result.locations[0].physicalLocation;
      assert.deepEqual(artifactLocation, { uri: 'pkg.ovf', uriBaseId: '%SRCROOT%' });
      assert.deepEqual(region, { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn });
      assert.equal(result.relatedLocations?.length, f.related?.length);
      result.relatedLocations?.forEach((rel: any, j: number) => {
        assert.equal(rel.id, j + 1);
        assert.equal(rel.message.text, f.related![j].message);
        assert.equal(rel.physicalLocation.region.startLine, f.related![j].line);
        assert.equal(rel.physicalLocation.region.startColumn, f.related![j].column);
      });
    });
    assert.ok(run.results.some((x: any) => x.relatedLocations?.length), 'no result has related locations');
    // The schema allows no other properties (additionalProperties: false) on these objects.
    const allowed = (o: object, keys: string[]) => assert.deepEqual(Object.keys(o).filter((k) => !keys.includes(k)), []);
    allowed(log, ['$schema', 'version', 'runs']);
    allowed(run, ['tool', 'columnKind', 'results']);
    assert.ok(['utf16CodeUnits', 'unicodeCodePoints'].includes(run.columnKind));
    allowed(run.tool.driver, ['name', 'version', 'rules']);
    for (const rule of rules) allowed(rule, ['id', 'shortDescription', 'help', 'helpUri', 'defaultConfiguration', 'properties']);
    for (const result of run.results) {
      allowed(result, ['ruleId', 'ruleIndex', 'level', 'message', 'locations', 'relatedLocations']);
      for (const loc of [...result.locations, ...(result.relatedLocations ?? [])]) {
        allowed(loc, ['id', 'physicalLocation', 'message']);
        allowed(loc.physicalLocation, ['artifactLocation', 'region']);
        assert.ok(loc.physicalLocation.region.startLine >= 1 && loc.physicalLocation.region.startColumn >= 1);
      }
    }
  });

  test('verify: a digest mismatch links the manifest line and the href, in JSON and SARIF', async () => {
    const text = descriptor();
    const sha1 = (b: string | Buffer) => createHash('sha1').update(b).digest('hex');
    const dir = packageDir({ 'web.ovf': text, 'disk1.vmdk': Buffer.alloc(1024), 'web.mf': `SHA1(web.ovf)= ${sha1(text)}\nSHA1(disk1.vmdk)= ${sha1('other')}\n` });
    const r = await runCli(['verify', '-f', 'json', 'web.ovf'], { cwd: dir });
    assert.equal(r.code, 1);
    const findings = JSON.parse(r.stdout) as JsonFinding[];
    const onManifest = findings.find((f) => f.file === 'web.mf' && f.code === 'manifest/digest-mismatch')!;
    const onDescriptor = findings.find((f) => f.file === 'web.ovf' && f.code === 'manifest/digest-mismatch')!;
    assert.deepEqual(onManifest.related?.map((x) => [x.file, textAt(text, x)]), [['web.ovf', 'disk1.vmdk']]);
    assert.deepEqual(onDescriptor.related?.map((x) => [x.file, x.line, x.column]), [['web.mf', 2, 19]]);
    const sarif = JSON.parse((await runCli(['verify', '--format', 'sarif', 'web.ovf'], { cwd: dir })).stdout);
    const result = sarif.runs[0].results.find((x: any) => x.ruleId === 'manifest/digest-mismatch' && x.locations[0].physicalLocation.artifactLocation.uri === 'web.mf');
    assert.equal(result.relatedLocations[0].physicalLocation.artifactLocation.uri, 'web.ovf');
    assert.equal(sarif.runs[0].tool.driver.rules[result.ruleIndex].id, 'manifest/digest-mismatch');
  });

  test('the $ovfkit problem matcher reads every line validate and verify print', async () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
    const matcher = manifest.contributes.problemMatchers.find((m: { name: string }) => m.name === 'ovfkit');
    assert.ok(matcher, 'no problem matcher named ovfkit');
    const { pattern } = matcher;
    const re = new RegExp(pattern.regexp);
    const dir = brokenPackage();
    writeFileSync(path.join(dir, 'pkg.ovf'), readFileSync(path.join(dir, 'pkg.ovf'), 'utf8').replace('<Envelope', '<!-- ovfkit: disable=nothing/such -->\n<Envelope'));
    const validate = await runCli(['validate', 'pkg.ovf'], { cwd: dir });
    const json = JSON.parse((await runCli(['validate', '-f', 'json', 'pkg.ovf'], { cwd: dir })).stdout) as JsonFinding[];
    assert.ok(new Set(json.map((f) => f.severity)).size >= 3, 'errors, warnings and information expected');
    const lines = validate.stdout.trimEnd().split('\n');
    assert.equal(lines.length, json.length);
    lines.forEach((line, i) => {
      const m = re.exec(line);
      assert.ok(m, `the problem matcher does not match: ${line}`);
      const f = json[i];
      assert.equal(m[pattern.file], f.file);
      assert.equal(Number(m[pattern.line]), f.line);
      assert.equal(Number(m[pattern.column]), f.column);
      assert.equal(m[pattern.code], f.code);
      assert.equal(m[pattern.message], f.message);
      // VS Code knows error, warning, info (and hint); anything else would be shown as an error.
      assert.equal(m[pattern.severity], { error: 'error', warning: 'warning', information: 'info', hint: 'hint' }[f.severity]);
    });
    const verify = await runCli(['verify', 'pkg.ovf'], { cwd: dir });
    assert.ok(verify.stdout.length > 0);
    for (const line of verify.stdout.trimEnd().split('\n')) assert.match(line, re);
    assert.equal(matcher.owner === 'ovfkit', false, "the language server's diagnostics own 'ovfkit'; a task must not clear them");
    // A finding inside an OVA member is printed `app.ova(app.ovf):12:5: …`: its positions are not
    // in a file an editor can open, so the matcher leaves such lines alone.
    assert.doesNotMatch('app.ova(app.ovf):12:5: error ovf/duplicate-id x', re);
    assert.match('disks (copy)/web.ovf:1:2: error ovf/duplicate-id x', re);
  });

  test('the command line is told the command to type', async () => {
    const dir = packageDir({ 'web.ovf': descriptor(), 'disk1.vmdk': Buffer.alloc(1024) });
    const r = await runCli(['validate', '-t', 'cloudcontrol', path.join(dir, 'web.ovf')], { cwd: tmpdir() });
    const line = r.stdout.split('\n').find((l) => l.includes('cloudcontrol/manifest-missing'))!;
    assert.ok(line.endsWith(`; run \`ovfkit manifest ${path.relative(tmpdir(), path.join(dir, 'web.ovf'))}\``), line);
    assert.doesNotMatch(line, /ovfkit: Generate Manifest/);
  });

  test('a disable comment turns rules off for that file in the CLI too', async () => {
    const text = descriptor({ vsId: 'a-very-long-virtual-machine-name' }).replace('<Envelope', '<!-- ovfkit: disable=vcloud/id-too-long, cloudcontrol/manifest-missing -->\n<Envelope');
    const dir = packageDir({ 'web.ovf': text, 'disk1.vmdk': Buffer.alloc(1024) });
    const r = await runCli(['validate', '-f', 'json', 'web.ovf'], { cwd: dir });
    assert.deepEqual(JSON.parse(r.stdout), []);
    assert.equal(r.code, 0);
    const without = await runCli(['validate', '-f', 'json', 'web.ovf'], { cwd: packageDir({ 'web.ovf': descriptor({ vsId: 'a-very-long-virtual-machine-name' }), 'disk1.vmdk': Buffer.alloc(1024) }) });
    assert.deepEqual((JSON.parse(without.stdout) as JsonFinding[]).map((f) => f.code).sort(), ['cloudcontrol/manifest-missing', 'vcloud/id-too-long']);
    // A file cannot silence the finding that it is not well-formed.
    writeFileSync(path.join(dir, 'web.ovf'), text.replace('disable=vcloud/id-too-long', 'disable=xml/malformed,vcloud/id-too-long').replace('</References>', ''));
    const broken = await runCli(['validate', '-f', 'json', 'web.ovf'], { cwd: dir });
    assert.deepEqual((JSON.parse(broken.stdout) as JsonFinding[]).map((f) => f.code), ['xml/malformed']);
    assert.equal(broken.code, 1);
  });
});

describe('ovfkit verify without a manifest', () => {
  test('vcloud only: "no manifest yet", a note, exit 0', async () => {
    const dir = packageDir({ 'web.ovf': descriptor(), 'disk1.vmdk': Buffer.alloc(1024) });
    const r = await runCli(['verify', '--target', 'vcloud', 'web.ovf'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^web\.ovf:1:1: information manifest\/no-manifest No manifest yet: web\.mf does not exist; .*; run `ovfkit manifest web\.ovf`\n$/);
    assert.match(r.stderr, /^ok: no manifest yet, nothing checked\n$/);
    assert.doesNotMatch(r.stderr + r.stdout, /0 of 0/);
  });

  test("the descriptor's targets comment decides when no --target is given", async () => {
    const text = descriptor().replace('<Envelope', '<!-- ovfkit: targets=vcloud -->\n<Envelope');
    const dir = packageDir({ 'web.ovf': text, 'disk1.vmdk': Buffer.alloc(1024) });
    const r = await runCli(['verify', '-f', 'json', 'web.ovf'], { cwd: dir });
    assert.equal(r.code, 0);
    assert.deepEqual((JSON.parse(r.stdout) as JsonFinding[]).map((f) => [f.code, f.severity]), [['manifest/no-manifest', 'information']]);
  });

  test('CloudControl in effect (the default): an error that names the target, exit 1', async () => {
    const dir = packageDir({ 'web.ovf': descriptor(), 'disk1.vmdk': Buffer.alloc(1024) });
    const r = await runCli(['verify', 'web.ovf'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^web\.ovf:1:1: error manifest\/no-manifest No manifest yet: web\.mf does not exist, and the cloudcontrol target needs one; run `ovfkit manifest web\.ovf`\n$/);
    assert.match(r.stderr, /^FAILED: no manifest yet, nothing checked \(the cloudcontrol target needs one\)\n$/);
  });
});
