import type { ComposeFile, ServiceNode } from '../../core/compose-file.js';
import type { ServiceProfile } from '../../knowledge/service-profile.js';
import { defaults, type LimitsProfile } from '../../knowledge/templates.js';

/** `version: "2"`…`"2.4"` files use `mem_limit`/`cpus`; Compose Specification and 3.x files use `deploy.resources`. */
export function usesLegacyLimits(file: ComposeFile, service: ServiceNode): boolean {
  if (file.version !== null && /^2(\.\d+)?$/.test(file.version.trim())) return true;
  const e = service.effective;
  return ['mem_limit', 'memswap_limit', 'mem_reservation', 'cpus', 'cpu_quota'].some((key) => e[key] !== undefined && e[key] !== null);
}

/** `version: "2"`/`"2.0"`/`"2.1"` predate `cpus` (2.2). */
export function hasCpusKey(file: ComposeFile): boolean {
  return !(file.version !== null && /^2(\.[01])?$/.test(file.version.trim()));
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
  if (typeof value === 'string' && value.includes('$')) return true;
  const n = typeof value === 'number' ? value : Number.parseFloat(String(value));
  return Number.isNaN(n) ? true : n > 0;
}

/** `deploy.resources.<section>.<key>` of the effective service. */
export function deployResource(effective: Record<string, unknown>, section: 'limits' | 'reservations', key: string): unknown {
  const deploy = effective.deploy as Record<string, unknown> | undefined;
  const resources = deploy?.resources as Record<string, unknown> | undefined;
  const part = resources?.[section] as Record<string, unknown> | undefined;
  return part?.[key];
}
