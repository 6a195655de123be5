import { Commented } from '../core/render.js';
import type { Intent } from '../core/intents.js';
import { runsAsNonRoot, serviceProfile } from '../knowledge/service-profile.js';
import { normalizeCapability } from './support/capabilities.js';
import { describeImage, knowledgeSource, neededCapabilities } from './support/knowledge.js';
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
      "Adds `ALL` to `cap_drop` and adds to `cap_add` the capabilities the image needs (from its knowledge entry, each with a comment saying why; for an unknown image, the ones entrypoints commonly need), keeping the service's own `cap_add`. Review: an image that needs more than its entry says stops working.",
    owns: ['cap_drop', 'cap_add'],
    examples: {
      bad: 'services:\n  db:\n    image: postgres:16\n',
      good:
        'services:\n  db:\n    image: postgres:16\n    cap_drop:\n      - ALL\n    cap_add:\n      - CHOWN  # entrypoint chowns PGDATA\n      - SETUID  # gosu switches to postgres\n      - SETGID\n',
    },
  },
  check(service, _file, context) {
    const { effective } = service;
    const drops = stringList(effective.cap_drop).map(normalizeCapability);
    if (drops.includes('ALL')) return [];
    const profile = serviceProfile(service);
    const nonRoot = runsAsNonRoot(service, profile, context.enabled);
    const present = new Set(stringList(effective.cap_add).map(normalizeCapability));
    const needed = neededCapabilities(profile, nonRoot).filter((cap) => !present.has(cap.name));
    const source = knowledgeSource(profile);
    const fix: Intent[] = [{ kind: 'add-items', key: 'cap_drop', items: ['ALL'], reason: 'drop every default capability', source }];
    if (needed.length > 0) {
      fix.push({
        kind: 'add-items',
        key: 'cap_add',
        items: needed.map((cap) => new Commented(cap.name, cap.why)),
        reason: `capabilities ${describeImage(profile)} needs${nonRoot ? ' as a non-root user' : ' when started as its default user'}`,
        source,
      });
    }
    const keeps = needed.length > 0 ? `; it needs ${needed.map((c) => c.name).join(', ')} back (${source})` : '';
    return [
      {
        message: `service "${service.name}" keeps Docker's default capabilities (cap_drop does not contain ALL)${keeps}`,
        node: service.locate('cap_drop'),
        fix,
      },
    ];
  },
};
