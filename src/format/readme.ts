import { catalogueMarkdown } from './catalogue.js';
import type { RuleMeta } from '../rules/types.js';

export const RULES_START = '<!-- rules:start -->';
export const RULES_END = '<!-- rules:end -->';

/** The README with its rules table replaced by the one generated from the catalogue. */
export function withRulesTable(readme: string, rules: readonly RuleMeta[]): string {
  const start = readme.indexOf(RULES_START);
  const end = readme.indexOf(RULES_END);
  if (start === -1 || end < start) throw new Error(`README has no ${RULES_START} ... ${RULES_END} section`);
  const eol = readme.includes('\r\n') ? '\r\n' : '\n';
  const table = catalogueMarkdown(rules).replace(/\n/g, eol);
  return `${readme.slice(0, start + RULES_START.length)}${eol}${table}${readme.slice(end)}`;
}
