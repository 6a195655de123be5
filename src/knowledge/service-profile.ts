import type { ServiceNode } from '../core/compose-file.js';
import { parseImageRef, type ImageRef } from './image-ref.js';
import { matchImage, type MatchedImage } from './images.js';
import { normalizePath } from '../core/container-path.js';
import { volumeMounts } from '../rules/support/mounts.js';

/** What compose-harden knows about the image a service runs. */
export interface ServiceProfile {
  readonly image: ImageRef | null;
  readonly match: MatchedImage | null;
  /** The service has a `build:` section (it may still name the image it builds). */
  readonly built: boolean;
  /** The `user:` the service sets, if any. */
  readonly user: string | null;
}

const profiles = new WeakMap<ServiceNode, ServiceProfile>();

export function serviceProfile(service: ServiceNode): ServiceProfile {
  let profile = profiles.get(service);
  if (!profile) {
    const { effective } = service;
    const image = typeof effective.image === 'string' ? parseImageRef(effective.image) : null;
    const built = effective.build !== undefined && effective.build !== null;
    const user = effective.user === undefined || effective.user === null || String(effective.user).trim() === '' ? null : String(effective.user).trim();
    // A locally built image is the user's own, whatever name it is tagged with: no knowledge applies.
    profile = { image, match: built ? null : matchImage(image), built, user };
    profiles.set(service, profile);
  }
  return profile;
}

/** `root`, `0`, `0:0`, `root:root`, `0:1000`: the process runs with uid 0. */
export function isRootUser(user: string): boolean {
  const name = user.split(':')[0]!.trim();
  return name === 'root' || name === '0';
}

export const NON_ROOT_RULE = 'non-root-user';

/**
 * Mounts the service already has at paths the non-root user must own (`/var/cache/nginx` as a plain
 * tmpfs or a volume): switching the user would leave them owned by root and break the service.
 */
export function nonRootConflicts(service: ServiceNode, profile: ServiceProfile): string[] {
  const match = profile.match;
  if (!match) return [];
  const owned = match.writable.tmpfs.filter((t) => t.uid !== undefined).map((t) => normalizePath(t.path));
  const conflicts: string[] = [];
  const tmpfs = tmpfsEntries(service.effective.tmpfs);
  for (const path of owned) {
    const existing = tmpfs.find((entry) => entry.path === path);
    if (existing && !/(^|,)uid=/.test(existing.options)) conflicts.push(`tmpfs ${path} has no uid= option`);
  }
  // Data directories (PGDATA, /data): a named volume starts with the image's ownership, a host directory
  // keeps its owner on the host, which only a root start (chown in the entrypoint) adapts.
  const data = match.writable.volumes.map((v) => normalizePath(v.path));
  for (const mount of volumeMounts(service.effective)) {
    if (mount.target === null) continue;
    const target = normalizePath(mount.target);
    if (owned.includes(target)) conflicts.push(`a volume is mounted at ${mount.target}`);
    else if (mount.type === 'bind' && data.some((path) => path === target || path.startsWith(`${target}/`))) {
      conflicts.push(`the host directory ${mount.sourceText ?? mount.source ?? ''} is bind-mounted at ${mount.target}, owned on the host by whoever created it`);
    }
  }
  return conflicts;
}

function tmpfsEntries(value: unknown): Array<{ path: string; options: string }> {
  const list = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
  return list.map((item) => {
    const [path = '', ...rest] = String(item).split(':');
    return { path: normalizePath(path), options: rest.join(':') };
  });
}

/** The `user:` that `non-root-user` sets for this service, or null when it sets none. */
export function plannedNonRootUser(service: ServiceNode, profile: ServiceProfile): string | null {
  const match = profile.match;
  if (profile.user !== null || !match || !isRootUser(match.user.default) || match.user.nonRoot === null) return null;
  return nonRootConflicts(service, profile).length === 0 ? match.user.nonRoot : null;
}

/**
 * Whether the service's main process runs as a non-root user once hardened: an explicit non-root
 * `user:`, the image's own default, or the user `non-root-user` will set when that rule is enabled.
 */
export function runsAsNonRoot(service: ServiceNode, profile: ServiceProfile, enabled: ReadonlySet<string>): boolean {
  if (profile.user !== null) return !isRootUser(profile.user);
  const match = profile.match;
  if (!match) return false;
  if (!isRootUser(match.user.default)) return true;
  return enabled.has(NON_ROOT_RULE) && plannedNonRootUser(service, profile) !== null;
}
