// The README's screenshots, taken from the real editor at the end of the run
// (`node scripts/e2e/run.mjs --screenshots` copies them into images/).
import * as vscode from 'vscode';
import { waitForDiagnostic } from '../helpers/diagnostics';
import * as ui from '../helpers/ui';
import { closeAllEditors, EXTENSION_ID, openFixture, waitFor } from '../helpers/workspace';

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Hovers `selector` until the editor shows its hover: the first try can land while the editor
 *  is still scrolling the target into view. */
async function showHover(selector: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await ui.hover('#workbench\\.parts\\.sidebar'); // away first, so the next move is a new hover
    await settle(300);
    await ui.hover(selector);
    try {
      await ui.waitVisible('.monaco-hover-content', 3_000);
      return;
    } catch (e) {
      if (attempt === 4) throw e;
    }
  }
}

suite('screenshots', () => {
  suiteSetup(async function () {
    if (!ui.available) this.skip(); // needs the browser of scripts/e2e/run.mjs
    await closeAllEditors();
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
    await vscode.commands.executeCommand('workbench.view.explorer');
  });

  test('diagnostics with hover, Problems panel and status bar', async () => {
    const { document: longId } = await openFixture('long-id/long-id.ovf');
    const d = await waitForDiagnostic(longId.uri, 'vcloud/id-too-long');
    const { document: compressed } = await openFixture('compressed/compressed.ovf');
    await waitForDiagnostic(compressed.uri, 'vcloud/compression');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    const editor = await vscode.window.showTextDocument(longId);
    editor.selection = new vscode.Selection(d.range.start, d.range.start);
    editor.revealRange(d.range, vscode.TextEditorRevealType.InCenter);
    await showHover('.editor-instance .squiggly-warning');
    await settle(500);
    await ui.screenshot('screenshot-diagnostics');
  });

  test('quick fix', async () => {
    const editor = await openFixture('long-id/long-id.ovf');
    const d = await waitForDiagnostic(editor.document.uri, 'vcloud/id-too-long');
    editor.selection = new vscode.Selection(d.range.start.translate(0, 4), d.range.start.translate(0, 4));
    editor.revealRange(d.range, vscode.TextEditorRevealType.InCenter);
    await ui.hover('#workbench\\.parts\\.sidebar'); // away from the squiggle: no hover over the menu
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    await vscode.commands.executeCommand('editor.action.quickFix');
    await ui.waitVisible('text=Rename to');
    await settle(500);
    await ui.screenshot('screenshot-quick-fix');
    await vscode.commands.executeCommand('hideCodeActionWidget');
  });

  test('target picker', async () => {
    const editor = await openFixture('long-id/long-id.ovf');
    await waitForDiagnostic(editor.document.uri, 'vcloud/id-too-long');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await vscode.window.showTextDocument(editor.document);
    await ui.click('#workbench\\.parts\\.statusbar [aria-label^="OVF targets:"]');
    await ui.waitVisible('text=which clouds will long-id.ovf ship to?');
    await ui.hover('.quick-input-widget .monaco-list-row:has-text("NTT CloudControl")');
    await settle(500);
    await ui.screenshot('screenshot-target-picker');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });

  test('walkthrough', async () => {
    await closeAllEditors();
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('workbench.action.closeSidebar'); // room for the step's media
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#ovfkit.gettingStarted`, false);
    await ui.waitVisible('text=Ship an OVF package with ovfkit');
    await waitFor('the step\'s media to render', async () => (await ui.frameText()).includes('checks the disks you pick first'), 20_000);
    await settle(1000);
    await ui.screenshot('screenshot-walkthrough');
  });
});
