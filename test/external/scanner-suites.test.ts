/**
 * Checked from outside against the public test suites of other compose scanners: for every check we
 * share with them (by our rules' `refs`), their positive cases must be flagged and their negative cases
 * not, except where a rule's "Differences:" text documents that we differ (divergences.ts).
 *
 * The suites are read at run time from checkouts named by environment variables; nothing of them is in
 * this repository. Each suite is skipped when its variable is unset:
 *   KICS_DIR           a KICS checkout (assets/queries/dockerCompose/...)
 *   SEMGREP_RULES_DIR  a semgrep-rules checkout (yaml/docker-compose/security/...)
 *   COMPOSE_LINT_DIR   a compose-lint checkout (tests/test_*.py, tests/compose_files/...)
 * EXTERNAL_REPORT=<file> also writes every judged case there as JSON.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../src/rules/index.js';
import { inputOf, judgeComposeLint, judgeKics, judgeSemgrep, type Outcome } from './compare.js';
import { readComposeLintSuite } from './compose-lint.js';
import { DIVERGENCES } from './divergences.js';
import { KICS_QUERIES, readKicsSuite } from './kics.js';
import { ourRulesFor, referencedIds, type Tool } from './ours.js';
import { SEMGREP_DIR, readSemgrepSuite } from './semgrep.js';

const KICS_DIR = process.env.KICS_DIR || undefined;
const SEMGREP_RULES_DIR = process.env.SEMGREP_RULES_DIR || undefined;
const COMPOSE_LINT_DIR = process.env.COMPOSE_LINT_DIR || undefined;

const NAMES: Record<Tool, string> = { kics: 'KICS', semgrep: 'Semgrep', composeLint: 'compose-lint' };
const VARIABLES: Record<Tool, string> = { kics: 'KICS_DIR', semgrep: 'SEMGREP_RULES_DIR', composeLint: 'COMPOSE_LINT_DIR' };

const judged: Outcome[] = [];

function skipped(tool: Tool): string {
  return `${NAMES[tool]} suite skipped: set ${VARIABLES[tool]} to a checkout to run it`;
}

function format(o: Outcome): string {
  const what = o.expected === 'positive' ? 'expected flagged' : 'expected not flagged';
  const input = o.tool === 'composeLint' || o.expected === 'negative' ? ` input ${inputOf(o)};` : '';
  return `${o.file}:${o.line} (${o.where})${input} ${what} by ${o.ourRules.join(', ')}; we report: ${o.got}${o.note ? ` [${o.note}]` : ''}`;
}

function summarize(tool: Tool, outcomes: readonly Outcome[], extra: string[]): string {
  const count = (v: Outcome['verdict']): number => outcomes.filter((o) => o.verdict === v).length;
  const lines = [
    `${NAMES[tool]}: ${outcomes.length} cases, ${count('agree')} agree, ${count('divergence')} documented divergence, ${count('refused')} not Compose files (refused), ${count('disagree')} disagree`,
    ...extra,
  ];
  const notes = outcomes.filter((o) => o.note && o.verdict !== 'disagree');
  if (notes.length > 0) lines.push('  information:', ...notes.map((o) => `    ${o.file}:${o.line} ${o.theirRule}: ${o.note}`));
  const divergences = outcomes.filter((o) => o.verdict === 'divergence');
  if (divergences.length > 0)
    lines.push('  documented divergences:', ...divergences.map((o) => `    ${o.file}:${o.line} ${o.theirRule} -> ${o.divergence!.rule}: ${o.divergence!.why}`));
  const refused = outcomes.filter((o) => o.verdict === 'refused');
  if (refused.length > 0) lines.push('  not Compose files:', ...refused.map((o) => `    ${o.file}:${o.line} ${o.theirRule}: ${o.refused!.why}`));
  const disagreements = outcomes.filter((o) => o.verdict === 'disagree');
  if (disagreements.length > 0) lines.push('  disagreements:', ...disagreements.map((o) => `    ${o.theirRule}: ${format(o)}`));
  return lines.join('\n');
}

/** One test per rule of theirs: all of its cases agree or are documented divergences. */
function perRule(tool: Tool, outcomes: readonly Outcome[]): void {
  const groups = new Map<string, Outcome[]>();
  for (const o of outcomes) groups.set(o.theirRule, [...(groups.get(o.theirRule) ?? []), o]);
  for (const [rule, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const ours = [...new Set(group.flatMap((o) => o.ourRules))].join(', ');
    it(`${rule} -> ${ours}: ${group.length} cases`, () => {
      const wrong = group.filter((o) => o.verdict === 'disagree').map(format);
      expect(wrong, `${NAMES[tool]} ${rule}: ${wrong.length} of ${group.length} cases disagree`).toEqual([]);
    });
  }
}

describe('documented divergences', () => {
  it.each(DIVERGENCES.map((d) => [`${NAMES[d.tool]} ${d.ref} (${d.expected}) -> ${d.rule}`, d] as const))('%s', (_name, d) => {
    const rule = allRules.find((r) => r.meta.id === d.rule);
    expect(rule, `no rule ${d.rule}`).toBeDefined();
    expect(referencedIds(d.tool).has(d.ref), `no rule of ours refers to ${d.ref}`).toBe(true);
    const remedy = rule!.meta.remedy;
    const at = remedy.indexOf('Differences:');
    expect(at, `${d.rule}'s remedy has no "Differences:" text`).toBeGreaterThanOrEqual(0);
    expect(remedy.slice(at), `${d.rule}'s Differences do not mention "${d.mentions}"`).toContain(d.mentions);
  });
});

describe.skipIf(!KICS_DIR)(`KICS Docker Compose queries (${KICS_DIR ? KICS_DIR : 'KICS_DIR unset: skipped'})`, () => {
  if (!KICS_DIR) return;
  if (!existsSync(join(KICS_DIR, KICS_QUERIES))) {
    it('the checkout has the Docker Compose queries', () => expect.fail(`${join(KICS_DIR, KICS_QUERIES)} does not exist`));
    return;
  }
  const reading = readKicsSuite(KICS_DIR);
  const shared = reading.queries.filter((q) => ourRulesFor('kics', q.id).length > 0);
  const outcomes = reading.cases.filter((c) => shared.includes(c.query)).map(judgeKics);
  judged.push(...outcomes);

  it('every KICS id in our refs names a query of the checkout', () => {
    const unknown = [...referencedIds('kics')].filter((ref) => !reading.queries.some((q) => q.id.toLowerCase().startsWith(ref.toLowerCase())));
    expect(unknown, 'refs.kics naming no query').toEqual([]);
  });
  perRule('kics', outcomes);
  it('summary', () => {
    const extra = [
      `  queries: ${reading.queries.length}, shared with us: ${shared.length} (${shared.map((q) => q.folder).join(', ')})`,
      ...reading.missing.map((m) => `  not in the checkout: ${m.file} (expected at line ${m.line} by ${m.query})`),
      ...reading.unexpected.map((f) => `  positive file no expected result names: ${f}`),
    ];
    console.info(summarize('kics', outcomes, extra));
    expect(outcomes.length).toBeGreaterThan(0);
  });
});

describe.skipIf(!SEMGREP_RULES_DIR)(`Semgrep docker-compose rules (${SEMGREP_RULES_DIR ? SEMGREP_RULES_DIR : 'SEMGREP_RULES_DIR unset: skipped'})`, () => {
  if (!SEMGREP_RULES_DIR) return;
  if (!existsSync(join(SEMGREP_RULES_DIR, SEMGREP_DIR))) {
    it('the checkout has the docker-compose rules', () => expect.fail(`${join(SEMGREP_RULES_DIR, SEMGREP_DIR)} does not exist`));
    return;
  }
  const reading = readSemgrepSuite(SEMGREP_RULES_DIR);
  const cases = reading.cases.filter((c) => ourRulesFor('semgrep', c.rule).length > 0);
  const outcomes = cases.map((c) => judgeSemgrep(c, cases));
  judged.push(...outcomes);

  it('every Semgrep id in our refs names a rule of the checkout', () => {
    expect([...referencedIds('semgrep')].filter((id) => !reading.rules.includes(id)), 'refs.semgrep naming no rule').toEqual([]);
  });
  perRule('semgrep', outcomes);
  it('summary', () => {
    const unshared = reading.rules.filter((r) => ourRulesFor('semgrep', r).length === 0);
    const extra = [`  rules: ${reading.rules.length}, not shared with us: ${unshared.join(', ') || 'none'}, todo annotations: ${reading.todo}`];
    console.info(summarize('semgrep', outcomes, extra));
    expect(outcomes.length).toBeGreaterThan(0);
  });
});

describe.skipIf(!COMPOSE_LINT_DIR)(`compose-lint rules (${COMPOSE_LINT_DIR ? COMPOSE_LINT_DIR : 'COMPOSE_LINT_DIR unset: skipped'})`, () => {
  if (!COMPOSE_LINT_DIR) return;
  if (!existsSync(join(COMPOSE_LINT_DIR, 'tests'))) {
    it('the checkout has tests/', () => expect.fail(`${join(COMPOSE_LINT_DIR, 'tests')} does not exist`));
    return;
  }
  const reading = readComposeLintSuite(COMPOSE_LINT_DIR);
  const cases = reading.cases.filter((c) => ourRulesFor('composeLint', c.cl).length > 0);
  const outcomes = cases.map((c) => judgeComposeLint(c, reading.cases));
  judged.push(...outcomes);

  it('every CL id in our refs has cases in the suite', () => {
    expect([...referencedIds('composeLint')].filter((id) => !reading.cases.some((c) => c.cl === id)), 'refs.composeLint with no case').toEqual([]);
  });
  perRule('composeLint', outcomes);
  it('summary', () => {
    const unshared = [...new Set(reading.cases.map((c) => c.cl))].filter((cl) => ourRulesFor('composeLint', cl).length === 0).sort();
    const stoppedInRules = reading.stopped.filter((s) => /test_CL\d+\.py$/.test(s.file));
    const extra = [
      `  test files read: ${reading.filesRead}, cases read: ${reading.cases.length}, of rules we do not share: ${reading.cases.length - cases.length} (${unshared.join(', ') || 'none'})`,
      `  checks without a readable text or assertion: ${reading.unasserted}; tests read only in part: ${reading.stopped.length} (${stoppedInRules.length} in rule test files)`,
      ...stoppedInRules.map((s) => `    ${s.file} ${s.test}: ${s.reason}`),
    ];
    console.info(summarize('composeLint', outcomes, extra));
    expect(outcomes.length).toBeGreaterThan(0);
  });
});

describe('external suites', () => {
  it('say which were run', () => {
    const ran = (['kics', 'semgrep', 'composeLint'] as const).filter((t) => judged.some((o) => o.tool === t));
    const skippedTools = (['kics', 'semgrep', 'composeLint'] as const).filter((t) => !ran.includes(t));
    for (const t of skippedTools) console.info(skipped(t));
    if (process.env.EXTERNAL_REPORT) {
      writeFileSync(
        process.env.EXTERNAL_REPORT,
        JSON.stringify(
          judged.map(({ text: _text, divergence, ...o }) => ({ ...o, input: inputOf({ ...o, text: _text }), divergence: divergence ? { rule: divergence.rule, why: divergence.why } : undefined })),
          null,
          2,
        ),
      );
    }
    expect(ran.length + skippedTools.length).toBe(3);
  });
});
