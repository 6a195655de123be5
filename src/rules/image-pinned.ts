import { parseImageRef } from '../knowledge/image-ref.js';
import type { Rule } from './types.js';

/** Tags that name a channel, not a release: the image behind them changes without the file changing. */
const MUTABLE = new Set([
  'latest',
  'stable',
  'edge',
  'nightly',
  'dev',
  'devel',
  'develop',
  'development',
  'test',
  'testing',
  'lts',
  'main',
  'master',
  'beta',
  'alpha',
  'rc',
  'canary',
  'next',
  'unstable',
  'current',
  'mainline',
  'release',
  'preview',
  'snapshot',
  'experimental',
  'head',
  'trunk',
  'rolling',
  'daily',
  'weekly',
  'insider',
]);

/** `latest-alpine`, `stable-slim`, `nightly-2`: a channel with a variant is still a channel. */
function mutableTag(tag: string): string | null {
  const lower = tag.toLowerCase();
  if (MUTABLE.has(lower)) return lower;
  const head = lower.split(/[-_.]/, 1)[0]!;
  // `main-1a2b3c4`, `nightly-20240101`: a commit or a date makes the tag one build.
  return MUTABLE.has(head) && !/[0-9a-f]{7,}|\d{6,}/.test(lower.slice(head.length)) ? head : null;
}

export const imagePinned: Rule = {
  meta: {
    id: 'image-pinned',
    title: 'Image is not pinned',
    severity: 'warning',
    fix: 'manual',
    cis: ['5.28'],
    refs: { kics: [], semgrep: [], composeLint: ['CL-0004', 'CL-0019'] },
    rationale:
      'An image without a tag runs `latest`, and `latest`, `stable`, `edge`, `nightly`, `main` and the like are channels: every pull can bring a different image, so a deployment cannot be reproduced or rolled back, and a compromised upstream push reaches you on the next pull. A version tag is better but can still be re-pushed; only a digest (`@sha256:...`) names exactly one image.',
    remedy:
      'Name a release tag (`postgres:16.4`) instead of a channel (warning), and add the digest you tested (`postgres:16.4@sha256:...`, from `docker buildx imagetools inspect` or the registry) so that a re-pushed tag cannot change what runs (info). Reported only: which release to run is your decision. Services built locally (`build:` without `image:`) are skipped; a reference that names a digest counts as pinned whatever its tag. Differences: an interpolated tag without a default (`app:${TAG}`) is decided at run time and not reported; `${TAG:-latest}` is read as `latest`. Channel tags with a variant (`latest-alpine`, `stable-slim`) count as channels. compose-lint splits this check in two, CL-0004 (mutable tags) and CL-0019 (no digest): this rule reports both, so a release tag without a digest (`ghcr.io/org/app:1.2.3`) is information here, and `stable` is a channel.',
    owns: [],
    examples: {
      bad: 'services:\n  web:\n    image: nginx:latest\n',
      good: 'services:\n  web:\n    image: nginx:1.27.2@sha256:2d194184b067db3598771b4cf326cfe6ad5051937ba1132b8b7d4b0184e0d0a6\n',
    },
  },
  check(service) {
    const image = service.effective.image;
    if (typeof image !== 'string' && typeof image !== 'number') return [];
    const raw = String(image);
    const ref = parseImageRef(raw);
    if (!ref || ref.digest !== null) return [];
    const node = service.locate('image');
    // A digest written with a variable (`@${DIGEST}`) is a pin whose value comes at run time.
    if (raw.includes('@')) return [];
    const tail = raw.slice(raw.lastIndexOf('/') + 1);
    if (ref.tag === null) {
      // `app:${TAG}`: the tag is decided when Compose runs.
      if (tail.includes(':') || tail.includes('$')) return [];
      return [{ message: `service "${service.name}" runs image "${raw}" without a tag, which means latest: every pull can bring a different image`, node }];
    }
    const channel = mutableTag(ref.tag);
    if (channel !== null) {
      return [{ message: `service "${service.name}" runs image "${raw}": ${channel === ref.tag.toLowerCase() ? `"${ref.tag}" is` : `"${ref.tag}" follows`} a moving channel, not a release`, node }];
    }
    return [
      {
        message: `service "${service.name}" runs image "${raw}" by tag only: pin the digest you tested (@sha256:...) so that a re-pushed tag cannot change what runs`,
        node,
        severity: 'info' as const,
      },
    ];
  },
};
