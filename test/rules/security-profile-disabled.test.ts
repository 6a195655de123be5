import { testRule } from '../helpers/rule-tester.js';
import { securityProfileDisabled } from '../../src/rules/security-profile-disabled.js';

const yaml = (...lines: string[]) => lines.join('\n') + '\n';
const crlf = (...lines: string[]) => lines.join('\r\n') + '\r\n';

const withOpts = (...items: string[]) => yaml('services:', '  web:', '    image: nginx', '    security_opt:', ...items.map((item) => `      - ${item}`));

testRule(securityProfileDisabled, {
  valid: [
    { name: 'no security_opt', code: yaml('services:', '  web:', '    image: nginx') },
    {
      name: 'profiles that confine rather than disable',
      code: withOpts('label:type:svirt_apache_t', 'label=level:s0:c100,c200', 'seccomp:./profile.json', 'seccomp=default.json', 'apparmor:docker-default', 'no-new-privileges:true'),
    },
    {
      name: 'version "2.4" file with a custom AppArmor profile',
      code: yaml('version: "2.4"', 'services:', '  web:', '    image: nginx', '    security_opt: [apparmor=my-profile]'),
    },
    {
      name: "an own security_opt replaces the inherited one that disabled seccomp",
      code: yaml('x-base: &base', '  security_opt: [seccomp:unconfined]', 'services:', '  web:', '    <<: *base', '    security_opt: [no-new-privileges:true]'),
    },
  ],
  invalid: [
    {
      name: 'version "2.4": two disabling items among others are removed, the others and their neighbours kept',
      code: yaml(
        'version: "2.4"',
        'services:',
        '  web:',
        '    image: nginx',
        '    security_opt:',
        '      - no-new-privileges:true',
        '      - seccomp:unconfined',
        '      - label=disable',
        '    ports: ["80"]  # http',
      ),
      output: yaml('version: "2.4"', 'services:', '  web:', '    image: nginx', '    security_opt:', '      - no-new-privileges:true', '    ports: ["80"]  # http'),
      errors: [
        { line: 7, column: 9, severity: 'error', message: 'disables the seccomp syscall filter ("seccomp:unconfined")' },
        { line: 8, column: 9, severity: 'error', message: 'disables SELinux labelling ("label=disable")' },
      ],
    },
    {
      name: 'version-less: when every item goes, the key goes',
      code: yaml('services:', '  web:', '    image: nginx', '    security_opt:', '      - apparmor:unconfined', '      - label:disable', '    ports: ["80"]'),
      output: yaml('services:', '  web:', '    image: nginx', '    ports: ["80"]'),
      errors: [
        { line: 5, column: 9, message: 'disables the AppArmor profile' },
        { line: 6, column: 9, message: 'disables SELinux labelling' },
      ],
    },
    {
      name: 'version "3.8": apparmor=unconfined as the last key of the last service',
      code: yaml('version: "3.8"', 'services:', '  web:', '    image: nginx', '    security_opt:', '      - apparmor=unconfined'),
      output: yaml('version: "3.8"', 'services:', '  web:', '    image: nginx'),
      errors: [{ line: 6, column: 9 }],
    },
    {
      name: 'a quoted item',
      code: withOpts('"label:disable"', 'no-new-privileges'),
      output: withOpts('no-new-privileges'),
      errors: [{ line: 5, column: 9 }],
    },
    {
      // The caret fixtures cannot mark the first line of a value that goes on below it.
      name: 'a double-quoted item written over two lines: at the item, removed whole',
      code: yaml('services:', '  web:', '    image: nginx', '    security_opt:', '      - "seccomp:\\', '        unconfined"', '      - "no-new-privileges"'),
      output: withOpts('"no-new-privileges"'),
      errors: [{ line: 5, column: 9 }],
    },
    {
      name: 'flow sequence: the first and last items are removed with their separators',
      code: yaml('services:', '  web:', '    image: nginx', '    security_opt: [seccomp=unconfined, no-new-privileges:true, systempaths=unconfined]'),
      output: yaml('services:', '  web:', '    image: nginx', '    security_opt: [no-new-privileges:true]'),
      errors: [
        { line: 4, column: 20, message: 'disables the seccomp syscall filter' },
        { line: 4, column: 64, message: 'disables the masking of sensitive /proc and /sys paths' },
      ],
    },
    {
      name: 'flow sequence: a middle item',
      code: yaml('services:', '  web:', '    image: nginx', '    security_opt: [no-new-privileges, label=disable, apparmor:docker-default]'),
      output: yaml('services:', '  web:', '    image: nginx', '    security_opt: [no-new-privileges, apparmor:docker-default]'),
      errors: [{ line: 4, column: 39 }],
    },
    {
      name: 'flow sequence with only the disabling item: the key goes',
      code: yaml('services:', '  web:', '    image: nginx', '    security_opt: [label:disable]', '    ports: ["80"]'),
      output: yaml('services:', '  web:', '    image: nginx', '    ports: ["80"]'),
      errors: [{ line: 4, column: 20 }],
    },
    {
      name: 'flow-mapping service',
      code: yaml('services:', '  web: {image: nginx, security_opt: [apparmor:unconfined, no-new-privileges]}'),
      output: yaml('services:', '  web: {image: nginx, security_opt: [no-new-privileges]}'),
      errors: [{ line: 2, column: 38 }],
    },
    {
      name: 'merge key: the remaining inherited items are written into the service; the anchor is untouched',
      code: yaml('x-base: &base', '  security_opt:', '    - seccomp:unconfined', '    - no-new-privileges:true', 'services:', '  web:', '    <<: *base', '    image: nginx'),
      output: yaml(
        'x-base: &base',
        '  security_opt:',
        '    - seccomp:unconfined',
        '    - no-new-privileges:true',
        'services:',
        '  web:',
        '    <<: *base',
        '    image: nginx',
        '    security_opt:',
        '      - no-new-privileges:true',
      ),
      errors: [{ line: 7, column: 5 }],
    },
    {
      name: 'merge list <<: [*a, *b]: an empty own list overrides the inherited disabling item',
      code: yaml('x-a: &a', '  image: nginx', 'x-b: &b', '  security_opt: [label:disable]', 'services:', '  web:', '    <<: [*a, *b]', '  db:', '    <<: *b'),
      output: yaml(
        'x-a: &a',
        '  image: nginx',
        'x-b: &b',
        '  security_opt: [label:disable]',
        'services:',
        '  web:',
        '    <<: [*a, *b]',
        '    security_opt: []',
        '  db:',
        '    <<: *b',
        '    security_opt: []',
      ),
      errors: [
        { line: 7, column: 5 },
        { line: 9, column: 5 },
      ],
    },
    {
      name: 'an aliased service (web: *svc) becomes <<: *svc plus the remaining items',
      code: yaml('x-svc: &svc', '  image: nginx', '  security_opt: [seccomp:unconfined, no-new-privileges:true]', 'services:', '  web: *svc'),
      output: yaml(
        'x-svc: &svc',
        '  image: nginx',
        '  security_opt: [seccomp:unconfined, no-new-privileges:true]',
        'services:',
        '  web:',
        '    <<: *svc',
        '    security_opt: ["no-new-privileges:true"]',
      ),
      errors: [{ line: 5, column: 8 }],
    },
    {
      name: 'CRLF: whole lines are removed with their CRLF',
      code: crlf('services:', '  web:', '    image: nginx', '    security_opt:', '      - apparmor:unconfined', '      - no-new-privileges', '  db:', '    image: pg', '    security_opt:', '      - label:disable'),
      output: crlf('services:', '  web:', '    image: nginx', '    security_opt:', '      - no-new-privileges', '  db:', '    image: pg'),
      errors: [
        { line: 5, column: 9 },
        { line: 10, column: 9 },
      ],
    },
    {
      name: '4-space indentation, comments on neighbouring lines kept',
      code: yaml(
        'services:',
        '    web:',
        '        image: nginx',
        '        # hardening',
        '        security_opt:',
        '            - no-new-privileges:true  # setuid off',
        '            - seccomp:unconfined',
        '        # end of web',
        '    db:',
        '        image: pg',
      ),
      output: yaml(
        'services:',
        '    web:',
        '        image: nginx',
        '        # hardening',
        '        security_opt:',
        '            - no-new-privileges:true  # setuid off',
        '        # end of web',
        '    db:',
        '        image: pg',
      ),
      errors: [{ line: 7, column: 15 }],
    },
  ],
});
