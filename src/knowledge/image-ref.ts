/** A parsed image reference (`[registry/][namespace/]name[:tag][@digest]`), as Docker reads it. */
export interface ImageRef {
  readonly raw: string;
  /** `docker.io` for Docker Hub; null when an interpolated variable decides it. */
  readonly registry: string | null;
  /** Path below the registry, with Docker Hub's implicit `library/` for official images. */
  readonly repository: string;
  readonly tag: string | null;
  readonly digest: string | null;
  /** Whether `${VAR}` parts were involved (defaults are used where given). */
  readonly interpolated: boolean;
  /** The name knowledge entries are matched on: `postgres`, `bitnami/postgresql`, `quay.io/prometheus/node-exporter`. */
  readonly key: string | null;
  /** Why Docker would refuse this reference, if it would. */
  readonly problems: readonly string[];
}

const DOCKER_HUB = 'docker.io';
const HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

/**
 * Parses an image reference. Interpolations with a default (`${TAG:-latest}`) take the default; others
 * leave that part unknown, so `${REGISTRY}/app` is app from an unknown registry, and `${IMAGE}` is unknown.
 */
export function parseImageRef(raw: string): ImageRef | null {
  // The same few references recur across services and files: parsed once each.
  let ref = refCache.get(raw);
  if (ref === undefined) {
    if (refCache.size > 10_000) refCache.clear();
    refCache.set(raw, (ref = readImageRef(raw)));
  }
  return ref;
}

const refCache = new Map<string, ImageRef | null>();

function readImageRef(raw: string): ImageRef | null {
  let interpolated = false;
  let unknownParts = false;
  const trimmed = raw.trim();
  const text = !trimmed.includes('$') ? trimmed : trimmed.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+=])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, _n, op, def) => {
    interpolated = true;
    if (op === ':-' || op === '-') return def as string;
    unknownParts = true;
    return '\u0000';
  });
  if (text === '' || text === '\u0000') return null;

  let rest = text;
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | null = null;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.indexOf(':', lastSlash + 1);
  if (colon !== -1) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const parts = rest.split('/');
  let registry: string | null = DOCKER_HUB;
  const first = parts[0]!;
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost' || first.includes('\u0000'))) {
    registry = first.includes('\u0000') ? null : first.toLowerCase();
    parts.shift();
  }
  if (registry !== null && HUB_ALIASES.has(registry)) registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift('library');
  const repository = parts.join('/');

  const problems: string[] = [];
  if (/[A-Z]/.test(repository)) problems.push('repository names must be lower case');
  if (tag !== null && !tag.includes('\u0000') && !/^[\w][\w.-]{0,127}$/.test(tag)) problems.push(`invalid tag "${tag}"`);
  if (digest !== null && !digest.includes('\u0000') && !/^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/.test(digest)) {
    problems.push(`invalid digest "${digest}"`);
  }
  if (repository === '' || parts.some((p) => p === '')) problems.push('empty path component');

  const nameKnown = !repository.includes('\u0000') && repository !== '';
  const lower = repository.toLowerCase();
  const key = !nameKnown
    ? null
    : registry === DOCKER_HUB
      ? lower.replace(/^library\//, '')
      : registry === null
        ? lower
        : `${registry}/${lower}`;
  const clean = (value: string | null) => (value === null || value.includes('\u0000') ? null : value);
  return {
    raw,
    registry,
    repository: repository.replace(/\u0000/g, '${…}'),
    tag: clean(tag),
    digest: clean(digest),
    interpolated: interpolated || unknownParts,
    key,
    problems,
  };
}
