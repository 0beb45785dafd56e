// package.json as the Marketplace and VS Code read it: lazy activation, commands shown as "ovfkit: …",
// menus naming real commands, settings described, the icon and walkthrough media present.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';

const manifest = JSON.parse(fs.readFileSync('package.json', 'utf8'));
const contributes = manifest.contributes ?? {};
const commands: { command: string; title: string; category?: string }[] = contributes.commands ?? [];

test('activation is lazy: on the ovf language (commands activate implicitly), never "*"', () => {
  const events: string[] = manifest.activationEvents ?? [];
  assert.ok(!events.includes('*'), 'activation event "*"');
  assert.ok(events.includes('onLanguage:ovf'), 'no onLanguage:ovf activation event');
  assert.ok(!events.some((e) => e.startsWith('workspaceContains:')), 'workspaceContains activates ovfkit in every window with an .ovf');
});

test('every command is shown as "ovfkit: …" (found by typing ovfkit or ovf) and every menu entry names a contributed command', () => {
  const known = new Set(commands.map((c) => c.command));
  for (const c of commands) {
    const shown = c.category ? `${c.category}: ${c.title}` : c.title;
    assert.match(shown, /^ovfkit: \S/, `${c.command} is shown as "${shown}"`);
  }
  for (const [menu, entries] of Object.entries(contributes.menus ?? {}) as [string, { command?: string }[]][]) {
    for (const entry of entries) {
      if (entry.command) assert.ok(known.has(entry.command), `menu ${menu} names ${entry.command}, which is not contributed`);
    }
  }
});

test('every setting has a type, a default and a description; an enum\'s default is one of its values', () => {
  const sections = [contributes.configuration ?? []].flat();
  const settings = Object.assign({}, ...sections.map((s: { properties?: object }) => s.properties ?? {})) as Record<string, Record<string, unknown>>;
  assert.ok(Object.keys(settings).length > 0, 'no settings contributed');
  for (const [key, s] of Object.entries(settings)) {
    assert.ok(key.startsWith('ovfkit.'), `${key} is not under ovfkit.*`);
    assert.ok(s.type, `${key} has no type`);
    assert.ok('default' in s, `${key} has no default`);
    assert.ok(typeof (s.markdownDescription ?? s.description) === 'string', `${key} has no description`);
    if (Array.isArray(s.enum)) assert.ok(s.enum.includes(s.default), `${key}: default ${JSON.stringify(s.default)} is not one of its enum`);
  }
});

test('the icon is a PNG of at least 128×128 and the walkthrough media exist', () => {
  assert.ok(manifest.icon, 'no icon');
  const png = fs.readFileSync(manifest.icon);
  assert.equal(png.toString('latin1', 1, 4), 'PNG', `${manifest.icon} is not a PNG`);
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  assert.ok(width >= 128 && height >= 128, `${manifest.icon} is ${width}×${height}; the Marketplace wants at least 128×128`);
  for (const w of contributes.walkthroughs ?? []) {
    for (const step of w.steps) {
      for (const media of Object.values(step.media ?? {}) as (string | Record<string, string>)[]) {
        for (const file of typeof media === 'string' ? [media] : Object.values(media)) {
          assert.ok(fs.existsSync(file), `walkthrough ${w.id} step ${step.id}: ${file} is missing`);
        }
      }
    }
  }
  for (const file of ['README.md', 'CHANGELOG.md', 'LICENSE']) assert.ok(fs.existsSync(file), `${file} is missing`);
});
