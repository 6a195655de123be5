import type { Intent } from '../core/intents.js';
import { Commented } from '../core/render.js';
import { serviceProfile } from '../knowledge/service-profile.js';
import { deployResource, firstNode, hasPath, isSetLimit, limitsLocation, locatePath, serviceLimits } from './support/limits.js';
import type { Rule } from './types.js';

/** Where a pids limit can be written. */
const PIDS_KEYS = [['pids_limit'], ['deploy', 'resources', 'limits', 'pids']] as const;

export const pidsLimit: Rule = {
  meta: {
    id: 'pids-limit',
    title: 'No process limit',
    severity: 'warning',
    fix: 'safe',
    cis: ['5.29'],
    refs: { kics: ['221e0658'], semgrep: [], composeLint: [] },
    rationale:
      'Without a pids limit a fork bomb or a leak of threads in one container exhausts the host\'s process table and takes every other service down with it.',
    remedy:
      'Sets `pids_limit` (the key Compose v1 and v2 both accept, in every file format they read) from the image knowledge, or 512, scaled by `--limits`, or `deploy.resources.limits.pids` when the service keeps its limits in `deploy.resources` (Compose v2 refuses a `pids_limit` that differs from them); `-1` and `0` mean unlimited and are replaced. A value in `deploy.resources.limits.pids` counts as set.',
    owns: ['pids_limit', 'deploy'],
    examples: {
      bad: 'services:\n  app:\n    image: example/app:1.0\n',
      good: 'services:\n  app:\n    image: example/app:1.0\n    pids_limit: 512\n',
    },
  },
  check(service, file, context) {
    const e = service.effective;
    if (isSetLimit(e.pids_limit) || isSetLimit(deployResource(e, 'limits', 'pids'))) return [];
    // In deploy.resources when the service keeps its limits there (Compose v2 refuses a differing pids_limit beside them).
    const path = limitsLocation(service) === 'deploy' ? PIDS_KEYS[1] : PIDS_KEYS[0];
    // A value that limits nothing (-1, 0, `${PIDS:-0}`, empty) is reported at its key, the first in the file;
    // an absent limit where it belongs (the `limits:` section that lacks it, or the service name).
    const written = PIDS_KEYS.filter((p) => hasPath(e, p)).map((p) => ({ path: p, node: locatePath(service, file, p) }));
    const first = written.find((w) => w.node === firstNode(written.map((x) => x.node)));
    const node = first?.node ?? locatePath(service, file, path);
    const current = first ? (first.path.length === 1 ? e.pids_limit : deployResource(e, 'limits', 'pids')) : undefined;
    const unlimited = current !== undefined && current !== null && current !== '';
    const fix = (): Intent[] => {
      const limits = serviceLimits(service, serviceProfile(service), context.options.limits);
      const value = new Commented(limits.pids, limits.comment);
      return [{ kind: 'set', path, value, replace: true, reason: 'bound the number of processes and threads', source: limits.source }];
    };
    return [
      {
        message: unlimited
          ? `service "${service.name}" sets ${first!.path.join('.')} to ${String(current)}, which means unlimited`
          : `service "${service.name}" has no pids limit (a fork bomb can exhaust the host)`,
        node,
        fix,
      },
    ];
  },
};
