import { readFileSync } from 'node:fs';
import type { CapabilityNeed, TmpfsPath } from './image-entry.js';

/** The `templates/` directory shipped with the package (the same relative place from `src/` and `dist/`). */
const TEMPLATES = new URL('../../templates/', import.meta.url);

const cache = new Map<string, unknown>();

/** Reads and caches one JSON file of `templates/`; only read when a rule first needs it. */
export function loadTemplate<T>(name: string): T {
  let value = cache.get(name);
  if (value === undefined) {
    value = JSON.parse(readFileSync(new URL(name, TEMPLATES), 'utf8')) as unknown;
    cache.set(name, value);
  }
  return value as T;
}

export type LimitsProfile = 'small' | 'medium' | 'large';

export interface Defaults {
  everyImage: { tmpfs: TmpfsPath[] };
  unknownImage: { tmpfs: TmpfsPath[]; capabilities: CapabilityNeed[]; verify: string };
  limits: { memory: string; cpus: string; pids: number; why: string; tune: string; source: string };
  limitProfiles: Record<LimitsProfile, number>;
  logging: { driver: string; options: Record<string, string>; why: string; source: string };
}

export interface CapabilityRisk {
  tier: 'error' | 'warning';
  why: string;
}

export const defaults = (): Defaults => loadTemplate<Defaults>('defaults.json');

export const capabilityRisks = (): Record<string, CapabilityRisk> =>
  loadTemplate<{ capabilities: Record<string, CapabilityRisk> }>('capabilities.json').capabilities;
