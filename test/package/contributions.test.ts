// package.json's contributions hold together: every command a walkthrough, menu, message or doc
// names exists (contributed and registered); commands are found by typing "ovfkit"; settings come
// in titled sections with a deliberate order and say what they do; the severity schema lists
// every rule code.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { severitySchema } from '../../server/src/ovf/rules/severitySchema';

interface Command { command: string; title: string; category?: string }
interface Section { id: string; title: string; order: number; properties: Record<string, { order?: number; description?: string; markdownDescription?: string }> }

const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
const commands: Command[] = pkg.contributes.commands;
const contributed = new Set(commands.map((c) => c.command));
const sections: Section[] = pkg.contributes.configuration;

function files(dir: string, ext: RegExp): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? files(full, ext) : ext.test(e.name) ? [full] : [];
  });
}

const sources = [...files('client/src', /\.ts$/), ...files('server/src', /\.ts$/)].map((f) => ({ file: f, text: fs.readFileSync(f, 'utf8') }));
/** Source text without line comments: only what a user can read counts as naming a command. */
const userText = (text: string) => text.split('\n').filter((l) => !/^\s*(\/\/|\*|\/\*)/.test(l)).join('\n');
const docs = ['README.md', ...files('media', /\.md$/)].map((f) => ({ file: f, text: fs.readFileSync(f, 'utf8') }));

describe('contributions', () => {
  test('every ovfkit command id referenced (walkthrough links, menus, status bar, executeCommand) is contributed and registered', () => {
    const registered = new Set(sources.flatMap((s) => [...s.text.matchAll(/registerCommand\(\s*'(ovfkit\.[\w.]+)'/g)].map((m) => m[1])));
    const references: Array<{ where: string; id: string }> = [];
    const walkthroughs = JSON.stringify(pkg.contributes.walkthroughs);
    for (const m of walkthroughs.matchAll(/command:(ovfkit\.[\w.]+)/g)) references.push({ where: 'walkthrough', id: m[1] });
    for (const [menu, entries] of Object.entries(pkg.contributes.menus as Record<string, Array<{ command: string }>>)) {
      for (const e of entries) references.push({ where: `menu ${menu}`, id: e.command });
    }
    for (const { file, text } of [...sources, ...docs]) {
      for (const m of text.matchAll(/(?:executeCommand\(\s*|command:\s*|command:)['"]?(ovfkit\.[\w.]+)/g)) references.push({ where: file, id: m[1] });
    }
    assert.ok(references.filter((r) => r.where === 'walkthrough').length >= 7, 'the walkthrough links to the commands it describes');
    const broken = references.filter((r) => !contributed.has(r.id) || !registered.has(r.id)).map((r) => `${r.where}: ${r.id}`);
    assert.deepEqual(broken, [], 'referenced but not contributed in package.json or not registered in client/src');
    const unregistered = commands.filter((c) => !registered.has(c.command)).map((c) => c.command);
    assert.deepEqual(unregistered, [], 'contributed but never registered');
  });

  test('every command named in messages and docs by its palette title exists, as "ovfkit: <title>"', () => {
    const titles = new Set(commands.map((c) => c.title));
    const named: Array<{ where: string; title: string }> = [];
    for (const { file, text } of sources) {
      for (const m of userText(text).matchAll(/\b(?:ovfkit|OVF): ([A-Z][\w ]*?)(?=["'`).,;]|$)/gm)) named.push({ where: file, title: m[1] });
    }
    for (const { file, text } of docs) {
      for (const m of text.matchAll(/\*{1,2}(?:ovfkit|OVF): ([^*]+)\*{1,2}/g)) named.push({ where: file, title: m[1] });
    }
    assert.ok(named.length >= 10, `found only ${named.length} named commands; is the pattern still right?`);
    const unknown = named.filter((n) => !titles.has(n.title)).map((n) => `${n.where}: "${n.title}"`);
    assert.deepEqual(unknown, [], `commands named that do not exist (titles: ${[...titles].join(' | ')})`);
    const wrongPrefix = [...sources, ...docs].flatMap(({ file, text }) => [...text.matchAll(/\bOVF: ([A-Z][\w ]+)/g)].filter((m) => titles.has(m[1])).map(() => file));
    assert.deepEqual(wrongPrefix, [], 'commands are shown as "ovfkit: <title>" in the palette, not "OVF: …"');
  });

  test('every command is in the ovfkit category, so typing "ovfkit" (or "ovf") in the palette finds it', () => {
    assert.ok(commands.length >= 8);
    assert.deepEqual(commands.filter((c) => c.category !== 'ovfkit').map((c) => c.command), []);
    assert.deepEqual(commands.filter((c) => /^(OVF|ovfkit):/.test(c.title)).map((c) => c.title), [], 'the category already prefixes the title');
  });

  test('settings come in titled sections in a deliberate order, each setting ordered and described', () => {
    assert.deepEqual(sections.map((s) => s.title), ['Validation', 'vCloud Director', 'NTT CloudControl limits', 'NTT CloudControl API', 'FTPS staging (CloudControl)', 'Manifests']);
    assert.deepEqual(sections.map((s) => s.order), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(Object.keys(sections[0].properties).slice(0, 2), ['ovfkit.targets', 'ovfkit.severity']);
    for (const section of sections) {
      const orders = Object.values(section.properties).map((p) => p.order);
      assert.ok(orders.every((o) => typeof o === 'number'), `${section.title}: every setting has an order`);
      assert.equal(new Set(orders).size, orders.length, `${section.title}: orders are distinct`);
      for (const [key, p] of Object.entries(section.properties)) {
        const text = p.markdownDescription ?? p.description ?? '';
        assert.ok(text.length >= 40, `${key}: a description that says what it does and why (got "${text}")`);
        assert.doesNotMatch(text, /^The data centre [A-Z_]+\.$/, `${key}: says more than the API field name`);
      }
    }
  });

  test('the ovfkit.severity schema offers every rule code (run `npm run rules-doc` after changing rules)', () => {
    const section = sections.find((s) => s.properties['ovfkit.severity'])!;
    const { markdownDescription, order, ...generated } = section.properties['ovfkit.severity'] as Record<string, unknown>;
    assert.ok(markdownDescription && order);
    assert.deepEqual(generated, severitySchema());
    const codes = (severitySchema().propertyNames as { enum: string[] }).enum;
    assert.ok(codes.includes('vcloud/id-too-long') && codes.includes('cloudcontrol/manifest-missing') && codes.includes('xml/malformed'));
  });
});
