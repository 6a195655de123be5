import { isAlias, isMap, isScalar, type Node, type Pair } from 'yaml';
import type { ComposeFile, ServiceNode } from '../../core/compose-file.js';
import { isMergeKey } from '../../core/effective.js';
import type { ServiceProfile } from '../../knowledge/service-profile.js';
import { defaults, type LimitsProfile } from '../../knowledge/templates.js';

/**
 * Where a service's limits are written. Compose v2 (compose-go) refuses a service whose `pids_limit`,
 * `mem_limit` or `cpus` differs from `deploy.resources.limits` (an absent value counts as 0), and
 * docker-compose v1 refuses `deploy.resources.limits.pids`. So the service-level keys, which every
 * implementation and file version accepts, are written unless the service already uses
 * `deploy.resources`, in which case its limits go there, pids included.
 */
export function limitsLocation(service: ServiceNode): 'deploy' | 'service' {
  const e = service.effective;
  const resources = (e.deploy as { resources?: { limits?: unknown } | null } | undefined)?.resources;
  if (resources === undefined || resources === null) return 'service';
  if (resources.limits !== undefined && resources.limits !== null) return 'deploy';
  // deploy.resources with reservations only: a new limits block would have to repeat every service-level
  // limit the service already sets (Compose v2 compares them), so those services stay at service level.
  const serviceLevel = ['mem_limit', 'cpus', 'cpu_quota', 'pids_limit'].some((key) => e[key] !== undefined && e[key] !== null);
  return serviceLevel ? 'service' : 'deploy';
}

/** The legacy `version:` as numbers (`"2.1"` → [2, 1]), or null for Compose Specification files. */
export function fileVersion(file: ComposeFile): [number, number] | null {
  const match = file.version === null ? null : /^\s*(\d+)(?:\.(\d+))?/.exec(file.version);
  return match ? [Number(match[1]), Number(match[2] ?? 0)] : null;
}

/** Whether the file format has `cpus` (2.2 and later; version 2.0 and 2.1 files use `cpu_quota`). */
export function hasCpusKey(file: ComposeFile): boolean {
  const version = fileVersion(file);
  return !version || version[0] !== 2 || version[1] >= 2;
}

export interface PlannedLimits {
  readonly memory: string;
  readonly reservation: string;
  readonly cpus: string;
  readonly pids: number;
  /** Where the values come from, and a comment for each written value. */
  readonly source: string;
  readonly defaulted: boolean;
  readonly comment: string;
}

/** The limits to write: the image knowledge's small-deployment values, or conservative defaults, scaled by `--limits`. */
export function plannedLimits(profile: ServiceProfile, size: LimitsProfile): PlannedLimits {
  const d = defaults();
  const factor = d.limitProfiles[size];
  const base = profile.match?.entry.limits ?? d.limits;
  const memory = scaleBytes(parseBytes(base.memory)!, factor);
  const scaled = factor === 1 ? '' : ` x${factor} (--limits ${size})`;
  return {
    memory: formatBytes(memory),
    reservation: formatBytes(Math.max(16 * 2 ** 20, Math.floor(memory / 4))),
    cpus: trimNumber(Number(base.cpus) * factor),
    pids: Math.round(base.pids * factor),
    source: profile.match ? `${profile.match.file}#${profile.match.entry.id}` : 'templates/defaults.json#limits',
    defaulted: !profile.match,
    comment: profile.match ? `${profile.match.entry.id} small deployment${scaled} (image knowledge)` : `compose-harden default${scaled}: ${d.limits.tune}`,
  };
}

/**
 * The limits for a service, with its own overrides: `x-compose-harden: {limits: {memory, cpus, pids}}` on
 * the service (Compose ignores `x-` keys) replaces the planned value of each key it gives.
 */
export function serviceLimits(service: ServiceNode, profile: ServiceProfile, size: LimitsProfile): PlannedLimits {
  const planned = plannedLimits(profile, size);
  const override = (service.effective['x-compose-harden'] as { limits?: Record<string, unknown> } | undefined)?.limits;
  if (!override || typeof override !== 'object') return planned;
  const memory = parseBytes(override.memory);
  const cpus = Number(override.cpus);
  const pids = Number(override.pids);
  return {
    ...planned,
    ...(memory !== null ? { memory: formatBytes(memory), reservation: formatBytes(Math.max(16 * 2 ** 20, Math.floor(memory / 4))) } : {}),
    ...(Number.isFinite(cpus) && cpus > 0 ? { cpus: trimNumber(cpus) } : {}),
    ...(Number.isInteger(pids) && pids > 0 ? { pids } : {}),
    source: 'x-compose-harden',
    defaulted: false,
    comment: 'from x-compose-harden on this service',
  };
}

const UNITS: Record<string, number> = { b: 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/** `512M`, `512m`, `1g`, `1.5G`, `536870912`, `512MiB`, `512mb` to bytes; null when unknown (interpolated). */
export function parseBytes(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return null;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([bkmgt])?(?:i?b)?\s*$/i.exec(value);
  if (!match) return null;
  return Math.round(Number(match[1]) * UNITS[(match[2] ?? 'b').toLowerCase()]!);
}

function scaleBytes(bytes: number, factor: number): number {
  return bytes * factor;
}

export function formatBytes(bytes: number): string {
  for (const [unit, size] of [['G', 2 ** 30], ['M', 2 ** 20], ['K', 2 ** 10]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${Math.round(bytes / 2 ** 20)}M`;
}

function trimNumber(n: number): string {
  const text = n.toFixed(2).replace(/0+$/, '').replace(/\.$/, '');
  return text.includes('.') ? text : `${text}.0`;
}

/** Whether a limit value is set to something that limits: interpolations count (the user controls them); 0 does not. */
export function isSetLimit(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (typeof value === 'string' && value.includes('$')) {
    // `${MEM}` is the user's to set; `${MEM:-0}` (or `-`, `:=`, `=`) falls back to its default when unset.
    const fallback = /^\$\{[A-Za-z_][A-Za-z0-9_]*(?::?[-=])(.*)\}$/.exec(value.trim());
    return fallback ? isSetLimit(fallback[1]) : true;
  }
  // A number (bytes, CPUs) or a size with a unit; anything else (`notanumber`, a unit alone) limits nothing.
  const n = typeof value === 'number' ? value : /^\s*\d/.test(String(value)) ? Number.parseFloat(String(value)) : Number.NaN;
  return !Number.isNaN(n) && n > 0;
}

/** `deploy.resources.<section>.<key>` of the effective service. */
export function deployResource(effective: Record<string, unknown>, section: 'limits' | 'reservations', key: string): unknown {
  const deploy = effective.deploy as Record<string, unknown> | undefined;
  const resources = deploy?.resources as Record<string, unknown> | undefined;
  const part = resources?.[section] as Record<string, unknown> | undefined;
  return part?.[key];
}

/** Whether the effective service has a value (null included) at `path` (`['deploy', 'resources', 'limits', 'memory']`). */
export function hasPath(effective: Record<string, unknown>, path: readonly string[]): boolean {
  let value: unknown = effective;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !(key in value)) return false;
    value = (value as Record<string, unknown>)[key];
  }
  return true;
}

/**
 * The node a finding about the key at `path` points at, in the service's own text (never in an anchor it
 * inherits from). A key written in the service: that key, however deep (`memory:` under
 * `deploy.resources.limits`, in block or flow style). A key the service inherits: the merge key (`<<`) or
 * the alias it comes through, at the deepest level the service writes itself. An absent key: the deepest
 * section along the path that exists and lacks it (`logging:` without `options`, `limits:` without
 * `cpus`), or the service name when the service lacks the whole section.
 */
export function locatePath(service: ServiceNode, file: ComposeFile, path: readonly string[]): Node {
  const [first, ...rest] = path;
  if (first === undefined) return service.key;
  let pair: Pair<unknown, unknown> | undefined = service.ownPair(first);
  if (!pair) return service.locate(first);
  let effective: unknown = service.effective[first];
  for (const key of rest) {
    const value = pair.value as Node | null;
    const present = effective !== null && typeof effective === 'object' && !Array.isArray(effective) && key in effective;
    if (isAlias(value)) return present ? value : (pair.key as Node);
    if (!isMap(value)) return pair.key as Node;
    const own: Pair<unknown, unknown> | undefined = value.items.find((p) => isScalar(p.key) && String(p.key.value) === key && !isMergeKey(p.key));
    if (!own) {
      // With several `<<` keys in one mapping, the one whose sources bring the key in.
      const merges = value.items.filter((p) => isMergeKey(p.key));
      const merge = merges.length > 1 ? (merges.find((p) => provides(file.toJS(p.value as Node | null), key)) ?? merges[0]) : merges[0];
      return present && merge ? (merge.key as Node) : (pair.key as Node);
    }
    pair = own;
    effective = present ? (effective as Record<string, unknown>)[key] : undefined;
  }
  return pair.key as Node;
}

/** Whether a merge key's value, read as Compose reads it (a mapping, or a list of them), brings in `key`. */
function provides(value: unknown, key: string): boolean {
  const sources = Array.isArray(value) ? value : [value];
  return sources.some((source) => source !== null && typeof source === 'object' && !Array.isArray(source) && key in source);
}

/** Of several nodes, the one written first in the file (a finding with several causes points at the first). */
export function firstNode(nodes: readonly Node[]): Node | undefined {
  return [...nodes].sort((a, b) => (a.range?.[0] ?? 0) - (b.range?.[0] ?? 0))[0];
}
