import { describe, expect, it } from 'vitest';
import { testRule, type ExpectedError } from '../helpers/rule-tester.js';
import { parseComposeFile } from '../../src/core/compose-file.js';
import { checkFile, fixSource } from '../../src/core/engine.js';
import { fromString } from '../../src/core/source.js';
import { unknownImage } from '../../src/rules/unknown-image.js';

const yaml = (...lines: string[]) => lines.join('\n') + '\n';
const crlf = (...lines: string[]) => lines.join('\r\n') + '\r\n';

testRule(unknownImage, {
  valid: [
    { name: 'postgres', code: yaml('services:', '  db:', '    image: postgres:16') },
    { name: 'postgres (alpine tag)', code: yaml('services:', '  db:', '    image: postgres:16-alpine') },
    { name: 'postgres by its full Docker Hub name', code: yaml('services:', '  db:', '    image: docker.io/library/postgres:16') },
    { name: 'postgres pinned by digest', code: yaml('services:', '  db:', `    image: postgres@sha256:${'a'.repeat(64)}`) },
    { name: 'nginx', code: yaml('services:', '  web:', '    image: nginx:1.27') },
    { name: 'nginxinc/nginx-unprivileged and its ghcr.io name', code: yaml('services:', '  a:', '    image: nginxinc/nginx-unprivileged', '  b:', '    image: ghcr.io/nginxinc/nginx-unprivileged:1.27') },
    { name: 'an interpolation whose default is a known image', code: yaml('services:', '  db:', '    image: ${PG_IMAGE:-postgres:16}') },
    { name: 'a known image inherited through a merge key', code: yaml('x-base: &base', '  image: postgres:16', 'services:', '  db:', '    <<: *base') },
    { name: 'a known image in an aliased service', code: yaml('x-db: &db', '  image: postgres:16', 'services:', '  db: *db') },
    { name: 'a known image in a flow-mapping service', code: yaml('services:', '  web: {image: nginx}') },
    { name: 'x-* extension fields are not services', code: yaml('x-app: &app', '  build: .', 'services:', '  db:', '    image: postgres:16') },
    { name: 'a file with no services', code: yaml('services: {}') },
  ],
  // The findings of this rule are for review and carry no fix; the shared RuleTester treats every
  // finding without a fix as manual, so they are checked below.
  invalid: [],
});

interface ReviewCase {
  name: string;
  code: string;
  errors: ExpectedError[];
}

const DEFAULTS = 'its hardening uses unverified compatibility defaults (cap_add CHOWN, DAC_OVERRIDE, FOWNER, SETGID, SETUID, NET_BIND_SERVICE, KILL; tmpfs /tmp, /run; init: true; default limits)';

const review: ReviewCase[] = [
  {
    name: 'an unknown image, reported at its image key',
    code: yaml('services:', '  app:', '    image: example/app:1.0'),
    errors: [{ line: 3, column: 5, message: `service "app" runs image "example/app:1.0", which compose-harden has no knowledge of: ${DEFAULTS}` }],
  },
  {
    name: 'the message says how to verify the defaults',
    code: yaml('services:', '  app:', '    image: example/app:1.0'),
    errors: [{ line: 3, column: 5, message: 'compose-harden verify' }],
  },
  {
    name: 'a build-only service, reported at its build key',
    code: yaml('services:', '  app:', '    build: ./app'),
    errors: [{ line: 3, column: 5, message: `service "app" is built locally: ${DEFAULTS}` }],
  },
  {
    name: 'a long-syntax build section',
    code: yaml('services:', '  app:', '    build:', '      context: .', '      dockerfile: Dockerfile.prod'),
    errors: [{ line: 3, column: 5, message: 'is built locally' }],
  },
  {
    name: 'a locally built image is unknown even when it is tagged with the name of a known image',
    code: yaml('services:', '  db:', '    build: .', '    image: postgres:16'),
    errors: [{ line: 3, column: 5, message: 'service "db" is built locally' }],
  },
  {
    name: 'build after image: still reported at the build key',
    code: yaml('services:', '  web:', '    image: nginx:1.27', '    build: ./web'),
    errors: [{ line: 4, column: 5, message: 'is built locally' }],
  },
  {
    name: 'an image given by a variable without a default',
    code: yaml('services:', '  app:', '    image: ${IMAGE}'),
    errors: [{ line: 3, column: 5, message: `service "app" names no image compose-harden can determine: ${DEFAULTS}` }],
  },
  {
    name: 'an image whose name is a variable and whose tag has a default',
    code: yaml('services:', '  app:', '    image: ${APP_IMAGE}:${TAG:-latest}'),
    errors: [{ line: 3, column: 5, message: '"${APP_IMAGE}:${TAG:-latest}"' }],
  },
  {
    name: 'an empty service names no image; reported at the service key',
    code: yaml('services:', '  app:', '  db:', '    image: postgres:16'),
    errors: [{ line: 2, column: 3, message: 'names no image compose-harden can determine' }],
  },
  {
    name: 'an unknown image inherited through a merge key is reported at the merge key',
    code: yaml('x-base: &base', '  image: example/app:1.0', 'services:', '  app:', '    <<: *base'),
    errors: [{ line: 5, column: 5, message: 'example/app:1.0' }],
  },
  {
    name: 'aliased, flow-mapping and CRLF services',
    code: crlf('x-app: &app', '  build: .', 'services:', '  a: *app', '  b: {image: example/app:1.0}', '  c:', '    image: postgres:16'),
    errors: [
      { line: 4, column: 6, message: 'service "a" is built locally' },
      { line: 5, column: 7, message: 'service "b" runs image "example/app:1.0"' },
    ],
  },
  {
    name: 'every unknown service of a file, in file order; known ones are not reported',
    code: yaml('services:', '  web:', '    image: nginx', '  app:', '    build: .', '  db:', '    image: postgres:16', '  worker:', '    image: example/worker:2'),
    errors: [
      { line: 5, column: 5, message: 'service "app"' },
      { line: 9, column: 5, message: 'service "worker"' },
    ],
  },
];

describe('unknown-image: reported for review (severity info), never fixed', () => {
  for (const test of review) {
    it(test.name, () => {
      const findings = checkFile(parseComposeFile(fromString(test.code)), [unknownImage]);
      expect(findings.map((f) => ({ line: f.line, column: f.column }))).toEqual(test.errors.map((e) => ({ line: e.line, column: e.column })));
      test.errors.forEach((expected, i) => {
        const finding = findings[i]!;
        expect(finding.ruleId).toBe('unknown-image');
        expect(finding.severity).toBe('info');
        expect(finding.fix).toBe('review');
        if (typeof expected.message === 'string') expect(finding.message).toContain(expected.message);
        else if (expected.message) expect(finding.message).toMatch(expected.message);
      });
      const fixed = fixSource(fromString(test.code), [unknownImage]);
      expect(fixed.text).toBe(test.code);
      expect(fixed.changed).toBe(false);
      expect(fixed.remaining).toEqual(fixed.findings);
    });
  }
});
