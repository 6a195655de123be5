import { testRule } from '../helpers/rule-tester.js';
import { healthcheck } from '../../src/rules/healthcheck.js';

const yaml = (...lines: string[]) => lines.join('\n') + '\n';
const crlf = (...lines: string[]) => lines.join('\r\n') + '\r\n';

testRule(healthcheck, {
  valid: [
    { name: 'a health check of its own', code: yaml('services:', '  db:', '    image: postgres:16', '    healthcheck:', '      test: ["CMD-SHELL", "pg_isready -U app"]', '      interval: 10s') },
    { name: 'a section that only tunes the image\'s own check (no test)', code: yaml('services:', '  web:', '    image: example/web:1.0', '    healthcheck:', '      interval: 1m') },
    { name: 'disable: false keeps the check (version "2.4")', code: yaml('version: "2.4"', 'services:', '  web:', '    image: x', '    healthcheck: {test: curl -f http://localhost, disable: false}') },
    { name: 'inherited through a merge key', code: yaml('x-hc: &hc', '  healthcheck: {test: ["CMD", "true"]}', 'services:', '  web:', '    <<: *hc', '    image: x') },
  ],
  invalid: [
    {
      name: "a known image gets its readiness check; the knowledge's `$` is escaped for Compose",
      code: yaml('services:', '  db:', '    image: postgres:16', '  dns:', '    image: pihole/pihole:2024.07.0'),
      output: yaml(
        'services:',
        '  db:',
        '    image: postgres:16',
        '    healthcheck:',
        '      test:',
        '        - CMD',
        '        - pg_isready',
        '        - "-q"',
        '        - "-h"',
        '        - 127.0.0.1',
        '  dns:',
        '    image: pihole/pihole:2024.07.0',
        '    healthcheck:',
        '      test:',
        '        - CMD-SHELL',
        '        - "dig -p $$(pihole-FTL --config dns.port) +short +norecurse +retry=0 @127.0.0.1 pi.hole || exit 1"',
      ),
      errors: [
        { line: 2, column: 3, severity: 'warning', message: 'service "db" has no health check' },
        { line: 4, column: 3 },
      ],
    },
    {
      name: 'a flow-mapping service and CRLF',
      code: crlf('services:', '  cache: {image: "redis:7"}'),
      output: crlf('services:', '  cache: {image: "redis:7", healthcheck: {test: [CMD-SHELL, "redis-cli ping | grep -qE \'PONG|NOAUTH\'"]}}'),
      errors: [{ line: 2, column: 3 }],
    },
    {
      name: 'an image without a known check, and a locally built one, are info and left alone',
      code: yaml('services:', '  web:', '    image: example/web:1.0', '  app:', '    build: .'),
      output: null,
      errors: [
        { line: 2, column: 3, severity: 'info', message: 'unless its image declares one' },
        { line: 4, column: 3, severity: 'info' },
      ],
    },
    {
      name: 'an explicit disable, test NONE (list and string), inherited: warnings, never overwritten',
      code: yaml(
        'x-off: &off',
        '  healthcheck: {disable: true}',
        'services:',
        '  a:',
        '    image: postgres:16',
        '    healthcheck:',
        '      disable: true',
        '  b:',
        '    image: x',
        '    healthcheck:',
        '      test: ["NONE"]',
        '  c:',
        '    image: x',
        '    healthcheck: {test: NONE}',
        '  d:',
        '    <<: *off',
        '    image: x',
      ),
      output: null,
      errors: [
        { line: 7, column: 7, severity: 'warning', message: 'disable: true' },
        { line: 11, column: 7, message: 'test: NONE' },
        { line: 14, column: 19 },
        { line: 16, column: 5 },
      ],
    },
  ],
});
