import { testRule } from '../helpers/rule-tester.js';
import { imagePinned } from '../../src/rules/image-pinned.js';

const yaml = (...lines: string[]) => lines.join('\n') + '\n';
const DIGEST = 'sha256:' + 'ab'.repeat(32);

testRule(imagePinned, {
  valid: [
    {
      name: 'digests (with or without a tag), a built service, an interpolated tag or digest',
      code: yaml(
        'services:',
        '  a:',
        `    image: nginx@${DIGEST}`,
        '  b:',
        `    image: nginx:latest@${DIGEST}`,
        '  c:',
        '    build: .',
        '  d:',
        '    image: registry.example.com:5000/team/app:${TAG}',
        '  e:',
        '    image: app@${DIGEST_VAR}',
        '  f:',
        '    image: ${IMAGE}',
      ),
    },
  ],
  invalid: [
    {
      name: 'no tag, latest, channels (also with a variant or from a default), a release tag without digest (version "3.8")',
      code: yaml(
        'version: "3.8"',
        'services:',
        '  a:',
        '    image: redis',
        '  b:',
        '    image: docker.io/library/nginx:latest',
        '  c:',
        '    image: "ghcr.io/org/app:main"',
        '  d:',
        '    image: node:lts-alpine',
        '  e:',
        '    image: app:${TAG:-nightly}',
        '  f:',
        '    image: localhost:5000/app',
        '  g:',
        '    image: postgres:16.4-bookworm',
        '  h:',
        '    image: ghcr.io/org/app:main-1a2b3c4d',
        '  i:',
        '    image: caddy:2',
      ),
      output: null,
      errors: [
        { line: 4, column: 5, severity: 'warning', message: 'without a tag, which means latest' },
        { line: 6, column: 5, severity: 'warning', message: '"latest" is a moving channel' },
        { line: 8, column: 5, severity: 'warning', message: '"main" is' },
        { line: 10, column: 5, severity: 'warning', message: '"lts-alpine" follows a moving channel' },
        { line: 12, column: 5, severity: 'warning', message: '"nightly"' },
        { line: 14, column: 5, severity: 'warning', message: 'without a tag' },
        { line: 16, column: 5, severity: 'info', message: 'by tag only' },
        { line: 18, column: 5, severity: 'info' },
        { line: 20, column: 5, severity: 'info' },
      ],
    },
    {
      name: 'inherited through a merge key and an aliased service',
      code: yaml('x-base: &base', '  image: nginx:stable', 'services:', '  a:', '    <<: *base', '  b: *base'),
      output: null,
      errors: [
        { line: 5, column: 5 },
        { line: 6, column: 6 },
      ],
    },
  ],
});
