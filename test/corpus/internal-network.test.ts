import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseComposeFile, type ComposeFile, type ServiceNode } from '../../src/core/compose-file.js';
import { fixSource } from '../../src/core/engine.js';
import { decodeSource, fromString } from '../../src/core/source.js';
import { serviceProfile } from '../../src/knowledge/service-profile.js';
import { allRules } from '../../src/rules/index.js';
import { serviceReferences } from '../../src/rules/support/service-graph.js';
import { CORPUS, hasShared } from '../helpers/shared.js';

/** Real stacks and the service graph each one has, spelled out (who reaches whom). */
const STACKS: Record<string, string[]> = {
  'dockersamples__example-voting-app__docker-compose.yml': ['result -> db', 'seed -> vote', 'vote -> redis', 'worker -> db', 'worker -> redis'],
  'docker__awesome-compose__gitea-postgres__compose.yaml': ['gitea -> db'],
  'docker__awesome-compose__nextcloud-redis-mariadb__compose.yaml': ['nc -> db', 'nc -> redis'],
  'docker__awesome-compose__nginx-flask-mysql__compose.yaml': ['backend -> db', 'proxy -> backend'],
  'docker__awesome-compose__react-express-mongodb__compose.yaml': ['backend -> mongo', 'frontend -> backend'],
  'docker__awesome-compose__wordpress-mysql__compose.yaml': ['wordpress -> db'],
  'n8n-io__n8n-hosting__docker-compose__withPostgresAndWorker__docker-compose.yml': [
    'n8n -> postgres', 'n8n -> redis', 'n8n-runner -> n8n', 'n8n-worker -> n8n', 'n8n-worker -> postgres', 'n8n-worker -> redis', 'n8n-worker-runner -> n8n-worker',
  ],
  'plausible__community-edition__docker-compose.yml': ['plausible -> mail', 'plausible -> plausible_db', 'plausible -> plausible_events_db'],
  'paperless-ngx__paperless-ngx__docker__compose__docker-compose.postgres-tika.yml': ['webserver -> broker', 'webserver -> db', 'webserver -> gotenberg', 'webserver -> tika'],
  'docker__awesome-compose__nginx-golang-postgres__compose.yaml': ['backend -> db', 'proxy -> backend'],
  'temporalio__docker-compose__docker-compose.yml': ['temporal -> elasticsearch', 'temporal -> postgresql', 'temporal-admin-tools -> temporal', 'temporal-ui -> temporal'],
  'zabbix__zabbix-docker__docker-compose_v3_alpine_pgsql_latest.yaml': [
    'zabbix-proxy-mysql -> mysql-server', 'zabbix-server -> postgres-server', 'zabbix-web-apache-pgsql -> postgres-server', 'zabbix-web-nginx-pgsql -> postgres-server',
  ],
  'mattermost__docker__docker-compose.yml': ['mattermost -> postgres'],
};

/** Network names a service is attached to (the implicit default, or the namespace of another service). */
function networksOf(file: ComposeFile, service: ServiceNode): string[] {
  const mode = service.effective.network_mode;
  if (typeof mode === 'string') {
    const owner = mode.startsWith('service:') ? file.services.find((s) => s.name === mode.slice(8)) : undefined;
    return owner ? networksOf(file, owner) : [`mode:${mode}`];
  }
  const networks = service.effective.networks;
  if (networks === undefined || networks === null) return ['default'];
  return Array.isArray(networks) ? networks.map(String) : Object.keys(networks as object);
}

function internalNetworks(file: ComposeFile): Set<string> {
  const declared = (file.topLevel('networks') ?? {}) as Record<string, { internal?: unknown } | null>;
  return new Set(Object.entries(declared).filter(([, n]) => n?.internal === true).map(([name]) => name));
}

describe.skipIf(!hasShared)('internal-network on real stacks: reachability kept, backends isolated', () => {
  for (const [name, edges] of Object.entries(STACKS)) {
    it(name, () => {
      const source = decodeSource(readFileSync(join(CORPUS, name)));
      const before = parseComposeFile(source);
      expect([...new Set(serviceReferences(before).map((r) => `${r.from} -> ${r.to}`))].sort()).toEqual([...edges].sort());

      const result = fixSource(source, allRules);
      const after = parseComposeFile(fromString(result.text));
      const internal = internalNetworks(after);
      const byName = (file: ComposeFile, service: string) => file.services.find((s) => s.name === service)!;
      const blocked = new Set(result.remaining.filter((f) => f.ruleId === 'internal-network').map((f) => f.service));

      // Every pair that references each other still shares a network.
      for (const edge of edges) {
        const [from, to] = edge.split(' -> ') as [string, string];
        const shared = networksOf(after, byName(after, from)).filter((n) => networksOf(after, byName(after, to)).includes(n));
        expect(shared, `${edge} share a network`).not.toEqual([]);
      }

      for (const service of after.services) {
        const original = byName(before, service.name);
        const networks = networksOf(after, service);
        const profile = serviceProfile(original);
        const publishes = Array.isArray(original.effective.ports) && original.effective.ports.length > 0;
        const hasMode = original.effective.network_mode !== undefined;
        if (hasMode) {
          // network_mode services are never touched.
          expect(service.effective.networks, `${service.name} keeps network_mode only`).toEqual(original.effective.networks);
        } else if (!publishes && profile.match?.entry.egress.needed === false && !blocked.has(service.name)) {
          expect(networks.every((n) => internal.has(n)), `${service.name} (${profile.match.entry.id}) is on internal networks only: ${networks.join(', ')}`).toBe(true);
        } else {
          expect(networks.some((n) => !internal.has(n)), `${service.name} keeps a network with egress`).toBe(true);
        }
        // Layout kept: every original network is still there, or replaced by its internal counterpart.
        for (const network of networksOf(before, original)) {
          const counterpart = network === 'default' ? 'internal' : `${network}-internal`;
          expect(networks.includes(network) || networks.includes(counterpart), `${service.name}: ${network} kept or replaced`).toBe(true);
        }
      }
      // User-chosen network names and definitions are kept; only internal ones are added.
      const declaredBefore = (before.topLevel('networks') ?? {}) as Record<string, unknown>;
      const declaredAfter = (after.topLevel('networks') ?? {}) as Record<string, unknown>;
      for (const [network, definition] of Object.entries(declaredBefore)) expect(declaredAfter[network], network).toEqual(definition);
      for (const added of Object.keys(declaredAfter).filter((n) => !(n in declaredBefore))) expect(declaredAfter[added]).toEqual({ internal: true });
    });
  }
});
