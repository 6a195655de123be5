/**
 * Where each credential found in `environment:` goes: one plan per file, so that a value used by
 * several services becomes one secret, names never collide, and every pass agrees on them.
 */
import { isMap, isScalar, isSeq, type Node, type Pair, type Scalar } from 'yaml';
import type { ComposeFile, ServiceNode } from '../../core/compose-file.js';
import { isMergeKey } from '../../core/effective.js';
import { SECRETS_DIR } from '../../core/side-files.js';
import { serviceProfile } from '../../knowledge/service-profile.js';
import { classifyEntry, interpolation, isCredentialKey, urlPassword, urlWithPassword } from './credentials.js';
import { environmentNames } from './values.js';

export interface EnvEntry {
  readonly key: string;
  /** The value as written (YAML scalar), `null` for a key without a value. */
  readonly value: unknown;
  /**
   * The key (map form) or the item (list form) in the service's own mapping, when it is written there;
   * else what it is inherited through: the `<<` of the service's own `environment:`, or (from the
   * service) its `environment:` key, merge key or alias.
   */
  readonly node: Node | undefined;
  /** The entry is written in the service's own `environment:` (not inherited through a merge key or alias). */
  readonly own: boolean;
  readonly form: 'map' | 'list';
  /** The list item as Compose reads it (`KEY=value`), for the list form. */
  readonly item: string | null;
  /** The value's text as written, for a plain scalar in map form. */
  readonly valueSource: string | null;
  /** The value's scalar node in map form. */
  readonly valueNode: Scalar | null;
}

/** What happens to one credential entry. */
export type CredentialMove =
  | {
      readonly action: 'file-variant';
      readonly entry: EnvEntry;
      readonly secret: string;
      /** `POSTGRES_PASSWORD_FILE`. */
      readonly variable: string;
      readonly source: SecretSource;
    }
  | {
      /** No `_FILE` variant: the value moves to a git-ignored env file, and the secret is mounted for the application to switch to. */
      readonly action: 'env-file';
      readonly entry: EnvEntry;
      readonly secret: string;
      readonly envFile: string;
      readonly envLine: string;
      readonly source: SecretSource;
    }
  | { readonly action: 'report'; readonly entry: EnvEntry; readonly why: string };

export type SecretSource = { readonly kind: 'file'; readonly value: string } | { readonly kind: 'environment'; readonly variable: string };

export interface Credential {
  readonly entry: EnvEntry;
  readonly kind: 'literal' | 'url' | 'interpolated';
  /** The variable of a whole `${VAR}` value. */
  readonly variable: string | null;
}

interface FilePlan {
  readonly moves: Map<ServiceNode, Map<string, CredentialMove>>;
}

const plans = new WeakMap<ComposeFile, FilePlan>();

/** The plan for every credential of every service of the file, computed once per parse, by environment key. */
export function credentialMoves(file: ComposeFile, service: ServiceNode): ReadonlyMap<string, CredentialMove> {
  let plan = plans.get(file);
  if (!plan) plans.set(file, (plan = planFile(file)));
  return plan.moves.get(service) ?? new Map();
}

/** The credentials a service passes in its environment: literal values, URLs with a password, and `${VAR}` values. */
export function serviceCredentials(service: ServiceNode): Credential[] {
  let out = credentialCache.get(service);
  if (!out) credentialCache.set(service, (out = readCredentials(service)));
  return out;
}

const credentialCache = new WeakMap<ServiceNode, Credential[]>();
const entryCache = new WeakMap<ServiceNode, EnvEntry[]>();

function readCredentials(service: ServiceNode): Credential[] {
  const out: Credential[] = [];
  const env = service.effective.environment;
  if (env === undefined || env === null || !mayHoldCredential(env)) return out;
  for (const entry of environmentEntries(service)) {
    const text = entry.value === null || entry.value === undefined ? '' : String(entry.value);
    const kind = classifyEntry(entry.key, entry.value);
    if (kind.kind === 'literal') {
      out.push({ entry, kind: 'literal', variable: null });
      continue;
    }
    if (kind.kind === 'interpolated') {
      out.push({ entry, kind: 'interpolated', variable: kind.variable === '' ? null : kind.variable });
      continue;
    }
    if (urlWithPassword(text)) out.push({ entry, kind: 'url', variable: null });
  }
  return out;
}

/**
 * Whether any entry of an environment (map or `KEY=value` list) can be a credential: a credential-shaped
 * key, or a value with a URL that has a user part. Most services have none, and then no entry is read in detail.
 */
function mayHoldCredential(env: unknown): boolean {
  const url = (value: unknown) => typeof value === 'string' && value.includes('://') && value.includes('@');
  if (Array.isArray(env)) {
    return env.some((item) => {
      const text = String(item);
      const eq = text.indexOf('=');
      return isCredentialKey(eq === -1 ? text : text.slice(0, eq)) || url(text);
    });
  }
  if (typeof env !== 'object') return false;
  for (const [key, value] of Object.entries(env as Record<string, unknown>)) if (isCredentialKey(key) || url(value)) return true;
  return false;
}

function planFile(file: ComposeFile): FilePlan {
  const moves = new Map<ServiceNode, Map<string, CredentialMove>>();
  const taken = new Set(Object.keys(asRecord(file.topLevel('secrets'))));
  const byValue = new Map<string, string>();
  const byVariable = new Map<string, string>();
  const claim = (base: string, service: ServiceNode): string => {
    const candidates = [base, `${secretName(service.name)}_${base}`];
    for (let i = 2; ; i++) {
      const name = candidates.shift() ?? `${base}_${i}`;
      if (!taken.has(name)) {
        taken.add(name);
        return name;
      }
    }
  };
  for (const service of file.services) {
    const own = new Map<string, CredentialMove>();
    moves.set(service, own);
    const profile = serviceProfile(service);
    const secrets = profile.match?.entry.secrets;
    const suffix = secrets?.fileSuffix ?? '_FILE';
    const environment = environmentNames(service.effective);
    for (const { entry, kind, variable } of serviceCredentials(service)) {
      const report = (why: string) => own.set(entry.key, { action: 'report', entry, why });
      if (!entry.own) {
        report('it is inherited through a merge key or an alias: move it where the anchor defines it');
        continue;
      }
      const fileVariant = secrets?.fileVariants.includes(entry.key)
        ? `${entry.key}${suffix}`
        : declaredFileVariants(service).includes(entry.key)
          ? `${entry.key}_FILE`
          : null;
      if (fileVariant && environment.has(fileVariant)) {
        report(`${fileVariant} is set as well: remove one of them`);
        continue;
      }
      if (kind === 'interpolated') {
        const whole = variable !== null && /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/.test(String(entry.value).trim());
        if (!fileVariant || !whole) continue; // reported only: the value is not in the file
        let name = byVariable.get(variable);
        if (name === undefined) byVariable.set(variable, (name = claim(secretName(variable), service)));
        own.set(entry.key, { action: 'file-variant', entry, secret: name, variable: fileVariant, source: { kind: 'environment', variable } });
        continue;
      }
      const value = composeValue(entry);
      if (value === null) {
        report('its value is interpolated by Compose (`$` followed by a name) or is a number Compose may read differently: quote it or use ${VAR}');
        continue;
      }
      let name = byValue.get(value);
      if (name === undefined) byValue.set(value, (name = claim(secretName(entry.key), service)));
      const source: SecretSource = { kind: 'file', value };
      if (fileVariant) {
        own.set(entry.key, { action: 'file-variant', entry, secret: name, variable: fileVariant, source });
        continue;
      }
      const envLine = envFileLine(entry.key, value);
      if (envLine === null) {
        report('the value has characters an env file cannot carry unchanged (a quote with a newline or backslash): move it by hand');
        continue;
      }
      own.set(entry.key, { action: 'env-file', entry, secret: name, envFile: `${SECRETS_DIR}/${secretName(service.name)}.env`, envLine, source });
    }
  }
  return { moves };
}

/**
 * Variables a service's own application also reads from `<NAME>_FILE`, declared on the service with
 * `x-compose-harden: {file-variants: [NAME, ...]}` (knowledge the image entries cannot have for a
 * locally built image).
 */
export function declaredFileVariants(service: ServiceNode): string[] {
  const ext = asRecord(service.effective['x-compose-harden'])['file-variants'];
  return Array.isArray(ext) ? ext.filter((name): name is string => typeof name === 'string') : [];
}

/** A secret name: lower case `[a-z0-9_]`, never empty, never a path. */
export function secretName(text: string): string {
  const name = text
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '')
    .slice(0, 64);
  return name === '' ? 'secret' : name;
}

/**
 * The value the container sees: Compose interpolates `$NAME`/`${NAME}` and turns `$$` into `$`.
 * Null when the value depends on interpolation, or is a number whose text Compose may read otherwise.
 */
export function composeValue(entry: EnvEntry): string | null {
  let raw: string;
  if (entry.form === 'list') raw = entry.item!.slice(entry.item!.indexOf('=') + 1);
  else if (typeof entry.value === 'string') raw = entry.value;
  else {
    // A number or a date: only a plain integer written exactly as it reads is unambiguous.
    raw = String(entry.value);
    if (!/^-?(0|[1-9][0-9]{0,14})$/.test(raw) || entry.valueSource !== raw) return null;
  }
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c !== '$') {
      out += c;
      continue;
    }
    const next = raw[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next !== undefined && /[{A-Za-z_]/.test(next)) return null;
    else out += '$';
  }
  return out;
}

/**
 * `KEY=value` as an env file carries it unchanged for Compose v2 and docker-compose v1: plain when the
 * value has no quote, space, `#`, `$` or backslash, single-quoted when it has no quote, newline or backslash.
 */
export function envFileLine(key: string, value: string): string | null {
  if (value !== '' && /^[^\s'"#$\\`]+$/.test(value)) return `${key}=${value}`;
  if (!/['\n\r\\]/.test(value)) return `${key}='${value}'`;
  return null;
}

/** The effective environment of a service, map or `KEY=value` list form, with the node of each entry. */
export function environmentEntries(service: ServiceNode): EnvEntry[] {
  let entries = entryCache.get(service);
  if (!entries) entryCache.set(service, (entries = readEntries(service)));
  return entries;
}

function readEntries(service: ServiceNode): EnvEntry[] {
  const env = service.effective.environment;
  const own = service.ownPair('environment')?.value as Node | null | undefined;
  const fallback = service.locate('environment');
  if (Array.isArray(env)) {
    const items = isSeq(own) ? (own.items as Node[]) : [];
    return env.map((item, i) => {
      const text = String(item);
      const eq = text.indexOf('=');
      const node = items[i];
      return {
        key: eq === -1 ? text : text.slice(0, eq),
        value: eq === -1 ? null : text.slice(eq + 1),
        node: node ?? fallback,
        own: node !== undefined && isScalar(node),
        form: 'list',
        item: text,
        valueSource: null,
        valueNode: null,
      };
    });
  }
  if (env === null || typeof env !== 'object') return [];
  // `environment: {<<: *common, ...}`: a key the service does not write itself comes through that `<<`.
  const merge = isMap(own) ? (own.items.find((p) => isMergeKey(p.key))?.key as Node | undefined) : undefined;
  // The service's own pairs by key, once: a long environment block must not cost a search per entry.
  const ownPairs = new Map<string, Pair>();
  if (isMap(own)) {
    for (const p of own.items) {
      if (!isScalar(p.key) || isMergeKey(p.key)) continue;
      const name = String(p.key.value);
      if (!ownPairs.has(name)) ownPairs.set(name, p);
    }
  }
  return Object.entries(env as Record<string, unknown>).map(([key, value]) => {
    const pair = ownPairs.get(key);
    const valueNode = pair?.value;
    return {
      key,
      value,
      node: (pair?.key as Node | undefined) ?? merge ?? fallback,
      own: pair !== undefined && (valueNode === null || isScalar(valueNode)),
      form: 'map',
      item: null,
      valueSource: isScalar(valueNode) && valueNode.type === 'PLAIN' ? (valueNode.source ?? null) : null,
      valueNode: isScalar(valueNode) ? valueNode : null,
    };
  });
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * Every text that would reveal a credential of the file: each literal value as written, as YAML reads it
 * and as Compose reads it, each line of a multi-line one, and the password of each URL. Outputs mask them.
 */
export function secretTexts(file: ComposeFile, read?: (path: string) => string | null): string[] {
  const out = new Set<string>();
  const add = (text: string | null | undefined) => {
    if (!text) return;
    for (const line of text.split(/\r?\n/)) if (line.trim().length >= MIN_MASKED) out.add(line.trim());
  };
  for (const service of file.services) {
    for (const { entry, kind } of serviceCredentials(service)) {
      if (kind === 'interpolated') continue;
      const value = entry.value === null || entry.value === undefined ? '' : String(entry.value);
      if (kind === 'url') {
        const password = urlPassword(value);
        add(password);
        add(password === null ? null : interpolation(password).literal); // as Compose reads it: `$$` is `$`
        continue;
      }
      add(value);
      add(composeValue(entry));
      const range = entry.valueNode?.range;
      // As written, escapes included, without its quotes.
      if (range) add(file.source.text.slice(range[0], range[1]).replace(/^(["'])([\s\S]*)\1$/, '$2'));
      const itemRange = entry.form === 'list' ? entry.node?.range : undefined;
      if (itemRange) {
        const item = file.source.text.slice(itemRange[0], itemRange[1]).replace(/^(["'])([\s\S]*)\1$/, '$2');
        add(item.slice(item.indexOf('=') + 1));
      }
    }
  }
  if (read) {
    // Values already moved: the files of the declared secrets, and the credentials of the env files.
    for (const definition of Object.values(asRecord(file.topLevel('secrets')))) {
      const path = asRecord(definition).file;
      if (typeof path !== 'string') continue;
      const text = read(path);
      if (text !== null && text.length <= 65536) add(text);
    }
    for (const service of file.services) {
      for (const path of ([] as unknown[]).concat(service.effective.env_file ?? [])) {
        const where = typeof path === 'string' ? path : asRecord(path).path;
        const text = typeof where === 'string' ? read(where) : null;
        if (text === null) continue;
        for (const line of text.split(/\r?\n/)) {
          const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
          if (match && (isCredentialKey(match[1]!) || urlWithPassword(match[2]!))) add(match[2]!.replace(/^(['"])(.*)\1$/, '$2'));
        }
      }
    }
  }
  return [...out].sort((a, b) => b.length - a.length);
}

/** Shorter values are not masked: they would hide ordinary words of the file without protecting anything. */
export const MIN_MASKED = 3;
