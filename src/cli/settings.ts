import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CONFIG_NAME, ConfigError, parseConfig, type Config } from '../config/config.js';
import { Suppressions, type Suppression } from '../config/suppressions.js';
import type { Finding } from '../core/engine.js';
import type { Rule, RunOptions, Severity } from '../rules/types.js';
import type { Input } from './inputs.js';
import type { CliIO } from './io.js';
import { selectRules, type SelectionOptions } from './rule-selection.js';

/** What the command line says; a flag given wins over the config file. */
export interface SettingsFlags extends SelectionOptions {
  /** Set only when given on the command line. */
  limits?: RunOptions['limits'];
  /** `--config FILE`: use this file instead of looking for one. */
  config?: string;
}

/** How one input is checked and fixed: its config file merged with the flags. */
export interface InputSettings {
  readonly config: Config | null;
  readonly rules: readonly Rule[];
  readonly run: RunOptions;
  readonly severity: ReadonlyMap<string, Severity>;
  /** The suppressions of one file (fresh per file: they cache its services). */
  suppressions(): Suppressions;
}

/** A finding as the findings formats show it: with the severity the config gives and its suppression. */
export interface ShownFinding extends Finding {
  readonly suppressed: Suppression | null;
}

export function shown(finding: Finding, settings: InputSettings | undefined, suppressions: Suppressions | undefined): ShownFinding {
  const severity = settings?.severity.get(finding.ruleId) ?? finding.severity;
  return { ...finding, severity, suppressed: suppressions?.lookup(finding.ruleId, finding.service) ?? null };
}

/**
 * The settings of every input. Each input uses `--config FILE`, or the `.compose-harden.yml` found
 * upwards from its directory (the working directory for standard input), stopping after the directory
 * that holds `.git`, or at the root. Throws a ConfigError for a config that cannot be used.
 */
export async function settingsFor(inputs: readonly Input[], all: readonly Rule[], flags: SettingsFlags, io: CliIO): Promise<Map<Input, InputSettings>> {
  const known = new Set(all.map((rule) => rule.meta.id));
  const selected = selectRules(all, flags);
  const loaded = new Map<string, Config>();
  const load = async (path: string): Promise<Config> => {
    let config = loaded.get(path);
    if (!config) {
      let text: string;
      try {
        text = new TextDecoder('utf-8').decode(await io.fs.readFile(path));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new ConfigError(display(path, io.cwd), code === 'ENOENT' ? 'no such config file: check the --config path' : `cannot read the config file: ${(error as Error).message}`, 1, 1);
      }
      config = parseConfig(text, display(path, io.cwd), known);
      loaded.set(path, config);
    }
    return config;
  };
  const out = new Map<Input, InputSettings>();
  for (const input of inputs) {
    const path = flags.config !== undefined ? resolve(io.cwd, flags.config) : await findConfig(input.path === null ? io.cwd : dirname(input.path), io);
    const config = path === null ? null : await load(path);
    out.set(input, combine(config, selected, flags, known));
  }
  return out;
}

/** `known`: every rule id of the catalogue (a service may name a rule that a flag skips). */
function combine(config: Config | null, selected: readonly Rule[], flags: SettingsFlags, known: ReadonlySet<string>): InputSettings {
  // `--only` names the rules to run, whatever the config switches off.
  const rules = flags.only !== undefined || !config ? selected : selected.filter((rule) => config.rules.get(rule.meta.id)?.enabled !== false);
  const severity = new Map<string, Severity>();
  for (const [id, setting] of config?.rules ?? []) if (setting.enabled && setting.severity) severity.set(id, setting.severity);
  const ignores = config?.ignore ?? [];
  return {
    config,
    rules,
    run: { limits: flags.limits ?? config?.limits ?? 'small' },
    severity,
    suppressions: () => new Suppressions(ignores, known),
  };
}

/** Settings from the flags alone (no config file), for callers that do not look for one. */
export function flagSettings(rules: readonly Rule[], run: RunOptions | undefined, known: ReadonlySet<string>): InputSettings {
  return { config: null, rules, run: run ?? { limits: 'small' }, severity: new Map(), suppressions: () => new Suppressions([], known) };
}

/** The nearest `.compose-harden.yml` from `start` upwards, or null. */
export async function findConfig(start: string, io: CliIO): Promise<string | null> {
  let dir = start;
  for (;;) {
    const candidate = join(dir, CONFIG_NAME);
    if (await io.fs.exists(candidate)) return candidate;
    if (await io.fs.exists(join(dir, '.git'))) return null;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function display(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel) ? rel : path;
}
