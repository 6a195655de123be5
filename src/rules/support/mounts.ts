import { isAlias, isMap, isScalar, isSeq, type Node } from 'yaml';
import type { ServiceNode } from '../../core/compose-file.js';
import { isMergeKey } from '../../core/effective.js';
import { normalizePath } from '../../core/container-path.js';
import { interpolatedDefault, isTrue, splitColonFields, stringList } from './values.js';

export interface Mount {
  readonly type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'unknown';
  /** Host path or volume name; null when unknown (interpolated) or absent. */
  readonly source: string | null;
  /** The source as written, variables and all (`${XDG_RUNTIME_DIR}/docker.sock`). */
  readonly sourceText: string | null;
  /** Container path; null when it cannot be known. */
  readonly target: string | null;
  readonly readOnly: boolean;
  /** Index in the service's `volumes:` list, or -1 for `tmpfs:` entries. */
  readonly index: number;
  /** Bind propagation (`rshared`, `slave`, ...): the short syntax's mode option or the long syntax's `bind.propagation`. */
  readonly propagation?: string | null;
  /** Written in the long syntax (a mapping). */
  readonly long?: boolean;
  /** The short syntax's mode field (`ro,z`), as written; empty when absent. */
  readonly mode?: string;
  /** The mount came from a top-level named volume declared as a bind (`driver_opts: {o: bind, device: ...}`). */
  readonly namedBind?: string;
}

const PROPAGATION = new Set(['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate']);

/** The service's `volumes:` entries, short and long syntax, with interpolation defaults applied. */
export function volumeMounts(effective: Record<string, unknown>, topLevelVolumes: Record<string, unknown> = NO_VOLUMES): Mount[] {
  const volumes = Array.isArray(effective.volumes) ? effective.volumes : [];
  if (volumes.length === 0) return [];
  // Several rules read the same service's mounts: parsed once per (volumes, top-level volumes) pair.
  // Callers without top-level volumes pass a fresh {}: all of those share one cache identity.
  if (topLevelVolumes !== NO_VOLUMES && isEmptyObject(topLevelVolumes)) topLevelVolumes = NO_VOLUMES;
  const cached = mountCache.get(volumes);
  if (cached && cached.top === topLevelVolumes) return cached.mounts;
  const mounts = readMounts(volumes, topLevelVolumes);
  mountCache.set(volumes, { top: topLevelVolumes, mounts });
  return mounts;
}

const NO_VOLUMES: Record<string, unknown> = {};

function isEmptyObject(value: Record<string, unknown>): boolean {
  for (const _ in value) return false;
  return true;
}
const mountCache = new WeakMap<unknown[], { top: Record<string, unknown>; mounts: Mount[] }>();

function readMounts(volumes: unknown[], topLevelVolumes: Record<string, unknown>): Mount[] {
  return volumes.map((entry, index) => {
    if (entry !== null && typeof entry === 'object') {
      const long = entry as Record<string, unknown>;
      const sourceText = typeof long.source === 'string' ? long.source : null;
      // The specification requires `type`; without it, a path source is what the author means by a bind.
      const untyped = long.type === undefined || long.type === null ? (sourceText !== null && looksLikePath(sourceText) ? 'bind' : sourceText !== null ? 'volume' : 'unknown') : null;
      const type = (untyped ?? (['bind', 'volume', 'tmpfs', 'npipe'].includes(String(long.type)) ? long.type : 'unknown')) as Mount['type'];
      const source = sourceText === null ? null : interpolatedDefault(sourceText);
      const target = typeof long.target === 'string' ? interpolatedDefault(long.target) : null;
      const bind = long.bind !== null && typeof long.bind === 'object' ? (long.bind as Record<string, unknown>) : {};
      const propagation = typeof bind.propagation === 'string' ? bind.propagation.trim() : null;
      return resolveNamedBind(
        { type, source, sourceText, target, readOnly: isTrue(long.read_only), index, propagation, long: true, mode: '' },
        topLevelVolumes,
      );
    }
    return resolveNamedBind(parseShortVolume(String(entry), index), topLevelVolumes);
  });
}

/** `SRC:DST[:MODE]`, `DST` (anonymous volume); Windows drive letters are kept together. */
export function parseShortVolume(spec: string, index: number): Mount {
  const parts = splitVolumeSpec(spec);
  if (parts.length === 1) {
    return { type: 'volume', source: null, sourceText: null, target: interpolatedDefault(parts[0]!), readOnly: false, index, propagation: null, long: false, mode: '' };
  }
  const [sourceText, target, mode = ''] = parts as [string, string, string?];
  const options = mode.split(',').map((o) => o.trim());
  // A volume name cannot contain a slash; anything with one (or starting with . or ~) is a host path.
  const isPath = looksLikePath(sourceText);
  return {
    type: isPath ? 'bind' : 'volume',
    source: interpolatedDefault(sourceText),
    sourceText,
    target: interpolatedDefault(target),
    readOnly: options.includes('ro'),
    index,
    propagation: options.find((o) => PROPAGATION.has(o)) ?? null,
    long: false,
    mode,
  };
}

/**
 * A host path rather than a volume name: a volume name cannot contain a slash or start with `.` or `~`, and
 * `$HOME` (`${HOME}`) is the home directory, whatever the variable holds.
 */
function looksLikePath(source: string): boolean {
  return /^[./~]/.test(source) || /^[A-Za-z]:/.test(source) || source.includes('/') || /^\$(\{HOME\}|HOME(?![A-Za-z0-9_]))/.test(source);
}

/** Splits on the colons that separate fields, not those inside `${VAR:-default}` or a Windows drive. */
function splitVolumeSpec(spec: string): string[] {
  return splitColonFields(spec, (field, before, after) => field === 0 && /^[A-Za-z]$/.test(before) && /^[\\/]/.test(after));
}

/**
 * A named volume is a bind mount of its `device` when the local driver mounts it with `o: bind` (or `rbind`):
 * the driver passes `type`, `o` and `device` to mount(2), and a bind ignores the file-system type, so
 * `type: none` is only the usual spelling (recent engines require some `type` beside `device`; an older
 * one binds without). Another driver (`rexray/ebs`, a plugin) reads `device` its own way: not a host path.
 */
function resolveNamedBind(mount: Mount, topLevelVolumes: Record<string, unknown>): Mount {
  if (mount.type !== 'volume' || !mount.source) return mount;
  const declared = topLevelVolumes[mount.source];
  if (!declared || typeof declared !== 'object') return mount;
  const { driver, driver_opts: opts } = declared as Record<string, unknown>;
  if (!isLocalDriver(driver) || !opts || typeof opts !== 'object') return mount;
  const { o, device } = opts as Record<string, unknown>;
  if (typeof device !== 'string' || !String(o ?? '').split(',').some((option) => option === 'bind' || option === 'rbind')) return mount;
  return { ...mount, type: 'bind', source: interpolatedDefault(device), namedBind: mount.source };
}

/** The volume driver is the built-in `local` one: absent, empty (the engine's default) or `local`; an unresolved variable is not known to be. */
function isLocalDriver(driver: unknown): boolean {
  if (driver === undefined || driver === null) return true;
  const name = typeof driver === 'string' ? interpolatedDefault(driver) : null;
  return name !== null && ['', 'local'].includes(name.trim());
}

/** Container paths the service already has a writable mount or tmpfs at. */
export function mountedPaths(effective: Record<string, unknown>): Set<string> {
  const paths = new Set<string>();
  for (const entry of stringList(effective.tmpfs)) paths.add(normalizePath(entry.split(':')[0]!));
  for (const mount of volumeMounts(effective)) if (mount.target) paths.add(normalizePath(mount.target));
  return paths;
}

export { normalizePath };

/**
 * Where a finding about the mount at `index` of the service's `volumes:` points: a short-syntax item
 * itself; a long-syntax item's `source:` key (the field that makes the mount what it is), or the item when
 * it has no own `source:`; see ownListItem for lists the service does not write item by item.
 */
export function ownVolumeItem(service: ServiceNode, index: number): Node | undefined {
  const item = ownListItem(service, 'volumes', index);
  return item && isMap(item) ? (fieldKey(item, 'source') ?? item) : item;
}

/**
 * The service's own node for the item at `index` of the list at `key`: the item itself (not a part of
 * it); the alias when the whole list is one (`volumes: *shared`); the value when a list setting is written
 * as a single scalar (`tmpfs: /run`). Undefined when the service does not write the key: the finding then
 * points where ServiceNode.locate says (the merge key it is inherited through, the service's alias).
 */
export function ownListItem(service: ServiceNode, key: string, index: number): Node | undefined {
  const value = service.ownPair(key)?.value as Node | null | undefined;
  if (isSeq(value)) return value.items[index] as Node | undefined;
  if (isAlias(value)) return value;
  if (isScalar(value) && value.value !== null && index === 0) return value;
  return undefined;
}

/**
 * The key of a field of a long-syntax item (`source`, `host_ip`, `bind` then `propagation`), for a finding
 * about that field: the merge key it comes through when the mapping inherits it (`- <<: *mount`), the
 * last key found when the path ends early (`bind: *shared`). Undefined when the item has neither.
 */
export function fieldKey(item: Node, ...path: string[]): Node | undefined {
  let found: Node | undefined;
  let node: unknown = item;
  for (const name of path) {
    if (!isMap(node)) break;
    const pair = node.items.find((p) => isScalar(p.key) && p.key.value === name && !isMergeKey(p.key));
    if (!pair) return (node.items.find((p) => isMergeKey(p.key))?.key as Node | undefined) ?? found;
    found = pair.key as Node;
    node = pair.value;
  }
  return found;
}

/** A host path the way the kernel resolves it: no `//`, `/./` or `..`, no trailing slash. */
export function canonicalHostPath(path: string): string {
  if (!path.startsWith('/')) return path;
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}
