import { testRule } from '../helpers/rule-tester.js';
import { noNewPrivileges } from '../../src/rules/no-new-privileges.js';

const yaml = (...lines: string[]) => lines.join('\n') + '\n';
const crlf = (...lines: string[]) => lines.join('\r\n') + '\r\n';

const withOpts = (...items: string[]) => yaml('services:', '  web:', '    image: nginx', '    security_opt:', ...items.map((item) => `      - ${item}`));

testRule(noNewPrivileges, {
  valid: [
    { name: 'bare no-new-privileges', code: withOpts('no-new-privileges') },
    { name: 'no-new-privileges:true', code: withOpts('no-new-privileges:true') },
    { name: 'no-new-privileges=true', code: withOpts('no-new-privileges=true') },
    { name: 'no-new-privileges:1 (Go ParseBool)', code: withOpts('"no-new-privileges:1"') },
    { name: 'no-new-privileges:True (Go ParseBool)', code: withOpts('no-new-privileges:True') },
    { name: 'among other options', code: withOpts('label:type:svirt_apache_t', 'no-new-privileges:true') },
    {
      name: 'flow sequence',
      code: yaml('services:', '  web:', '    image: nginx', '    security_opt: [no-new-privileges:true]'),
    },
    {
      name: 'a later true overrides an earlier false (Docker applies them in order)',
      code: withOpts('no-new-privileges:false', 'no-new-privileges'),
    },
    {
      name: 'version "2.4" file',
      code: yaml('version: "2.4"', 'services:', '  web:', '    image: nginx', '    security_opt:', '      - no-new-privileges=true'),
    },
    {
      name: 'inherited through a merge key',
      code: yaml('x-base: &base', '  security_opt: [no-new-privileges:true]', 'services:', '  web:', '    <<: *base', '    image: nginx'),
    },
    {
      name: 'inherited through the second anchor of a merge list',
      code: yaml('x-a: &a', '  image: nginx', 'x-b: &b', '  security_opt: [no-new-privileges]', 'services:', '  web:', '    <<: [*a, *b]'),
    },
    {
      name: 'an aliased service whose anchor sets it',
      code: yaml('x-svc: &svc', '  image: nginx', '  security_opt: [no-new-privileges:true]', 'services:', '  web: *svc'),
    },
  ],
  invalid: [
    {
      name: 'no security_opt (version-less)',
      code: yaml('services:', '  web:', '    image: nginx'),
      output: yaml('services:', '  web:', '    image: nginx', '    security_opt:', '      - no-new-privileges:true'),
      errors: [{ line: 2, column: 3, severity: 'warning', message: 'no no-new-privileges in security_opt' }],
    },
    {
      name: 'version "3.8"',
      code: yaml('version: "3.8"', 'services:', '  web:', '    image: nginx', '  db:', '    image: pg'),
      output: yaml(
        'version: "3.8"',
        'services:',
        '  web:',
        '    image: nginx',
        '    security_opt:',
        '      - no-new-privileges:true',
        '  db:',
        '    image: pg',
        '    security_opt:',
        '      - no-new-privileges:true',
      ),
      errors: [
        { line: 3, column: 3 },
        { line: 5, column: 3 },
      ],
    },
    {
      name: 'a block security_opt with other items gets the item appended',
      code: withOpts('apparmor:docker-default'),
      output: withOpts('apparmor:docker-default', 'no-new-privileges:true'),
      errors: [{ line: 4, column: 5 }],
    },
    {
      name: 'a flow security_opt with other items gets the item appended (quoted in flow)',
      code: yaml('services:', '  web:', '    image: nginx', '    security_opt: [label:type:x]  # selinux'),
      output: yaml('services:', '  web:', '    image: nginx', '    security_opt: [label:type:x, "no-new-privileges:true"]  # selinux'),
      errors: [{ line: 4, column: 5 }],
    },
    {
      name: 'an explicit no-new-privileges=false (the last flow item) is replaced',
      code: yaml('services:', '  web:', '    image: nginx', '    security_opt: [apparmor:docker-default, no-new-privileges=false]'),
      output: yaml('services:', '  web:', '    image: nginx', '    security_opt: [apparmor:docker-default, "no-new-privileges:true"]'),
      errors: [{ line: 4, column: 45, message: 'turns no-new-privileges off ("no-new-privileges=false")' }],
    },
    {
      name: 'an explicit no-new-privileges:false (the first flow item) is replaced in place',
      code: yaml('services:', '  web:', '    image: nginx', '    security_opt: [no-new-privileges:false, apparmor:docker-default]  # why'),
      output: yaml('services:', '  web:', '    image: nginx', '    security_opt: ["no-new-privileges:true", apparmor:docker-default]  # why'),
      errors: [{ line: 4, column: 20 }],
    },
    {
      name: 'an unparseable value (no-new-privileges:maybe) is a finding and replaced',
      code: withOpts('apparmor:docker-default', 'no-new-privileges:maybe'),
      output: withOpts('apparmor:docker-default', 'no-new-privileges:true'),
      errors: [{ line: 6, column: 9 }],
    },
    {
      // The caret fixtures cannot mark the first line of a value that goes on below it.
      name: 'a double-quoted no-new-privileges:false written over two lines: at the item, replaced whole',
      code: yaml('services:', '  web:', '    image: nginx', '    security_opt:', '      - "no-new-privileges:\\', '        false"'),
      output: withOpts('"no-new-privileges:true"'),
      errors: [{ line: 5, column: 9 }],
    },
    {
      name: 'no-new-privileges:false is replaced in place, keeping its comment',
      code: withOpts('label:type:svirt_apache_t', 'no-new-privileges:false  # sudo needs setuid'),
      output: withOpts('label:type:svirt_apache_t', 'no-new-privileges:true  # sudo needs setuid'),
      errors: [{ line: 6, column: 9, message: 'turns no-new-privileges off ("no-new-privileges:false")' }],
    },
    {
      name: 'a block list holding only no-new-privileges:false stays a block list',
      code: yaml('services:', '  web:', '    image: nginx', '    security_opt:', '      - no-new-privileges:false', '    ports: ["80"]'),
      output: yaml('services:', '  web:', '    image: nginx', '    security_opt:', '      - no-new-privileges:true', '    ports: ["80"]'),
      errors: [{ line: 5, column: 9 }],
    },
    {
      name: 'a flow list holding only no-new-privileges:false',
      code: yaml('services:', '  web:', '    image: nginx', '    security_opt: [no-new-privileges:false]'),
      output: yaml('services:', '  web:', '    image: nginx', '    security_opt: ["no-new-privileges:true"]'),
      errors: [{ line: 4, column: 20 }],
    },
    {
      // Docker applies security_opt in order, so the last no-new-privileges item decides: here it is off.
      name: 'a later no-new-privileges:false overrides an earlier bare no-new-privileges',
      code: withOpts('no-new-privileges', 'no-new-privileges:false'),
      output: withOpts('no-new-privileges'),
      errors: [{ line: 6, column: 9 }],
    },
    {
      name: 'merge key: inherited items minus :false plus :true are written into the service; the anchor is untouched',
      code: yaml('x-base: &base', '  security_opt:', '    - apparmor:docker-default', '    - no-new-privileges:false', 'services:', '  web:', '    <<: *base', '    image: nginx'),
      output: yaml(
        'x-base: &base',
        '  security_opt:',
        '    - apparmor:docker-default',
        '    - no-new-privileges:false',
        'services:',
        '  web:',
        '    <<: *base',
        '    image: nginx',
        '    security_opt:',
        '      - apparmor:docker-default',
        '      - no-new-privileges:true',
      ),
      errors: [{ line: 7, column: 5, message: 'turns no-new-privileges off' }],
    },
    {
      name: 'merge list <<: [*a, *b]: inherited items are kept',
      code: yaml('x-a: &a', '  image: nginx', 'x-b: &b', '  security_opt: [label:type:x]', 'services:', '  web:', '    <<: [*a, *b]'),
      output: yaml(
        'x-a: &a',
        '  image: nginx',
        'x-b: &b',
        '  security_opt: [label:type:x]',
        'services:',
        '  web:',
        '    <<: [*a, *b]',
        '    security_opt: ["label:type:x", "no-new-privileges:true"]',
      ),
      errors: [{ line: 7, column: 5 }],
    },
    {
      name: "the service's own security_opt replaces the inherited one, so it is the one checked and extended",
      code: yaml('x-a: &a', '  security_opt: [no-new-privileges:true]', 'services:', '  web:', '    <<: *a', '    security_opt: [apparmor:docker-default]'),
      output: yaml(
        'x-a: &a',
        '  security_opt: [no-new-privileges:true]',
        'services:',
        '  web:',
        '    <<: *a',
        '    security_opt: [apparmor:docker-default, "no-new-privileges:true"]',
      ),
      errors: [{ line: 6, column: 5 }],
    },
    {
      name: 'an aliased service (web: *svc) becomes <<: *svc plus security_opt',
      code: yaml('x-svc: &svc', '  image: nginx', 'services:', '  web: *svc', '  db:', '    image: pg', '    security_opt:', '      - no-new-privileges'),
      output: yaml(
        'x-svc: &svc',
        '  image: nginx',
        'services:',
        '  web:',
        '    <<: *svc',
        '    security_opt:',
        '      - no-new-privileges:true',
        '  db:',
        '    image: pg',
        '    security_opt:',
        '      - no-new-privileges',
      ),
      errors: [{ line: 4, column: 3 }],
    },
    {
      name: 'an empty service and flow-mapping services',
      code: yaml('services:', '  web:', '  db: {image: pg}', '  cache: {image: redis, security_opt: [label:disable]}'),
      output: yaml(
        'services:',
        '  web:',
        '    security_opt: ["no-new-privileges:true"]',
        '  db: {image: pg, security_opt: ["no-new-privileges:true"]}',
        '  cache: {image: redis, security_opt: [label:disable, "no-new-privileges:true"]}',
      ),
      errors: [
        { line: 2, column: 3 },
        { line: 3, column: 3 },
        { line: 4, column: 25 },
      ],
    },
    {
      name: 'CRLF: the false item is replaced and inserted lines end in CRLF',
      code: crlf('services:', '  web:', '    image: nginx', '    security_opt:', '      - label:disable', '      - no-new-privileges:false', '  db:', '    image: pg'),
      output: crlf(
        'services:',
        '  web:',
        '    image: nginx',
        '    security_opt:',
        '      - label:disable',
        '      - no-new-privileges:true',
        '  db:',
        '    image: pg',
        '    security_opt:',
        '      - no-new-privileges:true',
      ),
      errors: [
        { line: 6, column: 9 },
        { line: 7, column: 3 },
      ],
    },
    {
      name: '4-space indentation',
      code: yaml('services:', '    web:', '        image: nginx', '        security_opt:', '            - label:disable', '    db:', '        image: pg'),
      output: yaml(
        'services:',
        '    web:',
        '        image: nginx',
        '        security_opt:',
        '            - label:disable',
        '            - no-new-privileges:true',
        '    db:',
        '        image: pg',
        '        security_opt:',
        '            - no-new-privileges:true',
      ),
      errors: [
        { line: 4, column: 9 },
        { line: 6, column: 5 },
      ],
    },
  ],
});
