import type { YamlValue } from './render.js';
import type { SideFile } from './side-files.js';

/**
 * What a rule wants changed in one service, as data. The planner turns the intents of all rules into
 * byte-range edits, merging those that touch the same key so that no key is ever written twice.
 */
/** Why a change is made and where that knowledge comes from, for `inspect` and the explanations. */
export interface Because {
  readonly reason?: string;
  readonly source?: string;
  /** The intent carries a secret value (an environment entry being moved): outputs show its key only. */
  readonly secret?: boolean;
}

export type Intent = Because &
  (
  /** Sets `path` (relative to the service) to `value` when absent; with `replace`, also when present and different. */
  | { readonly kind: 'set'; readonly path: readonly string[]; readonly value: YamlValue; readonly replace?: boolean }
  /** Makes the sequence at `key` contain `items` (created if absent; a string value becomes a list). */
  | { readonly kind: 'add-items'; readonly key: string; readonly items: readonly YamlValue[] }
  /** Removes the items equal to one of `values` from the sequence at `key`. */
  | { readonly kind: 'remove-items'; readonly key: string; readonly values: readonly unknown[] }
  /** Removes the key at `path` from the service's own mapping (`environment.DB_PASSWORD`). */
  | { readonly kind: 'unset'; readonly path: readonly string[] }
  /** Replaces the key at `path` by `to: value` on the same line (`POSTGRES_PASSWORD` → `POSTGRES_PASSWORD_FILE`). */
  | { readonly kind: 'rename'; readonly path: readonly string[]; readonly to: string; readonly value: YamlValue }
  /** A file written beside the compose file (a secret, an env file, a seccomp profile): never printed. */
  | { readonly kind: 'write-file'; readonly file: SideFile });
