import { isMap } from 'yaml';
import type { ServiceNode } from '../core/compose-file.js';
import type { Intent } from '../core/intents.js';
import type { YamlValue } from '../core/render.js';
import { serviceProfile, type ServiceProfile } from '../knowledge/service-profile.js';
import { knowledgeSource } from './support/knowledge.js';
import { ownListItem } from './support/mounts.js';
import { bindShortPort, describePort, isUnbound, portNode, publishedPorts, type PublishedPort } from './support/ports.js';
import type { Report, Rule } from './types.js';

/**
 * Knowledge entries of images that serve other containers or their operators, never the public: databases,
 * caches, queues, search engines and admin or monitoring UIs. Their ports are published for the host's own
 * use (a local client, an SSH tunnel); other containers reach them over the compose network, which binding
 * the host side to 127.0.0.1 does not touch.
 */
const NOT_THE_EDGE: ReadonlyMap<string, string> = new Map([
  ...['postgres', 'bitnami-postgresql', 'sameersbn-postgresql', 'zulip-postgresql', 'mysql', 'mariadb', 'mongo', 'clickhouse', 'clickhouse-yandex', 'influxdb', 'neo4j', 'pgbouncer-edoburu'].map(
    (id) => [id, 'a database'] as const,
  ),
  ...['redis', 'bitnami-redis', 'redismod', 'valkey', 'memcached'].map((id) => [id, 'a cache'] as const),
  ...['rabbitmq', 'apache-kafka', 'bitnami-kafka', 'confluent-kafka', 'zookeeper', 'confluent-zookeeper', 'bitnami-zookeeper', 'confluent-schema-registry', 'confluent-kafka-rest', 'confluent-ksqldb-server'].map(
    (id) => [id, 'a message broker'] as const,
  ),
  ...['elasticsearch', 'opensearch', 'wazuh-indexer'].map((id) => [id, 'a search engine'] as const),
  ...['adminer', 'pgadmin', 'phpmyadmin', 'dozzle', 'portainer', 'confluent-control-center', 'confluent-control-center-next-gen', 'mailpit', 'cadvisor', 'temporal-ui'].map(
    (id) => [id, 'an admin or monitoring UI'] as const,
  ),
]);

const LOCALHOST = '127.0.0.1';

export const portsBindLocalhost: Rule = {
  meta: {
    id: 'ports-bind-localhost',
    title: 'Port published on every host interface',
    severity: 'warning',
    fix: 'review',
    cis: ['5.14'],
    refs: { kics: ['451d79dc'], semgrep: [], composeLint: ['CL-0005'] },
    rationale:
      'A published port without a host address (`8080:80`, `80`, `0.0.0.0:8080:80`, `[::]:8080:80`, long syntax without `host_ip`) listens on every interface of the host, and Docker\'s iptables rules put it in front of the host firewall (ufw, firewalld): a database or admin UI meant for the host alone is reachable from the network.',
    remedy:
      'Binds the ports of services that are not the edge to 127.0.0.1 (`127.0.0.1:5432:5432`; a flow-mapping long-syntax entry gets `host_ip: 127.0.0.1`): databases, caches, message brokers, search engines and admin or monitoring UIs, by their image knowledge. Other containers still reach them over the compose network. Other services (reverse proxies, web applications, unknown and locally built images) are reported as info: bind their ports to an address when they are not meant to be reached from other hosts. A block-mapping long-syntax entry is reported with the line to add (`host_ip: 127.0.0.1`). Review: a client on another host that used the port directly (a BI tool, a replica) loses it; reach it through an SSH tunnel or bind the private address instead. Differences: an interpolated host address (`${BIND_IP}:80:80`) is not reported, since its value is only known at run time; services with `network_mode: host` publish nothing and are left to no-host-namespaces; an address written into the long syntax\'s `published` (`127.0.0.1:8080`) counts as bound.',
    owns: ['ports'],
    examples: {
      bad: 'services:\n  db:\n    image: postgres:16\n    ports:\n      - "5432:5432"\n',
      good: 'services:\n  db:\n    image: postgres:16\n    ports:\n      - "127.0.0.1:5432:5432"\n',
    },
  },
  check(service) {
    const e = service.effective;
    if (e.network_mode === 'host') return [];
    const unbound = publishedPorts(e).filter(isUnbound);
    if (unbound.length === 0) return [];
    const profile = serviceProfile(service);
    const role = profile.match ? NOT_THE_EDGE.get(profile.match.entry.id) : undefined;
    return unbound.map((port): Report => {
      // A long-syntax entry points at the `host_ip:` (or `published:`) that leaves it unbound, else at the entry, which lacks one.
      const node = portNode(service, port, ...(port.hostField ? [port.hostField] : [])) ?? service.locate('ports');
      const where = `${describePort(port)} is published on every host interface`;
      if (!role) {
        return {
          message: `service "${service.name}": port ${where}; bind it to an address (127.0.0.1:...) unless other hosts must reach it`,
          node,
          severity: 'info',
        };
      }
      const replacement = bound(service, port);
      if (replacement === null) {
        return {
          message: `service "${service.name}" (${role}): port ${where}; ${port.hostField === 'host_ip' ? `set \`host_ip: ${LOCALHOST}\` in` : `add \`host_ip: ${LOCALHOST}\` to`} this entry`,
          node,
        };
      }
      return {
        message: `service "${service.name}" (${role}): port ${where}, reachable from the network; other containers do not need that`,
        node,
        fix: () => fixFor(port, replacement, role, profile),
      };
    });
  },
};

/** The entry bound to 127.0.0.1, or null when it is a block mapping (which the engine cannot edit in place). */
function bound(service: ServiceNode, port: PublishedPort): YamlValue | null {
  if (!port.long) return bindShortPort(port, LOCALHOST);
  const item = ownListItem(service, 'ports', port.index);
  if (item && isMap(item) && !item.flow) return null;
  const entries = Object.entries(port.raw as Record<string, YamlValue>);
  const value: Record<string, YamlValue> = {};
  for (const [key, v] of entries) value[key] = key === 'host_ip' ? LOCALHOST : v;
  value.host_ip = LOCALHOST;
  return value;
}

function fixFor(port: PublishedPort, replacement: YamlValue, role: string, profile: ServiceProfile): Intent[] {
  const because = { reason: `${role} serves other containers and the host, not the network`, source: knowledgeSource(profile) };
  return [
    { kind: 'remove-items', key: 'ports', values: [port.raw], ...because },
    { kind: 'add-items', key: 'ports', items: [replacement], ...because },
  ];
}
