import { isScalar, isSeq, type Node, type Pair, type Scalar } from 'yaml';
import type { ServiceNode } from '../../core/compose-file.js';

/** Compose reads booleans leniently in places; treat the spellings users write as true. */
export function isTrue(value: unknown): boolean {
  if (value === true) return true;
  return typeof value === 'string' && /^(true|yes|on|1)$/i.test(value.trim());
}

/** A list-or-string setting (`tmpfs: /run` or `tmpfs: [/run]`) as a list of strings. */
export function stringList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.filter((item) => item !== null && item !== undefined).map((item) => String(item));
}

/** The service's own item node of the list at `key` whose value satisfies `match`, to point a finding at. */
export function findOwnItem(service: ServiceNode, key: string, match: (value: string) => boolean): Node | undefined {
  const pair = service.ownPair(key) as Pair<Scalar, unknown> | undefined;
  const value = pair?.value as Node | null | undefined;
  if (isSeq(value)) return (value.items as Node[]).findLast((item) => isScalar(item) && match(String(item.value)));
  if (isScalar(value) && match(String(value.value))) return value;
  return undefined;
}

/**
 * Resolves `${VAR:-default}` / `${VAR-default}` to the default; other interpolations stay unknown (null),
 * because their value is only known when Compose runs.
 */
export function interpolatedDefault(value: string): string | null {
  if (!value.includes('$')) return value;
  let unknown = false;
  const out = value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, _name, op, def) => {
    if (op === ':-' || op === '-') return def as string;
    unknown = true;
    return '';
  });
  return unknown ? null : out.replace(/\$\$/g, '$');
}

/** The names the service's `environment:` sets (map or `KEY=value` list form). */
export function environmentNames(effective: Record<string, unknown>): Set<string> {
  const env = effective.environment;
  if (Array.isArray(env)) return new Set(env.map((item) => String(item).split('=')[0]!.trim()));
  if (env !== null && typeof env === 'object') return new Set(Object.keys(env));
  return new Set();
}

/**
 * Splits a short-syntax entry on the colons that separate its fields, not those inside `${VAR:-default}`.
 * `joins(field, before, after)` may keep a colon inside field number `field` (a Windows drive, `C:\\data`).
 */
export function splitColonFields(spec: string, joins?: (field: number, before: string, after: string) => boolean): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i]!;
    if (c === '$' && spec[i + 1] === '{') depth++;
    else if (c === '}' && depth > 0) depth--;
    if (c === ':' && depth === 0 && !(joins?.(parts.length, current, spec.slice(i + 1)) ?? false)) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}
