import { UsageError } from '../core/errors.js';
import type { Rule } from '../rules/types.js';

export interface SelectionOptions {
  only?: string;
  skip?: string;
}

/** Applies `--only` and `--skip` (comma-separated rule ids) to the rule list; unknown ids are a usage error. */
export function selectRules(all: readonly Rule[], options: SelectionOptions): Rule[] {
  const known = new Set(all.map((rule) => rule.meta.id));
  const parse = (flag: string, value: string | undefined): Set<string> | undefined => {
    if (value === undefined) return undefined;
    const ids = value.split(',').map((id) => id.trim()).filter(Boolean);
    if (ids.length === 0) throw new UsageError(`${flag} needs at least one rule id; run \`compose-harden rules\` for the list`);
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw new UsageError(`${flag}: unknown rule ${unknown.map((id) => `"${id}"`).join(', ')}; run \`compose-harden rules\` for the list`);
    }
    return new Set(ids);
  };
  const only = parse('--only', options.only);
  const skip = parse('--skip', options.skip);
  return all.filter((rule) => (!only || only.has(rule.meta.id)) && !skip?.has(rule.meta.id));
}
