// The labelled real-world corpus (test/fixtures/corpus/LABELS.tsv): every rule over every descriptor.
// No error on a file labelled valid (generic target); for each cloud target exactly the errors the
// label lists, each a refusal a source documents; every file labelled invalid flagged with its
// expected codes, unless marked expected-miss, which counts against the 80% bar.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { judgeCorpus } from '../support/corpus';

const { verdicts, figures, unlabelled } = judgeCorpus();

describe('labelled corpus', () => {
  test('every descriptor of the corpus has a label', () => {
    assert.deepEqual(unlabelled, []);
    assert.ok(figures.valid > 0 && figures.invalid > 0);
  });

  for (const v of verdicts) {
    test(`${v.label.file} (${v.label.verdict}${v.label.miss ? ', expected miss' : ''})`, () => {
      assert.deepEqual(v.problems, [], v.label.note);
    });
  }

  test('at least 80% of the invalid descriptors are flagged (expected misses count as not flagged)', () => {
    const share = figures.invalidFlagged / figures.invalid;
    assert.ok(share >= 0.8, `${figures.invalidFlagged} of ${figures.invalid} invalid descriptors flagged (${(share * 100).toFixed(0)}%)`);
  });
});
