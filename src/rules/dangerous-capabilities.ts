import { capabilityRisks } from '../knowledge/templates.js';
import { serviceProfile } from '../knowledge/service-profile.js';
import { isPrefixedAll, locatedCapabilities, normalizeCapability } from './support/capabilities.js';
import type { Rule } from './types.js';

export const dangerousCapabilities: Rule = {
  meta: {
    id: 'dangerous-capabilities',
    title: 'Dangerous capability added',
    severity: 'error',
    fix: 'manual',
    cis: ['5.4'],
    refs: {
      kics: ['ce76b7d0'],
      semgrep: [],
      composeLint: ['CL-0011', 'CL-0024', 'CL-0027', 'CL-0028', 'CL-0029', 'CL-0030'],
    },
    detects:
      "A capability in `cap_add:` that templates/capabilities.json rates (`SYS_ADMIN`, `ALL`, `NET_ADMIN`, ...), with or without the `CAP_` prefix and in any case; `CAP_ALL`, which Docker refuses, is not one",
    rationale:
      'Some capabilities are close to full root on the host (SYS_ADMIN, SYS_MODULE, SYS_PTRACE, DAC_READ_SEARCH, ALL); others weaken isolation (NET_ADMIN, SYS_TIME). Each one added should be needed and justified.',
    remedy:
      'Remove the capability unless the service needs it. Reported only: whether the service needs it is known to its authors, not to compose-harden. Severity is error for host-takeover capabilities and warning for the rest (templates/capabilities.json). The `CAP_` prefix is optional (`CAP_SYS_ADMIN` is `SYS_ADMIN`), except for `ALL`: Docker takes `ALL` (any case) for every capability but refuses `CAP_ALL` as an unknown one, so `CAP_ALL` adds nothing and is not reported.',
    owns: [],
    examples: {
      bad: 'services:\n  app:\n    image: example/app:1.0\n    cap_add:\n      - SYS_ADMIN\n',
      good: 'services:\n  app:\n    image: example/app:1.0\n    cap_add:\n      - NET_BIND_SERVICE\n',
    },
  },
  check(service) {
    const risks = capabilityRisks();
    const entry = serviceProfile(service).match?.entry;
    return locatedCapabilities(service, 'cap_add').flatMap(({ raw, name, node }) => {
      // `CAP_ALL` adds nothing: Docker refuses it, and the service does not start.
      const risk = isPrefixedAll(raw) ? undefined : risks[name];
      if (!risk) return [];
      // A capability the image knowledge says the image needs is a known trade-off (vault's IPC_LOCK), not a mistake.
      const need = entry ? [...entry.capabilities.default, ...entry.capabilities.nonRoot].find((c) => normalizeCapability(c.name) === name) : undefined;
      return [
        {
          message: `service "${service.name}" adds capability ${name}: ${risk.why}${need ? `; the image needs it (${entry!.id}: ${need.why})` : ''}`,
          node,
          severity: need ? 'info' : risk.tier,
        },
      ];
    });
  },
};
