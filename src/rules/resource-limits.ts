import type { Node } from 'yaml';
import type { ComposeFile, ServiceNode } from '../core/compose-file.js';
import { Commented } from '../core/render.js';
import type { Intent } from '../core/intents.js';
import { serviceProfile } from '../knowledge/service-profile.js';
import { deployResource, firstNode, formatBytes, hasPath, isSetLimit, limitsLocation, locatePath, parseBytes, hasCpusKey, serviceLimits } from './support/limits.js';
import type { Rule } from './types.js';

/** Where a memory limit can be written. */
const MEMORY_KEYS = [['deploy', 'resources', 'limits', 'memory'], ['mem_limit']] as const;
/** Where a CPU limit can be written (`cpu_shares` is a relative weight, not a limit). */
const CPU_KEYS = [['deploy', 'resources', 'limits', 'cpus'], ['cpus'], ['cpu_quota']] as const;

/**
 * Where a finding about missing limits points: a limit written with a value that limits nothing (`0`,
 * `-1`, `${MEM:-0}`, empty) at its key, the first in the file when there are several; else where the
 * missing limit belongs: the section that lacks it (`limits:`, `resources:`), or the service name.
 */
function findingNode(service: ServiceNode, file: ComposeFile, hasMemory: boolean, hasCpu: boolean, inDeploy: boolean): Node {
  const e = service.effective;
  const candidates = [...(hasMemory ? [] : MEMORY_KEYS), ...(hasCpu ? [] : CPU_KEYS)];
  const written = candidates.filter((path) => hasPath(e, path)).map((path) => locatePath(service, file, path));
  const absent = inDeploy ? ['deploy', 'resources', 'limits', hasMemory ? 'cpus' : 'memory'] : [hasMemory ? 'cpus' : 'mem_limit'];
  return firstNode(written) ?? locatePath(service, file, absent);
}

export const resourceLimits: Rule = {
  meta: {
    id: 'resource-limits',
    title: 'No memory or CPU limit',
    severity: 'warning',
    fix: 'review',
    cis: ['5.11', '5.12'],
    refs: { kics: ['bb9ac4f7', '6b610c50'], semgrep: [], composeLint: ['CL-0026'] },
    rationale:
      'A container without a memory limit can exhaust the host and get other services OOM-killed; one without a CPU limit can starve them. Limits turn a runaway or compromised service into a contained failure.',
    remedy:
      "Adds a memory limit, a memory reservation and a CPU limit as `mem_limit`/`mem_reservation`/`cpus` (`cpu_quota` before file format 2.2), the keys every Compose implementation and file version accepts, or in `deploy.resources` when the service already uses it (Compose v2 refuses a service whose service-level and `deploy` limits differ, and docker-compose v1 refuses `deploy.resources.limits.pids`). A limit of 0 is replaced; a memory limit never goes below an existing reservation. Values come from the image knowledge's small-deployment figures, or conservative defaults (512M, 1 CPU), scaled by `--limits small|medium|large`; each value carries a comment saying where it came from and how to tune it. Existing values are kept. Review: a service that needs more memory is OOM-killed at the limit.",
    owns: ['deploy', 'mem_limit', 'mem_reservation', 'cpus', 'cpu_quota'],
    examples: {
      bad: 'services:\n  app:\n    image: example/app:1.0\n',
      good: 'services:\n  app:\n    image: example/app:1.0\n    deploy:\n      resources:\n        limits:\n          memory: 512M\n          cpus: "1.0"\n',
    },
  },
  check(service, file, context) {
    const e = service.effective;
    const hasMemory = isSetLimit(deployResource(e, 'limits', 'memory')) || isSetLimit(e.mem_limit);
    const hasCpu = isSetLimit(deployResource(e, 'limits', 'cpus')) || isSetLimit(e.cpus) || isSetLimit(e.cpu_quota);
    if (hasMemory && hasCpu) return [];
    const inDeploy = limitsLocation(service) === 'deploy';
    const fix = (): Intent[] => {
      const limits = serviceLimits(service, serviceProfile(service), context.options.limits);
      const note = (value: string | number) => new Commented(value, limits.comment);
      const because = { reason: limits.defaulted ? 'conservative default limits' : 'small-deployment limits of the image', source: limits.source };
      // A limit below an existing reservation would stop the container from being created.
      const reserved = parseBytes(deployResource(e, 'reservations', 'memory') ?? e.mem_reservation);
      const raised = reserved !== null && reserved > parseBytes(limits.memory)!;
      const memory = raised ? formatBytes(reserved) : limits.memory;
      const hasReservation = isSetLimit(deployResource(e, 'reservations', 'memory')) || isSetLimit(e.mem_reservation);
      const intents: Intent[] = [];
      const set = (path: string[], value: string | number) => intents.push({ kind: 'set', path, value: note(value), replace: true, ...because });
      const setMemory = (path: string[]) =>
        raised
          ? intents.push({ kind: 'set', path, value: new Commented(memory, 'raised to the existing memory reservation'), replace: true, ...because })
          : set(path, memory);
      if (inDeploy) {
        if (!hasMemory) setMemory(['deploy', 'resources', 'limits', 'memory']);
        if (!hasCpu) set(['deploy', 'resources', 'limits', 'cpus'], limits.cpus);
        if (!hasMemory && !hasReservation) set(['deploy', 'resources', 'reservations', 'memory'], limits.reservation);
      } else {
        if (!hasMemory) setMemory(['mem_limit']);
        if (!hasMemory && !hasReservation) set(['mem_reservation'], limits.reservation);
        if (!hasCpu) {
          if (hasCpusKey(file)) set(['cpus'], limits.cpus);
          else set(['cpu_quota'], Math.round(Number(limits.cpus) * 100000));
        }
      }
      return intents;
    };
    const missing = [!hasMemory && 'memory', !hasCpu && 'CPU'].filter(Boolean).join(' and ');
    return [
      {
        message: `service "${service.name}" has no ${missing} limit`,
        node: findingNode(service, file, hasMemory, hasCpu, inDeploy),
        fix,
      },
    ];
  },
};
