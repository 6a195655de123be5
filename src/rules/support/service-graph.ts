import type { ComposeFile, ServiceNode } from '../../core/compose-file.js';
import { serviceNetworks } from './networks.js';

export type EdgeKind = 'depends_on' | 'links' | 'network_mode' | 'hostname';

export interface Reference {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
}

/**
 * Which services reach which (or only which of `onlyFrom` reach the services in `onlyTo`): `depends_on`, `links`, `network_mode: service:x`, and host names of other
 * services (their names, aliases, `hostname` and `container_name`) in environment values, commands,
 * entrypoints and healthchecks (`postgres://db:5432`, `REDIS_HOST=cache`).
 */
export function serviceReferences(file: ComposeFile, onlyTo?: ReadonlySet<string>, onlyFrom?: ReadonlySet<string>): Reference[] {
  const byHost = new Map<string, string>();
  for (const service of file.services) {
    if (onlyTo && !onlyTo.has(service.name)) continue;
    byHost.set(service.name.toLowerCase(), service.name);
    const e = service.effective;
    for (const extra of [e.hostname, e.container_name]) if (typeof extra === 'string') byHost.set(extra.toLowerCase(), service.name);
    for (const network of serviceNetworks(service)) for (const alias of network.aliases) byHost.set(alias.toLowerCase(), service.name);
  }
  const out: Reference[] = [];
  const seen = new Set<string>();
  const add = (from: string, to: string | undefined, kind: EdgeKind) => {
    if (!to || to === from || (onlyTo && !onlyTo.has(to))) return;
    const key = `${from}\u0000${to}\u0000${kind}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ from, to, kind });
  };
  for (const service of file.services) {
    if (onlyFrom && !onlyFrom.has(service.name)) continue;
    const e = service.effective;
    const dependsOn = Array.isArray(e.depends_on) ? e.depends_on : e.depends_on && typeof e.depends_on === 'object' ? Object.keys(e.depends_on) : [];
    for (const name of dependsOn) add(service.name, String(name), 'depends_on');
    for (const link of Array.isArray(e.links) ? e.links : []) add(service.name, String(link).split(':')[0], 'links');
    if (typeof e.network_mode === 'string' && e.network_mode.startsWith('service:')) add(service.name, e.network_mode.slice(8), 'network_mode');
    const texts: Array<{ text: string; key: string | null }> = [];
    forEachText(service, (text, key) => texts.push({ text: text.toLowerCase(), key }));
    if (texts.length === 0) continue;
    // Cheap rejection first: most services mention few, if any, of the stack's host names.
    const blob = texts.map((t) => t.text).join('\n');
    for (const [host, target] of byHost) {
      if (target === service.name || !blob.includes(host)) continue;
      const hit = texts.some(({ text, key }) =>
        occurrences(text, host).some((o) => o.explicit || (key !== null && HOST_KEY.test(key))),
      );
      // A bare word is a host name only where a host is expected (`REDIS_HOST=cache`); elsewhere it needs
      // a scheme or a port (`redis://cache`, `cache:6379`), so that `POSTGRES_USER=gitea` is no edge to gitea.
      if (hit) add(service.name, target, 'hostname');
    }
  }
  return out;
}

const HOST_KEY = /HOST|ADDR|SERVER|URL|URI|ENDPOINT|DSN|BROKER|UPSTREAM|REMOTE|PEER|NODES|SEEDS|BOOTSTRAP|CONNECT|TARGET/i;

/** Calls `fn` with each environment value (and its key), command, entrypoint and healthcheck string of a service. */
function forEachText(service: ServiceNode, fn: (text: string, key: string | null) => void): void {
  const e = service.effective;
  const each = (value: unknown, key: string | null) => {
    if (typeof value === 'string') fn(value, key);
    else if (Array.isArray(value)) for (const item of value) each(item, key);
    else if (value !== undefined && value !== null && typeof value !== 'object') fn(String(value), key);
  };
  const env = e.environment;
  if (Array.isArray(env)) {
    for (const item of env) {
      const text = String(item);
      const eq = text.indexOf('=');
      each(eq === -1 ? '' : text.slice(eq + 1), eq === -1 ? text : text.slice(0, eq));
    }
  } else if (env !== null && typeof env === 'object') {
    for (const [key, value] of Object.entries(env)) each(value, key);
  }
  each(e.command, null);
  each(e.entrypoint, null);
  each((e.healthcheck as { test?: unknown } | undefined)?.test, null);
}

const BEFORE = new Set([...` \t\r\n'"=,;()[]{}<>|@/`]);
const AFTER = new Set([...` \t\r\n'"=,;()[]{}<>|:/?#`]);

/**
 * Where `host` stands as a host name in `text` (both lower case): not inside a longer word, not a path
 * segment. `explicit` when a scheme (`://`) or user (`@`) comes before it or a port (`:5432`) after it.
 */
function occurrences(text: string, host: string): Array<{ explicit: boolean }> {
  const found: Array<{ explicit: boolean }> = [];
  for (let at = text.indexOf(host); at !== -1; at = text.indexOf(host, at + 1)) {
    const before = at === 0 ? '' : text[at - 1]!;
    const end = at + host.length;
    const after = end >= text.length ? '' : text[end]!;
    if (before !== '' && !BEFORE.has(before)) continue;
    if (after !== '' && !AFTER.has(after)) continue;
    // A path segment (`/app/data`), unless the slash is the end of a scheme (`http://app`).
    const scheme = text.startsWith('://', at - 3);
    if (before === '/' && !scheme) continue;
    found.push({ explicit: scheme || before === '@' || /^:\d/.test(text.slice(end, end + 2)) });
  }
  return found;
}
