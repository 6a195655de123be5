import { catalogueJson, catalogueMarkdown, catalogueText } from '../../format/catalogue.js';
import type { Rule } from '../../rules/types.js';
import type { CliIO } from '../io.js';

export type CatalogueFormat = 'text' | 'json' | 'markdown';

export function runRules(rules: readonly Rule[], format: CatalogueFormat, io: CliIO): number {
  const metas = rules.map((rule) => rule.meta);
  io.stdout.write(format === 'json' ? catalogueJson(metas) : format === 'markdown' ? catalogueMarkdown(metas) : catalogueText(metas));
  return 0;
}
