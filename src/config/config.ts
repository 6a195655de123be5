import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node, type Pair } from 'yaml';
import type { RunOptions, Severity } from '../rules/types.js';
import { unknownRule } from './suggest.js';

/** The name looked for upwards from a compose file's directory. */
export const CONFIG_NAME = '.compose-harden.yml';

/** A rule switched off, or on with another severity. */
export type RuleSetting = { readonly enabled: false } | { readonly enabled: true; readonly severity?: Severity };

/** An `ignore:` entry: a rule not applied to one service (or to every service), and why. */
export interface ConfigIgnore {
  readonly rule: string;
  /** Null: every service. */
  readonly service: string | null;
  readonly reason: string;
}

/** What a `.compose-harden.yml` says. */
export interface Config {
  /** Shown in messages, relative to the working directory when inside it. */
  readonly path: string;
  readonly rules: ReadonlyMap<string, RuleSetting>;
  readonly limits: RunOptions['limits'] | null;
  readonly ignore: readonly ConfigIgnore[];
}

/** A config file (or a service's `x-compose-harden`) that cannot be used: `path:line:column: what; what to do`. */
export class ConfigError extends Error {
  constructor(
    readonly path: string,
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'ConfigError';
  }

  format(): string {
    return `${this.path}:${this.line}:${this.column}: ${this.message}`;
  }
}

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
const LIMITS: ReadonlyArray<RunOptions['limits']> = ['small', 'medium', 'large'];
const TOP_KEYS = ['rules', 'options', 'ignore'];

export const CONFIG_EXAMPLE = `rules: {init-process: off, no-new-privileges: error}
options: {limits: medium}
ignore: [{rule: read-only-rootfs, service: web, reason: "writes /var/cache at runtime"}]`;

/** Parses and validates a config file's text; `known` are the rule ids that exist. */
export function parseConfig(text: string, path: string, known: ReadonlySet<string>): Config {
  const lines = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const fail = (node: Node | null | undefined, message: string): never => {
    const at = lines.linePos(node?.range?.[0] ?? 0);
    throw new ConfigError(path, message, at.line, at.col);
  };
  const first = doc.errors[0];
  if (first) {
    const at = lines.linePos(first.pos[0]);
    throw new ConfigError(path, `invalid YAML: ${first.message.replace(/ at line \d+[\s\S]*$/, '')}; fix the YAML syntax`, at.line, at.col);
  }
  const root = doc.contents;
  const rules = new Map<string, RuleSetting>();
  const ignore: ConfigIgnore[] = [];
  let limits: RunOptions['limits'] | null = null;
  if (root === null || (isScalar(root) && root.value === null)) return { path, rules, limits, ignore };
  if (!isMap(root)) return fail(root, `the config is not a mapping; write keys ${TOP_KEYS.join(', ')} (for example ${CONFIG_EXAMPLE.split('\n')[0]})`);

  for (const pair of root.items as Array<Pair<Node, Node | null>>) {
    const key = keyOf(pair, fail);
    const value = pair.value;
    if (key === 'rules') {
      if (!isMap(value)) fail(value ?? pair.key, '`rules` must be a mapping of rule ids to off, on, error, warning or info; for example `rules: {init-process: off}`');
      for (const item of (value as unknown as { items: Array<Pair<Node, Node | null>> }).items) {
        const id = keyOf(item, fail);
        if (!known.has(id)) fail(item.key, unknownRule(id, known));
        rules.set(id, ruleSetting(item.value, fail, item.key));
      }
    } else if (key === 'options') {
      if (!isMap(value)) fail(value ?? pair.key, '`options` must be a mapping; for example `options: {limits: medium}`');
      for (const item of (value as unknown as { items: Array<Pair<Node, Node | null>> }).items) {
        const name = keyOf(item, fail);
        if (name !== 'limits') fail(item.key, `unknown option "${name}"; the options are: limits`);
        const v = isScalar(item.value) ? item.value.value : undefined;
        if (typeof v !== 'string' || !LIMITS.includes(v as RunOptions['limits'])) {
          fail(item.value ?? item.key, '`limits` must be small, medium or large');
        }
        limits = v as RunOptions['limits'];
      }
    } else if (key === 'ignore') {
      if (!isSeq(value)) fail(value ?? pair.key, '`ignore` must be a list of {rule, service, reason}; for example `ignore: [{rule: read-only-rootfs, service: web, reason: "..."}]`');
      for (const entry of (value as unknown as { items: Array<Node | null> }).items) ignore.push(ignoreEntry(entry, known, fail));
    } else {
      fail(pair.key, `unknown key "${key}"; a config has ${TOP_KEYS.join(', ')}`);
    }
  }
  return { path, rules, limits, ignore };
}

type Fail = (node: Node | null | undefined, message: string) => never;

function keyOf(pair: Pair<Node, Node | null>, fail: Fail): string {
  if (!isScalar(pair.key) || typeof pair.key.value !== 'string') return fail(pair.key, 'a key must be a plain string');
  return pair.key.value;
}

function ruleSetting(node: Node | null, fail: Fail, key: Node): RuleSetting {
  const v = isScalar(node) ? node.value : undefined;
  if (v === false || v === 'off') return { enabled: false };
  if (v === true || v === 'on') return { enabled: true };
  if (typeof v === 'string' && SEVERITIES.includes(v as Severity)) return { enabled: true, severity: v as Severity };
  return fail(node ?? key, 'a rule is set to off, on, error, warning or info');
}

function ignoreEntry(node: Node | null, known: ReadonlySet<string>, fail: Fail): ConfigIgnore {
  if (!isMap(node)) return fail(node, 'an ignore entry is a mapping {rule, service, reason}; service is optional (every service when absent)');
  let rule: string | undefined;
  let service: string | null = null;
  let reason: string | undefined;
  for (const pair of node.items as Array<Pair<Node, Node | null>>) {
    const key = keyOf(pair, fail);
    const v = isScalar(pair.value) ? pair.value.value : undefined;
    const where = pair.value ?? pair.key;
    if (key === 'rule') {
      if (typeof v !== 'string') fail(where, '`rule` must be a rule id');
      if (!known.has(v as string)) fail(where, unknownRule(v as string, known));
      rule = v as string;
    } else if (key === 'service') {
      if (typeof v !== 'string' || v === '') fail(where, '`service` must be a service name');
      service = v as string;
    } else if (key === 'reason') {
      if (typeof v !== 'string' || v.trim() === '') fail(where, '`reason` must say why the rule does not apply, as text');
      reason = (v as string).trim();
    } else {
      fail(pair.key, `unknown key "${key}" in an ignore entry; it has rule, service and reason`);
    }
  }
  if (rule === undefined) fail(node, 'this ignore entry has no `rule`; add the id of the rule to ignore');
  if (reason === undefined) fail(node, `ignoring ${rule} needs a reason; add \`reason: why it does not apply\``);
  return { rule: rule!, service, reason: reason! };
}
