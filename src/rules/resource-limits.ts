import { Commented } from '../core/render.js';
import type { Intent } from '../core/intents.js';
import { serviceProfile } from '../knowledge/service-profile.js';
import { deployResource, hasCpusKey, isSetLimit, plannedLimits, usesLegacyLimits } from './support/limits.js';
import type { Rule } from './types.js';

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
      "Adds a memory limit, a memory reservation and a CPU limit: `deploy.resources` in Compose Specification and 3.x files, `mem_limit`/`mem_reservation`/`cpus` in `version: \"2.x\"` files and services that already use those keys. Values come from the image knowledge's small-deployment figures, or conservative defaults (512M, 1 CPU), scaled by `--limits small|medium|large`; each value carries a comment saying where it came from and how to tune it. Existing values are kept. Review: a service that needs more memory is OOM-killed at the limit.",
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
    const profile = serviceProfile(service);
    const limits = plannedLimits(profile, context.options.limits);
    const legacy = usesLegacyLimits(file, service);
    const note = (value: string | number) => new Commented(value, limits.comment);
    const because = { reason: limits.defaulted ? 'conservative default limits' : 'small-deployment limits of the image', source: limits.source };
    const fix: Intent[] = [];
    const hasReservation = isSetLimit(deployResource(e, 'reservations', 'memory')) || isSetLimit(e.mem_reservation);
    if (legacy) {
      if (!hasMemory) fix.push({ kind: 'set', path: ['mem_limit'], value: note(limits.memory), ...because });
      if (!hasMemory && !hasReservation) fix.push({ kind: 'set', path: ['mem_reservation'], value: note(limits.reservation), ...because });
      if (!hasCpu) {
        if (hasCpusKey(file)) fix.push({ kind: 'set', path: ['cpus'], value: note(limits.cpus), ...because });
        else fix.push({ kind: 'set', path: ['cpu_quota'], value: note(Math.round(Number(limits.cpus) * 100000)), ...because });
      }
    } else {
      if (!hasMemory) fix.push({ kind: 'set', path: ['deploy', 'resources', 'limits', 'memory'], value: note(limits.memory), ...because });
      if (!hasCpu) fix.push({ kind: 'set', path: ['deploy', 'resources', 'limits', 'cpus'], value: note(limits.cpus), ...because });
      if (!hasMemory && !hasReservation) {
        fix.push({ kind: 'set', path: ['deploy', 'resources', 'reservations', 'memory'], value: note(limits.reservation), ...because });
      }
    }
    const missing = [!hasMemory && 'memory', !hasCpu && 'CPU'].filter(Boolean).join(' and ');
    return [
      {
        message: `service "${service.name}" has no ${missing} limit`,
        node: service.locate(legacy ? 'mem_limit' : 'deploy'),
        fix,
      },
    ];
  },
};
