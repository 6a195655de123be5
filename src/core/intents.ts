import type { YamlValue } from './render.js';

/**
 * What a rule wants changed in one service, as data. The planner turns the intents of all rules into
 * byte-range edits, merging those that touch the same key so that no key is ever written twice.
 */
/** Why a change is made and where that knowledge comes from, for `inspect` and the explanations. */
export interface Because {
  readonly reason?: string;
  readonly source?: string;
}

export type Intent = Because &
  (
  /** Sets `path` (relative to the service) to `value` when absent; with `replace`, also when present and different. */
  | { readonly kind: 'set'; readonly path: readonly string[]; readonly value: YamlValue; readonly replace?: boolean }
  /** Makes the sequence at `key` contain `items` (created if absent; a string value becomes a list). */
  | { readonly kind: 'add-items'; readonly key: string; readonly items: readonly YamlValue[] }
  /** Removes the items equal to one of `values` from the sequence at `key`. */
  | { readonly kind: 'remove-items'; readonly key: string; readonly values: readonly unknown[] });
