import { describe, expect, it } from 'vitest';
import { testRule } from '../helpers/rule-tester.js';
import { fixSource } from '../../src/core/engine.js';
import { fromString } from '../../src/core/source.js';
import { capDropAll } from '../../src/rules/cap-drop-all.js';
import { nonRootUser } from '../../src/rules/non-root-user.js';
import { readOnlyRootfs } from '../../src/rules/read-only-rootfs.js';

const yaml = (...lines: string[]) => lines.join('\n') + '\n';
const crlf = (...lines: string[]) => lines.join('\r\n') + '\r\n';

// `999:999`, `70:70` and `101:101` are written plain: neither YAML 1.1 (no sexagesimal reading, the part
// after the colon is above 59) nor YAML 1.2 reads them as anything but a string.
const POSTGRES_USER = '999:999  # non-root user of the image (postgres)';
const POSTGRES_ALPINE_USER = '70:70  # non-root user of the image (postgres)';
const NGINX_USER = '101:101  # non-root user of the image (nginx)';

testRule(nonRootUser, {
  valid: [
    {
      name: 'an explicit non-root user',
      code: yaml('services:', '  db:', '    image: postgres:16', '    user: "1000:1000"'),
    },
    {
      name: "the image's own non-root user, set explicitly",
      code: yaml('services:', '  db:', '    image: postgres:16', '    user: "999:999"'),
    },
    {
      name: 'a user name',
      code: yaml('services:', '  db:', '    image: postgres:16', '    user: postgres'),
    },
    {
      name: 'an interpolated user without a default is only known when Compose runs',
      code: yaml('services:', '  db:', '    image: postgres:16', '    user: "${UID}:${GID}"'),
    },
    {
      name: 'an interpolated user whose default is not root',
      code: yaml('services:', '  db:', '    image: postgres:16', '    user: "${UID:-1000}:${GID:-1000}"'),
    },
    {
      name: 'an image that runs as non-root by default (nginxinc/nginx-unprivileged)',
      code: yaml('services:', '  web:', '    image: nginxinc/nginx-unprivileged:1.27-alpine'),
    },
    {
      name: 'the same image from its ghcr.io name',
      code: yaml('services:', '  web:', '    image: ghcr.io/nginxinc/nginx-unprivileged:1.27'),
    },
    {
      name: 'user set through a merge key',
      code: yaml('x-user: &user', '  user: "999:999"', 'services:', '  db:', '    <<: *user', '    image: postgres:16'),
    },
    {
      name: 'user set in the second anchor of a merge list',
      code: yaml('x-a: &a', '  image: postgres:16', 'x-b: &b', '  user: "999:999"', 'services:', '  db:', '    <<: [*a, *b]'),
    },
    {
      name: 'an aliased service whose anchor sets the user',
      code: yaml('x-db: &db', '  image: postgres:16', '  user: "999:999"', 'services:', '  db: *db'),
    },
    {
      name: 'a flow-mapping service with a user',
      code: yaml('services:', '  db: {image: postgres:16, user: "999:999"}'),
    },
    {
      name: 'a file with no services',
      code: yaml('services: {}'),
    },
  ],
  invalid: [
    {
      name: 'postgres (Debian tag): user 999:999 is set, with its reason',
      code: yaml('services:', '  db:', '    image: postgres:16'),
      output: yaml('services:', '  db:', '    image: postgres:16', `    user: ${POSTGRES_USER}`),
      errors: [{ line: 2, column: 3, severity: 'warning', message: 'supports user 999:999 (templates/images/postgres.json#postgres)' }],
    },
    {
      name: 'postgres (Debian bookworm tag)',
      code: yaml('services:', '  db:', '    image: postgres:17-bookworm', '    ports:', '      - "5432:5432"'),
      output: yaml('services:', '  db:', '    image: postgres:17-bookworm', '    ports:', '      - "5432:5432"', `    user: ${POSTGRES_USER}`),
      errors: [{ line: 2, column: 3 }],
    },
    {
      name: 'postgres without a tag and with a full Docker Hub name',
      code: yaml('services:', '  db:', '    image: postgres', '  db2:', '    image: docker.io/library/postgres:16'),
      output: yaml('services:', '  db:', '    image: postgres', `    user: ${POSTGRES_USER}`, '  db2:', '    image: docker.io/library/postgres:16', `    user: ${POSTGRES_USER}`),
      errors: [
        { line: 2, column: 3 },
        { line: 4, column: 3 },
      ],
    },
    {
      name: 'postgres (alpine tag): user 70:70',
      code: yaml('services:', '  db:', '    image: postgres:16-alpine'),
      output: yaml('services:', '  db:', '    image: postgres:16-alpine', `    user: ${POSTGRES_ALPINE_USER}`),
      errors: [{ line: 2, column: 3, message: 'supports user 70:70' }],
    },
    {
      name: 'postgres (alpine3.21 tag): user 70:70',
      code: yaml('services:', '  db:', '    image: postgres:17-alpine3.21'),
      output: yaml('services:', '  db:', '    image: postgres:17-alpine3.21', `    user: ${POSTGRES_ALPINE_USER}`),
      errors: [{ line: 2, column: 3 }],
    },
    {
      name: 'nginx: user 101:101',
      code: yaml('services:', '  web:', '    image: nginx:1.27'),
      output: yaml('services:', '  web:', '    image: nginx:1.27', `    user: ${NGINX_USER}`),
      errors: [{ line: 2, column: 3, message: 'supports user 101:101 (templates/images/nginx.json#nginx)' }],
    },
    {
      name: 'nginx whose tmpfs entries already belong to uid 101: no conflict, the user is set',
      code: yaml('services:', '  web:', '    image: nginx', '    tmpfs:', '      - /var/cache/nginx:uid=101,gid=101', '      - /run:uid=101,gid=101'),
      output: yaml(
        'services:',
        '  web:',
        '    image: nginx',
        '    tmpfs:',
        '      - /var/cache/nginx:uid=101,gid=101',
        '      - /run:uid=101,gid=101',
        `    user: ${NGINX_USER}`,
      ),
      errors: [{ line: 2, column: 3 }],
    },
    {
      name: 'an explicit user: root is reported, not fixed',
      code: yaml('services:', '  db:', '    image: postgres:16', '    user: root'),
      output: null,
      errors: [{ line: 4, column: 5, severity: 'warning', message: 'explicitly runs as root (user: root)' }],
    },
    {
      name: 'an interpolated user whose default is root runs as root when the variable is unset',
      code: yaml('services:', '  db:', '    image: postgres:16', '    user: "${UID:-0}:${GID:-0}"'),
      output: null,
      errors: [{ line: 4, column: 5, message: 'runs as root unless its variable is set (user: ${UID:-0}:${GID:-0})' }],
    },
    {
      name: 'an explicit user: "0:0" is reported, not fixed',
      code: yaml('services:', '  db:', '    image: postgres:16', '    user: "0:0"'),
      output: null,
      errors: [{ line: 4, column: 5, message: 'explicitly runs as root (user: 0:0)' }],
    },
    {
      name: 'user: 0 and root:root are root too',
      code: yaml('services:', '  a:', '    image: nginx', '    user: 0', '  b:', '    image: example/app:1.0', '    user: root:root'),
      output: null,
      errors: [
        { line: 4, column: 5, message: '(user: 0)' },
        { line: 7, column: 5, message: '(user: root:root)' },
      ],
    },
    {
      name: 'an explicit root user inherited through a merge key is reported at the merge key',
      code: yaml('x-base: &base', '  user: root', 'services:', '  db:', '    <<: *base', '    image: postgres:16'),
      output: null,
      errors: [{ line: 5, column: 5, message: 'explicitly runs as root' }],
    },
    {
      name: 'an unknown image: info, not fixed',
      code: yaml('services:', '  app:', '    image: example/app:1.0'),
      output: null,
      errors: [{ line: 3, column: 5, severity: 'info', message: 'runs as the default user of an unknown image (example/app:1.0)' }],
    },
    {
      name: 'a build-only service: info, not fixed',
      code: yaml('services:', '  app:', '    build: ./app'),
      output: null,
      errors: [{ line: 2, column: 3, severity: 'info', message: 'a locally built image' }],
    },
    {
      name: 'a locally built image tagged with the name of a known image is still unknown',
      code: yaml('services:', '  db:', '    build: .', '    image: postgres:16'),
      output: null,
      errors: [{ line: 4, column: 5, severity: 'info', message: 'a locally built image' }],
    },
    {
      name: 'an image given by a variable without a default: info, not fixed',
      code: yaml('services:', '  app:', '    image: ${IMAGE}'),
      output: null,
      errors: [{ line: 3, column: 5, severity: 'info', message: 'an image compose-harden cannot determine' }],
    },
    {
      name: 'conflict: nginx with a tmpfs at /var/cache/nginx without uid is reported, not fixed',
      code: yaml('services:', '  web:', '    image: nginx', '    tmpfs: [/var/cache/nginx]'),
      output: null,
      errors: [{ line: 2, column: 3, severity: 'warning', message: 'tmpfs /var/cache/nginx has no uid= option: give those mounts to uid 101 first' }],
    },
    {
      name: 'conflict: a string tmpfs, a trailing slash, and a /var/run tmpfs (the same directory as /run)',
      code: yaml('services:', '  a:', '    image: nginx', '    tmpfs: /var/cache/nginx/', '  b:', '    image: nginx', '    tmpfs:', '      - /var/run'),
      output: null,
      errors: [
        { line: 2, column: 3, message: 'tmpfs /var/cache/nginx has no uid= option' },
        { line: 5, column: 3, message: 'has no uid= option' },
      ],
    },
    {
      name: 'conflict: a host directory bind-mounted over the data directory keeps a root start (its entrypoint chowns it)',
      code: yaml('services:', '  db:', '    image: postgres:16', '    volumes:', '      - ./pgdata:/var/lib/postgresql/data'),
      output: null,
      errors: [
        {
          line: 2,
          column: 3,
          message: 'the host directory ./pgdata is bind-mounted at /var/lib/postgresql/data, owned on the host by whoever created it: give those mounts to uid 999 first',
        },
      ],
    },
    {
      name: 'a named volume over the data directory is no conflict: it starts with the image\'s ownership',
      code: yaml('services:', '  db:', '    image: postgres:16', '    volumes:', '      - db-data:/var/lib/postgresql/data', 'volumes:', '  db-data:'),
      output: yaml('services:', '  db:', '    image: postgres:16', '    volumes:', '      - db-data:/var/lib/postgresql/data', '    user: 999:999  # non-root user of the image (postgres)', 'volumes:', '  db-data:'),
      errors: [{ line: 2, column: 3, message: 'postgres' }],
    },
    {
      name: 'conflict: a named volume at /var/cache/nginx',
      code: yaml('services:', '  web:', '    image: nginx', '    volumes:', '      - cache:/var/cache/nginx', 'volumes:', '  cache:'),
      output: null,
      errors: [{ line: 2, column: 3, message: 'a volume is mounted at /var/cache/nginx' }],
    },
    {
      name: 'conflict: a long-syntax tmpfs volume at /var/cache/nginx',
      code: yaml('services:', '  web:', '    image: nginx', '    volumes:', '      - type: tmpfs', '        target: /var/cache/nginx'),
      output: null,
      errors: [{ line: 2, column: 3, message: 'a volume is mounted at /var/cache/nginx' }],
    },
    {
      // An anonymous volume is created from the image's root-owned directory, exactly like a named one.
      name: 'conflict: an anonymous volume at /var/cache/nginx',
      code: yaml('services:', '  web:', '    image: nginx', '    volumes:', '      - /var/cache/nginx'),
      output: null,
      errors: [{ line: 2, column: 3, message: 'a volume is mounted at /var/cache/nginx' }],
    },
    {
      name: 'conflict: a bind mount whose source is an interpolation with a default',
      code: yaml('services:', '  web:', '    image: nginx', '    volumes:', '      - ${CACHE_DIR:-./cache}:/var/cache/nginx'),
      output: null,
      errors: [{ line: 2, column: 3, message: 'a volume is mounted at /var/cache/nginx' }],
    },
    {
      // `user:` with no value (or an empty string) is no user: the container starts as the image's root.
      name: 'an empty user: value is filled in',
      code: yaml('services:', '  db:', '    image: postgres:16', '    user:', '    ports: ["5432"]'),
      output: yaml('services:', '  db:', '    image: postgres:16', `    user: ${POSTGRES_USER}`, '    ports: ["5432"]'),
      errors: [{ line: 4, column: 5 }],
    },
    {
      name: 'user: "" is replaced',
      code: yaml('services:', '  db:', '    image: postgres:16', '    user: ""'),
      output: yaml('services:', '  db:', '    image: postgres:16', `    user: ${POSTGRES_USER}`),
      errors: [{ line: 4, column: 5 }],
    },
    {
      name: 'merge key: the user is written into the service; the anchor is untouched',
      code: yaml('x-base: &base', '  image: postgres:16', 'services:', '  db:', '    <<: *base', '    ports: ["5432"]'),
      output: yaml('x-base: &base', '  image: postgres:16', 'services:', '  db:', '    <<: *base', '    ports: ["5432"]', `    user: ${POSTGRES_USER}`),
      errors: [{ line: 4, column: 3 }],
    },
    {
      name: 'an aliased service (db: *svc) becomes <<: *svc plus user',
      code: yaml('x-svc: &svc', '  image: postgres:16', 'services:', '  db: *svc  # same as base'),
      output: yaml('x-svc: &svc', '  image: postgres:16', 'services:', '  db:  # same as base', '    <<: *svc', `    user: ${POSTGRES_USER}`),
      errors: [{ line: 4, column: 3 }],
    },
    {
      name: 'an aliased service (db2: *db) whose anchor service is fixed in the same run stays an alias',
      code: yaml('services:', '  db: &db', '    image: postgres:16', '  db2: *db'),
      output: yaml('services:', '  db: &db', '    image: postgres:16', `    user: ${POSTGRES_USER}`, '  db2: *db'),
      errors: [
        { line: 2, column: 3 },
        { line: 4, column: 3 },
      ],
    },
    {
      // The comment goes at the end of the flow mapping's line; the value is quoted (`:` in flow context).
      name: 'a flow-mapping service',
      code: yaml('services:', '  db: {image: postgres:16-alpine}'),
      output: yaml('services:', '  db: {image: postgres:16-alpine, user: "70:70"}  # non-root user of the image (postgres)'),
      errors: [{ line: 2, column: 3 }],
    },
    {
      name: 'CRLF line endings and 4-space indentation',
      code: crlf('services:', '    web:', '        image: nginx', '        ports:', '            - "80:80"'),
      output: crlf('services:', '    web:', '        image: nginx', '        ports:', '            - "80:80"', `        user: ${NGINX_USER}`),
      errors: [{ line: 2, column: 5 }],
    },
    {
      name: "comments around the insertion point survive; the next service's comment stays with it",
      code: yaml('services:', '  db:', '    image: postgres:16  # pinned later', '', '  # the proxy', '  web:', '    image: nginxinc/nginx-unprivileged'),
      output: yaml(
        'services:',
        '  db:',
        '    image: postgres:16  # pinned later',
        `    user: ${POSTGRES_USER}`,
        '',
        '  # the proxy',
        '  web:',
        '    image: nginxinc/nginx-unprivileged',
      ),
      errors: [{ line: 2, column: 3 }],
    },
  ],
});

// The other rules read whether non-root-user is enabled in the run: with it, the process they harden
// runs as the image's non-root user.
describe('non-root-user with read-only-rootfs and cap-drop-all in the same run', () => {
  const rules = [nonRootUser, readOnlyRootfs, capDropAll];

  it('postgres: the user is set, the tmpfs belongs to it, and nothing is added back to cap_add', () => {
    const code = yaml('services:', '  db:', '    image: postgres:16');
    expect(fixSource(fromString(code), rules).text).toBe(
      yaml(
        'services:',
        '  db:',
        '    image: postgres:16',
        `    user: ${POSTGRES_USER}`,
        '    read_only: true',
        '    tmpfs:',
        '      - /tmp  # temporary files',
        '      - /var/run/postgresql:uid=999,gid=999  # server socket and lock file',
        '    cap_drop:',
        '      - ALL',
      ),
    );
  });

  it('nginx: the tmpfs entries belong to uid 101', () => {
    const code = yaml('services:', '  web:', '    image: nginx:1.27');
    expect(fixSource(fromString(code), rules).text).toBe(
      yaml(
        'services:',
        '  web:',
        '    image: nginx:1.27',
        `    user: ${NGINX_USER}`,
        '    read_only: true',
        '    tmpfs:',
        '      - /tmp  # temporary files',
        '      - /var/cache/nginx:uid=101,gid=101  # client body and proxy temp directories',
        '      - /run:uid=101,gid=101,size=1m  # nginx.pid',
        '    cap_drop:',
        '      - ALL',
      ),
    );
  });

  it('a conflicting mount: no user is set, so the others harden a root process', () => {
    const code = yaml('services:', '  web:', '    image: nginx', '    tmpfs:', '      - /var/cache/nginx');
    expect(fixSource(fromString(code), rules).text).toBe(
      yaml(
        'services:',
        '  web:',
        '    image: nginx',
        '    tmpfs:',
        '      - /var/cache/nginx',
        '      - /tmp  # temporary files',
        '      - /run:size=1m  # nginx.pid',
        '    read_only: true',
        '    cap_drop:',
        '      - ALL',
        '    cap_add:',
        '      - CHOWN  # master chowns its temp dirs to the worker user',
        '      - SETUID  # master switches workers to the nginx user',
        "      - SETGID  # master sets the workers' group",
        '      - NET_BIND_SERVICE  # ports 80/443 on Docker engines older than 20.10',
      ),
    );
  });
});
