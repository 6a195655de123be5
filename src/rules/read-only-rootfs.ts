import type { Intent } from '../core/intents.js';
import { runsAsNonRoot, serviceProfile } from '../knowledge/service-profile.js';
import { describeImage, knowledgeSource, neededTmpfs, tmpfsEntry, tmpfsOwner } from './support/knowledge.js';
import { mountedPaths, normalizePath } from './support/mounts.js';
import { environmentNames, isTrue } from './support/values.js';
import type { Rule } from './types.js';

export const readOnlyRootfs: Rule = {
  meta: {
    id: 'read-only-rootfs',
    title: 'Root filesystem is writable',
    severity: 'warning',
    fix: 'review',
    cis: ['5.13'],
    refs: { kics: [], semgrep: ['writable-filesystem-service'], composeLint: ['CL-0007'] },
    rationale:
      'A writable root filesystem lets an attacker who gets code execution modify binaries and configuration and persist inside the container. A read-only root with tmpfs mounts for scratch paths keeps the image immutable at run time.',
    remedy:
      'Sets `read_only: true` and adds `tmpfs` entries for the paths the image writes (from its knowledge entry, with the owner a non-root process needs; `/tmp` and `/run` when the image is unknown), keeping existing tmpfs entries and volumes. Review: a program that writes elsewhere needs a tmpfs or volume there.',
    owns: ['read_only', 'tmpfs'],
    examples: {
      bad: 'services:\n  web:\n    image: nginx:1.27\n',
      good: 'services:\n  web:\n    image: nginx:1.27\n    read_only: true\n    tmpfs:\n      - /tmp\n      - /var/cache/nginx\n      - /run:size=1m\n',
    },
  },
  check(service, _file, context) {
    const { effective } = service;
    const profile = serviceProfile(service);
    const unsupported = profile.match?.entry.readOnly;
    const breaks = unsupported && !(unsupported.unlessEnv && environmentNames(effective).has(unsupported.unlessEnv)) ? unsupported : undefined;
    const warning = breaks
      ? `${profile.match!.entry.title} is known to fail with a read-only root: ${breaks.why} (${breaks.source}); ` +
        (breaks.unlessEnv ? `set ${breaks.unlessEnv} in its environment, or ` : '') +
        'remove read_only from this service, or run fix with --skip read-only-rootfs'
      : '';
    if (isTrue(effective.read_only)) {
      // The core hardening is applied (review safety), but a known breakage stays visible after fixing.
      return breaks ? [{ message: `service "${service.name}" has read_only: true, but ${warning}`, node: service.locate('read_only') }] : [];
    }
    const fix = (): Intent[] => {
      const nonRoot = runsAsNonRoot(service, profile, context.enabled);
      const mounted = mountedPaths(effective);
      const missing = neededTmpfs(profile).filter((t) => !mounted.has(normalizePath(t.path)));
      const source = knowledgeSource(profile);
      const intents: Intent[] = [{ kind: 'set', path: ['read_only'], value: true, replace: true, reason: 'make the root filesystem immutable', source }];
      if (missing.length > 0) {
        intents.push({
          kind: 'add-items',
          key: 'tmpfs',
          items: missing.map((t) => tmpfsEntry(t, tmpfsOwner(profile.user, nonRoot))),
          reason: `paths ${describeImage(profile)} writes outside its volumes`,
          source,
        });
      }
      return intents;
    };
    const explicit = 'read_only' in effective;
    const base = explicit
      ? `service "${service.name}" sets read_only to ${JSON.stringify(effective.read_only)}: its root filesystem is writable`
      : `service "${service.name}" has a writable root filesystem (no read_only: true)`;
    return [{ message: breaks ? `${base}; warning: ${warning}` : base, node: service.locate('read_only'), fix }];
  },
};
