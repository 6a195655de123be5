import { unknownRule } from '../../config/suggest.js';
import { palette } from '../../format/colors.js';
import { explainMarkdown, explainText } from '../../format/explain.js';
import type { Rule } from '../../rules/types.js';
import { useColor, type CliIO } from '../io.js';

export interface ExplainOptions {
  format: 'text' | 'markdown';
  color?: boolean;
}

/** `explain RULE`: the catalogue's whole entry for one rule; 2 for an unknown id, with the nearest one. */
export function runExplain(rules: readonly Rule[], id: string, options: ExplainOptions, io: CliIO): number {
  const rule = rules.find((r) => r.meta.id === id);
  if (!rule) {
    io.stderr.write(`compose-harden: ${unknownRule(id, rules.map((r) => r.meta.id))}\n`);
    return 2;
  }
  io.stdout.write(options.format === 'markdown' ? explainMarkdown(rule.meta, '#') : explainText(rule.meta, palette(useColor(io.stdout, io.env, options.color))));
  return 0;
}
