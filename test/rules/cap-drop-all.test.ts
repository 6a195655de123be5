import { testRule } from '../helpers/rule-tester.js';
import { capDropAll } from '../../src/rules/cap-drop-all.js';

const yaml = (...lines: string[]) => lines.join('\n') + '\n';
const crlf = (...lines: string[]) => lines.join('\r\n') + '\r\n';

/** An image that runs as non-root by default (101:101): cap_drop ALL and nothing to add back. */
const UNPRIVILEGED = 'nginxinc/nginx-unprivileged';

/** The cap_add items for postgres started as root (templates/images/postgres.json), at `pad`. */
const postgresCaps = (pad: string) => [
  `${pad}- CHOWN  # entrypoint chowns PGDATA and the socket dir`,
  `${pad}- DAC_OVERRIDE  # root entrypoint traverses the 0700 PGDATA on restart`,
  `${pad}- FOWNER  # entrypoint chmods dirs it does not own`,
  `${pad}- SETUID  # gosu switches to postgres`,
  `${pad}- SETGID  # gosu sets the postgres group`,
];

/** The cap_add items for nginx started as root (templates/images/nginx.json), at `pad`. */
const nginxCaps = (pad: string) => [
  `${pad}- CHOWN  # master chowns its temp dirs to the worker user`,
  `${pad}- SETUID  # master switches workers to the nginx user`,
  `${pad}- SETGID  # master sets the workers' group`,
  `${pad}- NET_BIND_SERVICE  # ports 80/443 on Docker engines older than 20.10`,
];

/** The compatibility defaults for an unknown image (templates/defaults.json#unknownImage), at `pad`. */
const unknownCaps = (pad: string) => [
  `${pad}- CHOWN  # unverified default: entrypoints chown data dirs`,
  `${pad}- DAC_OVERRIDE  # unverified default: root entrypoints touch service-owned files`,
  `${pad}- FOWNER  # unverified default: entrypoints chmod files they do not own`,
  `${pad}- SETGID  # unverified default: entrypoints drop privileges`,
  `${pad}- SETUID  # unverified default: entrypoints drop privileges`,
  `${pad}- NET_BIND_SERVICE  # unverified default: ports below 1024`,
  `${pad}- KILL  # unverified default: signals to processes of other users`,
];
const UNKNOWN_FLOW = '[CHOWN, DAC_OVERRIDE, FOWNER, SETGID, SETUID, NET_BIND_SERVICE, KILL]';

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
      name: 'no cap_drop (version-less): a block cap_drop is added; the own cap_add is kept and completed, not duplicated',
      code: yaml('services:', '  web:', '    image: nginx', '    cap_add:', '      - NET_BIND_SERVICE'),
      output: yaml(
        'services:',
        '  web:',
        '    image: nginx',
        '    cap_add:',
        '      - NET_BIND_SERVICE',
        ...nginxCaps('      ').slice(0, 3),
        '    cap_drop:',
        '      - ALL',
      ),
      errors: [{ line: 2, column: 3, severity: 'warning', message: 'cap_drop does not contain ALL); it needs CHOWN, SETUID, SETGID back' }],
    },
    {
      name: 'nginx (root master): its capabilities are added back, each with its reason',
      code: yaml('services:', '  web:', '    image: nginx:1.27'),
      output: yaml('services:', '  web:', '    image: nginx:1.27', '    cap_drop:', '      - ALL', '    cap_add:', ...nginxCaps('      ')),
      errors: [{ line: 2, column: 3, message: 'templates/images/nginx.json#nginx' }],
    },
    {
      name: 'postgres:16 alone (non-root-user not enabled): the root entrypoint keeps its capabilities, each with its reason',
      code: yaml('services:', '  db:', '    image: postgres:16'),
      output: yaml('services:', '  db:', '    image: postgres:16', '    cap_drop:', '      - ALL', '    cap_add:', ...postgresCaps('      ')),
      errors: [{ line: 2, column: 3, message: 'it needs CHOWN, DAC_OVERRIDE, FOWNER, SETUID, SETGID back (templates/images/postgres.json#postgres)' }],
    },
    {
      name: 'postgres:16-alpine: the same capabilities (su-exec instead of gosu)',
      code: yaml('services:', '  db:', '    image: postgres:16-alpine'),
      output: yaml('services:', '  db:', '    image: postgres:16-alpine', '    cap_drop:', '      - ALL', '    cap_add:', ...postgresCaps('      ')),
      errors: [{ line: 2, column: 3 }],
    },
    {
      name: 'postgres with an explicit user: "999:999": a non-root process gets no cap_add',
      code: yaml('services:', '  db:', '    image: postgres:16', '    user: "999:999"'),
      output: yaml('services:', '  db:', '    image: postgres:16', '    user: "999:999"', '    cap_drop:', '      - ALL'),
      errors: [{ line: 2, column: 3, message: /cap_drop does not contain ALL\)$/ }],
    },
    {
      name: 'postgres with the non-root user inherited through a merge key: no cap_add',
      code: yaml('x-user: &user', '  user: "999:999"', 'services:', '  db:', '    <<: *user', '    image: postgres:16'),
      output: yaml('x-user: &user', '  user: "999:999"', 'services:', '  db:', '    <<: *user', '    image: postgres:16', '    cap_drop:', '      - ALL'),
      errors: [{ line: 4, column: 3 }],
    },
    {
      name: 'postgres with an explicit user: root keeps the root capabilities',
      code: yaml('services:', '  db:', '    image: postgres:16', '    user: root'),
      output: yaml('services:', '  db:', '    image: postgres:16', '    user: root', '    cap_drop:', '      - ALL', '    cap_add:', ...postgresCaps('      ')),
      errors: [{ line: 2, column: 3 }],
    },
    {
      name: 'an existing flow cap_add: [CHOWN] on postgres is kept; only the missing ones are appended, their reasons at the end of the line',
      code: yaml('services:', '  db:', '    image: postgres:16', '    cap_add: [CHOWN]'),
      output: yaml('services:', '  db:', '    image: postgres:16', '    cap_add: [CHOWN, DAC_OVERRIDE, FOWNER, SETUID, SETGID]  # root entrypoint traverses the 0700 PGDATA on restart; entrypoint chmods dirs it does not own; gosu switches to postgres; gosu sets the postgres group', '    cap_drop: [ALL]'),
      errors: [{ line: 2, column: 3, message: 'it needs DAC_OVERRIDE, FOWNER, SETUID, SETGID back' }],
    },
    {
      name: 'an existing block cap_add with CAP_-prefixed and lower-case names is not duplicated; its comment is kept',
      code: yaml('services:', '  db:', '    image: postgres:16', '    cap_add:', '      - CAP_CHOWN  # ours', '      - setuid', '    ports:', '      - "5432"'),
      output: yaml(
        'services:',
        '  db:',
        '    image: postgres:16',
        '    cap_add:',
        '      - CAP_CHOWN  # ours',
        '      - setuid',
        '      - DAC_OVERRIDE  # root entrypoint traverses the 0700 PGDATA on restart',
        '      - FOWNER  # entrypoint chmods dirs it does not own',
        '      - SETGID  # gosu sets the postgres group',
        '    ports:',
        '      - "5432"',
        '    cap_drop:',
        '      - ALL',
      ),
      errors: [{ line: 2, column: 3, message: 'it needs DAC_OVERRIDE, FOWNER, SETGID back' }],
    },
    {
      name: 'an unknown image gets the compatibility defaults, each marked unverified',
      code: yaml('services:', '  app:', '    image: example/app:1.0'),
      output: yaml('services:', '  app:', '    image: example/app:1.0', '    cap_drop:', '      - ALL', '    cap_add:', ...unknownCaps('      ')),
      errors: [{ line: 2, column: 3, message: '(templates/defaults.json#unknownImage)' }],
    },
    {
      name: 'a locally built image is unknown, whatever image name it is tagged with',
      code: yaml('services:', '  app:', '    build: ./app', '    image: postgres:16'),
      output: yaml('services:', '  app:', '    build: ./app', '    image: postgres:16', '    cap_drop:', '      - ALL', '    cap_add:', ...unknownCaps('      ')),
      errors: [{ line: 2, column: 3, message: 'KILL back (templates/defaults.json#unknownImage)' }],
    },
    {
      name: 'an unknown image with an explicit non-root user: no cap_add',
      code: yaml('services:', '  app:', '    build: .', '    user: "1000:1000"'),
      output: yaml('services:', '  app:', '    build: .', '    user: "1000:1000"', '    cap_drop:', '      - ALL'),
      errors: [{ line: 2, column: 3 }],
    },
    {
      name: 'an image that runs as non-root by default gets no cap_add',
      code: yaml('services:', '  web:', `    image: ${UNPRIVILEGED}:1.27`),
      output: yaml('services:', '  web:', `    image: ${UNPRIVILEGED}:1.27`, '    cap_drop:', '      - ALL'),
      errors: [{ line: 2, column: 3 }],
    },
    {
      name: 'version "2.4"',
      code: yaml('version: "2.4"', 'services:', '  web:', `    image: ${UNPRIVILEGED}`),
      output: yaml('version: "2.4"', 'services:', '  web:', `    image: ${UNPRIVILEGED}`, '    cap_drop:', '      - ALL'),
      errors: [{ line: 3, column: 3 }],
    },
    {
      name: 'version "3.8" in a file that writes flow sequences',
      code: yaml('version: "3.8"', 'services:', '  web:', `    image: ${UNPRIVILEGED}`, '    ports: ["80:80"]'),
      output: yaml('version: "3.8"', 'services:', '  web:', `    image: ${UNPRIVILEGED}`, '    ports: ["80:80"]', '    cap_drop: [ALL]'),
      errors: [{ line: 3, column: 3 }],
    },
    {
      name: 'a file that writes flow sequences: cap_drop in flow, the commented cap_add in block',
      code: yaml('version: "3.8"', 'services:', '  web:', '    image: nginx', '    ports: ["80:80"]'),
      output: yaml('version: "3.8"', 'services:', '  web:', '    image: nginx', '    ports: ["80:80"]', '    cap_drop: [ALL]', '    cap_add:', ...nginxCaps('      ')),
      errors: [{ line: 3, column: 3 }],
    },
    {
      name: 'a flow cap_drop without ALL gets ALL appended; the comment is kept',
      code: yaml('services:', '  web:', `    image: ${UNPRIVILEGED}`, '    cap_drop: [NET_RAW, MKNOD]  # keep'),
      output: yaml('services:', '  web:', `    image: ${UNPRIVILEGED}`, '    cap_drop: [NET_RAW, MKNOD, ALL]  # keep'),
      errors: [{ line: 4, column: 5 }],
    },
    {
      name: 'an empty flow cap_drop',
      code: yaml('services:', '  web:', `    image: ${UNPRIVILEGED}`, '    cap_drop: []'),
      output: yaml('services:', '  web:', `    image: ${UNPRIVILEGED}`, '    cap_drop: [ALL]'),
      errors: [{ line: 4, column: 5 }],
    },
    {
      name: 'a block cap_drop without ALL gets ALL appended; item comment kept',
      code: yaml('services:', '  web:', `    image: ${UNPRIVILEGED}`, '    cap_drop:', '      - NET_RAW  # raw sockets', '    ports: ["80"]'),
      output: yaml('services:', '  web:', `    image: ${UNPRIVILEGED}`, '    cap_drop:', '      - NET_RAW  # raw sockets', '      - ALL', '    ports: ["80"]'),
      errors: [{ line: 4, column: 5 }],
    },
    {
      name: 'a compact block sequence (dash at the key column)',
      code: yaml('services:', '  web:', `    image: ${UNPRIVILEGED}`, '    cap_drop:', '    - net_raw', '    ports:', '    - "80"'),
      output: yaml('services:', '  web:', `    image: ${UNPRIVILEGED}`, '    cap_drop:', '    - net_raw', '    - ALL', '    ports:', '    - "80"'),
      errors: [{ line: 4, column: 5 }],
    },
    {
      name: 'a compact block sequence: the new cap_add follows the file (dash at the key column)',
      code: yaml('services:', '  web:', '    image: nginx', '    cap_drop:', '    - net_raw', '    ports:', '    - "80"'),
      output: yaml('services:', '  web:', '    image: nginx', '    cap_drop:', '    - net_raw', '    - ALL', '    ports:', '    - "80"', '    cap_add:', ...nginxCaps('    ')),
      errors: [{ line: 4, column: 5 }],
    },
    {
      name: 'an empty cap_drop value with a comment',
      code: yaml('services:', '  web:', `    image: ${UNPRIVILEGED}`, '    cap_drop:  # nothing yet', '    ports: ["80"]'),
      output: yaml('services:', '  web:', `    image: ${UNPRIVILEGED}`, '    cap_drop: [ALL]  # nothing yet', '    ports: ["80"]'),
      errors: [{ line: 4, column: 5 }],
    },
    {
      name: 'merge key: the inherited items are written into the service with ALL; the anchor is untouched',
      code: yaml('x-base: &base', '  cap_drop:', '    - NET_RAW', 'services:', '  web:', '    <<: *base', `    image: ${UNPRIVILEGED}`),
      output: yaml('x-base: &base', '  cap_drop:', '    - NET_RAW', 'services:', '  web:', '    <<: *base', `    image: ${UNPRIVILEGED}`, '    cap_drop:', '      - NET_RAW', '      - ALL'),
      errors: [{ line: 6, column: 5 }],
    },
    {
      name: 'merge key: an inherited cap_add is written into the service with the missing capabilities',
      code: yaml('x-base: &base', '  cap_add:', '    - CHOWN', 'services:', '  db:', '    <<: *base', '    image: postgres:16'),
      output: yaml(
        'x-base: &base',
        '  cap_add:',
        '    - CHOWN',
        'services:',
        '  db:',
        '    <<: *base',
        '    image: postgres:16',
        '    cap_drop:',
        '      - ALL',
        '    cap_add:',
        '      - CHOWN',
        ...postgresCaps('      ').slice(1),
      ),
      errors: [{ line: 5, column: 3 }],
    },
    {
      name: 'merge list <<: [*a, *b]: the first anchor wins for cap_drop',
      code: yaml('x-a: &a', '  cap_drop: [NET_RAW]', 'x-b: &b', '  cap_drop: [MKNOD]', `  image: ${UNPRIVILEGED}`, 'services:', '  web:', '    <<: [*a, *b]'),
      output: yaml(
        'x-a: &a',
        '  cap_drop: [NET_RAW]',
        'x-b: &b',
        '  cap_drop: [MKNOD]',
        `  image: ${UNPRIVILEGED}`,
        'services:',
        '  web:',
        '    <<: [*a, *b]',
        '    cap_drop: [NET_RAW, ALL]',
      ),
      errors: [{ line: 8, column: 5 }],
    },
    {
      name: 'an aliased service (web: *svc) becomes <<: *svc plus cap_drop',
      code: yaml('x-svc: &svc', `  image: ${UNPRIVILEGED}`, '  cap_drop:', '    - MKNOD', 'services:', '  web: *svc'),
      output: yaml('x-svc: &svc', `  image: ${UNPRIVILEGED}`, '  cap_drop:', '    - MKNOD', 'services:', '  web:', '    <<: *svc', '    cap_drop:', '      - MKNOD', '      - ALL'),
      errors: [{ line: 6, column: 8 }],
    },
    {
      name: 'an aliased postgres service becomes <<: *svc plus cap_drop and the commented cap_add',
      code: yaml('x-svc: &svc', '  image: postgres:16', 'services:', '  db: *svc  # same as base'),
      output: yaml('x-svc: &svc', '  image: postgres:16', 'services:', '  db:  # same as base', '    <<: *svc', '    cap_drop:', '      - ALL', '    cap_add:', ...postgresCaps('      ')),
      errors: [{ line: 4, column: 3 }],
    },
    {
      // An empty service names no image: it gets the unknown-image defaults. The file writes flow lists,
      // so cap_drop is a flow list; the commented cap_add is a block list.
      name: 'an empty service',
      code: yaml('services:', '  web:', '  db:', '    image: pg', '    cap_drop: [ALL]'),
      output: yaml('services:', '  web:', '    cap_drop: [ALL]', '    cap_add:', ...unknownCaps('      '), '  db:', '    image: pg', '    cap_drop: [ALL]'),
      errors: [{ line: 2, column: 3 }],
    },
    {
      // Flow mappings cannot hold comments per item: the reasons go at the end of the line.
      name: 'flow-mapping services',
      code: yaml('services:', `  web: {image: ${UNPRIVILEGED}, cap_drop: [NET_RAW]}`, '  db: {image: postgres:16}', '  cache: {}'),
      output: yaml(
        'services:',
        `  web: {image: ${UNPRIVILEGED}, cap_drop: [NET_RAW, ALL]}`,
        '  db: {image: postgres:16, cap_drop: [ALL], cap_add: [CHOWN, DAC_OVERRIDE, FOWNER, SETUID, SETGID]}  # entrypoint chowns PGDATA and the socket dir; root entrypoint traverses the 0700 PGDATA on restart; entrypoint chmods dirs it does not own; gosu switches to postgres; gosu sets the postgres group',
        `  cache: {cap_drop: [ALL], cap_add: ${UNKNOWN_FLOW}}  # unverified default: entrypoints chown data dirs; root entrypoints touch service-owned files; entrypoints chmod files they do not own; entrypoints drop privileges; ports below 1024; signals to processes of other users`,
      ),
      errors: [
        { line: 2, column: 45 },
        { line: 3, column: 3 },
        { line: 4, column: 3 },
      ],
    },
    {
      name: 'CRLF line endings',
      code: crlf('services:', '  web:', `    image: ${UNPRIVILEGED}`, '    cap_drop:', '      - NET_RAW', '  db:', '    image: postgres:16'),
      output: crlf(
        'services:',
        '  web:',
        `    image: ${UNPRIVILEGED}`,
        '    cap_drop:',
        '      - NET_RAW',
        '      - ALL',
        '  db:',
        '    image: postgres:16',
        '    cap_drop:',
        '      - ALL',
        '    cap_add:',
        ...postgresCaps('      '),
      ),
      errors: [
        { line: 4, column: 5 },
        { line: 6, column: 3 },
      ],
    },
    {
      name: '4-space indentation',
      code: yaml('services:', '    web:', '        image: nginx', '        volumes:', '            - ./a:/a'),
      output: yaml('services:', '    web:', '        image: nginx', '        volumes:', '            - ./a:/a', '        cap_drop:', '            - ALL', '        cap_add:', ...nginxCaps('            ')),
      errors: [{ line: 2, column: 5 }],
    },
    {
      name: 'comments next to the insertion point survive (the file writes flow lists, so does the fix)',
      code: yaml('services:', '  web:', `    image: ${UNPRIVILEGED}  # v1.27`, '', '  # database', '  db:', '    image: pg', '    cap_drop: [ALL]'),
      output: yaml(
        'services:',
        '  web:',
        `    image: ${UNPRIVILEGED}  # v1.27`,
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
      name: 'comments next to the insertion point survive a commented cap_add',
      code: yaml('services:', '  db:', '    image: postgres:16  # pinned', '', '  # cache', '  cache:', '    image: pg', '    cap_drop: [ALL]'),
      output: yaml(
        'services:',
        '  db:',
        '    image: postgres:16  # pinned',
        '    cap_drop: [ALL]',
        '    cap_add:',
        ...postgresCaps('      '),
        '',
        '  # cache',
        '  cache:',
        '    image: pg',
        '    cap_drop: [ALL]',
      ),
      errors: [{ line: 2, column: 3 }],
    },
    {
      // Fixing web fixes web2 too, since web2 merges it; a copy of cap_drop in web2 is redundant.
      name: 'a service merging another service that is fixed in the same run is left alone',
      code: yaml('services:', '  web: &web', `    image: ${UNPRIVILEGED}`, '  worker:', '    <<: *web', '    command: work'),
      output: yaml('services:', '  web: &web', `    image: ${UNPRIVILEGED}`, '    cap_drop:', '      - ALL', '  worker:', '    <<: *web', '    command: work'),
      errors: [
        { line: 2, column: 3 },
        { line: 4, column: 3 },
      ],
    },
    {
      name: 'a service merging a postgres service fixed in the same run is left alone (its cap_add comes with the merge)',
      code: yaml('services:', '  db: &db', '    image: postgres:16', '  replica:', '    <<: *db', '    command: replica'),
      output: yaml('services:', '  db: &db', '    image: postgres:16', '    cap_drop:', '      - ALL', '    cap_add:', ...postgresCaps('      '), '  replica:', '    <<: *db', '    command: replica'),
      errors: [
        { line: 2, column: 3 },
        { line: 4, column: 3 },
      ],
    },
  ],
});
