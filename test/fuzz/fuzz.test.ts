// The seeded mutation fuzzer in `npm test`: a few thousand cases over descriptors, manifests and
// vCloud answers must run without a crash, a hang or an unhandled rejection. More cases, other
// seeds: `npm run fuzz -- --seed N --cases M`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeFailure, runFuzz } from './runFuzz';
import { loadSeeds, makeCase } from './fuzzer';

const SEED = 20261201;
const CASES = 3000;

test(`${CASES} mutated descriptors, manifests and vCloud answers: no crash, hang or unhandled rejection`, { timeout: 120_000 }, async () => {
  const report = await runFuzz({ seed: SEED, cases: CASES, perCaseMs: 10_000 });
  assert.deepEqual(report.failures.map(describeFailure), []);
  assert.equal(report.casesRun, CASES);
});

test('a case is determined by its seed (so a printed seed replays the failure)', () => {
  const seeds = loadSeeds();
  for (const seed of [1, 42, SEED]) assert.deepEqual(makeCase(seed, seeds), makeCase(seed, seeds));
  const targets = new Set(Array.from({ length: 64 }, (_, i) => makeCase(i, seeds).target));
  assert.deepEqual([...targets].sort(), ['descriptor', 'manifest', 'vcloud']);
});
