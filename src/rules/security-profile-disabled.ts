import { locatedSecurityOpts, type SecurityOpt } from './support/security-opt.js';
import type { Rule } from './types.js';

/** Which security_opt items switch off a kernel security mechanism, and what each one disables. */
const DISABLING: Array<{ name: string; value: string; what: string; cis: string[] }> = [
  { name: 'seccomp', value: 'unconfined', what: 'the seccomp syscall filter', cis: ['5.22'] },
  { name: 'apparmor', value: 'unconfined', what: 'the AppArmor profile', cis: ['5.2'] },
  { name: 'label', value: 'disable', what: 'SELinux labelling', cis: ['5.3'] },
  { name: 'systempaths', value: 'unconfined', what: 'the masking of sensitive /proc and /sys paths', cis: ['5.2'] },
];

function disabling(opt: SecurityOpt) {
  return DISABLING.find((d) => d.name === opt.name && opt.value?.trim() === d.value);
}

export const securityProfileDisabled: Rule = {
  meta: {
    id: 'security-profile-disabled',
    title: 'A kernel security profile is disabled',
    severity: 'error',
    fix: 'review',
    cis: ['5.2', '5.3'],
    refs: {
      kics: ['404fde2c'],
      semgrep: ['seccomp-confinement-disabled', 'selinux-separation-disabled'],
      composeLint: ['CL-0009'],
    },
    rationale:
      'seccomp, AppArmor and SELinux confine what a container may do even as root. `seccomp:unconfined`, `apparmor:unconfined`, `label:disable` and `systempaths=unconfined` switch that confinement off.',
    remedy:
      "Removes the disabling item from `security_opt`, so Docker's default profile applies again. Review: a service that really needs a syscall or path the default profile blocks needs a tailored profile instead. Differences: `label:seccomp:unconfined` is an SELinux label option, not a seccomp setting, and is not reported.",
    owns: ['security_opt'],
    examples: {
      bad: 'services:\n  app:\n    image: example/app:1.0\n    security_opt:\n      - seccomp:unconfined\n',
      good: 'services:\n  app:\n    image: example/app:1.0\n',
    },
  },
  check(service) {
    return locatedSecurityOpts(service).flatMap((opt) => {
      const match = disabling(opt);
      if (!match) return [];
      return [
        {
          message: `service "${service.name}" disables ${match.what} ("${opt.raw}")`,
          node: opt.node,
          cis: match.cis,
          fix: [
            {
              kind: 'remove-items' as const,
              key: 'security_opt',
              values: [opt.raw],
              reason: `turn ${match.what} back on`,
              source: 'https://docs.docker.com/engine/security/seccomp/',
            },
          ],
        },
      ];
    });
  },
};
