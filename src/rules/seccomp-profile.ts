import type { Intent } from '../core/intents.js';
import type { RuntimeFamily } from '../knowledge/image-entry.js';
import { seccompProfileFor } from '../seccomp/index.js';
import { serviceProfile } from '../knowledge/service-profile.js';
import { isTrue } from './support/values.js';
import { locatedSecurityOpts } from './support/security-opt.js';
import type { Report, Rule } from './types.js';

/** Where the profiles go, beside the compose file; one file per runtime family, shared by its services. */
export const SECCOMP_DIR = 'seccomp';

export function seccompPath(family: RuntimeFamily): string {
  return `${SECCOMP_DIR}/${family}.json`;
}

export const seccompProfile: Rule = {
  meta: {
    id: 'seccomp-profile',
    title: 'No seccomp profile tailored to the service',
    severity: 'warning',
    fix: 'review',
    cis: ['5.22'],
    refs: { kics: ['404fde2c'], semgrep: ['seccomp-confinement-disabled'], composeLint: ['CL-0009'] },
    rationale:
      "Docker's default seccomp profile allows about 367 system calls so that any image runs; a database or a web server uses fewer than 70. Every call left open is kernel attack surface (keyrings, namespaces, BPF, ptrace have all carried container escapes).",
    remedy:
      'Writes `seccomp/<family>.json` beside the compose file, the template of the image\'s runtime family (node, python, jvm, go, nginx, postgres, redis, mysql, ...; `generic` for unknown and locally built images: Docker\'s default less debugging, 32-bit and obsolete calls), and adds `seccomp=./seccomp/<family>.json` to `security_opt`. Capability-gated calls follow the service\'s `cap_add`. Review: a rare code path may need a call the template leaves out; `compose-harden seccomp --from-strace` builds a profile from a trace. Privileged services are reported: seccomp does not apply to them. Differences: KICS 404fde2c, Semgrep seccomp-confinement-disabled and compose-lint CL-0009 report only a profile that is switched off (`seccomp:unconfined`); this rule also reports a service that runs under Docker\'s default profile, because the tailored profile is what it writes.',
    owns: ['security_opt'],
    examples: {
      bad: 'services:\n  api:\n    image: node:22\n',
      good: 'services:\n  api:\n    image: node:22\n    security_opt:\n      - seccomp=./seccomp/node.json\n',
    },
  },
  check(service) {
    const { effective } = service;
    const seccomp = locatedSecurityOpts(service).filter((opt) => opt.name === 'seccomp');
    // A profile of the user's own (or one written by an earlier fix) is theirs to keep.
    if (seccomp.some((opt) => opt.value?.trim() !== 'unconfined')) return [];
    if (isTrue(effective.privileged)) {
      return [
        {
          message: `service "${service.name}" is privileged: no seccomp profile applies to it; drop \`privileged: true\` for the capabilities it needs, then fix writes its profile`,
          node: service.locate('privileged'),
          severity: 'info',
        },
      ];
    }
    const profile = serviceProfile(service);
    const family: RuntimeFamily = profile.match?.entry.runtime ?? 'generic';
    const path = seccompPath(family);
    const why = family === 'generic' ? 'the generic template: no runtime family is known for this image' : `the ${family} template`;
    const report: Report = {
      message: `service "${service.name}" ${seccomp.length > 0 ? 'has seccomp switched off' : "runs under Docker's default seccomp profile, not one tailored to it"}: fix writes ${path} (${why})`,
      // Switched off: at the item that does it (the last seccomp item is the one Docker applies).
      node: seccomp.length > 0 ? seccomp[seccomp.length - 1]!.node : service.key,
      fix: () => profileIntents(family, path, why),
    };
    return [report];
  },
};

function profileIntents(family: RuntimeFamily, path: string, why: string): Intent[] {
  return [
    { kind: 'add-items', key: 'security_opt', items: [`seccomp=./${path}`], reason: `syscall allowlist: ${why}`, source: `templates/seccomp/families/${family}.json` },
    // Docker format: dockerd resolves the capability-gated rules against the service's cap_add itself.
    { kind: 'write-file', file: { path, content: seccompProfileFor(family).json, mode: 0o644, kind: 'generated' } },
  ];
}
