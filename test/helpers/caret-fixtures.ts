/**
 * Caret-annotated compose fixtures: where each finding must point, written under the line it points at.
 *
 *     # rules: no-privileged, dangerous-capabilities
 *     services:
 *       web:
 *         privileged: true
 *     #   ^ no-privileged
 *         cap_add: [SYS_ADMIN]
 *     #             ^ dangerous-capabilities
 *
 * An annotation is a comment line holding `^ <rule-id>`: the caret's column is the expected column, and
 * the line is the nearest line above that is not an annotation (several annotations may stack under one
 * line). The header names the rules whose findings the fixture lists completely: a finding of those rules
 * with no caret, or a caret with no finding, is a failure. Comments are YAML, so the fixture is the
 * compose file itself.
 */

export interface ExpectedLocation {
  readonly ruleId: string;
  readonly line: number;
  readonly column: number;
}

export interface CaretFixture {
  /** The rules whose findings the fixture lists completely. */
  readonly rules: readonly string[];
  readonly expected: readonly ExpectedLocation[];
}

const HEADER = /^#\s*rules:\s*(.+?)\s*$/;
const ANNOTATION = /^\s*#(\s*\^\s+[a-z0-9-]+)+\s*$/;
const CARET = /\^\s+([a-z0-9-]+)/g;

/** Reads the header and the carets of a fixture; throws on a fixture that cannot be read unambiguously. */
export function readCaretFixture(text: string): CaretFixture {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = HEADER.exec(lines[0] ?? '');
  if (!header) throw new Error('a caret fixture starts with "# rules: <rule-id>, ..."');
  const rules = header[1]!.split(',').map((r) => r.trim()).filter(Boolean);
  const expected: ExpectedLocation[] = [];
  let target = 0;
  lines.forEach((content, index) => {
    if (index === 0) return;
    if (!ANNOTATION.test(content)) {
      target = index + 1;
      return;
    }
    if (target <= 1) throw new Error(`line ${index + 1}: a caret annotation needs a line above it to point at`);
    for (const match of content.matchAll(CARET)) {
      const ruleId = match[1]!;
      if (!rules.includes(ruleId)) throw new Error(`line ${index + 1}: ${ruleId} is not in the fixture's "# rules:" header`);
      expected.push({ ruleId, line: target, column: match.index! + 1 });
    }
  });
  return { rules, expected };
}

/** Orders locations for comparison: by line, column, then rule. */
export function byPosition(a: ExpectedLocation, b: ExpectedLocation): number {
  return a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId);
}
