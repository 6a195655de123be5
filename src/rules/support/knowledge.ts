import { Commented } from '../../core/render.js';
import type { CapabilityNeed, TmpfsPath } from '../../knowledge/image-entry.js';
import { citeEntry } from '../../knowledge/images.js';
import type { ServiceProfile } from '../../knowledge/service-profile.js';
import { defaults } from '../../knowledge/templates.js';

/** Where a service's hardening facts come from, for messages and `inspect`. */
export function knowledgeSource(profile: ServiceProfile): string {
  return profile.match ? citeEntry(profile.match) : 'templates/defaults.json#unknownImage';
}

/** What the image is, in a message: `postgres (templates/images/postgres.json)` or why nothing is known. */
export function describeImage(profile: ServiceProfile): string {
  if (profile.match) return `${profile.match.entry.title}`;
  if (profile.built) return 'a locally built image';
  return profile.image ? `an unknown image (${profile.image.raw})` : 'an image compose-harden cannot determine';
}

/** The tmpfs paths a read-only service needs: /tmp for every image, then the image's own (or unverified defaults). */
export function neededTmpfs(profile: ServiceProfile): TmpfsPath[] {
  const own = profile.match ? profile.match.writable.tmpfs : defaults().unknownImage.tmpfs;
  // The image's own entry for a common path (a /tmp owned by its user) replaces the generic one.
  const generic = defaults().everyImage.tmpfs.map((t) => own.find((o) => o.path === t.path) ?? t);
  return [...generic, ...own.filter((o) => !generic.includes(o))];
}

/** The capabilities to add back under `cap_drop: [ALL]`. A non-root process cannot use added capabilities. */
export function neededCapabilities(profile: ServiceProfile, nonRoot: boolean): CapabilityNeed[] {
  if (profile.match) return [...(nonRoot ? profile.match.capabilities.nonRoot : profile.match.capabilities.default)];
  return nonRoot ? [] : defaults().unknownImage.capabilities;
}

/** The numeric owner a tmpfs needs: the service's own numeric `user:`, else the uid/gid the image's entry gives. */
export interface TmpfsOwner {
  readonly uid?: number;
  readonly gid?: number;
}

/** The owner of a non-root service's tmpfs; null when the process runs as root (it needs none). */
export function tmpfsOwner(user: string | null, nonRoot: boolean): TmpfsOwner | 'entry' | null {
  if (!nonRoot) return null;
  const numeric = user === null ? null : /^(\d+)(?::(\d+))?$/.exec(user.trim());
  if (!numeric) return 'entry';
  return { uid: Number(numeric[1]), ...(numeric[2] === undefined ? {} : { gid: Number(numeric[2]) }) };
}

/**
 * `/var/run/postgresql:uid=999,gid=999`: ownership only for a non-root process (a root process without
 * DAC_OVERRIDE cannot write into a directory owned by another user), taken from the service's numeric
 * user when it sets one, else from the entry.
 */
export function tmpfsEntry(t: TmpfsPath, owner: TmpfsOwner | 'entry' | null): Commented {
  const options: string[] = [];
  const needsOwner = t.uid !== undefined || t.gid !== undefined || t.owner === 'process';
  if (owner !== null && needsOwner) {
    const { uid, gid } = owner === 'entry' ? t : owner;
    if (uid !== undefined) options.push(`uid=${uid}`);
    if (gid !== undefined) options.push(`gid=${gid}`);
  }
  if (t.size) options.push(`size=${t.size}`);
  if (t.exec) options.push('exec');
  return new Commented(options.length > 0 ? `${t.path}:${options.join(',')}` : t.path, t.why);
}
