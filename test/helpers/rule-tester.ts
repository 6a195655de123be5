import { describe, expect, it } from 'vitest';
import { parseComposeFile } from '../../src/core/compose-file.js';
import { checkFile, fixSource } from '../../src/core/engine.js';
import { fromString } from '../../src/core/source.js';
import type { Rule, Severity } from '../../src/rules/types.js';

export interface ExpectedError {
  line: number;
  column: number;
  severity?: Severity;
  /** A substring or pattern the message must match. */
  message?: string | RegExp;
}

export interface InvalidCase {
  name: string;
  code: string;
  /** The exact fixed text, or null when the rule reports without fixing. */
  output: string | null;
  errors: ExpectedError[];
  /** Findings that stay after fixing on purpose (a warning about a known breakage); none by default. */
  remaining?: ExpectedError[];
}

export interface RuleCases {
  valid: Array<{ name: string; code: string }>;
  invalid: InvalidCase[];
}

/**
 * ESLint's RuleTester shape for compose-harden rules: valid cases report nothing; invalid cases report
 * exactly the listed positions and fix to exactly `output`, which must parse, be stable under a second
 * fix, and (for insertions) remove no line.
 */
export function testRule(rule: Rule, cases: RuleCases): void {
  describe(rule.meta.id, () => {
    for (const { name, code } of cases.valid) {
      it(`valid: ${name}`, () => {
        expect(checkFile(parseComposeFile(fromString(code)), [rule])).toEqual([]);
      });
    }
    for (const test of cases.invalid) {
      it(`invalid: ${test.name}`, () => {
        const findings = checkFile(parseComposeFile(fromString(test.code)), [rule]);
        expect(findings.map((f) => ({ line: f.line, column: f.column }))).toEqual(
          test.errors.map((e) => ({ line: e.line, column: e.column })),
        );
        test.errors.forEach((expected, i) => {
          const finding = findings[i]!;
          expect(finding.ruleId).toBe(rule.meta.id);
          if (expected.severity) expect(finding.severity).toBe(expected.severity);
          if (typeof expected.message === 'string') expect(finding.message).toContain(expected.message);
          else if (expected.message) expect(finding.message).toMatch(expected.message);
        });

        const fixed = fixSource(fromString(test.code), [rule]);
        const output = test.output ?? test.code;
        expect(fixed.text).toBe(output);
        expect(() => parseComposeFile(fromString(fixed.text))).not.toThrow();
        const again = fixSource(fromString(fixed.text), [rule]);
        expect(again.text, 'a second fix must change nothing').toBe(fixed.text);
        if (test.output !== null) {
          expect(findings.every((f) => f.fix !== 'manual')).toBe(true);
          const left = checkFile(parseComposeFile(fromString(fixed.text)), [rule]);
          expect(left.map((f) => ({ line: f.line, column: f.column })), 'the fix must resolve the findings').toEqual(
            (test.remaining ?? []).map((e) => ({ line: e.line, column: e.column })),
          );
          (test.remaining ?? []).forEach((expected, i) => {
            if (typeof expected.message === 'string') expect(left[i]!.message).toContain(expected.message);
            else if (expected.message) expect(left[i]!.message).toMatch(expected.message);
            expect(left[i]!.fix).toBe('manual');
          });
        } else {
          // Reported only: manual work, or an unverified default to review.
          expect(findings.every((f) => f.fix === 'manual' || f.fix === 'review')).toBe(true);
        }
      });
    }
  });
}

/** Lines removed by going from `before` to `after` when `after` only inserts: none may be lost. */
export function removedLines(before: string, after: string): string[] {
  const out = after.split('\n');
  const missing: string[] = [];
  let j = 0;
  for (const line of before.split('\n')) {
    while (j < out.length && out[j] !== line) j++;
    if (j === out.length) missing.push(line);
    else j++;
  }
  return missing;
}
