import { testRule } from '../helpers/rule-tester.js';
import { initProcess } from '../../src/rules/init-process.js';

const yaml = (...lines: string[]) => lines.join('\n') + '\n';
const crlf = (...lines: string[]) => lines.join('\r\n') + '\r\n';

testRule(initProcess, {
  valid: [
    {
      name: 'init: true',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    init: true'),
    },
    {
      name: 'init: false set explicitly is the user\'s choice',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    init: false'),
    },
    {
      name: 'an image with its own init (linuxserver: s6-overlay), lscr.io',
      code: yaml('services:', '  sonarr:', '    image: lscr.io/linuxserver/sonarr:latest'),
    },
    {
      name: 'an image with its own init (linuxserver), Docker Hub name',
      code: yaml('services:', '  radarr:', '    image: linuxserver/radarr'),
    },
    {
      name: 'init inherited through a merge key',
      code: yaml('x-base: &base', '  init: true', 'services:', '  app:', '    <<: *base', '    image: example/app:1.0'),
    },
    {
      name: 'init: false inherited through a merge key',
      code: yaml('x-base: &base', '  init: false', 'services:', '  app:', '    <<: *base', '    image: example/app:1.0'),
    },
    {
      name: 'version "2.4" with init: true',
      code: yaml('version: "2.4"', 'services:', '  app:', '    image: example/app:1.0', '    init: true'),
    },
  ],
  invalid: [
    {
      name: 'absent: init: true',
      code: yaml('services:', '  app:', '    image: example/app:1.0'),
      output: yaml('services:', '  app:', '    image: example/app:1.0', '    init: true'),
      errors: [{ line: 2, column: 3, severity: 'info', message: 'service "app" runs without an init process' }],
    },
    {
      name: 'a known image that ships no init (postgres)',
      code: yaml('services:', '  db:', '    image: postgres:16'),
      output: yaml('services:', '  db:', '    image: postgres:16', '    init: true'),
      errors: [{ line: 2, column: 3 }],
    },
    {
      name: 'a locally built service',
      code: yaml('services:', '  app:', '    build: .', '    command: ["node", "server.js"]'),
      output: yaml('services:', '  app:', '    build: .', '    command: ["node", "server.js"]', '    init: true'),
      errors: [{ line: 2, column: 3 }],
    },
    {
      name: 'version "3.8"',
      code: yaml('version: "3.8"', 'services:', '  app:', '    image: example/app:1.0'),
      output: yaml('version: "3.8"', 'services:', '  app:', '    image: example/app:1.0', '    init: true'),
      errors: [{ line: 3, column: 3 }],
    },
    {
      name: 'version "2.2"',
      code: yaml('version: "2.2"', 'services:', '  app:', '    image: example/app:1.0'),
      output: yaml('version: "2.2"', 'services:', '  app:', '    image: example/app:1.0', '    init: true'),
      errors: [{ line: 3, column: 3 }],
    },
    {
      // Written in every file version: current Compose implementations (Compose v2, docker-compose 1.27+)
      // accept `init` in 2.0 and 2.1 files too.
      name: 'version "2.1": init: true as well',
      code: yaml('version: "2.1"', 'services:', '  app:', '    image: example/app:1.0'),
      output: yaml('version: "2.1"', 'services:', '  app:', '    image: example/app:1.0', '    init: true'),
      errors: [{ line: 3, column: 3 }],
    },
    {
      name: 'version "2": init: true as well',
      code: yaml('version: "2"', 'services:', '  app:', '    image: example/app:1.0'),
      output: yaml('version: "2"', 'services:', '  app:', '    image: example/app:1.0', '    init: true'),
      errors: [{ line: 3, column: 3 }],
    },
    {
      name: 'a flow-mapping service',
      code: yaml('services:', '  app: {image: example/app:1.0}'),
      output: yaml('services:', '  app: {image: example/app:1.0, init: true}'),
      errors: [{ line: 2, column: 3 }],
    },
    {
      name: 'an empty service',
      code: yaml('services:', '  app:', '  db:', '    image: pg', '    init: true'),
      output: yaml('services:', '  app:', '    init: true', '  db:', '    image: pg', '    init: true'),
      errors: [{ line: 2, column: 3 }],
    },
    {
      name: 'an aliased service becomes a merge key plus init',
      code: yaml('x-svc: &svc', '  image: example/app:1.0', 'services:', '  app: *svc  # same as base'),
      output: yaml('x-svc: &svc', '  image: example/app:1.0', 'services:', '  app:  # same as base', '    <<: *svc', '    init: true'),
      errors: [{ line: 4, column: 3 }],
    },
    {
      name: 'one service of an image with its own init, one without',
      code: yaml('services:', '  sonarr:', '    image: lscr.io/linuxserver/sonarr:latest', '  app:', '    image: example/app:1.0'),
      output: yaml('services:', '  sonarr:', '    image: lscr.io/linuxserver/sonarr:latest', '  app:', '    image: example/app:1.0', '    init: true'),
      errors: [{ line: 4, column: 3, message: 'service "app"' }],
    },
    {
      name: 'comments next to the insertion point survive',
      code: yaml('services:', '  app:', '    image: example/app:1.0  # pinned', '', '  # the database', '  db:', '    image: pg', '    init: true'),
      output: yaml('services:', '  app:', '    image: example/app:1.0  # pinned', '    init: true', '', '  # the database', '  db:', '    image: pg', '    init: true'),
      errors: [{ line: 2, column: 3 }],
    },
    {
      name: 'CRLF line endings',
      code: crlf('services:', '  app:', '    image: example/app:1.0'),
      output: crlf('services:', '  app:', '    image: example/app:1.0', '    init: true'),
      errors: [{ line: 2, column: 3 }],
    },
  ],
});

// An empty key is filled in, not left for ever reported.
testRule(initProcess, {
  valid: [],
  invalid: [
    {
      name: 'an empty init: is filled in',
      code: 'services:\n  app:\n    build: .\n    init:\n    ports: ["80:80"]\n',
      output: 'services:\n  app:\n    build: .\n    init: true\n    ports: ["80:80"]\n',
      errors: [{ line: 4, column: 5 }],
    },
  ],
});
