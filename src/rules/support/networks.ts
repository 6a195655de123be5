import type { ServiceNode } from '../../core/compose-file.js';

export interface ServiceNetwork {
  readonly name: string;
  readonly aliases: readonly string[];
  /** Fixed addresses are tied to one network's subnet and cannot move to another network. */
  readonly fixedAddress: boolean;
  readonly settings: Record<string, unknown> | null;
}

/** The networks a service is on: its `networks:` (list or map), or the implicit `default`; none with `network_mode`. */
export function serviceNetworks(service: ServiceNode): ServiceNetwork[] {
  const e = service.effective;
  if (e.network_mode !== undefined && e.network_mode !== null) return [];
  const networks = e.networks;
  if (networks === undefined || networks === null) return [{ name: 'default', aliases: [], fixedAddress: false, settings: null }];
  if (Array.isArray(networks)) return networks.map((name) => ({ name: String(name), aliases: [], fixedAddress: false, settings: null }));
  if (typeof networks !== 'object') return [];
  return Object.entries(networks as Record<string, unknown>).map(([name, settings]) => {
    const s = settings && typeof settings === 'object' ? (settings as Record<string, unknown>) : null;
    return {
      name,
      aliases: Array.isArray(s?.aliases) ? s.aliases.map(String) : [],
      fixedAddress: s?.ipv4_address !== undefined || s?.ipv6_address !== undefined,
      settings: s,
    };
  });
}

/** Whether the service writes `networks:` in map form (or inherits it in that form). */
export function networksAsMap(service: ServiceNode): boolean {
  const networks = service.effective.networks;
  return networks !== null && typeof networks === 'object' && !Array.isArray(networks);
}
