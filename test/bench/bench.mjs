// Times `check` and `fix` against a bare `yaml` parse of the same text (the floor no linter can beat),
// over the real corpus in ../shared (when present) and a generated 1,000-service file.
// Usage: npm run bench [-- --rounds N]
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { parseComposeFile } from '../../dist/core/compose-file.js';
import { checkFile, fixSource } from '../../dist/core/engine.js';
import { decodeSource } from '../../dist/core/source.js';
import { allRules } from '../../dist/rules/index.js';
import { generateServices } from './generate.mjs';

const CHECK_TARGET = 1.5;
const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 25;

const corpusDir = fileURLToPath(new URL('../../../shared/corpus/real/', import.meta.url));
const sets = [];
if (existsSync(corpusDir)) {
  const files = readdirSync(corpusDir).filter((f) => /\.ya?ml$/.test(f)).sort();
  sets.push({ name: `corpus (${files.length} files)`, files: files.map((f) => readFileSync(join(corpusDir, f))), gate: true });
} else {
  console.log(`corpus: skipped, ../shared not found at ${corpusDir}`);
}
sets.push({ name: 'generated (1,000 services)', files: [Buffer.from(generateServices(1000))], gate: false });

/** One timing of fn over all files, in milliseconds. */
function once(files, fn) {
  const start = process.hrtime.bigint();
  for (const bytes of files) fn(bytes);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const floor = (bytes) => parseDocument(bytes.toString('utf8'));
const check = (bytes) => checkFile(parseComposeFile(decodeSource(bytes)), allRules);
const fix = (bytes) => fixSource(decodeSource(bytes), allRules);

let failed = false;
console.log(`rounds: ${ROUNDS} (floor, check and fix measured in turn each round; medians reported), node ${process.version}`);
console.log('set                          | yaml parse (floor) | check            | fix');
for (const set of sets) {
  for (let warm = 0; warm < 2; warm++) for (const fn of [floor, check, fix]) once(set.files, fn);
  const f = [];
  const c = [];
  const x = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Interleaved, so that load from elsewhere on the machine weighs on the floor and on the tool alike.
    f.push(once(set.files, floor));
    c.push(once(set.files, check));
    x.push(once(set.files, fix));
  }
  const ratio = median(c.map((ms, i) => ms / f[i]));
  const fixRatio = median(x.map((ms, i) => ms / f[i]));
  const verdict = set.gate ? (ratio <= CHECK_TARGET ? ` (target <= ${CHECK_TARGET}x: met)` : ` (target <= ${CHECK_TARGET}x: MISSED)`) : '';
  if (set.gate && ratio > CHECK_TARGET) failed = true;
  console.log(
    `${set.name.padEnd(28)} | ${median(f).toFixed(1).padStart(9)} ms       | ${median(c).toFixed(1).padStart(7)} ms ${ratio.toFixed(2)}x | ${median(x).toFixed(1).padStart(7)} ms ${fixRatio.toFixed(2)}x${verdict}`,
  );
}
const memory = process.memoryUsage();
console.log(`peak-ish memory: rss ${(memory.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(memory.heapUsed / 2 ** 20).toFixed(0)} MiB`);
process.exitCode = failed ? 1 : 0;
