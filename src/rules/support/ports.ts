import { isMap, type Node } from 'yaml';
import type { ServiceNode } from '../../core/compose-file.js';
import { fieldKey, ownListItem } from './mounts.js';
import { interpolatedDefault, splitColonFields } from './values.js';

/** One entry of a service's `ports:`, short or long syntax, as Docker would publish it. */
export interface PublishedPort {
  /** Index in the service's `ports:` list. */
  readonly index: number;
  /** The entry as plain data (a string, a number, or the long syntax's mapping). */
  readonly raw: unknown;
  readonly long: boolean;
  /** The host address as written (`127.0.0.1`, `[::1]`, `0.0.0.0`); `''` when none is given; null when a variable decides it. */
  readonly hostIp: string | null;
  /** The host port or range; `''` when Docker picks one. */
  readonly published: string;
  /** The container port or range. */
  readonly target: string;
  /** `udp`, `tcp`, `sctp` when written. */
  readonly protocol: string | null;
  /** The long-syntax key the host address was read from, when one was written there. */
  readonly hostField?: 'host_ip' | 'published';
}

/** Addresses that mean "every interface of the host". */
const ALL_INTERFACES = new Set(['', '0.0.0.0', '::', '[::]']);

/** Whether the port is reachable on every host interface (no host address, `0.0.0.0`, `::`). */
export function isUnbound(port: PublishedPort): boolean {
  return port.hostIp !== null && ALL_INTERFACES.has(port.hostIp);
}

/** The service's published ports; entries that cannot be read are left out. */
export function publishedPorts(effective: Record<string, unknown>): PublishedPort[] {
  const ports = Array.isArray(effective.ports) ? effective.ports : effective.ports === undefined || effective.ports === null ? [] : [effective.ports];
  const out: PublishedPort[] = [];
  ports.forEach((entry, index) => {
    const port = entry !== null && typeof entry === 'object' ? parseLongPort(entry as Record<string, unknown>, index) : parseShortPort(String(entry), index, entry);
    if (port) out.push(port);
  });
  return out;
}

function parseLongPort(entry: Record<string, unknown>, index: number): PublishedPort | null {
  if (entry.target === undefined || entry.target === null) return null;
  const text = (value: unknown) => (value === undefined || value === null ? '' : String(value).trim());
  let hostText = text(entry.host_ip);
  let published = text(entry.published);
  let hostField: PublishedPort['hostField'] = entry.host_ip === undefined || entry.host_ip === null ? undefined : 'host_ip';
  // `published: 127.0.0.1:8080` is not the specification's form, but an address there is read as one.
  const inPublished = /^(\[[^\]]*\]|\d{1,3}(?:\.\d{1,3}){3})(?::(.*))?$/.exec(published);
  if (hostText === '' && inPublished) {
    hostText = inPublished[1]!;
    published = inPublished[2] ?? '';
    hostField = 'published';
  }
  const hostIp = hostText.includes('$') ? interpolatedDefault(hostText) : hostText;
  return {
    index,
    raw: entry,
    long: true,
    hostIp: hostIp === null ? null : hostIp.trim(),
    published,
    target: text(entry.target),
    protocol: text(entry.protocol) || null,
    ...(hostField ? { hostField } : {}),
  };
}

/**
 * `[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]`, with IPv6 addresses in brackets (`[::1]:8080:80`).
 * The colons inside `${VAR:-default}` do not separate fields; a field that is a variable without a
 * default stays a variable, except that a host address made of one is unknown.
 */
export function parseShortPort(spec: string, index: number, raw: unknown = spec): PublishedPort | null {
  let text = spec.trim();
  if (text === '') return null;
  let protocol: string | null = null;
  const slash = text.lastIndexOf('/');
  if (slash !== -1 && !text.slice(slash).includes('}')) {
    protocol = text.slice(slash + 1);
    text = text.slice(0, slash);
  }
  let hostIp = '';
  const bracket = /^(\[[^\]]*\]):(.*)$/.exec(text);
  let fields: string[];
  if (bracket) {
    hostIp = bracket[1]!;
    fields = splitColonFields(bracket[2]!);
    if (fields.length === 1) fields.unshift('');
  } else {
    fields = splitColonFields(text);
    if (fields.length > 3) {
      // An unbracketed IPv6 address: the last two fields are the ports.
      hostIp = fields.slice(0, -2).join(':');
      fields = fields.slice(-2);
    } else if (fields.length === 3) {
      hostIp = fields.shift()!;
    }
  }
  const target = fields.pop()!;
  const published = fields.pop() ?? '';
  const ip = hostIp.includes('$') ? interpolatedDefault(hostIp) : hostIp;
  return { index, raw, long: false, hostIp: ip === null ? null : ip.trim(), published, target, protocol };
}

/** The short-syntax entry bound to `address` instead: `8080:80` → `127.0.0.1:8080:80`, `80` → `127.0.0.1::80`. */
export function bindShortPort(port: PublishedPort, address: string): string {
  return `${address}:${port.published}:${port.target}${port.protocol ? `/${port.protocol}` : ''}`;
}

/** How the port reads in a message: `8080:80/udp`, `0.0.0.0:8080:80`, `80 (a random host port)`. */
export function describePort(port: PublishedPort): string {
  const host = port.hostIp ? `${port.hostIp}:` : '';
  const proto = port.protocol ? `/${port.protocol}` : '';
  if (port.published === '') return `${host ? `${host}:` : ''}${port.target}${proto} (a random host port)`;
  return `${host}${port.published}:${port.target}${proto}`;
}

/**
 * Where a finding about `port` points: a short-syntax item itself; a long-syntax item's key of the first of
 * `fields` it writes (`host_ip:`, `target:`), else the item. Undefined when the service does not write
 * `ports:` itself (see ownListItem): point at service.locate('ports') then.
 */
export function portNode(service: ServiceNode, port: PublishedPort, ...fields: string[]): Node | undefined {
  const item = ownListItem(service, 'ports', port.index);
  if (!item || !isMap(item)) return item;
  for (const field of fields) {
    const key = fieldKey(item, field);
    if (key) return key;
  }
  return item;
}
