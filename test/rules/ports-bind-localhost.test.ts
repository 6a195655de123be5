import { testRule } from '../helpers/rule-tester.js';
import { portsBindLocalhost } from '../../src/rules/ports-bind-localhost.js';

const yaml = (...lines: string[]) => lines.join('\n') + '\n';
const crlf = (...lines: string[]) => lines.join('\r\n') + '\r\n';

testRule(portsBindLocalhost, {
  valid: [
    { name: 'no ports', code: yaml('services:', '  db:', '    image: postgres:16') },
    {
      name: 'bound to an address: IPv4, IPv6 in brackets, long syntax host_ip, an interpolated address',
      code: yaml(
        'services:',
        '  db:',
        '    image: postgres:16',
        '    ports:',
        '      - "127.0.0.1:5432:5432"',
        '      - "[::1]:5433:5432"',
        '      - 192.168.1.10:5434:5432/tcp',
        '      - "127.0.0.1::5432"',
        '      - ${BIND_ADDR}:5435:5432',
        '      - target: 5432',
        '        published: "5436"',
        '        host_ip: 127.0.0.1',
        '        protocol: tcp',
        '        mode: host',
        '      - target: 5432',
        '        published: 127.0.0.1:5438',
        '      - {target: 5432, published: "127.0.0.1:5439-5440"}',
      ),
    },
    {
      name: 'host networking publishes nothing; expose is not publishing (version "2.4")',
      code: yaml('version: "2.4"', 'services:', '  db:', '    image: redis:7', '    network_mode: host', '    ports: ["6379:6379"]', '  cache:', '    image: redis:7', '    expose: ["6379"]'),
    },
  ],
  invalid: [
    {
      name: 'a database: every short form is bound to 127.0.0.1 in place',
      code: yaml(
        'services:',
        '  db:',
        '    image: postgres:16',
        '    ports:',
        '      - "5432:5432"  # clients',
        '      - 0.0.0.0:5433:5432',
        '      - "[::]:5434:5432/tcp"',
        '      - "9000-9001:9000-9001/udp"',
        '      - "5432"',
        '      - 5435',
        '      - ${PG_PORT:-5436}:5432',
        '      - 127.0.0.1:5437:5432',
      ),
      output: yaml(
        'services:',
        '  db:',
        '    image: postgres:16',
        '    ports:',
        '      - "127.0.0.1:5432:5432"  # clients',
        '      - 127.0.0.1:5433:5432',
        '      - "127.0.0.1:5434:5432/tcp"',
        '      - "127.0.0.1:9000-9001:9000-9001/udp"',
        '      - "127.0.0.1::5432"',
        '      - 127.0.0.1::5435',
        '      - "127.0.0.1:${PG_PORT:-5436}:5432"',
        '      - 127.0.0.1:5437:5432',
      ),
      errors: [
        { line: 5, column: 9, severity: 'warning', message: 'service "db" (a database): port 5432:5432 is published on every host interface' },
        { line: 6, column: 9, message: '0.0.0.0:5433:5432' },
        { line: 7, column: 9, message: '[::]:5434:5432/tcp' },
        { line: 8, column: 9, message: '9000-9001:9000-9001/udp' },
        { line: 9, column: 9, message: '5432 (a random host port)' },
        { line: 10, column: 9 },
        { line: 11, column: 9 },
      ],
    },
    {
      name: 'long syntax in a flow mapping gets host_ip (an unbound one is replaced)',
      code: yaml(
        'services:',
        '  cache:',
        '    image: redis:7-alpine',
        '    ports:',
        '      - {target: 6379, published: 6379}',
        '      - {target: 6380, published: 6380, host_ip: "::"}',
      ),
      output: yaml(
        'services:',
        '  cache:',
        '    image: redis:7-alpine',
        '    ports:',
        '      - {target: 6379, published: 6379, host_ip: 127.0.0.1}',
        '      - {target: 6380, published: 6380, host_ip: 127.0.0.1}',
      ),
      errors: [
        { line: 5, column: 9, message: '(a cache)' },
        { line: 6, column: 41, message: '::' },
      ],
    },
    {
      name: 'long syntax in a block mapping is reported with the line to add',
      code: yaml('services:', '  cache:', '    image: redis:7-alpine', '    ports:', '      - target: 6381', '        published: 6381', '        host_ip: 0.0.0.0', '      - mode: ingress', '        target: 6382'),
      output: null,
      errors: [
        { line: 7, column: 9, severity: 'warning', message: 'set `host_ip: 127.0.0.1` in this entry' },
        { line: 8, column: 9, message: '6382 (a random host port)' },
      ],
    },
    {
      name: 'the edge and unknown images are reported as info and left alone',
      code: yaml('services:', '  proxy:', '    image: traefik:v3.1', '    ports: ["80:80", "443:443"]', '  app:', '    build: .', '    ports:', '      - 3000'),
      output: null,
      errors: [
        { line: 4, column: 13, severity: 'info', message: 'unless other hosts must reach it' },
        { line: 4, column: 22, severity: 'info' },
        { line: 8, column: 9, severity: 'info', message: '3000 (a random host port)' },
      ],
    },
    {
      name: 'an admin UI inherited through a merge key: reported at the merge key, fixed in the service',
      code: yaml('x-ui: &ui', '  ports:', '    - "8081:8080"', 'services:', '  adminer:', '    <<: *ui', '    image: adminer:4'),
      output: yaml('x-ui: &ui', '  ports:', '    - "8081:8080"', 'services:', '  adminer:', '    <<: *ui', '    image: adminer:4', '    ports:', '      - 127.0.0.1:8081:8080'),
      errors: [{ line: 6, column: 5, message: 'an admin or monitoring UI' }],
    },
    {
      name: 'CRLF, 4-space indentation, a compact flow list',
      code: crlf('services:', '    mq:', '        image: rabbitmq:3-management', '        ports: ["5672:5672", "127.0.0.1:15672:15672"]'),
      output: crlf('services:', '    mq:', '        image: rabbitmq:3-management', '        ports: ["127.0.0.1:5672:5672", "127.0.0.1:15672:15672"]'),
      errors: [{ line: 4, column: 17, message: 'a message broker' }],
    },
  ],
});
