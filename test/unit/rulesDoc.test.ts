import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { rulesMarkdown } from '../../server/src/ovf/rules/rulesDoc';

test('docs/RULES.md lists every rule as the code defines it (run `npm run rules-doc` after changing rules)', () => {
  assert.equal(readFileSync('docs/RULES.md', 'utf8'), rulesMarkdown());
});
