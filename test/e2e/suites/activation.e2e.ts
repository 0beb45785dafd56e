// The extension stays asleep until an .ovf opens, then activates and its language server answers.
import * as assert from 'node:assert/strict';
import { measureActivation } from '../helpers/activation';
import { ovfkit } from '../helpers/workspace';

suite('activation', () => {
  test('is lazy: no "*" activation event', () => {
    const events: string[] = ovfkit().packageJSON.activationEvents ?? [];
    assert.ok(!events.includes('*'), 'activation event "*" makes every window pay for ovfkit');
    assert.ok(events.includes('onLanguage:ovf'), 'ovfkit should activate when an .ovf opens');
  });

  test('activates when an .ovf file opens, and its diagnostics follow', async () => {
    await measureActivation('long-id/long-id.ovf', 'vcloud/id-too-long');
  });
});
