import { catalogueMarkdown } from './catalogue.js';
import { ruleReferenceMarkdown } from './explain.js';
import type { RuleMeta } from '../rules/types.js';

export const RULES_START = '<!-- rules:start -->';
export const RULES_END = '<!-- rules:end -->';
export const REFERENCE_START = '<!-- rule-reference:start -->';
export const REFERENCE_END = '<!-- rule-reference:end -->';

/** The README with the text between two markers replaced. */
function between(readme: string, start: string, end: string, content: string): string {
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from === -1 || to < from) throw new Error(`README has no ${start} ... ${end} section`);
  const eol = readme.includes('\r\n') ? '\r\n' : '\n';
  return `${readme.slice(0, from + start.length)}${eol}${content.replace(/\n/g, eol)}${readme.slice(to)}`;
}

/** The README with its rules table replaced by the one generated from the catalogue. */
export function withRulesTable(readme: string, rules: readonly RuleMeta[]): string {
  return between(readme, RULES_START, RULES_END, catalogueMarkdown(rules));
}

/** The README with its rule reference (one section per rule, as `explain` prints it) generated from the catalogue. */
export function withRuleReference(readme: string, rules: readonly RuleMeta[]): string {
  return between(readme, REFERENCE_START, REFERENCE_END, ruleReferenceMarkdown(rules));
}

/** Every generated part of the README. */
export function withGeneratedParts(readme: string, rules: readonly RuleMeta[]): string {
  return withRuleReference(withRulesTable(readme, rules), rules);
}
