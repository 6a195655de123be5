import { normalizeCapability } from './support/capabilities.js';
import { stringList } from './support/values.js';
import type { Rule } from './types.js';

export const capDropAll: Rule = {
  meta: {
    id: 'cap-drop-all',
    title: 'Default capabilities are not dropped',
    severity: 'warning',
    fix: 'review',
    cis: ['5.4'],
    refs: { kics: ['ce76b7d0'], semgrep: [], composeLint: ['CL-0006'] },
    rationale:
      "Docker gives every container 14 capabilities (CHOWN, DAC_OVERRIDE, FOWNER, SETUID, SETGID, NET_RAW, MKNOD, ...). Most services need none or a few; each one left is a power an attacker inherits. Dropping ALL and adding back only what the image needs is the least-privilege baseline.",
    remedy:
      "Adds `ALL` to `cap_drop`, keeping the service's `cap_add`. Review: an image whose entrypoint changes file ownership or switches user needs those capabilities added back.",
    owns: ['cap_drop'],
    examples: {
      bad: 'services:\n  app:\n    image: example/app:1.0\n',
      good: 'services:\n  app:\n    image: example/app:1.0\n    cap_drop:\n      - ALL\n',
    },
  },
  check(service) {
    const drops = stringList(service.effective.cap_drop).map(normalizeCapability);
    if (drops.includes('ALL')) return [];
    return [
      {
        message: `service "${service.name}" keeps Docker's default capabilities (cap_drop does not contain ALL)`,
        node: service.locate('cap_drop'),
        fix: [{ kind: 'add-items', key: 'cap_drop', items: ['ALL'] }],
      },
    ];
  },
};
