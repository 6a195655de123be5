import { serviceProfile } from '../knowledge/service-profile.js';
import { defaults } from '../knowledge/templates.js';
import type { Rule } from './types.js';

export const unknownImage: Rule = {
  meta: {
    id: 'unknown-image',
    title: 'Hardening of this image is unverified',
    severity: 'info',
    fix: 'review',
    cis: [],
    refs: { kics: [], semgrep: [], composeLint: [] },
    rationale:
      'compose-harden takes what an image needs (capabilities, writable paths, user) from its knowledge entries. For a locally built or unknown image it applies compatibility-first defaults instead, which may be more than the service needs or, rarely, not enough.',
    remedy:
      'Nothing is changed by this rule. Review the defaults the other rules applied: run `compose-harden verify`, or run the original service and list the paths it writes with `docker diff <container>`.',
    owns: [],
    examples: {
      bad: 'services:\n  app:\n    build: ./app\n',
      good: 'services:\n  app:\n    build: ./app\n    user: "1000:1000"\n    read_only: true\n    cap_drop: [ALL]\n',
    },
  },
  check(service) {
    const profile = serviceProfile(service);
    if (profile.match) return [];
    const { unknownImage: unknown } = defaults();
    const what = profile.built
      ? 'is built locally'
      : profile.image
        ? `runs image "${profile.image.raw}", which compose-harden has no knowledge of`
        : 'names no image compose-harden can determine';
    return [
      {
        message: `service "${service.name}" ${what}: its hardening uses unverified compatibility defaults (cap_add ${unknown.capabilities.map((c) => c.name).join(', ')}; tmpfs ${['/tmp', ...unknown.tmpfs.map((t) => t.path)].join(', ')}; init: true; default limits). ${unknown.verify}`,
        node: service.locate(profile.built ? 'build' : 'image'),
        safety: 'review',
      },
    ];
  },
};
