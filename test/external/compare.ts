/**
 * Judges each case of another scanner against our findings: agree, a documented divergence, or a
 * disagreement.
 */
import { posix } from 'node:path';
import { parse } from 'yaml';
import type { Finding } from '../../src/core/engine.js';
import type { ComposeLintCase } from './compose-lint.js';
import { DIVERGENCES, REFUSED_INPUTS, serviceBlock, type Divergence, type RefusedInput } from './divergences.js';
import type { KicsCase } from './kics.js';
import { allRules } from '../../src/rules/index.js';
import { describeFindings, ourRulesFor, runOurs, serviceAt, type Tool } from './ours.js';
import type { SemgrepCase } from './semgrep.js';

export type Verdict = 'agree' | 'divergence' | 'refused' | 'disagree';

export interface Outcome {
  readonly tool: Tool;
  /** Their rule: KICS query folder, Semgrep rule id or CL id. */
  readonly theirRule: string;
  /** Their rule's id as our refs write it: the KICS query id, the Semgrep rule id, the CL id. */
  readonly theirId: string;
  readonly ourRules: readonly string[];
  /** The file of the case, relative to the checkout. */
  readonly file: string;
  /** A line in that file: KICS's expected line, the annotated line, or the test's call. */
  readonly line: number;
  /** The compose-lint test, or the service the case is about. */
  readonly where: string;
  readonly expected: 'positive' | 'negative';
  readonly verdict: Verdict;
  /** What we report for the case. */
  readonly got: string;
  readonly divergence?: Divergence;
  /** Their input is not a Compose file, and our parser refuses it with the expected error. */
  readonly refused?: RefusedInput;
  /** Information: a positive flagged elsewhere than the line they name, or a check covered by another of their rules. */
  readonly note?: string;
  /** The compose text and the service, which divergences are matched against. */
  readonly text: string;
  readonly service: string | null;
  /** The text of the line the case names (KICS, Semgrep), for matching divergences. */
  readonly lineText: string;
  /** Where the compose text is: the case file, or for compose-lint a fixture or the test itself. */
  readonly origin: string;
}

/** The part of the case's compose text the case is about, on one line, for a report. */
export function inputOf(o: Outcome): string {
  const block = serviceBlock(o.text, o.service);
  const one = JSON.stringify(block.length > 400 ? `${block.slice(0, 400)}...` : block);
  return o.origin === o.file || o.origin === 'test' ? one : `${o.origin} ${one}`;
}

function judge(base: Omit<Outcome, 'verdict' | 'divergence'>, ok: boolean): Outcome {
  if (ok) return { ...base, verdict: 'agree' };
  const refused = REFUSED_INPUTS.find(
    (r) => r.tool === base.tool && base.file.endsWith(r.file) && (base.note ?? '').startsWith('our parser rejects') && base.note!.includes(r.refusal),
  );
  if (refused) return { ...base, verdict: 'refused', refused };
  const divergence = DIVERGENCES.find(
    (d) =>
      d.tool === base.tool &&
      (base.tool === 'kics' ? base.theirId.toLowerCase().startsWith(d.ref.toLowerCase()) : base.theirId === d.ref) &&
      d.expected === base.expected &&
      d.matches({ text: base.text, service: base.service, lineText: base.lineText, file: base.file }),
  );
  return divergence ? { ...base, verdict: 'divergence', divergence } : { ...base, verdict: 'disagree' };
}

function ofRules(findings: readonly Finding[], rules: readonly string[]): Finding[] {
  return findings.filter((f) => rules.includes(f.ruleId));
}

function lineOf(text: string, line: number): string {
  return text.split(/\r?\n/)[line - 1] ?? '';
}

export function judgeKics(c: KicsCase): Outcome {
  const ourRules = ourRulesFor('kics', c.query.id).map((r) => r.meta.id);
  const run = runOurs(c.text);
  const mapped = ofRules(run.findings, ourRules);
  const parseNote = run.error ? `our parser rejects the file: ${run.error}` : undefined;
  if (c.expected === 'negative') {
    return judge(
      {
        tool: 'kics', theirRule: c.query.folder, theirId: c.query.id, ourRules, file: c.file, line: 1, where: 'whole file', expected: 'negative',
        got: describeFindings(mapped), text: c.text, service: null, lineText: '', origin: c.file, ...(parseNote ? { note: parseNote } : {}),
      },
      mapped.length === 0,
    );
  }
  const line = c.line ?? 1;
  const span = serviceAt(run, line);
  const hits = span ? mapped.filter((f) => f.service === span.name) : mapped;
  const atLine = hits.some((f) => f.line === line);
  const note = parseNote ?? (hits.length > 0 && !atLine ? `line: KICS ${line}, ours ${[...new Set(hits.map((f) => f.line))].join(', ')}` : undefined);
  return judge(
    {
      tool: 'kics', theirRule: c.query.folder, theirId: c.query.id, ourRules, file: c.file, line, where: span ? `service ${span.name}` : 'top level',
      expected: 'positive', got: describeFindings(span ? hits : mapped), text: c.text, service: span?.name ?? null,
      lineText: lineOf(c.text, line), origin: c.file, ...(note ? { note } : {}),
    },
    hits.length > 0,
  );
}

export function judgeSemgrep(c: SemgrepCase, all: readonly SemgrepCase[]): Outcome {
  const ourRules = ourRulesFor('semgrep', c.rule).map((r) => r.meta.id);
  const run = runOurs(c.text);
  const mapped = ofRules(run.findings, ourRules);
  const span = serviceAt(run, c.line);
  const onLine = mapped.filter((f) => f.line === c.line);
  const inService = span ? mapped.filter((f) => f.service === span.name) : [];
  // An `ok` inside a service that also carries a `ruleid` for the rule speaks for its line only.
  const mixed =
    span !== null &&
    all.some((o) => o.file === c.file && o.rule === c.rule && o.expected !== c.expected && serviceAt(run, o.line)?.name === span.name);
  const hits = c.expected === 'negative' && mixed ? onLine : [...new Set([...onLine, ...inService])];
  const note =
    run.error !== undefined
      ? `our parser rejects the file: ${run.error}`
      : c.expected === 'positive' && hits.length > 0 && onLine.length === 0
        ? `line: annotated ${c.line}, ours ${[...new Set(hits.map((f) => f.line))].join(', ')}`
        : undefined;
  return judge(
    {
      tool: 'semgrep', theirRule: c.rule, theirId: c.rule, ourRules, file: c.file, line: c.line, where: span ? `service ${span.name}` : 'top level',
      expected: c.expected, got: describeFindings(hits), text: c.text, service: span?.name ?? null, lineText: lineOf(c.text, c.line), origin: c.file,
      ...(note ? { note } : {}),
    },
    c.expected === 'positive' ? hits.length > 0 : hits.length === 0,
  );
}

const keys = new Map<ComposeLintCase, string | null>();

/** Test names by which compose-lint says a negative case belongs to another of its rules. */
const PARTITION_TEST = /(not_this_rules?|other_tiers?|neighbouring_tiers?)\b/;

/** The CL ids other than `cl` that our rule `rule` stands for. */
function otherClsOf(rule: string, cl: string): string[] {
  const r = allRules.find((x) => x.meta.id === rule);
  return (r?.meta.refs.composeLint ?? []).filter((x) => x !== cl);
}

/**
 * The settings of the case's service as canonical JSON, without `image` unless the image is all there is:
 * two of compose-lint's cases with the same key give a service the same settings.
 */
function settingsKey(c: ComposeLintCase): string | null {
  if (keys.has(c)) return keys.get(c)!;
  let key: string | null = null;
  try {
    const doc = parse(c.text) as { services?: Record<string, unknown> } | null;
    const services = doc?.services ?? {};
    const names = c.service === null ? Object.keys(services) : [c.service];
    if (names.length === 1) {
      const svc = services[names[0]!];
      if (svc && typeof svc === 'object' && !Array.isArray(svc)) {
        const { image, ...rest } = svc as Record<string, unknown>;
        if (Array.isArray(rest.volumes)) rest.volumes = rest.volumes.map(mountKey);
        key = stable(Object.keys(rest).length > 0 ? rest : { image });
      }
    }
  } catch {
    key = null;
  }
  keys.set(c, key);
  return key;
}

/** A bind mount by what it exposes: its normalized host source and whether it is read-only (the target aside). */
function mountKey(v: unknown): unknown {
  if (typeof v === 'string') {
    const parts = v.split(':');
    if (parts.length < 2 || !/^[/~.]/.test(parts[0]!)) return v;
    return { source: posix.normalize(parts[0]!), ro: parts.slice(2).join(':').split(',').includes('ro') };
  }
  if (v && typeof v === 'object' && typeof (v as Record<string, unknown>).source === 'string') {
    const m = v as Record<string, unknown>;
    return { source: posix.normalize(m.source as string), ro: m.read_only === true };
  }
  return v;
}

function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/**
 * compose-lint splits some concerns over several rules where we have one (cap_add tiers, host mounts):
 * its test that rule A stays silent on a text another of its rules B flags is a partition between A and
 * B, not a negative for our rule that covers both. Such a case is judged without the rules of ours that
 * B also maps to. That the text is B's comes from compose-lint's own suite: a positive case of B whose
 * service has the same settings (the image and mount targets aside), or the test saying so in its name
 * (`..._not_this_rule`, `..._other_tiers`, `..._neighbouring_tiers`).
 */
export function judgeComposeLint(c: ComposeLintCase, all: readonly ComposeLintCase[]): Outcome {
  const ourRules = ourRulesFor('composeLint', c.cl).map((r) => r.meta.id);
  const run = runOurs(c.text);
  let considered = ourRules;
  let note: string | undefined = run.error ? `our parser rejects the text: ${run.error}` : undefined;
  if (c.expected === 'negative') {
    const key = settingsKey(c);
    const others = all.filter((o) => o.expected === 'positive' && o.cl !== c.cl && key !== null && settingsKey(o) === key);
    const covered = new Map<string, string>();
    for (const o of others) for (const r of ourRulesFor('composeLint', o.cl)) covered.set(r.meta.id, `${o.cl} fires on the same settings`);
    // A test that says its text is another of its rules': every rule of ours that also stands for another CL.
    if (PARTITION_TEST.test(c.test))
      for (const r of ourRules) if (!covered.has(r) && otherClsOf(r, c.cl).length > 0) covered.set(r, `the test gives the text to another rule (${otherClsOf(r, c.cl).join(', ')})`);
    const excluded = ourRules.filter((r) => covered.has(r));
    if (excluded.length > 0) {
      considered = ourRules.filter((r) => !covered.has(r));
      note = `not judged for ${excluded.map((r) => `${r}: ${covered.get(r)!}`).join('; ')}`;
    }
  }
  const mapped = ofRules(run.findings, considered).filter((f) => c.service === null || f.service === c.service);
  return judge(
    {
      tool: 'composeLint', theirRule: c.cl, theirId: c.cl, ourRules, file: c.file, line: c.line, where: c.test, expected: c.expected,
      got: describeFindings(mapped), text: c.text, service: c.service, lineText: '', origin: c.origin, ...(note ? { note } : {}),
    },
    c.expected === 'positive' ? mapped.length > 0 : mapped.length === 0,
  );
}
