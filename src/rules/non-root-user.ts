import { Commented } from '../core/render.js';
import { interpolatedDefault } from './support/values.js';
import { isRootUser, nonRootConflicts, serviceProfile } from '../knowledge/service-profile.js';
import { citeEntry } from '../knowledge/images.js';
import { describeImage } from './support/knowledge.js';
import type { Rule } from './types.js';

/** The first sentence of a knowledge explanation, for a one-line message. */
function firstSentence(text: string): string {
  const end = text.search(/\.(\s|$)/);
  const sentence = end === -1 ? text : text.slice(0, end);
  return sentence.length > 160 ? `${sentence.slice(0, 157).replace(/\s+\S*$/, '')}...` : sentence;
}

export const nonRootUser: Rule = {
  meta: {
    id: 'non-root-user',
    title: 'Service runs as root',
    severity: 'warning',
    fix: 'review',
    cis: ['4.1'],
    refs: { kics: [], semgrep: [], composeLint: ['CL-0018'] },
    rationale:
      'A process running as root inside the container is one kernel or runtime bug away from root on the host, and can use every capability the container keeps. Images that support a non-root user should run as it.',
    remedy:
      'Sets `user: "uid:gid"` where the image\'s knowledge entry says it supports a non-root run (the data directories must be writable by that user: a named volume created from the image is). An explicit `user: root` and images without a documented non-root mode are reported only. Review: bind-mounted data owned by another uid becomes unwritable. Differences: compose-lint CL-0018 reports only an explicit root user; a service with no `user:` whose image runs as root by default is reported too (information when the image is unknown).',
    owns: ['user'],
    examples: {
      bad: 'services:\n  db:\n    image: postgres:16\n',
      good: 'services:\n  db:\n    image: postgres:16\n    user: "999:999"\n',
    },
  },
  check(service) {
    const profile = serviceProfile(service);
    if (profile.user !== null) {
      // `${UID:-0}` runs as root whenever the variable is unset; `${UID}` alone is only known when Compose runs.
      const user = interpolatedDefault(profile.user);
      if (user === null || !isRootUser(user)) return [];
      const how = user === profile.user ? 'explicitly runs as root' : 'runs as root unless its variable is set';
      return [
        {
          message: `service "${service.name}" ${how} (user: ${profile.user})`,
          node: service.locate('user'),
        },
      ];
    }
    const match = profile.match;
    if (!match) {
      return [
        {
          message: `service "${service.name}" runs as the default user of ${describeImage(profile)}, which is often root; set \`user:\` if the image supports a non-root user`,
          node: service.locate('image'),
          severity: 'info',
        },
      ];
    }
    if (!isRootUser(match.user.default)) return [];
    if (match.user.nonRoot === null) {
      return [
        {
          message: `service "${service.name}" runs as root: ${match.entry.title} has no documented non-root mode (${firstSentence(match.user.why)}; ${citeEntry(match)})`,
          node: service.locate('image'),
          severity: 'info',
        },
      ];
    }
    const conflicts = nonRootConflicts(service, profile);
    if (conflicts.length > 0) {
      return [
        {
          message: `service "${service.name}" runs as root; ${match.entry.title} supports user ${match.user.nonRoot}, but ${conflicts.join(' and ')}: give those mounts to uid ${match.user.nonRoot.split(':')[0]} first`,
          node: service.locate('user'),
        },
      ];
    }
    return [
      {
        message: `service "${service.name}" runs as root; ${match.entry.title} supports user ${match.user.nonRoot} (${citeEntry(match)})`,
        node: service.locate('user'),
        fix: [
          {
            kind: 'set',
            path: ['user'],
            // An empty `user:` is replaced; a set one never reaches this point.
            replace: true,
            value: new Commented(match.user.nonRoot, `non-root user of the image (${match.entry.id})`),
            reason: match.user.why,
            source: match.user.source,
          },
        ],
      },
    ];
  },
};
