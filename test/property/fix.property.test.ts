import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { applyPatch } from 'diff';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { composeTags } from '../../src/core/compose-tags.js';
import { parseComposeFile } from '../../src/core/compose-file.js';
import { fixSource } from '../../src/core/engine.js';
import { decodeSource, encodeSource } from '../../src/core/source.js';
import { unifiedDiff } from '../../src/format/unified-diff.js';
import { allRules } from '../../src/rules/index.js';
import { cli, tempDir } from '../helpers/cli.js';
import { INSERTING_RULES } from '../helpers/inserting-rules.js';
import { removedLines } from '../helpers/rule-tester.js';
import { composeDocument, insertOnly, renderDocument } from './compose-arbitrary.js';

/**
 * Properties of `fix` on generated compose documents (see compose-arbitrary.ts). PROPERTY_RUNS sets the
 * number of cases (1,000 by default, more in `npm run test:property`), PROPERTY_SEED replays a run; the
 * seed is printed. A failing case is shrunk by fast-check and saved under test/fixtures/property/, where
 * the regression test below replays it on every run.
 */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 1000);
const SEED = Number(process.env.PROPERTY_SEED ?? Date.now() % 2 ** 31);
const REGRESSIONS = fileURLToPath(new URL('../fixtures/property/', import.meta.url));

const OWNED = new Set(allRules.flatMap((rule) => rule.meta.owns));
const OWNED_TOP = new Set(allRules.flatMap((rule) => rule.meta.ownsTopLevel ?? []));
const hasGit = spawnSync('git', ['--version']).status === 0;

/** Compose's view of a text, read independently of the tool: merge keys resolved, owned keys left out. */
function unowned(text: string): unknown {
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { merge: true, customTags: composeTags });
  expect(doc.errors.map((e) => e.message)).toEqual([]);
  const js = (doc.toJS({ maxAliasCount: -1 }) ?? {}) as Record<string, unknown>;
  const services = (js.services ?? {}) as Record<string, Record<string, unknown> | null>;
  return {
    top: Object.fromEntries(Object.entries(js).filter(([key]) => key !== 'services' && !OWNED_TOP.has(key))),
    services: Object.fromEntries(
      Object.entries(services).map(([name, service]) => [name, Object.fromEntries(Object.entries(service ?? {}).filter(([key]) => !OWNED.has(key)))]),
    ),
  };
}

/** Every property, on one document's bytes; throws on the first that fails. */
function checkProperties(bytes: Uint8Array, onlyInserts: boolean): void {
  const source = decodeSource(bytes);
  const before = encodeSource(source, source.text);
  const result = fixSource(source, allRules);
  const after = encodeSource(source, result.text);
  // The output parses, as the tool and as an independent reader see it, with the same unowned settings.
  parseComposeFile({ ...source, text: result.text });
  expect(unowned(after)).toEqual(unowned(before));
  // A second fix changes nothing.
  expect(fixSource({ ...source, text: result.text }, allRules).changed).toBe(false);
  // The printed diff reproduces the output.
  if (result.changed) expect(applyPatch(before, unifiedDiff('compose.yaml', before, after))).toBe(after);
  // Insert-only hardening keeps every original line.
  if (onlyInserts) {
    const inserted = encodeSource(source, fixSource(source, INSERTING_RULES).text);
    // Lines compared without their ending: a last line without one gains it when lines follow it.
    expect(removedLines(before.replace(/\r\n/g, '\n'), inserted.replace(/\r\n/g, '\n'))).toEqual([]);
  }
}

function saveRegression(text: string, onlyInserts: boolean): string {
  mkdirSync(REGRESSIONS, { recursive: true });
  const path = join(REGRESSIONS, `${createHash('sha256').update(text).digest('hex').slice(0, 12)}${onlyInserts ? '.insert-only' : ''}.yml`);
  writeFileSync(path, text);
  return path;
}

describe('fix on generated compose documents', () => {
  it(`holds every property on ${RUNS} documents (seed ${SEED})`, () => {
    console.log(`property suite: ${RUNS} cases, seed ${SEED} (replay with PROPERTY_SEED=${SEED})`);
    const outcome = fc.check(
      fc.property(composeDocument, (model) => {
        checkProperties(Buffer.from(renderDocument(model), 'utf8'), insertOnly(model));
      }),
      { numRuns: RUNS, seed: SEED },
    );
    if (outcome.failed) {
      const model = outcome.counterexample?.[0];
      const saved = model ? saveRegression(renderDocument(model), insertOnly(model)) : 'nothing to save';
      throw new Error(`${fc.defaultReportMessage(outcome)}\nshrunk case saved as ${saved}`);
    }
  }, 600_000);

  it('replays every saved regression', () => {
    const saved = existsSync(REGRESSIONS) ? readdirSync(REGRESSIONS).filter((name) => name.endsWith('.yml')) : [];
    for (const name of saved) checkProperties(readFileSync(join(REGRESSIONS, name)), name.endsWith('.insert-only.yml'));
  });

  it.runIf(hasGit)('git apply of the CLI diff reproduces fix, on a sample of the documents', async () => {
    const work = tempDir('compose-harden-property-');
    try {
      const samples = fc.sample(composeDocument, { numRuns: 40, seed: SEED });
      for (const [i, model] of samples.entries()) {
        if (model.secrets.length > 0) continue; // a masked diff says it does not apply: tested elsewhere
        const dir = join(work.dir, String(i));
        mkdirSync(dir);
        writeFileSync(join(dir, 'compose.yaml'), renderDocument(model));
        const diff = await cli(['diff', 'compose.yaml'], { cwd: dir });
        const fixed = await cli(['fix', 'compose.yaml', '--output', 'fixed.yaml'], { cwd: dir });
        expect(fixed.code, fixed.stderr).toBe(0);
        if (diff.code === 0) continue;
        writeFileSync(join(dir, 'p.diff'), diff.stdout);
        const applied = spawnSync('git', ['apply', '--whitespace=nowarn', 'p.diff'], { cwd: dir, encoding: 'utf8' });
        expect(applied.status, applied.stderr).toBe(0);
        expect(readFileSync(join(dir, 'compose.yaml')).equals(readFileSync(join(dir, 'fixed.yaml')))).toBe(true);
      }
    } finally {
      work.cleanup();
    }
  }, 120_000);
});

describe('no output shows a credential, whatever the document', () => {
  it(`holds on ${Math.max(20, Math.round(RUNS / 10))} documents with credentials (seed ${SEED})`, async () => {
    const work = tempDir('compose-harden-property-secrets-');
    try {
      const samples = fc.sample(composeDocument.filter((m) => m.secrets.length > 0), { numRuns: Math.max(20, Math.round(RUNS / 10)), seed: SEED });
      for (const [i, model] of samples.entries()) {
        const dir = join(work.dir, String(i));
        mkdirSync(dir);
        writeFileSync(join(dir, 'compose.yaml'), renderDocument(model));
        let printed = '';
        for (const argv of [
          ['check', 'compose.yaml'],
          ['check', '--format', 'json', 'compose.yaml'],
          ['inspect', 'compose.yaml'],
          ['inspect', '--format', 'json', 'compose.yaml'],
          ['diff', 'compose.yaml'],
          ['fix', 'compose.yaml'],
          ['check', 'compose.yaml'],
          ['diff', 'compose.yaml'],
        ]) {
          const result = await cli(argv, { cwd: dir });
          printed += result.stdout + result.stderr;
        }
        for (const secret of model.secrets) expect(printed.includes(secret), `case ${i}: ${secret} printed`).toBe(false);
      }
    } finally {
      work.cleanup();
    }
  }, 300_000);
});
