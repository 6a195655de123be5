import { testRule } from '../helpers/rule-tester.js';
import { capDropAll } from '../../src/rules/cap-drop-all.js';

const yaml = (...lines: string[]) => lines.join('\n') + '\n';
const crlf = (...lines: string[]) => lines.join('\r\n') + '\r\n';

testRule(capDropAll, {
  valid: [
    {
      name: 'cap_drop: [ALL] (flow)',
      code: yaml('services:', '  web:', '    image: nginx', '    cap_drop: [ALL]'),
    },
    {
      name: 'cap_drop block sequence with ALL among others',
      code: yaml('services:', '  web:', '    image: nginx', '    cap_drop:', '      - NET_RAW', '      - ALL'),
    },
    {
      name: 'lower-case all',
      code: yaml('services:', '  web:', '    image: nginx', '    cap_drop: [all]'),
    },
    {
      name: 'CAP_ALL prefixed',
      code: yaml('version: "2.4"', 'services:', '  web:', '    image: nginx', '    cap_drop:', '      - CAP_ALL'),
    },
    {
      name: 'ALL inherited through a merge key',
      code: yaml('x-base: &base', '  cap_drop: [ALL]', 'services:', '  web:', '    <<: *base', '    image: nginx'),
    },
    {
      name: 'ALL inherited through the second anchor of a merge list',
      code: yaml('x-a: &a', '  image: nginx', 'x-b: &b', '  cap_drop: [ALL]', 'services:', '  web:', '    <<: [*a, *b]'),
    },
    {
      name: 'an aliased service whose anchor drops ALL',
      code: yaml('services:', '  web: &web', '    image: nginx', '    cap_drop: [ALL]', '  web2: *web'),
    },
    {
      name: 'cap_add does not matter',
      code: yaml('version: "3.8"', 'services:', '  web:', '    image: nginx', '    cap_drop: [ALL]', '    cap_add: [NET_BIND_SERVICE]'),
    },
  ],
  invalid: [
    {
      name: 'no cap_drop (version-less): a block cap_drop is added, cap_add kept',
      code: yaml('services:', '  web:', '    image: nginx', '    cap_add:', '      - NET_BIND_SERVICE'),
      output: yaml('services:', '  web:', '    image: nginx', '    cap_add:', '      - NET_BIND_SERVICE', '    cap_drop:', '      - ALL'),
      errors: [{ line: 2, column: 3, severity: 'warning', message: 'cap_drop does not contain ALL' }],
    },
    {
      name: 'version "2.4"',
      code: yaml('version: "2.4"', 'services:', '  web:', '    image: nginx'),
      output: yaml('version: "2.4"', 'services:', '  web:', '    image: nginx', '    cap_drop:', '      - ALL'),
      errors: [{ line: 3, column: 3 }],
    },
    {
      name: 'version "3.8" in a file that writes flow sequences',
      code: yaml('version: "3.8"', 'services:', '  web:', '    image: nginx', '    ports: ["80:80"]'),
      output: yaml('version: "3.8"', 'services:', '  web:', '    image: nginx', '    ports: ["80:80"]', '    cap_drop: [ALL]'),
      errors: [{ line: 3, column: 3 }],
    },
    {
      name: 'a flow cap_drop without ALL gets ALL appended; the comment is kept',
      code: yaml('services:', '  web:', '    image: nginx', '    cap_drop: [NET_RAW, MKNOD]  # keep'),
      output: yaml('services:', '  web:', '    image: nginx', '    cap_drop: [NET_RAW, MKNOD, ALL]  # keep'),
      errors: [{ line: 4, column: 5 }],
    },
    {
      name: 'an empty flow cap_drop',
      code: yaml('services:', '  web:', '    image: nginx', '    cap_drop: []'),
      output: yaml('services:', '  web:', '    image: nginx', '    cap_drop: [ALL]'),
      errors: [{ line: 4, column: 5 }],
    },
    {
      name: 'a block cap_drop without ALL gets ALL appended; item comment kept',
      code: yaml('services:', '  web:', '    image: nginx', '    cap_drop:', '      - NET_RAW  # raw sockets', '    ports: ["80"]'),
      output: yaml('services:', '  web:', '    image: nginx', '    cap_drop:', '      - NET_RAW  # raw sockets', '      - ALL', '    ports: ["80"]'),
      errors: [{ line: 4, column: 5 }],
    },
    {
      name: 'a compact block sequence (dash at the key column)',
      code: yaml('services:', '  web:', '    image: nginx', '    cap_drop:', '    - net_raw', '    ports:', '    - "80"'),
      output: yaml('services:', '  web:', '    image: nginx', '    cap_drop:', '    - net_raw', '    - ALL', '    ports:', '    - "80"'),
      errors: [{ line: 4, column: 5 }],
    },
    {
      name: 'an empty cap_drop value with a comment',
      code: yaml('services:', '  web:', '    image: nginx', '    cap_drop:  # nothing yet', '    ports: ["80"]'),
      output: yaml('services:', '  web:', '    image: nginx', '    cap_drop: [ALL]  # nothing yet', '    ports: ["80"]'),
      errors: [{ line: 4, column: 5 }],
    },
    {
      name: 'merge key: the inherited items are written into the service with ALL; the anchor is untouched',
      code: yaml('x-base: &base', '  cap_drop:', '    - NET_RAW', 'services:', '  web:', '    <<: *base', '    image: nginx'),
      output: yaml('x-base: &base', '  cap_drop:', '    - NET_RAW', 'services:', '  web:', '    <<: *base', '    image: nginx', '    cap_drop:', '      - NET_RAW', '      - ALL'),
      errors: [{ line: 6, column: 5 }],
    },
    {
      name: 'merge list <<: [*a, *b]: the first anchor wins for cap_drop',
      code: yaml('x-a: &a', '  cap_drop: [NET_RAW]', 'x-b: &b', '  cap_drop: [MKNOD]', '  image: nginx', 'services:', '  web:', '    <<: [*a, *b]'),
      output: yaml(
        'x-a: &a',
        '  cap_drop: [NET_RAW]',
        'x-b: &b',
        '  cap_drop: [MKNOD]',
        '  image: nginx',
        'services:',
        '  web:',
        '    <<: [*a, *b]',
        '    cap_drop: [NET_RAW, ALL]',
      ),
      errors: [{ line: 8, column: 5 }],
    },
    {
      name: 'an aliased service (web: *svc) becomes <<: *svc plus cap_drop',
      code: yaml('x-svc: &svc', '  image: nginx', '  cap_drop:', '    - MKNOD', 'services:', '  web: *svc'),
      output: yaml('x-svc: &svc', '  image: nginx', '  cap_drop:', '    - MKNOD', 'services:', '  web:', '    <<: *svc', '    cap_drop:', '      - MKNOD', '      - ALL'),
      errors: [{ line: 6, column: 8 }],
    },
    {
      name: 'an empty service',
      code: yaml('services:', '  web:', '  db:', '    image: pg', '    cap_drop: [ALL]'),
      output: yaml('services:', '  web:', '    cap_drop: [ALL]', '  db:', '    image: pg', '    cap_drop: [ALL]'),
      errors: [{ line: 2, column: 3 }],
    },
    {
      name: 'flow-mapping services',
      code: yaml('services:', '  web: {image: nginx, cap_drop: [NET_RAW]}', '  db: {image: pg}', '  cache: {}'),
      output: yaml('services:', '  web: {image: nginx, cap_drop: [NET_RAW, ALL]}', '  db: {image: pg, cap_drop: [ALL]}', '  cache: {cap_drop: [ALL]}'),
      errors: [
        { line: 2, column: 23 },
        { line: 3, column: 3 },
        { line: 4, column: 3 },
      ],
    },
    {
      name: 'CRLF line endings',
      code: crlf('services:', '  web:', '    image: nginx', '    cap_drop:', '      - NET_RAW', '  db:', '    image: pg'),
      output: crlf('services:', '  web:', '    image: nginx', '    cap_drop:', '      - NET_RAW', '      - ALL', '  db:', '    image: pg', '    cap_drop:', '      - ALL'),
      errors: [
        { line: 4, column: 5 },
        { line: 6, column: 3 },
      ],
    },
    {
      name: '4-space indentation',
      code: yaml('services:', '    web:', '        image: nginx', '        volumes:', '            - ./a:/a'),
      output: yaml('services:', '    web:', '        image: nginx', '        volumes:', '            - ./a:/a', '        cap_drop:', '            - ALL'),
      errors: [{ line: 2, column: 5 }],
    },
    {
      name: 'comments next to the insertion point survive (the file writes flow lists, so does the fix)',
      code: yaml('services:', '  web:', '    image: nginx  # v1.27', '', '  # database', '  db:', '    image: pg', '    cap_drop: [ALL]'),
      output: yaml(
        'services:',
        '  web:',
        '    image: nginx  # v1.27',
        '    cap_drop: [ALL]',
        '',
        '  # database',
        '  db:',
        '    image: pg',
        '    cap_drop: [ALL]',
      ),
      errors: [{ line: 2, column: 3 }],
    },
    {
      // Fixing web fixes web2 too, since web2 merges it; a copy of cap_drop in web2 is redundant.
      name: 'a service merging another service that is fixed in the same run is left alone',
      code: yaml('services:', '  web: &web', '    image: nginx', '  worker:', '    <<: *web', '    command: work'),
      output: yaml('services:', '  web: &web', '    image: nginx', '    cap_drop:', '      - ALL', '  worker:', '    <<: *web', '    command: work'),
      errors: [
        { line: 2, column: 3 },
        { line: 4, column: 3 },
      ],
    },
  ],
});
