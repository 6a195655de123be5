import { copyFileSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers/cli.js';

/**
 * Issue 5's golden cases: each fixture is fixed with env-secrets alone, and the hardened compose file,
 * every file written beside it (path, mode, content) and the findings `check` printed first are compared
 * with the reviewed expectations (set UPDATE_GOLDEN=1 to rewrite them after reviewing a change).
 */
const DIR = fileURLToPath(new URL('../fixtures/secrets/', import.meta.url));
const cases = readdirSync(DIR).filter((name) => name.endsWith('.yml') && !name.endsWith('.expected.yml')).sort();

function sideFiles(dir: string): Array<{ path: string; mode: string; content: string }> {
  const out: Array<{ path: string; mode: string; content: string }> = [];
  const walk = (at: string) => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) {
        out.push({ path: `${relative(dir, path)}/`, mode: (statSync(path).mode & 0o777).toString(8), content: '' });
        walk(path);
      } else if (name !== 'compose.yaml') out.push({ path: relative(dir, path), mode: (statSync(path).mode & 0o777).toString(8), content: readFileSync(path, 'utf8') });
    }
  };
  walk(dir);
  return out;
}

describe('secrets golden cases', () => {
  const work = tempDir('compose-harden-secrets-golden-');
  afterAll(() => work.cleanup());

  for (const name of cases) {
    it(name, async () => {
      const dir = join(work.dir, name.replace(/\.yml$/, ''));
      await import('node:fs').then((fs) => fs.mkdirSync(dir));
      copyFileSync(join(DIR, name), join(dir, 'compose.yaml'));
      const check = await cli(['check', '--only', 'env-secrets', '--fail-on', 'never', 'compose.yaml'], { cwd: dir });
      const fix = await cli(['fix', '--only', 'env-secrets', 'compose.yaml'], { cwd: dir });
      expect(fix.code, fix.stderr).toBe(0);
      const actual = { check: check.stdout.split('\n'), files: sideFiles(dir) };
      const compose = readFileSync(join(dir, 'compose.yaml'), 'utf8');

      const composePath = join(DIR, name.replace(/\.yml$/, '.expected.yml'));
      const jsonPath = join(DIR, name.replace(/\.yml$/, '.expected.json'));
      if (process.env.UPDATE_GOLDEN === '1') {
        writeFileSync(composePath, compose);
        writeFileSync(jsonPath, `${JSON.stringify(actual, null, 2)}\n`);
      }
      expect(existsSync(composePath), `${composePath} (run with UPDATE_GOLDEN=1 once)`).toBe(true);
      expect(compose).toBe(readFileSync(composePath, 'utf8'));
      expect(actual).toEqual(JSON.parse(readFileSync(jsonPath, 'utf8')));

      // A second fix writes nothing new.
      const again = await cli(['fix', '--only', 'env-secrets', 'compose.yaml'], { cwd: dir });
      expect(again.stdout).toMatch(/nothing to fix/);
      expect(sideFiles(dir)).toEqual(actual.files);
    });
  }
});
