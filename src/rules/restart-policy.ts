import { locatePath } from './support/limits.js';
import type { Rule } from './types.js';

/** The number of restarts CIS recommends before Docker gives up on a failing container. */
const ATTEMPTS = 5;

const times = (count: string) => (Number(count) === 1 ? 'once' : `${Number(count)} times`);

export const restartPolicy: Rule = {
  meta: {
    id: 'restart-policy',
    title: 'Unbounded restarts on failure',
    severity: 'info',
    fix: 'manual',
    cis: ['5.15'],
    refs: { kics: ['2fc99041'], semgrep: [], composeLint: [] },
    rationale:
      'A container that fails again and again under `on-failure` with no limit (or a high one) keeps restarting: each start re-runs its entrypoint, its migrations and whatever an attacker planted, and the crash loop hides the failure. A small retry count lets a transient failure heal and a persistent one stop visibly.',
    remedy:
      'Set `restart: on-failure:5` (or `deploy.restart_policy: {condition: on-failure, max_attempts: 5}`). Reported only: the retry count is the operator\'s choice. `always` and `unless-stopped` are not reported: they serve long-running services that must come back after a reboot, which `on-failure` does not do. Differences: only `on-failure` is judged, as the catalogue states; a count given by a variable is not reported.',
    owns: [],
    examples: {
      bad: 'services:\n  worker:\n    image: example/worker:1.0\n    restart: on-failure\n',
      good: 'services:\n  worker:\n    image: example/worker:1.0\n    restart: on-failure:5\n',
    },
  },
  check(service, file) {
    const e = service.effective;
    const out = [];
    if (typeof e.restart === 'string') {
      const match = /^\s*on-failure(?::\s*(\S+))?\s*$/.exec(e.restart);
      if (match) {
        const count = match[1];
        // Docker reads a count of 0 as no limit, like no count at all.
        if (count === undefined || (/^\d+$/.test(count) && Number(count) === 0)) {
          out.push({ message: `service "${service.name}" restarts on failure without a limit (restart: ${e.restart.trim()}): use on-failure:${ATTEMPTS}`, node: service.locate('restart') });
        } else if (/^\d+$/.test(count) && Number(count) !== ATTEMPTS) {
          out.push({ message: `service "${service.name}" retries a failing container ${times(count)} (restart: ${e.restart.trim()}): use on-failure:${ATTEMPTS}`, node: service.locate('restart') });
        }
      }
    }
    const deploy = e.deploy as { restart_policy?: { condition?: unknown; max_attempts?: unknown } } | null | undefined;
    const policy = deploy?.restart_policy;
    if (policy && typeof policy === 'object' && String(policy.condition ?? 'any').trim() === 'on-failure') {
      const attempts = policy.max_attempts;
      const known = attempts === undefined || attempts === null || /^\d+$/.test(String(attempts).trim());
      if (known && Number(attempts ?? 0) !== ATTEMPTS) {
        out.push({
          message:
            attempts === undefined || attempts === null
              ? `service "${service.name}" restarts on failure without a limit (deploy.restart_policy has no max_attempts): set max_attempts: ${ATTEMPTS}`
              : Number(attempts) === 0
                ? `service "${service.name}" restarts on failure without a limit (deploy.restart_policy.max_attempts: 0 means no limit): use ${ATTEMPTS}`
                : `service "${service.name}" retries a failing container ${times(String(attempts).trim())} (deploy.restart_policy.max_attempts): use ${ATTEMPTS}`,
          // The max_attempts key, or the restart_policy section that lacks it.
          node: locatePath(service, file, ['deploy', 'restart_policy', 'max_attempts']),
        });
      }
    }
    return out;
  },
};
