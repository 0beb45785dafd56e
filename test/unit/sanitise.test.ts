// Server words are printed with control characters made visible (issue #10, item 9).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hasControlCharacters, printable } from '../../client/src/transfer/common/sanitise';

describe('printable', () => {
  test('neutralises ANSI escapes, bells, carriage returns and line separators', () => {
    assert.equal(printable('ok\x1b[2J\x1b]0;title\x07\rfake line\u2028x\u202eevil'), 'ok\\x1b[2J\\x1b]0;title\\x07\\x0dfake line\\u2028x\\u202eevil');
    assert.equal(printable('\x9b31m C1 CSI'), '\\x9b31m C1 CSI');
  });
  test('leaves ordinary text, including non-ASCII names, unchanged', () => {
    for (const s of ['disk1.vmdk', 'Vorlage für Büro', 'テンプレート', 'a\\b']) {
      assert.equal(printable(s), s);
      assert.equal(hasControlCharacters(s), false);
    }
    assert.equal(hasControlCharacters('a\x00b'), true);
  });
});
