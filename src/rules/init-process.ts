import type { Intent } from '../core/intents.js';
import { serviceProfile } from '../knowledge/service-profile.js';
import { isTrue } from './support/values.js';
import type { Rule } from './types.js';

export const initProcess: Rule = {
  meta: {
    id: 'init-process',
    title: 'No init process',
    severity: 'info',
    fix: 'safe',
    cis: [],
    refs: { kics: [], semgrep: [], composeLint: [] },
    rationale:
      'PID 1 in a container must reap orphaned children and forward signals. Most application processes do neither: zombies pile up and `docker stop` waits its full timeout before killing. `init: true` runs Docker\'s tiny init (tini) as PID 1.',
    remedy:
      'Sets `init: true`, unless the image ships its own init (s6-overlay, tini, dumb-init: image knowledge) or the service sets `init:` itself.',
    owns: ['init'],
    examples: {
      bad: 'services:\n  app:\n    image: example/app:1.0\n',
      good: 'services:\n  app:\n    image: example/app:1.0\n    init: true\n',
    },
  },
  check(service) {
    const e = service.effective;
    if (e.init !== undefined && e.init !== null) return [];
    const profile = serviceProfile(service);
    if (profile.match?.entry.init.own) return [];
    if (isTrue(e.init)) return [];
    const fix: Intent[] = [
      {
        kind: 'set',
        path: ['init'],
        value: true,
        reason: profile.match ? `${profile.match.entry.title} ships no init: ${profile.match.entry.init.why}` : 'reap zombies and forward signals',
        source: profile.match ? `${profile.match.file}#${profile.match.entry.id}` : 'https://docs.docker.com/reference/compose-file/services/#init',
      },
    ];
    return [
      {
        message: `service "${service.name}" runs without an init process: zombies are not reaped and stop signals may wait for the timeout`,
        node: service.locate('init'),
        fix,
      },
    ];
  },
};
