import { CIS_VERSION, formatCis, type RuleMeta } from '../rules/types.js';
import type { Palette } from './colors.js';

const FIX_TEXT = {
  safe: 'safe: applied by `fix`; it cannot change the behaviour of a working service',
  review: 'review: applied by `fix`, but it can break a service that relies on what it removes; check the service after fixing',
  manual: 'manual: reported only; `fix` changes nothing',
} as const;

/** The other scanners' ids of the same check, as `KICS ce76b7d0`, `Semgrep privileged-service`, `CL-0002`. */
export function otherToolIds(meta: RuleMeta): string[] {
  return [...meta.refs.kics.map((id) => `KICS ${id}`), ...meta.refs.semgrep.map((id) => `Semgrep ${id}`), ...meta.refs.composeLint];
}

function references(meta: RuleMeta): string[] {
  const out = meta.cis.map((section) => `CIS Docker Benchmark v1.6.0, section ${section} (${CIS_VERSION} ${section})`);
  out.push(...meta.refs.kics.map((id) => `KICS query ${id} (the first 8 hex digits of its id)`));
  out.push(...meta.refs.semgrep.map((id) => `Semgrep rule ${id} (semgrep-rules, docker-compose)`));
  out.push(...meta.refs.composeLint.map((id) => `compose-lint ${id}`));
  out.push(...(meta.references ?? []).map((ref) => `${ref.title}: ${ref.url}`));
  return out;
}

/** `compose-harden explain RULE`: everything the catalogue says about one rule, for a terminal. */
export function explainText(meta: RuleMeta, paint: Palette): string {
  const indent = (text: string, by = '  ') => text.replace(/\n$/, '').split('\n').map((line) => (line ? `${by}${line}` : line)).join('\n');
  const section = (title: string, body: string) => `${paint.bold(title)}\n${indent(body)}\n`;
  const tools = otherToolIds(meta);
  const parts = [
    `${paint.bold(meta.id)}: ${meta.title}\n`,
    `severity ${meta.severity}, fix ${meta.fix}${meta.cis.length ? `, ${formatCis(meta.cis)}` : ''}${tools.length ? `; other tools: ${tools.join(', ')}` : ''}\n`,
    section('Why', meta.rationale),
    section('What it detects', meta.detects ?? meta.title),
    section(`Fix (${FIX_TEXT[meta.fix]})`, meta.remedy),
    section('Example', `${paint.red('bad:')}\n${indent(meta.examples.bad)}\n${paint.green('good:')}\n${indent(meta.examples.good)}`),
  ];
  const refs = references(meta);
  if (refs.length > 0) parts.push(section('References', refs.map((ref) => `- ${ref}`).join('\n')));
  return parts.join('\n');
}

/** The same content as Markdown: one section of the README's rule reference, and SARIF's `help.markdown`. */
export function explainMarkdown(meta: RuleMeta, heading = '###'): string {
  const tools = otherToolIds(meta);
  const fence = (text: string) => `\`\`\`yaml\n${text.replace(/\n$/, '')}\n\`\`\``;
  const lines = [
    `${heading} \`${meta.id}\`: ${meta.title}`,
    '',
    `Severity **${meta.severity}**, fix **${meta.fix}**${meta.cis.length ? `, ${formatCis(meta.cis)}` : ''}${tools.length ? `; other tools: ${tools.join(', ')}` : ''}.`,
    '',
    `**Why.** ${meta.rationale}`,
    '',
    `**What it detects.** ${(meta.detects ?? meta.title).replace(/\.$/, "")}.`,
    '',
    `**Fix (${FIX_TEXT[meta.fix]}).** ${meta.remedy}`,
    '',
    'Bad:',
    '',
    fence(meta.examples.bad),
    '',
    'Good:',
    '',
    fence(meta.examples.good),
  ];
  const refs = references(meta);
  if (refs.length > 0) lines.push('', 'References:', '', ...refs.map((ref) => `- ${ref}`));
  return `${lines.join('\n')}\n`;
}

/** The README's rule reference: one section per rule, in catalogue order. */
export function ruleReferenceMarkdown(rules: readonly RuleMeta[]): string {
  return rules.map((meta) => explainMarkdown(meta)).join('\n');
}
