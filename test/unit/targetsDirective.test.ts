// The targets directive: read (last wins) and written in the places a reader expects it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDescriptor } from '../../server/src/ovf/model/descriptor';
import { targetsDirectiveEdit } from '../../server/src/ovf/targets/targetsDirective';

function write(text: string, targets: string[] | undefined): string {
  const edit = targetsDirectiveEdit(text, parseDescriptor(text).directives.targets, targets);
  return edit ? text.slice(0, edit.span.start) + edit.newText + text.slice(edit.span.end) : text;
}

const ENVELOPE = '<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1"/>';

describe('targets directive', () => {
  test('the last directive wins, as the validator reads it', () => {
    const doc = parseDescriptor(`<!-- ovfkit: targets=vcloud -->\n${ENVELOPE}\n<!-- ovfkit:targets = cloudcontrol, generic -->\n`);
    assert.deepEqual(doc.directives.targets?.names, ['cloudcontrol', 'generic']);
  });

  test('inserted after the XML declaration, keeping the line endings and a BOM', () => {
    assert.equal(write(`<?xml version="1.0"?>\n${ENVELOPE}\n`, ['vcloud']), `<?xml version="1.0"?>\n<!-- ovfkit: targets=vcloud -->\n${ENVELOPE}\n`);
    assert.equal(write(`\uFEFF<?xml version="1.0"?>\r\n${ENVELOPE}\r\n`, ['cloudcontrol']), `\uFEFF<?xml version="1.0"?>\r\n<!-- ovfkit: targets=cloudcontrol -->\r\n${ENVELOPE}\r\n`);
    assert.equal(write(`<?xml version="1.0"?>${ENVELOPE}`, ['vcloud']), `<?xml version="1.0"?>\n<!-- ovfkit: targets=vcloud -->\n${ENVELOPE}`);
    assert.equal(write(`${ENVELOPE}\n`, ['vcloud', 'cloudcontrol']), `<!-- ovfkit: targets=vcloud,cloudcontrol -->\n${ENVELOPE}\n`);
  });

  test('an existing directive is rewritten in place; no clouds is written as generic; undefined removes it', () => {
    const text = `<?xml version="1.0"?>\n<!-- ovfkit: targets=vcloud -->\n${ENVELOPE}\n`;
    assert.equal(write(text, ['cloudcontrol']), text.replace('targets=vcloud', 'targets=cloudcontrol'));
    assert.equal(write(text, []), text.replace('targets=vcloud', 'targets=generic'));
    assert.equal(write(text, undefined), `<?xml version="1.0"?>\n${ENVELOPE}\n`);
    assert.equal(write(`${ENVELOPE}\n`, undefined), `${ENVELOPE}\n`, 'nothing to remove');
    // The written directive reads back as what was asked.
    assert.deepEqual(parseDescriptor(write(`${ENVELOPE}\n`, ['cloudcontrol', 'vcloud'])).directives.targets?.names, ['cloudcontrol', 'vcloud']);
  });
});
