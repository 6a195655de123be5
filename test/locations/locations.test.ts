import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseComposeFile } from '../../src/core/compose-file.js';
import { checkFile } from '../../src/core/engine.js';
import { fromString } from '../../src/core/source.js';
import { allRules } from '../../src/rules/index.js';
import { DEFAULT_RUN_OPTIONS, type RunOptions } from '../../src/rules/types.js';
import { byPosition, readCaretFixture, type ExpectedLocation } from '../helpers/caret-fixtures.js';

// Acceptance: every finding's line and column point at the offending key or item, for every syntax variant.
// Each fixture under test/fixtures/locations marks, with a caret under the line, where each finding of its
// rules must point; the file is also checked with CRLF line ends and with a byte order mark, which must not
// move any finding.

const here = dirname(fileURLToPath(import.meta.url));
const fixturesDir = resolve(here, '../fixtures/locations');

function fixtureFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? fixtureFiles(join(dir, entry.name)) : entry.name.endsWith('.yml') ? [join(dir, entry.name)] : []))
    .sort();
}

function locate(text: string, path: string, rules: readonly string[]): ExpectedLocation[] {
  const options: RunOptions = {
    ...DEFAULT_RUN_OPTIONS,
    readFile: (p) => {
      try {
        return readFileSync(resolve(dirname(path), p), 'utf8');
      } catch {
        return null;
      }
    },
  };
  return checkFile(parseComposeFile(fromString(text)), allRules, options)
    .filter((f) => rules.includes(f.ruleId))
    .map((f) => ({ ruleId: f.ruleId, line: f.line, column: f.column }))
    .sort(byPosition);
}

const files = fixtureFiles(fixturesDir);

describe('finding locations (caret fixtures)', () => {
  it('has fixtures for every rule', () => {
    const covered = new Set(files.flatMap((f) => readCaretFixture(readFileSync(f, 'utf8')).expected.map((e) => e.ruleId)));
    expect(allRules.map((r) => r.meta.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  for (const path of files) {
    const name = relative(fixturesDir, path);
    const text = readFileSync(path, 'utf8');
    const fixture = readCaretFixture(text);
    const expected = [...fixture.expected].sort(byPosition);

    it(`${name}: every caret points at a key or item, not at blank space or a comment`, () => {
      const lines = text.split('\n');
      for (const e of expected) {
        const char = lines[e.line - 1]?.[e.column - 1];
        expect(char === undefined || /[\s#]/.test(char), `${e.ruleId} at ${e.line}:${e.column}`).toBe(false);
      }
    });

    it(`${name}: findings are exactly at the carets`, () => {
      expect(locate(text, path, fixture.rules)).toEqual(expected);
    });

    it(`${name}: CRLF line ends and a byte order mark move nothing`, () => {
      expect(locate('\uFEFF' + text.replace(/\n/g, '\r\n'), path, fixture.rules)).toEqual(expected);
    });
  }
});
