import { posix } from 'node:path';
import type { ComposeFile, ServiceNode } from '../core/compose-file.js';
import { stringList } from './support/values.js';
import { canonicalHostPath, ownListItem, ownVolumeItem, volumeMounts, type Mount } from './support/mounts.js';
import type { Report, Rule } from './types.js';

export const sharedVolumes: Rule = {
  meta: {
    id: 'shared-volumes',
    title: 'Data volume shared between services',
    severity: 'info',
    fix: 'manual',
    cis: [],
    refs: { kics: ['8c978947'], semgrep: [], composeLint: [] },
    detects:
      'A named volume or host directory mounted by two or more services where at least one of them can write to it, and `volumes_from:`, which mounts every volume of another service or container.',
    rationale:
      'A volume written by one service and read by another is a path between them that network isolation does not cut: a compromised internet-facing service can plant files (uploads, scripts, configuration) that the other service then reads or runs, and two writers can corrupt each other\'s data.',
    remedy:
      'Share only what the other service needs: mount it read-only (`:ro`, `read_only: true`) wherever that service only reads, give each service its own volume for its own data, and replace `volumes_from:` with the one named volume that is meant to be shared. Reported only, as information: sharing is often the design (a web server serving the files an application writes). Differences: a volume every service mounts read-only is not reported; host paths under system directories (`/etc`, `/proc`, `/sys`, `/dev`, `/run`, `/var/run`, `/var/lib/docker`, ...) and runtime sockets are left to `sensitive-mounts` and `docker-socket`; anonymous volumes and tmpfs are never shared.',
    owns: [],
    examples: {
      bad: 'services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - uploads:/usr/share/nginx/html\n  app:\n    build: .\n    volumes:\n      - uploads:/app/uploads\nvolumes:\n  uploads:\n',
      good: 'services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - uploads:/usr/share/nginx/html:ro\n  app:\n    build: .\n    volumes:\n      - uploads:/app/uploads\nvolumes:\n  uploads:\n',
    },
    references: [{ title: 'Compose file reference: volumes', url: 'https://docs.docker.com/reference/compose-file/services/#volumes' }],
  },
  check(service, file) {
    return sharingPlan(file).get(service) ?? [];
  },
};

/** Host directories that other rules judge (system state, runtime sockets): not data shared between services. */
const SYSTEM_ROOTS = ['/etc', '/proc', '/sys', '/dev', '/run', '/var/run', '/var/lib/docker', '/boot', '/lib', '/usr', '/bin', '/sbin', '/var/log'];

interface Share {
  readonly service: ServiceNode;
  readonly mount: Mount;
  /** What the mount is, for messages: `volume uploads`, `./data`. */
  readonly label: string;
}

const plans = new WeakMap<ComposeFile, Map<ServiceNode, Report[]>>();

function sharingPlan(file: ComposeFile): Map<ServiceNode, Report[]> {
  let plan = plans.get(file);
  if (!plan) plans.set(file, (plan = buildPlan(file)));
  return plan;
}

function buildPlan(file: ComposeFile): Map<ServiceNode, Report[]> {
  const reports = new Map<ServiceNode, Report[]>();
  const add = (service: ServiceNode, report: Report) => {
    const list = reports.get(service);
    if (list) list.push(report);
    else reports.set(service, [report]);
  };
  const declared = file.topLevel('volumes');
  const topLevel = declared && typeof declared === 'object' ? (declared as Record<string, unknown>) : {};

  // Every data mount, by what it shares: a named volume, or a host directory (and so everything under it).
  const byKey = new Map<string, Share[]>();
  for (const service of file.services) {
    for (const mount of volumeMounts(service.effective, topLevel)) {
      const key = shareKey(mount);
      if (key === null) continue;
      const label = key.startsWith('volume:') ? `volume ${key.slice(7)}` : (mount.sourceText ?? key.slice(5));
      const share = { service, mount, label };
      const list = byKey.get(key);
      if (list) list.push(share);
      else byKey.set(key, [share]);
    }
  }
  // A directory is shared with every service that mounts it or a directory above or below it.
  const related = new Map<string, string[]>();
  const relate = (a: string, b: string) => {
    const list = related.get(a);
    if (list) list.push(b);
    else related.set(a, [b]);
  };
  for (const key of byKey.keys()) {
    if (!key.startsWith('bind:')) continue;
    for (let dir = parentOf(key.slice(5)); dir !== null; dir = parentOf(dir)) {
      if (!byKey.has(`bind:${dir}`)) continue;
      relate(key, `bind:${dir}`);
      relate(`bind:${dir}`, key);
    }
  }
  const sharing = (key: string): Share[] => [key, ...(related.get(key) ?? [])].flatMap((k) => byKey.get(k) ?? []);

  for (const [key, shares] of byKey) {
    // Who mounts it and who writes it, once per volume: a volume of every service must not cost a scan per service.
    const all = sharing(key);
    const mounters = distinctNames(all);
    if (mounters.length < 2) continue;
    const writers = distinctNames(all.filter((s) => !s.mount.readOnly));
    if (writers.length === 0) continue;
    for (const share of shares) {
      const self = share.service.name;
      const others = mounters.filter((name) => name !== self);
      const otherWriters = writers.filter((name) => name !== self);
      const mode = share.mount.readOnly
        ? `read-only here, written by ${listNames(otherWriters)}`
        : otherWriters.length > 0
          ? `writable here and by ${listNames(otherWriters)}`
          : 'writable here, read by the others';
      add(share.service, {
        message: `service "${self}" shares ${share.label} with ${listNames(others)} (${mode}): files written by one service are read by the other`,
        node: ownVolumeItem(share.service, share.mount.index) ?? share.service.locate('volumes'),
      });
    }
  }

  for (const service of file.services) {
    stringList(service.effective.volumes_from).forEach((entry, index) => {
      const [first, second] = entry.split(':');
      const from = first === 'container' || first === 'service' ? `${first} ${second ?? ''}` : `service ${first}`;
      add(service, {
        message: `service "${service.name}" mounts every volume of ${from.trim()} (volumes_from): name the one volume it needs instead`,
        node: ownListItem(service, 'volumes_from', index) ?? service.locate('volumes_from'),
      });
    });
  }
  return reports;
}

/** The services of some shares, each once, in the order first seen. */
function distinctNames(shares: readonly Share[]): string[] {
  return [...new Set(shares.map((s) => s.service.name))];
}

/** Up to five names, then how many more: a volume of a hundred services names a few of them. */
function listNames(names: readonly string[]): string {
  return names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`;
}

/** `volume:<name>` or `bind:<directory>` for a mount whose data another service can share; null otherwise. */
function shareKey(mount: Mount): string | null {
  if (!mount.source) return null;
  if (mount.type === 'volume') return `volume:${mount.source}`;
  if (mount.type !== 'bind') return null;
  const path = mount.source.startsWith('/') ? canonicalHostPath(mount.source) : posix.normalize(mount.source).replace(/\/+$/, '');
  if (path === '/' || SYSTEM_ROOTS.some((root) => path === root || path.startsWith(`${root}/`))) return null;
  return `bind:${path}`;
}

function parentOf(path: string): string | null {
  const slash = path.lastIndexOf('/');
  if (slash <= 0) return null;
  return path.slice(0, slash);
}
