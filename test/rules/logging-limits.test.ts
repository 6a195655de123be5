import { testRule } from '../helpers/rule-tester.js';
import { loggingLimits } from '../../src/rules/logging-limits.js';

const yaml = (...lines: string[]) => lines.join('\n') + '\n';
const crlf = (...lines: string[]) => lines.join('\r\n') + '\r\n';

/** The rotation policy of templates/defaults.json#logging as a block `logging:` at `pad`; max-file is a string (Docker's log options are strings). */
const loggingBlock = (pad: string) => [`${pad}logging:`, `${pad}  driver: json-file`, `${pad}  options:`, `${pad}    max-size: 10m`, `${pad}    max-file: "3"`];

testRule(loggingLimits, {
  valid: [
    {
      name: 'json-file with max-size and max-file',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    logging:', '      driver: json-file', '      options:', '        max-size: 10m', '        max-file: "3"'),
    },
    {
      name: 'json-file with max-size only (rotation bounded by one file)',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    logging:', '      driver: json-file', '      options:', '        max-size: 50m'),
    },
    {
      name: 'an interpolated max-size counts',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    logging:', '      driver: json-file', '      options:', '        max-size: "${LOG_SIZE:-10m}"'),
    },
    {
      name: 'driver: local rotates by default',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    logging:', '      driver: local'),
    },
    {
      name: 'driver: local with max-file only',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    logging:', '      driver: local', '      options:', '        max-file: "3"'),
    },
    {
      name: 'driver: syslog rotates elsewhere',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    logging:', '      driver: syslog', '      options:', '        syslog-address: "udp://127.0.0.1:514"'),
    },
    {
      name: 'driver: journald',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    logging: {driver: journald}'),
    },
    {
      name: 'logging with rotation inherited through a merge key',
      code: yaml(
        'x-logging: &logging',
        '  logging:',
        '    driver: json-file',
        '    options:',
        '      max-size: 10m',
        '      max-file: "3"',
        'services:',
        '  app:',
        '    <<: *logging',
        '    image: example/app:1.0',
        '  worker:',
        '    <<: *logging',
        '    build: ./worker',
      ),
    },
    {
      name: 'a logging anchor used as a value',
      code: yaml('x-logging: &default-logging', '  driver: json-file', '  options: {max-size: 1m}', 'services:', '  app:', '    image: example/app:1.0', '    logging: *default-logging'),
    },
  ],
  invalid: [
    {
      name: 'no logging: a full json-file block with max-size 10m and max-file "3" (a quoted string)',
      code: yaml('services:', '  app:', '    image: example/app:1.0'),
      output: yaml('services:', '  app:', '    image: example/app:1.0', ...loggingBlock('    ')),
      errors: [{ line: 2, column: 3, severity: 'warning', message: 'service "app" keeps its json-file (the usual default) logs without rotation' }],
    },
    {
      name: 'version "2.4": the same block',
      code: yaml('version: "2.4"', 'services:', '  app:', '    image: example/app:1.0'),
      output: yaml('version: "2.4"', 'services:', '  app:', '    image: example/app:1.0', ...loggingBlock('    ')),
      errors: [{ line: 3, column: 3 }],
    },
    {
      name: 'a file that writes flow sequences still gets a block mapping',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    ports: ["80:80"]'),
      output: yaml('services:', '  app:', '    image: example/app:1.0', '    ports: ["80:80"]', ...loggingBlock('    ')),
      errors: [{ line: 2, column: 3 }],
    },
    {
      name: 'json-file with options lacking max-size: the rotation options are added to them',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    logging:', '      driver: json-file', '      options:', '        labels: app  # for the collector'),
      output: yaml(
        'services:',
        '  app:',
        '    image: example/app:1.0',
        '    logging:',
        '      driver: json-file',
        '      options:',
        '        labels: app  # for the collector',
        '        max-size: 10m',
        '        max-file: "3"',
      ),
      errors: [{ line: 6, column: 7, message: 'service "app" keeps its json-file logs without rotation' }],
    },
    {
      name: 'json-file without options: options are added',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    logging:', '      driver: json-file', '    restart: always'),
      output: yaml(
        'services:',
        '  app:',
        '    image: example/app:1.0',
        '    logging:',
        '      driver: json-file',
        '      options:',
        '        max-size: 10m',
        '        max-file: "3"',
        '    restart: always',
      ),
      errors: [{ line: 4, column: 5 }],
    },
    {
      name: 'a user max-file is kept: only max-size is added (no driver: the daemon default)',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    logging:', '      options:', '        max-file: "5"'),
      output: yaml('services:', '  app:', '    image: example/app:1.0', '    logging:', '      options:', '        max-file: "5"', '        max-size: 10m'),
      errors: [{ line: 5, column: 7, message: 'json-file (the usual default)' }],
    },
    {
      name: 'an empty options mapping is filled',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    logging:', '      driver: json-file', '      options: {}'),
      output: yaml('services:', '  app:', '    image: example/app:1.0', '    logging:', '      driver: json-file', '      options: {max-size: 10m, max-file: "3"}'),
      errors: [{ line: 6, column: 7 }],
    },
    {
      name: 'an empty options key is filled in block style',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    logging:', '      driver: json-file', '      options:'),
      output: yaml('services:', '  app:', '    image: example/app:1.0', '    logging:', '      driver: json-file', '      options:', '        max-size: 10m', '        max-file: "3"'),
      errors: [{ line: 6, column: 7 }],
    },
    {
      name: 'a flow logging mapping is extended in flow',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    logging: {driver: json-file}'),
      output: yaml('services:', '  app:', '    image: example/app:1.0', '    logging: {driver: json-file, options: {max-size: 10m, max-file: "3"}}'),
      errors: [{ line: 4, column: 5 }],
    },
    {
      name: 'flow options with max-file only get max-size',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    logging: {driver: json-file, options: {max-file: "2"}}  # keep'),
      output: yaml('services:', '  app:', '    image: example/app:1.0', '    logging: {driver: json-file, options: {max-file: "2", max-size: 10m}}  # keep'),
      errors: [{ line: 4, column: 34 }],
    },
    {
      name: 'a flow-mapping service',
      code: yaml('services:', '  app: {image: example/app:1.0}'),
      output: yaml('services:', '  app: {image: example/app:1.0, logging: {driver: json-file, options: {max-size: 10m, max-file: "3"}}}'),
      errors: [{ line: 2, column: 3 }],
    },
    {
      name: 'max-size "-1" (json-file\'s unlimited default spelled out) is replaced in place, max-file kept',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    logging:', '      driver: json-file', '      options:', '        max-size: "-1"', '        max-file: "5"'),
      output: yaml('services:', '  app:', '    image: example/app:1.0', '    logging:', '      driver: json-file', '      options:', '        max-size: 10m', '        max-file: "5"'),
      errors: [{ line: 7, column: 9, message: 'service "app" keeps its json-file logs without rotation (max-size: -1 means unlimited)' }],
    },
    {
      name: 'max-size: -1 (a number) in flow options, no driver',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    logging: {options: {max-size: -1}}'),
      output: yaml('services:', '  app:', '    image: example/app:1.0', '    logging: {options: {max-size: 10m}}'),
      errors: [{ line: 4, column: 25, message: 'json-file (the usual default) logs without rotation (max-size: -1' }],
    },
    {
      name: 'driver: none is reported (info), not fixed',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    logging:', '      driver: none'),
      output: null,
      errors: [{ line: 5, column: 7, severity: 'info', message: 'service "app" discards its logs (logging driver none)' }],
    },
    {
      // A service's own `logging` replaces the merged one as a whole: the driver must be copied, the anchor stays.
      name: 'json-file without rotation inherited through a merge key: the service gets its own complete logging',
      code: yaml('x-log: &log', '  logging:', '    driver: json-file', 'services:', '  app:', '    <<: *log', '    image: example/app:1.0'),
      output: yaml('x-log: &log', '  logging:', '    driver: json-file', 'services:', '  app:', '    <<: *log', '    image: example/app:1.0', ...loggingBlock('    ')),
      errors: [{ line: 6, column: 5 }],
    },
    {
      name: 'an aliased service becomes a merge key plus logging',
      code: yaml('x-svc: &svc', '  image: example/app:1.0', 'services:', '  app: *svc'),
      output: yaml('x-svc: &svc', '  image: example/app:1.0', 'services:', '  app:', '    <<: *svc', ...loggingBlock('    ')),
      errors: [{ line: 4, column: 3 }],
    },
    {
      name: 'comments and blank lines next to the insertion point survive',
      code: yaml('services:', '  app:', '    image: example/app:1.0  # pinned', '', '  # cache', '  cache:', '    image: redis:7', '    logging: {driver: local}'),
      output: yaml('services:', '  app:', '    image: example/app:1.0  # pinned', ...loggingBlock('    '), '', '  # cache', '  cache:', '    image: redis:7', '    logging: {driver: local}'),
      errors: [{ line: 2, column: 3 }],
    },
    {
      name: 'CRLF line endings',
      code: crlf('services:', '  app:', '    image: example/app:1.0'),
      output: crlf('services:', '  app:', '    image: example/app:1.0', ...loggingBlock('    ')),
      errors: [{ line: 2, column: 3 }],
    },
    {
      name: '4-space indentation',
      code: yaml('services:', '    app:', '        image: example/app:1.0'),
      output: yaml(
        'services:',
        '    app:',
        '        image: example/app:1.0',
        '        logging:',
        '            driver: json-file',
        '            options:',
        '                max-size: 10m',
        '                max-file: "3"',
      ),
      errors: [{ line: 2, column: 5 }],
    },
  ],
});
