/**
 * Reads semgrep-rules' Docker Compose security rules from a checkout: each rule file in
 * yaml/docker-compose/security and the test file beside it (`<name>.test.yaml`), whose
 * `# ruleid: <id>` / `# ok: <id>` comments annotate the line after them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const SEMGREP_DIR = 'yaml/docker-compose/security';

export interface SemgrepCase {
  readonly rule: string;
  /** The test file, relative to the checkout. */
  readonly file: string;
  readonly text: string;
  readonly expected: 'positive' | 'negative';
  /** The annotated line (the first line after the comment that is not a comment). */
  readonly line: number;
}

export interface SemgrepReading {
  readonly rules: string[];
  readonly cases: SemgrepCase[];
  /** `todoruleid` / `todook` annotations: known gaps of the rule itself, not compared. */
  readonly todo: number;
}

const ANNOTATION = /^\s*#\s*(ruleid|ok|todoruleid|todook)\s*:\s*(.+?)\s*$/;

export function readSemgrepSuite(dir: string): SemgrepReading {
  const root = join(dir, SEMGREP_DIR);
  const rules: string[] = [];
  const cases: SemgrepCase[] = [];
  let todo = 0;
  for (const f of readdirSync(root).sort()) {
    if (!/\.ya?ml$/.test(f) || /\.test\.ya?ml$/.test(f)) continue;
    const doc = parse(readFileSync(join(root, f), 'utf8')) as { rules?: Array<{ id?: string }> } | null;
    const ids = (doc?.rules ?? []).map((r) => r.id).filter((id): id is string => typeof id === 'string');
    rules.push(...ids);
    const base = f.replace(/\.ya?ml$/, '');
    const testName = [`${base}.test.yaml`, `${base}.test.yml`].find((t) => existsSync(join(root, t)));
    if (!testName) continue;
    const text = readFileSync(join(root, testName), 'utf8');
    const lines = text.split(/\r?\n/);
    lines.forEach((l, i) => {
      const m = ANNOTATION.exec(l);
      if (!m) return;
      let target = i + 1;
      while (target < lines.length && (/^\s*#/.test(lines[target]!) || lines[target]!.trim() === '')) target++;
      for (const id of m[2]!.split(',').map((s) => s.trim()).filter(Boolean)) {
        const short = id.split('.').pop()!;
        if (!ids.includes(short) && !ids.includes(id)) continue;
        if (m[1]!.startsWith('todo')) {
          todo++;
          continue;
        }
        cases.push({ rule: short, file: `${SEMGREP_DIR}/${testName}`, text, expected: m[1] === 'ruleid' ? 'positive' : 'negative', line: target + 1 });
      }
    });
  }
  return { rules, cases, todo };
}
