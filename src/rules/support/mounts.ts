import { interpolatedDefault, stringList } from './values.js';

export interface Mount {
  readonly type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'unknown';
  /** Host path or volume name; null when unknown (interpolated) or absent. */
  readonly source: string | null;
  /** Container path; null when it cannot be known. */
  readonly target: string | null;
  readonly readOnly: boolean;
  /** Index in the service's `volumes:` list, or -1 for `tmpfs:` entries. */
  readonly index: number;
}

/** The service's `volumes:` entries, short and long syntax, with interpolation defaults applied. */
export function volumeMounts(effective: Record<string, unknown>, topLevelVolumes: Record<string, unknown> = {}): Mount[] {
  const volumes = Array.isArray(effective.volumes) ? effective.volumes : [];
  return volumes.map((entry, index) => {
    if (entry !== null && typeof entry === 'object') {
      const long = entry as Record<string, unknown>;
      const type = (['bind', 'volume', 'tmpfs', 'npipe'].includes(String(long.type)) ? long.type : 'unknown') as Mount['type'];
      const source = typeof long.source === 'string' ? interpolatedDefault(long.source) : null;
      const target = typeof long.target === 'string' ? interpolatedDefault(long.target) : null;
      return resolveNamedBind({ type, source, target, readOnly: long.read_only === true, index }, topLevelVolumes);
    }
    return resolveNamedBind(parseShortVolume(String(entry), index), topLevelVolumes);
  });
}

/** `SRC:DST[:MODE]`, `DST` (anonymous volume); Windows drive letters are kept together. */
export function parseShortVolume(spec: string, index: number): Mount {
  const resolved = interpolatedDefault(spec);
  const parts = (resolved ?? spec).split(/:(?!\\)/);
  if (/^[A-Za-z]$/.test(parts[0] ?? '') && parts.length > 1) parts.splice(0, 2, `${parts[0]}:${parts[1]}`);
  if (parts.length === 1) return { type: 'volume', source: null, target: resolved === null ? null : parts[0]!, readOnly: false, index };
  const [source, target, mode = ''] = parts;
  const isPath = /^[./~]/.test(source!) || /^[A-Za-z]:/.test(source!);
  return {
    type: isPath ? 'bind' : 'volume',
    source: resolved === null && source!.includes('${') ? null : source!,
    target: target ?? null,
    readOnly: mode.split(',').includes('ro'),
    index,
  };
}

/** A named volume declared with `driver_opts: {type: none, o: bind, device: PATH}` is a bind mount of PATH. */
function resolveNamedBind(mount: Mount, topLevelVolumes: Record<string, unknown>): Mount {
  if (mount.type !== 'volume' || !mount.source) return mount;
  const declared = topLevelVolumes[mount.source];
  if (!declared || typeof declared !== 'object') return mount;
  const opts = (declared as Record<string, unknown>).driver_opts as Record<string, unknown> | undefined;
  if (!opts || !String(opts.o ?? '').split(',').includes('bind') || typeof opts.device !== 'string') return mount;
  return { ...mount, type: 'bind', source: interpolatedDefault(opts.device) };
}

/** Container paths the service already has a writable mount or tmpfs at. */
export function mountedPaths(effective: Record<string, unknown>): Set<string> {
  const paths = new Set<string>();
  for (const entry of stringList(effective.tmpfs)) paths.add(normalizePath(entry.split(':')[0]!));
  for (const mount of volumeMounts(effective)) if (mount.target) paths.add(normalizePath(mount.target));
  return paths;
}

export function normalizePath(path: string): string {
  const trimmed = path.trim().replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}
