import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/format/unified-diff.js';
import { cli, tempDir } from '../helpers/cli.js';
import { CORPUS, corpusFiles, hasShared } from '../helpers/shared.js';

const GOLDEN = fileURLToPath(new URL('../fixtures/golden/', import.meta.url));
const golden = readdirSync(GOLDEN).filter((name) => name.endsWith('.yml') && !name.endsWith('.expected.yml'));
const hasGit = spawnSync('git', ['--version']).status === 0;

/** `git apply` of the printed diff must reproduce fix's output byte for byte. */
async function diffThenApply(dir: string, name: string): Promise<void> {
  const patch = await cli(['diff', name], { cwd: dir });
  expect(patch.stderr).toBe('');
  const fixed = await cli(['fix', name, '--output', `${name}.fixed`], { cwd: dir });
  expect(fixed.code, fixed.stderr).toBe(0);
  const expected = readFileSync(join(dir, `${name}.fixed`));
  if (patch.code === 0) {
    expect(expected.equals(readFileSync(join(dir, name)))).toBe(true);
    return;
  }
  let text = patch.stdout;
  if (text.includes('masked as ****')) {
    // A diff that hides credential values says it cannot be applied; the edit itself must still apply cleanly.
    expect(text).toMatch(/^# \d+ secret values? (is|are) masked as \*\*\*\*: this diff cannot be applied with `git apply`/m);
    text = unifiedDiff(name, readFileSync(join(dir, name), 'utf8'), expected.toString('utf8'));
  }
  writeFileSync(join(dir, `${name}.patch`), text);
  const applied = spawnSync('git', ['apply', '--whitespace=nowarn', `${name}.patch`], { cwd: dir, encoding: 'utf8' });
  expect(applied.status, applied.stderr).toBe(0);
  expect(readFileSync(join(dir, name)).equals(expected), `${name}: git apply result differs from fix output`).toBe(true);
}

describe.runIf(hasGit)('git apply of the diff reproduces fix', () => {
  const work = tempDir('compose-harden-apply-');
  afterAll(() => work.cleanup());

  for (const name of golden) {
    it(name, async () => {
      copyFileSync(join(GOLDEN, name), join(work.dir, name));
      await diffThenApply(work.dir, name);
    });
  }

  it.runIf(hasShared)('every corpus file', async () => {
    for (const name of corpusFiles()) {
      // A directory per file, as in its project: the secrets fix writes beside each are its own.
      const dir = join(work.dir, name.replace(/\W+/g, '_'));
      mkdirSync(dir);
      copyFileSync(join(CORPUS, name), join(dir, name));
      await diffThenApply(dir, name);
    }
  }, 120_000);
});
