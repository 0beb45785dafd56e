// What the VS Code API cannot see (the status bar's rendering, panels, screenshots) is asked of the
// browser that drives the editor: scripts/e2e/run.mjs watches the console for `[ovfkit-e2e] {...}`
// requests and answers each with a file in OVFKIT_E2E_UI_DIR. Under @vscode/test-electron there is
// no such browser; `available` is false and tests that need it are skipped (reported as pending).
import * as fs from 'node:fs';
import * as path from 'node:path';

const dir = process.env.OVFKIT_E2E_UI_DIR;
let counter = 0;

export const available = Boolean(dir);

interface Reply { ok: boolean; error?: string; text?: string | null; ariaLabel?: string | null; file?: string; count?: number }

async function ask(request: Record<string, unknown>, timeoutMs = 20_000): Promise<Reply> {
  if (!dir) throw new Error('no browser to ask: not running under scripts/e2e/run.mjs');
  const id = `${process.pid}-${++counter}`;
  const answer = path.join(dir, `${id}.json`);
  console.log(`[ovfkit-e2e] ${JSON.stringify({ id, ...request })}`);
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(answer)) {
    if (Date.now() > deadline) throw new Error(`the e2e runner did not answer ${JSON.stringify(request)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  const reply = JSON.parse(fs.readFileSync(answer, 'utf8')) as Reply;
  if (!reply.ok) throw new Error(`${String(request.op)} ${String(request.selector ?? request.name ?? '')}: ${reply.error}`);
  return reply;
}

/** Saves a screenshot of the whole editor window as `<name>.png` (images/ with --screenshots). */
export async function screenshot(name: string): Promise<void> {
  await ask({ op: 'screenshot', name });
}

/** textContent and aria-label of the first element matching a CSS selector, once it exists. */
export async function read(selector: string, timeout = 10_000): Promise<{ text: string; ariaLabel: string }> {
  const r = await ask({ op: 'text', selector, timeout }, timeout + 5_000);
  return { text: r.text ?? '', ariaLabel: r.ariaLabel ?? '' };
}

export async function waitVisible(selector: string, timeout = 10_000): Promise<void> {
  await ask({ op: 'visible', selector, timeout }, timeout + 5_000);
}

export async function click(selector: string, timeout = 10_000): Promise<void> {
  await ask({ op: 'click', selector, timeout }, timeout + 5_000);
}

/** Moves the mouse over the first element matching a CSS selector (hovers show as for a user). */
export async function hover(selector: string, timeout = 10_000): Promise<void> {
  await ask({ op: 'hover', selector, timeout }, timeout + 5_000);
}

/** Presses a key (Playwright's names: 'Enter', 'Escape') where the focus is, as a user would. */
export async function press(key: string): Promise<void> {
  await ask({ op: 'press', key });
}

/** The text of every frame of the page, webviews included. */
export async function frameText(): Promise<string> {
  return (await ask({ op: 'frameText' })).text ?? '';
}

/** How many elements match a CSS selector right now. */
export async function count(selector: string): Promise<number> {
  return (await ask({ op: 'count', selector })).count ?? 0;
}

/** Polls the page until `selector` matches `wanted` elements. */
export async function waitCount(selector: string, wanted: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = -1;
  while (Date.now() < deadline) {
    seen = await count(selector);
    if (seen === wanted) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`expected ${wanted} element(s) matching ${selector}, found ${seen}`);
}
