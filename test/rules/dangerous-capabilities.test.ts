import { testRule } from '../helpers/rule-tester.js';
import { dangerousCapabilities } from '../../src/rules/dangerous-capabilities.js';

const yaml = (...lines: string[]) => lines.join('\n') + '\n';
const crlf = (...lines: string[]) => lines.join('\r\n') + '\r\n';

testRule(dangerousCapabilities, {
  valid: [
    { name: 'no cap_add', code: yaml('services:', '  web:', '    image: nginx') },
    {
      name: 'harmless capabilities, block and flow (NET_BIND_SERVICE is not reported)',
      code: yaml('services:', '  web:', '    image: nginx', '    cap_add:', '      - NET_BIND_SERVICE', '      - CHOWN', '  db:', '    image: pg', '    cap_add: [setuid, CAP_SETGID]'),
    },
    {
      name: 'dangerous capabilities in cap_drop are not added',
      code: yaml('version: "3.8"', 'services:', '  web:', '    image: nginx', '    cap_drop: [SYS_ADMIN, ALL]'),
    },
    {
      // Docker takes ALL for every capability before adding the CAP_ prefix: CAP_ALL is refused as unknown.
      name: 'CAP_ALL in any case adds nothing (Docker refuses it as an unknown capability)',
      code: yaml('services:', '  web:', '    image: nginx', '    cap_add:', '      - CAP_ALL', '      - cap_all', '  db:', '    image: pg', '    cap_add: [" Cap_All "]'),
    },
    {
      name: "an own cap_add replaces the merged anchor's",
      code: yaml('x-base: &base', '  cap_add: [SYS_MODULE]', 'services:', '  web:', '    <<: *base', '    image: nginx', '    cap_add:', '      - NET_RAW'),
    },
  ],
  invalid: [
    {
      name: 'version "2.4": tiers (SYS_ADMIN error, NET_ADMIN warning, NET_BIND_SERVICE and CHOWN not reported)',
      code: yaml(
        'version: "2.4"',
        'services:',
        '  web:',
        '    image: nginx',
        '    cap_add:',
        '      - NET_BIND_SERVICE',
        '      - SYS_ADMIN',
        '      - NET_ADMIN',
        '      - CHOWN',
      ),
      output: null,
      errors: [
        { line: 7, column: 9, severity: 'error', message: 'adds capability SYS_ADMIN' },
        { line: 8, column: 9, severity: 'warning', message: 'adds capability NET_ADMIN' },
      ],
    },
    {
      name: 'version-less: lower-case and CAP_-prefixed names in a flow sequence',
      code: yaml('services:', '  web:', '    image: nginx', '    cap_add: [cap_sys_admin, CAP_NET_ADMIN, sys_ptrace, all]'),
      output: null,
      errors: [
        { line: 4, column: 15, severity: 'error', message: 'adds capability SYS_ADMIN' },
        { line: 4, column: 30, severity: 'warning', message: 'adds capability NET_ADMIN' },
        { line: 4, column: 45, severity: 'error', message: 'adds capability SYS_PTRACE' },
        { line: 4, column: 57, severity: 'error', message: 'adds capability ALL' },
      ],
    },
    {
      name: 'ALL and all beside CAP_ALL: only the unprefixed ones are every capability',
      code: yaml('services:', '  web:', '    image: nginx', '    cap_add: [CAP_ALL, ALL]', '  db:', '    image: pg', '    cap_add:', '      - cap_all', '      - all'),
      output: null,
      errors: [
        { line: 4, column: 24, severity: 'error', message: 'adds capability ALL: grants every capability' },
        { line: 9, column: 9, severity: 'error', message: 'adds capability ALL' },
      ],
    },
    {
      name: 'version "3.8": every catalogue example is reported with its tier',
      code: yaml(
        'version: "3.8"',
        'services:',
        '  web:',
        '    image: nginx',
        '    cap_add:',
        '      - SYS_MODULE',
        '      - SYS_RAWIO',
        '      - BPF',
        '      - DAC_READ_SEARCH',
        '      - PERFMON',
        '      - SYS_TIME',
        '      - SYS_BOOT',
        '      - SYSLOG',
      ),
      output: null,
      errors: [
        { line: 6, column: 9, severity: 'error' },
        { line: 7, column: 9, severity: 'error' },
        { line: 8, column: 9, severity: 'error' },
        { line: 9, column: 9, severity: 'error' },
        { line: 10, column: 9, severity: 'warning' },
        { line: 11, column: 9, severity: 'warning' },
        { line: 12, column: 9, severity: 'warning' },
        { line: 13, column: 9, severity: 'warning' },
      ],
    },
    {
      name: 'the same capability spelled twice is reported at each item',
      code: yaml('services:', '  web:', '    image: nginx', '    cap_add: [SYS_ADMIN, CAP_SYS_ADMIN]'),
      output: null,
      errors: [
        { line: 4, column: 15 },
        { line: 4, column: 26 },
      ],
    },
    {
      name: 'inherited through a merge key: reported at the merge key',
      code: yaml('x-base: &base', '  cap_add: [SYS_MODULE]', 'services:', '  web:', '    <<: *base', '    image: nginx'),
      output: null,
      errors: [{ line: 5, column: 5, message: 'SYS_MODULE' }],
    },
    {
      name: 'inherited through a merge list <<: [*a, *b]',
      code: yaml('x-a: &a', '  image: nginx', 'x-b: &b', '  cap_add:', '    - NET_ADMIN', 'services:', '  web:', '    <<: [*a, *b]'),
      output: null,
      errors: [{ line: 8, column: 5, severity: 'warning' }],
    },
    {
      name: 'an aliased service: reported at the alias',
      code: yaml('x-svc: &svc', '  cap_add: [SYS_ADMIN]', 'services:', '  web: *svc'),
      output: null,
      errors: [{ line: 4, column: 8 }],
    },
    {
      name: 'a flow-mapping service',
      code: yaml('services:', '  web: {image: nginx, cap_add: [sys_admin]}'),
      output: null,
      errors: [{ line: 2, column: 33 }],
    },
    {
      name: 'CRLF and 4-space indentation',
      code: crlf('services:', '    web:', '        image: nginx', '        cap_add:', '            - NET_BIND_SERVICE  # port 80', '            - SYS_ADMIN  # fuse'),
      output: null,
      errors: [{ line: 6, column: 15, severity: 'error' }],
    },
  ],
});

testRule(dangerousCapabilities, {
  valid: [],
  invalid: [
    {
      name: 'IPC_LOCK, LEASE and SYS_NICE weaken the host\'s availability',
      code: 'services:\n  app:\n    image: example/app:1\n    cap_add: [IPC_LOCK, LEASE, SYS_NICE]\n',
      output: null,
      errors: [
        { line: 4, column: 15, severity: 'warning', message: 'adds capability IPC_LOCK: locks memory without limit' },
        { line: 4, column: 25, severity: 'warning', message: 'adds capability LEASE' },
        { line: 4, column: 32, severity: 'warning', message: 'adds capability SYS_NICE' },
      ],
    },
    {
      name: 'a capability the image knowledge says the image needs is info, with the reason (vault and IPC_LOCK)',
      code: 'services:\n  vault:\n    image: hashicorp/vault:1.17\n    cap_add: [IPC_LOCK]\n',
      output: null,
      errors: [{ line: 4, column: 15, severity: 'info', message: /adds capability IPC_LOCK: .*; the image needs it \(vault: / }],
    },
  ],
});
