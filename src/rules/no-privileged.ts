import { isTrue } from './support/values.js';
import type { Rule } from './types.js';

export const noPrivileged: Rule = {
  meta: {
    id: 'no-privileged',
    title: 'Service runs privileged',
    severity: 'error',
    fix: 'manual',
    cis: ['5.5'],
    refs: { kics: ['ae5b6871'], semgrep: ['privileged-service'], composeLint: ['CL-0002'] },
    rationale:
      'privileged: true gives the container every capability, every host device and no seccomp, AppArmor or SELinux confinement: root in the container is root on the host.',
    remedy:
      'Remove `privileged: true` and add only the capabilities (`cap_add`) and devices (`devices`) the service needs. Reported only: compose-harden cannot know which powers the service uses.',
    owns: [],
    examples: {
      bad: 'services:\n  agent:\n    image: example/agent:1.0\n    privileged: true\n',
      good: 'services:\n  agent:\n    image: example/agent:1.0\n    cap_add:\n      - NET_ADMIN\n',
    },
  },
  check(service) {
    if (!isTrue(service.effective.privileged)) return [];
    return [
      {
        message: `service "${service.name}" runs privileged: it has every capability and device of the host and no seccomp, AppArmor or SELinux confinement`,
        node: service.locate('privileged'),
      },
    ];
  },
};
