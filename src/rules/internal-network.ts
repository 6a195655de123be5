import type { ComposeFile, ServiceNode } from '../core/compose-file.js';
import type { Intent } from '../core/intents.js';
import type { YamlValue } from '../core/render.js';
import { serviceProfile } from '../knowledge/service-profile.js';
import { serviceNetworks, networksAsMap, type ServiceNetwork } from './support/networks.js';
import { serviceReferences } from './support/service-graph.js';
import { TOP_LEVEL, type Report, type Rule } from './types.js';

export const internalNetwork: Rule = {
  meta: {
    id: 'internal-network',
    title: 'Backend service can reach the internet',
    severity: 'warning',
    fix: 'review',
    cis: ['5.30'],
    refs: { kics: ['ce14a68b'], semgrep: [], composeLint: [] },
    rationale:
      'A database, cache or queue needs no internet access, but on a default network it has it: a compromised backend can download tools and send data out. An `internal: true` network has no route outside the host\'s container networks.',
    remedy:
      'Moves each service whose image is known to need no egress and that publishes no ports onto an `internal: true` network per network it was on (`internal` for the default network, `<name>-internal` for the others), keeping its aliases, and connects every service that shared a network with it to that internal network too, so each pair that could talk still can. Services that publish ports, use host networking, need egress by their image knowledge, or run unknown or locally built images keep their networks (a locally built service can opt in with `x-compose-harden: {network: internal}`). Services with `network_mode`, fixed addresses or external networks are left alone and reported. Review: a backend that does call out (webhooks, updates) loses that. Differences: KICS ce14a68b (networks not set) asks every service for a `networks:` key; this rule reports only a backend it can move onto an internal network, so a service without `networks:` is not reported for that alone.',
    owns: ['networks'],
    ownsTopLevel: ['networks'],
    examples: {
      bad: 'services:\n  app:\n    build: .\n    depends_on: [db]\n  db:\n    image: postgres:16\n',
      good:
        'services:\n  app:\n    build: .\n    depends_on: [db]\n    networks: [default, internal]\n  db:\n    image: postgres:16\n    networks: [internal]\nnetworks:\n  internal:\n    internal: true\n',
    },
  },
  check(service, file) {
    return networkPlan(file).get(service.name) ?? [];
  },
};

const plans = new WeakMap<ComposeFile, Map<string, Report[]>>();

/** The network plan is made once per parsed file; each service's check reads its part. */
function networkPlan(file: ComposeFile): Map<string, Report[]> {
  let plan = plans.get(file);
  if (!plan) plans.set(file, (plan = buildPlan(file)));
  return plan;
}

interface TopNetwork {
  internal?: unknown;
  external?: unknown;
}

function buildPlan(file: ComposeFile): Map<string, Report[]> {
  const reports = new Map<string, Report[]>();
  const report = (name: string, r: Report) => {
    const list = reports.get(name);
    if (list) list.push(r);
    else reports.set(name, [r]);
  };
  const declared = (file.topLevel('networks') ?? {}) as Record<string, TopNetwork | null>;
  const isInternal = (name: string) => declared[name]?.internal === true;
  const isExternal = (name: string) => Boolean(declared[name]?.external);
  // The graph only names, in messages, which peers visibly reach a backend: built on first need.
  let pairs: Set<string> | undefined;
  const reaches = (a: string, b: string) => {
    pairs ??= new Set(serviceReferences(file, new Set(candidates.keys()), peersOfAll()).map((r) => `${r.from}\u0000${r.to}`));
    return pairs.has(`${a}\u0000${b}`);
  };
  const networksOf = new Map(file.services.map((s) => [s.name, serviceNetworks(s)]));
  const byName = new Map(file.services.map((s) => [s.name, s]));
  const fileOrder = new Map(file.services.map((s, i) => [s, i]));
  // Who is on each network (services with network_mode are on none), so that a backend's peers are read
  // from its networks instead of from a scan of every service.
  const members = new Map<string, ServiceNode[]>();
  for (const s of file.services) {
    if (s.effective.network_mode !== undefined) continue;
    for (const n of networksOf.get(s.name)!) {
      const list = members.get(n.name);
      if (list) list.push(s);
      else members.set(n.name, [s]);
    }
  }
  /** The services that share one of the backend's networks with egress, in file order; other backends excluded. */
  const peerCache = new Map<ServiceNode, ServiceNode[]>();
  const peersOf = (service: ServiceNode, networks: readonly ServiceNetwork[]): ServiceNode[] => {
    const cached = peerCache.get(service);
    if (cached) return cached;
    const peers = new Set<ServiceNode>();
    for (const n of networks) {
      if (isInternal(n.name)) continue;
      for (const peer of members.get(n.name) ?? []) if (peer !== service && !candidates.has(peer.name)) peers.add(peer);
    }
    const sorted = [...peers].sort((a, b) => fileOrder.get(a)! - fileOrder.get(b)!);
    peerCache.set(service, sorted);
    return sorted;
  };
  const peersOfAll = () => new Set([...candidates].flatMap(([name, networks]) => peersOf(byName.get(name)!, networks).map((p) => p.name)));
  const namespaceUsers = new Map<string, string[]>();
  for (const s of file.services) {
    const mode = s.effective.network_mode;
    if (typeof mode === 'string' && mode.startsWith('service:')) namespaceUsers.set(mode.slice(8), [...(namespaceUsers.get(mode.slice(8)) ?? []), s.name]);
  }

  // Which services go internal-only, and which of those cannot move.
  const candidates = new Map<string, ServiceNetwork[]>();
  for (const service of file.services) {
    if (!wantsInternalOnly(service)) continue;
    const networks = networksOf.get(service.name)!;
    if (networks.length === 0 || networks.every((n) => isInternal(n.name))) continue;
    const blockers = [
      ...networks.filter((n) => isExternal(n.name)).map((n) => `network ${n.name} is external`),
      ...networks.filter((n) => n.fixedAddress).map((n) => `it has a fixed address on ${n.name}`),
      ...(namespaceUsers.get(service.name) ?? []).map((name) => `${name} shares its network namespace (network_mode)`),
    ];
    if (blockers.length > 0) {
      report(service.name, {
        message: `service "${service.name}" needs no internet access but stays on networks with egress: ${blockers.join('; ')} (reachability over isolation)`,
        node: service.locate('networks'),
        severity: 'info',
      });
      continue;
    }
    candidates.set(service.name, networks);
  }

  const taken = new Set(Object.keys(declared));
  const internalName = new Map<string, string>();
  const nameFor = (network: string) => {
    let name = internalName.get(network);
    if (name) return name;
    const base = network === 'default' ? 'internal' : `${network}-internal`;
    name = base;
    for (let i = 2; taken.has(name) && !isInternal(name); i++) name = `${base}-${i}`;
    taken.add(name);
    internalName.set(network, name);
    return name;
  };

  for (const [name, networks] of candidates) {
    const service = byName.get(name)!;
    const moved = networks.map((n) => (isInternal(n.name) ? n : { ...n, name: nameFor(n.name) }));
    const because = { reason: 'the image needs no internet access', source: sourceOf(service) };
    const fix: Intent[] = [];
    if (networksAsMap(service) || moved.some((n) => n.aliases.length > 0)) {
      const value = Object.fromEntries(moved.map((n) => [n.name, n.aliases.length > 0 ? { aliases: [...n.aliases] } : {}])) as YamlValue;
      fix.push({ kind: 'set', path: ['networks'], value, replace: true, ...because });
    } else if (service.effective.networks === undefined || service.effective.networks === null) {
      fix.push({ kind: 'set', path: ['networks'], value: moved.map((n) => n.name), ...because });
    } else {
      // A list: each network is replaced in place by its internal counterpart.
      const from = networks.filter((n) => !isInternal(n.name)).map((n) => n.name);
      fix.push({ kind: 'remove-items', key: 'networks', values: from, ...because });
      fix.push({ kind: 'add-items', key: 'networks', items: from.map(nameFor), ...because });
    }

    // Everyone who shared a network with it joins the internal counterpart of that network.
    const related: Array<{ target: string; intents: Intent[] }> = [];
    const joined: string[] = [];
    const unseen: string[] = [];
    for (const peer of peersOf(service, networks)) {
      const peerNetworks = networksOf.get(peer.name)!;
      const shared = networks.filter((n) => !isInternal(n.name) && peerNetworks.some((p) => p.name === n.name));
      const names = shared.map((n) => nameFor(n.name)).filter((n) => !peerNetworks.some((p) => p.name === n));
      if (names.length === 0) continue;
      related.push({ target: peer.name, intents: [joinIntent(peer, peerNetworks, names, name)] });
      (reaches(peer.name, name) ? joined : unseen).push(peer.name);
    }
    for (const network of networks) {
      if (isInternal(network.name)) continue;
      const internal = nameFor(network.name);
      if (declared[internal]) continue;
      related.push({
        target: TOP_LEVEL,
        intents: [{ kind: 'set', path: ['networks', internal], value: { internal: true }, reason: 'a network without a route to the internet' }],
      });
    }
    const from = networks.filter((n) => !isInternal(n.name)).map((n) => n.name).join(', ');
    const parts = [`service "${name}" (${serviceProfile(service).match?.entry.title ?? 'opted in'}) needs no internet access but is on ${from}, which has egress`];
    const verb = (names: string[], one: string, many: string) => (names.length === 1 ? one : many);
    if (joined.length > 0) parts.push(`${joined.join(', ')} ${verb(joined, 'reaches it and joins', 'reach it and join')} the internal network`);
    if (unseen.length > 0) {
      parts.push(
        `${unseen.join(', ')} ${verb(unseen, 'shares', 'share')} a network with it without a visible reference and ${verb(unseen, 'joins', 'join')} too (reachability over isolation)`,
      );
    }
    report(name, { message: parts.join('; '), node: service.locate('networks'), fix, related });
  }
  return reports;
}

/** Known to need no egress and publishing nothing, or opted in with `x-compose-harden: {network: internal}`. */
function wantsInternalOnly(service: ServiceNode): boolean {
  const e = service.effective;
  if (e.network_mode !== undefined && e.network_mode !== null) return false;
  const ext = e['x-compose-harden'] as { network?: unknown } | undefined;
  if (ext?.network === 'internal') return true;
  if (Array.isArray(e.ports) && e.ports.length > 0) return false;
  const match = serviceProfile(service).match;
  return match !== null && match.entry.egress.needed === false;
}

function joinIntent(peer: ServiceNode, current: ServiceNetwork[], names: string[], backend: string): Intent {
  const because = { reason: `keep reaching ${backend} on its internal network` };
  const e = peer.effective;
  if (e.networks === undefined || e.networks === null) {
    // Writing `networks:` replaces the implicit default network, so it is listed explicitly.
    return { kind: 'set', path: ['networks'], value: [...current.map((n) => n.name), ...names], replace: true, ...because };
  }
  if (networksAsMap(peer)) return { kind: 'set', path: ['networks', names[0]!], value: {}, ...because };
  return { kind: 'add-items', key: 'networks', items: names, ...because };
}

function sourceOf(service: ServiceNode): string {
  const match = serviceProfile(service).match;
  return match ? `${match.file}#${match.entry.id}` : 'x-compose-harden';
}
