import { locatedSecurityOpts, parseGoBool } from './support/security-opt.js';
import type { Intent } from '../core/intents.js';
import type { Rule } from './types.js';

const DOCS = 'https://docs.docker.com/reference/cli/docker/container/run/#security-opt';

export const noNewPrivileges: Rule = {
  meta: {
    id: 'no-new-privileges',
    title: 'Processes can gain new privileges',
    severity: 'warning',
    fix: 'review',
    cis: ['5.26'],
    refs: { kics: ['27fcc7d6', '610e266e'], semgrep: ['no-new-privileges'], composeLint: ['CL-0003'] },
    rationale:
      'Without no-new-privileges a process can gain privileges through setuid/setgid binaries or file capabilities, the usual step from a compromised service to root inside the container.',
    remedy:
      'Adds `no-new-privileges:true` to `security_opt` (an explicit `no-new-privileges:false` is replaced). Review: setuid-bit programs such as sudo stop working; gosu and su-exec, which official images use to drop privileges, keep working. Differences: a `security_opt` list that sets other options but not `no-new-privileges` is reported (KICS\'s security_opt_not_set only asks for the key).',
    owns: ['security_opt'],
    examples: {
      bad: 'services:\n  app:\n    image: example/app:1.0\n',
      good: 'services:\n  app:\n    image: example/app:1.0\n    security_opt:\n      - no-new-privileges:true\n',
    },
  },
  check(service) {
    // Docker applies the items in order: the last no-new-privileges item decides.
    const opts = locatedSecurityOpts(service).filter((opt) => opt.name === 'no-new-privileges');
    const isOn = (opt: (typeof opts)[number]) => opt.value === undefined || parseGoBool(opt.value) === true;
    const last = opts[opts.length - 1];
    if (last && isOn(last)) return [];
    const disabled = opts.filter((opt) => !isOn(opt));
    const fix: Intent[] = [];
    const because = { reason: 'processes cannot gain privileges through setuid binaries or file capabilities', source: DOCS };
    if (disabled.length > 0) fix.push({ kind: 'remove-items', key: 'security_opt', values: disabled.map((opt) => opt.raw), ...because });
    if (!opts.some(isOn)) fix.push({ kind: 'add-items', key: 'security_opt', items: ['no-new-privileges:true'], ...because });
    // The item that turns it off, else the security_opt that lacks it (or the service name when there is none).
    const node = last?.node ?? service.locate('security_opt');
    return [
      {
        message: last
          ? `service "${service.name}" turns no-new-privileges off ("${last.raw}")`
          : `service "${service.name}" lets processes gain privileges (no no-new-privileges in security_opt)`,
        node,
        fix,
      },
    ];
  },
};
