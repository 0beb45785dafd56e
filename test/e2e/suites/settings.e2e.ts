// `ovfkit.targets` chooses the target profiles; the generic rules always run.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, ovfkitDiagnostics, waitForDiagnostic, waitForNoDiagnostic } from '../helpers/diagnostics';
import { closeAllEditors, openFixture } from '../helpers/workspace';

async function setTargets(targets: string[] | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('ovfkit').update('targets', targets, vscode.ConfigurationTarget.Workspace);
}

suite('settings', () => {
  let saved: string[] | undefined;
  suiteSetup(() => {
    saved = vscode.workspace.getConfiguration('ovfkit').inspect<string[]>('targets')?.workspaceValue;
  });
  suiteTeardown(async () => {
    await setTargets(saved);
    await closeAllEditors();
  });

  test('ovfkit.targets is contributed with a description and an enum of targets', () => {
    const ext = vscode.extensions.getExtension('ovfkit.ovfkit');
    const contributes = ext?.packageJSON.contributes?.configuration;
    const sections = Array.isArray(contributes) ? contributes : [contributes];
    const targets = sections.map((s) => s?.properties?.['ovfkit.targets']).find(Boolean);
    assert.ok(targets, 'ovfkit.targets is not contributed');
    assert.ok(targets.description || targets.markdownDescription, 'ovfkit.targets has no description');
    assert.deepEqual([...(targets.items?.enum ?? [])].sort(), ['cloudcontrol', 'vcloud']);
  });

  test('without the vcloud target its rules go quiet; generic rules still run', async () => {
    const { document: longId } = await openFixture('long-id/long-id.ovf');
    await waitForDiagnostic(longId.uri, 'vcloud/id-too-long');
    const { document: dangling } = await openFixture('dangling-ref/dangling-ref.ovf');
    await waitForDiagnostic(dangling.uri, 'ref/file-ref');

    await setTargets([]);
    await waitForNoDiagnostic(longId.uri, 'vcloud/id-too-long');
    assert.ok(ovfkitDiagnostics(dangling.uri).some((d) => codeOf(d) === 'ref/file-ref'), 'ref/file-ref is generic and must stay');

    await setTargets(['vcloud']);
    await waitForDiagnostic(longId.uri, 'vcloud/id-too-long');
  });
});
