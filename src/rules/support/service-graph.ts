import type { ComposeFile, ServiceNode } from '../../core/compose-file.js';
import { serviceNetworks } from './networks.js';

export type EdgeKind = 'depends_on' | 'links' | 'network_mode' | 'hostname';

export interface Reference {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
}

/**
 * Which services reach which (or only which reach the services in `onlyTo`): `depends_on`, `links`, `network_mode: service:x`, and host names of other
 * services (their names, aliases, `hostname` and `container_name`) in environment values, commands,
 * entrypoints and healthchecks (`postgres://db:5432`, `REDIS_HOST=cache`).
 */
export function serviceReferences(file: ComposeFile, onlyTo?: ReadonlySet<string>): Reference[] {
  const byHost = new Map<string, string>();
  for (const service of file.services) {
    if (onlyTo && !onlyTo.has(service.name)) continue;
    byHost.set(service.name.toLowerCase(), service.name);
    const e = service.effective;
    for (const extra of [e.hostname, e.container_name]) if (typeof extra === 'string') byHost.set(extra.toLowerCase(), service.name);
    for (const network of serviceNetworks(service)) for (const alias of network.aliases) byHost.set(alias.toLowerCase(), service.name);
  }
  const hosts = hostPattern([...byHost.keys()]);
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
    const e = service.effective;
    const dependsOn = Array.isArray(e.depends_on) ? e.depends_on : e.depends_on && typeof e.depends_on === 'object' ? Object.keys(e.depends_on) : [];
    for (const name of dependsOn) add(service.name, String(name), 'depends_on');
    for (const link of Array.isArray(e.links) ? e.links : []) add(service.name, String(link).split(':')[0], 'links');
    if (typeof e.network_mode === 'string' && e.network_mode.startsWith('service:')) add(service.name, e.network_mode.slice(8), 'network_mode');
    const scan = (text: string, key: string | null) => {
      for (const host of knownHostsIn(text, hosts)) {
        // A bare word is a host name only where a host is expected (`REDIS_HOST=cache`); elsewhere it needs
        // a scheme or a port (`redis://cache`, `cache:6379`), so that `POSTGRES_USER=gitea` is no edge to gitea.
        if (host.explicit || (key !== null && HOST_KEY.test(key))) add(service.name, byHost.get(host.name.toLowerCase()), 'hostname');
      }
    };
    forEachText(service, scan);
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

/**
 * Host names in a value: each whitespace/quote/`=`/`,`-separated token with its scheme, userinfo, port,
 * path and query removed (`postgres://u:p@db:5432/x` → `db`, `cache:6379` → `cache`, `cache` → `cache`).
 * `explicit` says whether a scheme, user or port marked the token as a host. Paths (`/app/data`) and file
 * names (`app.py`) are not host names of a service called `app`.
 */
export function hostsIn(text: string): Array<{ name: string; explicit: boolean }> {
  const hosts: Array<{ name: string; explicit: boolean }> = [];
  for (const raw of text.split(/[\s'"=,;()[\]{}<>|]+/)) {
    if (!raw) continue;
    const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw);
    let token = raw.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
    const at = token.lastIndexOf('@');
    const user = at !== -1 && (scheme || !token.slice(0, at).includes('/'));
    if (user) token = token.slice(at + 1);
    const host = token.split(/[:/?#]/)[0] ?? '';
    const port = /^[^:/?#]+:\d+(?:$|[/?#])/.test(token);
    // Service names contain a letter: numbers and addresses (`1`, `0.0.0.0`) are not references.
    if (host && /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(host) && /[A-Za-z]/.test(host)) hosts.push({ name: host, explicit: scheme || user || port });
  }
  return hosts;
}

/** One regular expression that finds any of the stack's host names where a host can stand. */
function hostPattern(names: string[]): RegExp | null {
  if (names.length === 0) return null;
  const alternation = names
    .sort((a, b) => b.length - a.length)
    .map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|');
  return new RegExp(`(^|[\\s'"=,;()\\[\\]{}<>|@]|://)(${alternation})(?=$|[\\s'"=,;()\\[\\]{}<>|:/?#])`, 'gi');
}

/**
 * The stack's host names in a value, found with one scan (the token-by-token `hostsIn` gives the same
 * answer for these names, slower): explicit after `://` or `@`, or before `:<port>`.
 */
function knownHostsIn(text: string, pattern: RegExp | null): Array<{ name: string; explicit: boolean }> {
  if (!pattern) return [];
  const found: Array<{ name: string; explicit: boolean }> = [];
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const [, before = '', name = ''] = match;
    const end = match.index + match[0].length;
    found.push({ name, explicit: before === '://' || before === '@' || /^:\d/.test(text.slice(end, end + 2)) });
    pattern.lastIndex = end;
  }
  return found;
}
