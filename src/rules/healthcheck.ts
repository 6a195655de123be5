import { serviceProfile } from '../knowledge/service-profile.js';
import { knowledgeSource } from './support/knowledge.js';
import { locatePath } from './support/limits.js';
import { isTrue } from './support/values.js';
import type { Rule } from './types.js';

/** `test: ["NONE"]` or `test: NONE`: the image's own HEALTHCHECK is switched off. */
function disablesTest(test: unknown): boolean {
  if (Array.isArray(test)) return test.length > 0 && String(test[0]).trim().toUpperCase() === 'NONE';
  return typeof test === 'string' && test.trim().toUpperCase() === 'NONE';
}

export const healthcheck: Rule = {
  meta: {
    id: 'healthcheck',
    title: 'No health check',
    severity: 'warning',
    fix: 'review',
    cis: ['5.27'],
    refs: { kics: ['698ed579'], semgrep: [], composeLint: [] },
    rationale:
      'Without a health check Docker knows only whether the process runs, not whether it serves: a hung database stays "up", `depends_on: {condition: service_healthy}` cannot wait for it, and an orchestrator cannot replace it.',
    remedy:
      "Adds the image's known readiness check from its knowledge entry (`healthcheck: {test: [CMD, pg_isready, ...]}`) to services that have none. Review: the check runs inside the container every 30 seconds and needs its program in the image. Services whose image has no known check are reported as info and left alone (the image may declare a HEALTHCHECK of its own, which compose-harden cannot see); an explicit `disable: true` or `test: [\"NONE\"]` is reported as a warning and never overwritten, because switching a check off is a decision (often: the image's check fails in this deployment). Differences: a `healthcheck:` section without `test` keeps the image's own check and is not reported.",
    owns: ['healthcheck'],
    examples: {
      bad: 'services:\n  db:\n    image: postgres:16\n',
      good: 'services:\n  db:\n    image: postgres:16\n    healthcheck:\n      test: [CMD, pg_isready, -q, -h, 127.0.0.1]\n',
    },
  },
  check(service, file) {
    const e = service.effective;
    const current = e.healthcheck;
    if (current !== undefined && current !== null && typeof current === 'object') {
      const hc = current as Record<string, unknown>;
      if (isTrue(hc.disable) || disablesTest(hc.test)) {
        const disabled = isTrue(hc.disable);
        return [
          {
            message: `service "${service.name}" switches its health check off (${disabled ? 'disable: true' : 'test: NONE'}): Docker cannot tell a hung service from a working one`,
            // The key that switches it off.
            node: locatePath(service, file, ['healthcheck', disabled ? 'disable' : 'test']),
          },
        ];
      }
      return [];
    }
    const profile = serviceProfile(service);
    const known = profile.match?.entry.healthcheck;
    if (!known) {
      return [
        {
          message: `service "${service.name}" has no health check${profile.built ? '' : ' (unless its image declares one)'}: add one that proves the service answers`,
          node: service.locate('healthcheck'),
          severity: 'info',
        },
      ];
    }
    return [
      {
        message: `service "${service.name}" has no health check: Docker cannot tell a hung service from a working one`,
        node: service.locate('healthcheck'),
        fix: [
          {
            kind: 'set',
            path: ['healthcheck'],
            // Compose interpolates `$` in the file: the check's own `$(...)` and `$VAR` must reach the shell as written.
            value: { test: known.test.map((part) => part.replace(/\$/g, '$$$$')) },
            reason: `${profile.match!.entry.title}'s readiness check`,
            source: `${knowledgeSource(profile)} (${known.source})`,
          },
        ],
      },
    ];
  },
};
