import type { Node } from 'yaml';
import type { ComposeFile, ServiceNode } from '../core/compose-file.js';
import type { Intent } from '../core/intents.js';

export type Severity = 'error' | 'warning' | 'info';

/** How a fix is applied: safe (cannot change a working service), review (applied, can break a service relying on the removed power), manual (reported only). */
export type FixSafety = 'safe' | 'review' | 'manual';

export const CIS_VERSION = 'CIS-Docker-1.6.0';

/** Everything the catalogue says about a rule; `rules`, the README table and the docs are rendered from it. */
export interface RuleMeta {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly fix: FixSafety;
  /** CIS Docker Benchmark v1.6.0 section numbers, without the version prefix. */
  readonly cis: readonly string[];
  readonly refs: { readonly kics: readonly string[]; readonly semgrep: readonly string[]; readonly composeLint: readonly string[] };
  /** Why the rule exists. */
  readonly rationale: string;
  /** What the fix does (or, for manual rules, what the user should do). */
  readonly remedy: string;
  /** Service keys the rule's fix may change; everything else in the file must stay the same. */
  readonly owns: readonly string[];
  /** Top-level keys the rule's fix may change (`networks`, `secrets`). */
  readonly ownsTopLevel?: readonly string[];
  readonly examples: { readonly bad: string; readonly good: string };
  /** What the rule detects, in a sentence or two (`explain`, the rule reference); the title when absent. */
  readonly detects?: string;
  /** Further reading: pages that explain the risk or the setting. */
  readonly references?: ReadonlyArray<{ readonly title: string; readonly url: string }>;
}

/** One problem a rule found in one service. */
export interface Report {
  readonly message: string;
  /** The node the finding points at (a key, an item); defaults to the service name. */
  readonly node?: Node;
  readonly severity?: Severity;
  /** Overrides the rule's CIS sections for this finding (e.g. one namespace of several). */
  readonly cis?: readonly string[];
  /**
   * The change that fixes it; absent for findings the rule cannot fix. A function is called only when the
   * change is needed (fix, diff, inspect), so that `check` does not build what it never writes.
   */
  readonly fix?: readonly Intent[] | (() => readonly Intent[]);
  /** How to act on a finding without a fix, when that is not simply manual work (an unverified default to review). */
  readonly safety?: FixSafety;
  /** Changes to other services, or to the file's top level (`TOP_LEVEL`), that belong to this finding's fix. */
  readonly related?: ReadonlyArray<{ readonly target: string; readonly intents: readonly Intent[] }>;
}

/** The target name of a related change to the file's top-level mapping. */
export const TOP_LEVEL = '\u0000top-level';

/** What a rule may know about the run beyond the service and file. */
export interface RuleContext {
  /** Ids of the rules enabled in this run (a rule's fix can depend on another's: cap_add on non-root-user). */
  readonly enabled: ReadonlySet<string>;
  readonly options: RunOptions;
}

/** Options of a run that change what fixes write. */
export interface RunOptions {
  /** Scales the knowledge's small-deployment limits (`--limits`). */
  readonly limits: 'small' | 'medium' | 'large';
  /** Reads a file relative to the compose file's directory (`env_file:`), or null when absent; unset for stdin and pure runs. */
  readonly readFile?: (path: string) => string | null;
}

export const DEFAULT_RUN_OPTIONS: RunOptions = { limits: 'small' };

export interface Rule {
  readonly meta: RuleMeta;
  check(service: ServiceNode, file: ComposeFile, context: RuleContext): Report[];
}

export function formatCis(sections: readonly string[]): string {
  return sections.length === 0 ? '' : `${CIS_VERSION} ${sections.join(', ')}`;
}
