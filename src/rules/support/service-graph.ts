import type { ComposeFile, ServiceNode } from '../../core/compose-file.js';
import { serviceNetworks } from './networks.js';

export type EdgeKind = 'depends_on' | 'links' | 'network_mode' | 'hostname';

export interface Reference {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
}

/**
 * Which services reach which: `depends_on`, `links`, `network_mode: service:x`, and host names of other
 * services (their names, aliases, `hostname` and `container_name`) in environment values, commands,
 * entrypoints and healthchecks (`postgres://db:5432`, `REDIS_HOST=cache`).
 */
export function serviceReferences(file: ComposeFile): Reference[] {
  const byHost = new Map<string, string>();
  for (const service of file.services) {
    byHost.set(service.name.toLowerCase(), service.name);
    const e = service.effective;
    for (const extra of [e.hostname, e.container_name]) if (typeof extra === 'string') byHost.set(extra.toLowerCase(), service.name);
    for (const network of serviceNetworks(service)) for (const alias of network.aliases) byHost.set(alias.toLowerCase(), service.name);
  }
  const out: Reference[] = [];
  const seen = new Set<string>();
  const add = (from: string, to: string | undefined, kind: EdgeKind) => {
    if (!to || to === from) return;
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
    for (const { text, hostKey } of textsOf(service)) {
      for (const host of hostsIn(text)) {
        // A bare word is a host name only where a host is expected (`REDIS_HOST=cache`); elsewhere it needs
        // a scheme or a port (`redis://cache`, `cache:6379`), so that `POSTGRES_USER=gitea` is no edge to gitea.
        if (host.explicit || hostKey) add(service.name, byHost.get(host.name.toLowerCase()), 'hostname');
      }
    }
  }
  return out;
}

const HOST_KEY = /HOST|ADDR|SERVER|URL|URI|ENDPOINT|DSN|BROKER|UPSTREAM|REMOTE|PEER|NODES|SEEDS|BOOTSTRAP|CONNECT|TARGET/i;

/** Environment values, command, entrypoint and healthcheck test of a service, with whether each is under a host-like key. */
function textsOf(service: ServiceNode): Array<{ text: string; hostKey: boolean }> {
  const e = service.effective;
  const texts: Array<{ text: string; hostKey: boolean }> = [];
  const push = (value: unknown, hostKey: boolean) => {
    if (typeof value === 'string') texts.push({ text: value, hostKey });
    else if (Array.isArray(value)) for (const item of value) push(item, hostKey);
    else if (value !== undefined && value !== null && typeof value !== 'object') texts.push({ text: String(value), hostKey });
  };
  const env = e.environment;
  if (Array.isArray(env)) {
    for (const item of env) {
      const [key = '', ...rest] = String(item).split('=');
      push(rest.join('='), HOST_KEY.test(key));
    }
  } else if (env !== null && typeof env === 'object') {
    for (const [key, value] of Object.entries(env)) push(value, HOST_KEY.test(key));
  }
  push(e.command, false);
  push(e.entrypoint, false);
  push((e.healthcheck as { test?: unknown } | undefined)?.test, false);
  return texts;
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
