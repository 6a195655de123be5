import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixSource } from '../../src/core/engine.js';
import { decodeSource, encodeSource } from '../../src/core/source.js';
import { allRules } from '../../src/rules/index.js';
import { INSERTING_RULES } from '../helpers/inserting-rules.js';
import { removedLines } from '../helpers/rule-tester.js';
import { TORTURE, hasShared } from '../helpers/shared.js';

const DIR = fileURLToPath(new URL('../fixtures/golden/', import.meta.url));
const inputs = readdirSync(DIR).filter((name) => name.endsWith('.yml') && !name.endsWith('.expected.yml')).sort();

/**
 * Fixtures whose hardening only inserts lines: their diff must remove nothing. resource-limits and
 * pids-limit are left out because the torture file keeps its limits in a flow mapping, which can only
 * grow on its own line.
 */
const INSERT_ONLY = new Set(['torture.yml', 'torture-crlf-bom.yml', 'torture-no-final-newline.yml', 'compact-seq.yml']);

function harden(name: string, rules = allRules): { before: string; after: string } {
  const source = decodeSource(readFileSync(join(DIR, name)));
  return { before: encodeSource(source, source.text), after: encodeSource(source, fixSource(source, rules).text) };
}

describe('golden outputs (set UPDATE_GOLDEN=1 to rewrite them after reviewing the change)', () => {
  for (const name of inputs) {
    it(name, () => {
      const { after } = harden(name);
      const expectedPath = join(DIR, name.replace(/\.yml$/, '.expected.yml'));
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(expectedPath, after);
      expect(existsSync(expectedPath), `missing ${expectedPath}`).toBe(true);
      expect(after).toBe(readFileSync(expectedPath, 'utf8'));
    });
  }

  for (const name of INSERT_ONLY) {
    it(`${name}: inserts only, keeping every original line, comment, blank line and quote`, () => {
      const { before, after } = harden(name, INSERTING_RULES);
      expect(after).not.toBe(before);
      expect(removedLines(before, after)).toEqual([]);
    });
  }

  it('CRLF and BOM survive: every inserted line ends with CRLF and the BOM stays first', () => {
    const { after } = harden('torture-crlf-bom.yml');
    expect(after.startsWith('\uFEFF')).toBe(true);
    expect(after.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('a missing final newline stays missing', () => {
    const { before, after } = harden('torture-no-final-newline.yml');
    expect(before.endsWith('\n')).toBe(false);
    expect(after.endsWith('# end of file comment')).toBe(true);
  });

  it.runIf(hasShared)('the torture fixture is ../shared/reference/yaml-torture.yml', () => {
    expect(readFileSync(join(DIR, 'torture.yml'), 'utf8')).toBe(readFileSync(TORTURE, 'utf8'));
  });
});
