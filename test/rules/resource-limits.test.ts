import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fixSource } from '../../src/core/engine.js';
import { fromString } from '../../src/core/source.js';
import { resourceLimits } from '../../src/rules/resource-limits.js';
import { isSetLimit, parseBytes } from '../../src/rules/support/limits.js';
import { testRule } from '../helpers/rule-tester.js';
import { composeLimitConflicts } from './compose-limit-conflicts.js';

const yaml = (...lines: string[]) => lines.join('\n') + '\n';
const crlf = (...lines: string[]) => lines.join('\r\n') + '\r\n';

/** The comment on values from templates/defaults.json#limits (512M, 1.0 CPU). */
const DEFAULT = '  # compose-harden default: tune to the measured peak (docker stats)';
/** The comment on values from templates/images/postgres.json#postgres (512M, 1.0 CPU). */
const POSTGRES = '  # postgres small deployment (image knowledge)';

/**
 * The service-level keys written to a service without `deploy.resources`: a memory limit, a memory
 * reservation and a CPU limit, each commented, at `pad` (the service's key column).
 */
const serviceKeys = (pad: string, comment: string, memory = '512M', cpus = '"1.0"', reservation = '128M') => [
  `${pad}mem_limit: ${memory}${comment}`,
  `${pad}mem_reservation: ${reservation}${comment}`,
  `${pad}cpus: ${cpus}${comment}`,
];

testRule(resourceLimits, {
  valid: [
    {
      name: 'deploy.resources.limits with memory and cpus',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    deploy:', '      resources:', '        limits:', '          memory: 1G', '          cpus: "0.5"'),
    },
    {
      name: 'legacy mem_limit and cpus in a version-less file',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    mem_limit: 1g', '    cpus: 0.5'),
    },
    {
      name: 'version "2.1": mem_limit and cpu_quota',
      code: yaml('version: "2.1"', 'services:', '  app:', '    image: example/app:1.0', '    mem_limit: 1g', '    cpu_quota: 50000'),
    },
    {
      name: 'interpolated values count as set (the user controls them)',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    deploy:', '      resources:', '        limits:', '          memory: ${MEM:-1g}', '          cpus: ${CPUS:-2}'),
    },
    {
      name: 'interpolated legacy values count as set',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    mem_limit: "${MEM_LIMIT}"', '    cpus: "${CPUS:-1}"'),
    },
    {
      name: 'limits inherited through a merge key',
      code: yaml(
        'x-limits: &limits',
        '  deploy:',
        '    resources:',
        '      limits: {memory: 256M, cpus: "0.25"}',
        'services:',
        '  app:',
        '    <<: *limits',
        '    image: example/app:1.0',
      ),
    },
  ],
  invalid: [
    {
      // The service-level keys are the form every Compose implementation and file version accepts.
      name: 'version-less file without deploy: mem_limit, mem_reservation and cpus, each with its comment',
      code: yaml('services:', '  app:', '    image: example/app:1.0'),
      output: yaml('services:', '  app:', '    image: example/app:1.0', ...serviceKeys('    ', DEFAULT)),
      errors: [{ line: 2, column: 3, severity: 'warning', message: 'service "app" has no memory and CPU limit' }],
    },
    {
      name: 'version "3.8": the same service-level keys (Compose v2 and docker-compose 1.27+ read them in 3.x files)',
      code: yaml('version: "3.8"', 'services:', '  app:', '    image: example/app:1.0'),
      output: yaml('version: "3.8"', 'services:', '  app:', '    image: example/app:1.0', ...serviceKeys('    ', DEFAULT)),
      errors: [{ line: 3, column: 3 }],
    },
    {
      name: 'version "2.4": mem_limit, mem_reservation and cpus',
      code: yaml('version: "2.4"', 'services:', '  app:', '    image: example/app:1.0'),
      output: yaml(
        'version: "2.4"',
        'services:',
        '  app:',
        '    image: example/app:1.0',
        `    mem_limit: 512M${DEFAULT}`,
        `    mem_reservation: 128M${DEFAULT}`,
        `    cpus: "1.0"${DEFAULT}`,
      ),
      errors: [{ line: 3, column: 3, message: 'has no memory and CPU limit' }],
    },
    {
      name: "version '2.2' (single-quoted): cpus exists from 2.2 on",
      code: yaml("version: '2.2'", 'services:', '  app:', '    image: example/app:1.0'),
      output: yaml(
        "version: '2.2'",
        'services:',
        '  app:',
        '    image: example/app:1.0',
        `    mem_limit: 512M${DEFAULT}`,
        `    mem_reservation: 128M${DEFAULT}`,
        `    cpus: "1.0"${DEFAULT}`,
      ),
      errors: [{ line: 3, column: 3 }],
    },
    {
      name: 'version "2.1": cpu_quota (1 CPU = 100000 per the default 100ms period), no cpus key before 2.2',
      code: yaml('version: "2.1"', 'services:', '  app:', '    image: example/app:1.0'),
      output: yaml(
        'version: "2.1"',
        'services:',
        '  app:',
        '    image: example/app:1.0',
        `    mem_limit: 512M${DEFAULT}`,
        `    mem_reservation: 128M${DEFAULT}`,
        `    cpu_quota: 100000${DEFAULT}`,
      ),
      errors: [{ line: 3, column: 3 }],
    },
    {
      name: 'version "2": cpu_quota as well',
      code: yaml('version: "2"', 'services:', '  app:', '    image: example/app:1.0'),
      output: yaml(
        'version: "2"',
        'services:',
        '  app:',
        '    image: example/app:1.0',
        `    mem_limit: 512M${DEFAULT}`,
        `    mem_reservation: 128M${DEFAULT}`,
        `    cpu_quota: 100000${DEFAULT}`,
      ),
      errors: [{ line: 3, column: 3 }],
    },
    {
      name: 'version "2.0": cpu_quota as well',
      code: yaml('version: "2.0"', 'services:', '  app:', '    image: example/app:1.0'),
      output: yaml(
        'version: "2.0"',
        'services:',
        '  app:',
        '    image: example/app:1.0',
        `    mem_limit: 512M${DEFAULT}`,
        `    mem_reservation: 128M${DEFAULT}`,
        `    cpu_quota: 100000${DEFAULT}`,
      ),
      errors: [{ line: 3, column: 3 }],
    },
    {
      name: 'version "2.1" with cpu_quota set: only the memory keys',
      code: yaml('version: "2.1"', 'services:', '  app:', '    image: example/app:1.0', '    cpu_quota: 50000'),
      output: yaml(
        'version: "2.1"',
        'services:',
        '  app:',
        '    image: example/app:1.0',
        '    cpu_quota: 50000',
        `    mem_limit: 512M${DEFAULT}`,
        `    mem_reservation: 128M${DEFAULT}`,
      ),
      errors: [{ line: 3, column: 3, message: /has no memory limit$/ }],
    },
    {
      name: 'version-less file whose service uses mem_limit: cpus is added beside it, no reservation',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    mem_limit: 1g'),
      output: yaml('services:', '  app:', '    image: example/app:1.0', '    mem_limit: 1g', `    cpus: "1.0"${DEFAULT}`),
      errors: [{ line: 2, column: 3, message: /has no CPU limit$/ }],
    },
    {
      name: 'version-less file whose service uses cpus: mem_limit and mem_reservation are added',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    cpus: 0.5'),
      output: yaml('services:', '  app:', '    image: example/app:1.0', '    cpus: 0.5', `    mem_limit: 512M${DEFAULT}`, `    mem_reservation: 128M${DEFAULT}`),
      errors: [{ line: 2, column: 3, message: /has no memory limit$/ }],
    },
    {
      name: 'version "2.4" with mem_limit set: only cpus, no reservation',
      code: yaml('version: "2.4"', 'services:', '  app:', '    image: example/app:1.0', '    mem_limit: 1g'),
      output: yaml('version: "2.4"', 'services:', '  app:', '    image: example/app:1.0', '    mem_limit: 1g', `    cpus: "1.0"${DEFAULT}`),
      errors: [{ line: 3, column: 3 }],
    },
    {
      // Compose v2 refuses a service-level cpus beside a limits block without the same cpus: it goes into the block.
      name: 'an existing deploy.resources.limits.memory is kept: only the CPU limit is added, in that block, and no reservation',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    deploy:', '      resources:', '        limits:', '          memory: 1G'),
      output: yaml(
        'services:',
        '  app:',
        '    image: example/app:1.0',
        '    deploy:',
        '      resources:',
        '        limits:',
        '          memory: 1G',
        `          cpus: "1.0"${DEFAULT}`,
      ),
      errors: [{ line: 6, column: 9, message: 'service "app" has no CPU limit' }],
    },
    {
      name: 'a deploy without resources (replicas: 2) is left alone: the service-level keys',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    deploy:', '      replicas: 2'),
      output: yaml('services:', '  app:', '    image: example/app:1.0', '    deploy:', '      replicas: 2', ...serviceKeys('    ', DEFAULT)),
      errors: [{ line: 2, column: 3 }],
    },
    {
      name: 'an existing deploy.resources (replicas: 2, a CPU reservation) is extended: limits added, the memory reservation beside the CPU one',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    deploy:', '      replicas: 2', '      resources:', '        reservations:', '          cpus: "0.25"'),
      output: yaml(
        'services:',
        '  app:',
        '    image: example/app:1.0',
        '    deploy:',
        '      replicas: 2',
        '      resources:',
        '        reservations:',
        '          cpus: "0.25"',
        `          memory: 128M${DEFAULT}`,
        '        limits:',
        `          memory: 512M${DEFAULT}`,
        `          cpus: "1.0"${DEFAULT}`,
      ),
      errors: [{ line: 6, column: 7 }],
    },
    {
      name: 'a flow deploy without resources ({replicas: 2}) is left alone: the service-level keys',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    deploy: {replicas: 2}'),
      output: yaml('services:', '  app:', '    image: example/app:1.0', '    deploy: {replicas: 2}', ...serviceKeys('    ', DEFAULT)),
      errors: [{ line: 2, column: 3 }],
    },
    {
      name: 'an existing flow deploy with resources is extended in flow, the comment at the end of the line',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    deploy: {replicas: 2, resources: {reservations: {cpus: "0.25"}}}'),
      output: yaml(
        'services:',
        '  app:',
        '    image: example/app:1.0',
        `    deploy: {replicas: 2, resources: {reservations: {cpus: "0.25", memory: 128M}, limits: {memory: 512M, cpus: "1.0"}}}${DEFAULT}`,
      ),
      errors: [{ line: 4, column: 27 }],
    },
    {
      name: 'an existing memory reservation is kept: limits only',
      code: yaml('services:', '  db:', '    image: postgres:16', '    deploy:', '      resources:', '        reservations:', '          memory: 256M'),
      output: yaml(
        'services:',
        '  db:',
        '    image: postgres:16',
        '    deploy:',
        '      resources:',
        '        reservations:',
        '          memory: 256M',
        '        limits:',
        `          memory: 512M${POSTGRES}`,
        `          cpus: "1.0"${POSTGRES}`,
      ),
      errors: [{ line: 5, column: 7 }],
    },
    {
      name: 'a deploy without resources inherited through a merge key: the service-level keys, the anchor untouched',
      code: yaml('x-deploy: &deploy', '  deploy:', '    replicas: 2', 'services:', '  app:', '    <<: *deploy', '    image: example/app:1.0'),
      output: yaml(
        'x-deploy: &deploy',
        '  deploy:',
        '    replicas: 2',
        'services:',
        '  app:',
        '    <<: *deploy',
        '    image: example/app:1.0',
        ...serviceKeys('    ', DEFAULT),
      ),
      errors: [{ line: 5, column: 3 }],
    },
    {
      // A service's own `deploy` replaces the merged one as a whole: replicas and the reservation must be copied, the anchor stays.
      name: 'deploy.resources inherited through a merge key: written into the service with the inherited settings, the anchor untouched',
      code: yaml(
        'x-deploy: &deploy',
        '  deploy:',
        '    replicas: 2',
        '    resources:',
        '      reservations:',
        '        cpus: "0.25"',
        'services:',
        '  app:',
        '    <<: *deploy',
        '    image: example/app:1.0',
      ),
      output: yaml(
        'x-deploy: &deploy',
        '  deploy:',
        '    replicas: 2',
        '    resources:',
        '      reservations:',
        '        cpus: "0.25"',
        'services:',
        '  app:',
        '    <<: *deploy',
        '    image: example/app:1.0',
        '    deploy:',
        '      replicas: 2',
        '      resources:',
        '        reservations:',
        '          cpus: "0.25"',
        `          memory: 128M${DEFAULT}`,
        '        limits:',
        `          memory: 512M${DEFAULT}`,
        `          cpus: "1.0"${DEFAULT}`,
      ),
      errors: [{ line: 9, column: 5 }],
    },
    {
      // 0 means unlimited: the rule reports both limits as missing, so the fix must replace them.
      name: 'limits given as 0 do not count: they are replaced',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    deploy:', '      resources:', '        limits:', '          memory: 0', '          cpus: "0"'),
      output: yaml(
        'services:',
        '  app:',
        '    image: example/app:1.0',
        '    deploy:',
        '      resources:',
        '        limits:',
        `          memory: 512M${DEFAULT}`,
        `          cpus: "1.0"${DEFAULT}`,
        '        reservations:',
        `          memory: 128M${DEFAULT}`,
      ),
      errors: [{ line: 7, column: 11, message: 'has no memory and CPU limit' }],
    },
    {
      name: 'version "2.4": mem_limit: 0 and cpus: 0 do not count: they are replaced',
      code: yaml('version: "2.4"', 'services:', '  app:', '    image: example/app:1.0', '    mem_limit: 0', '    cpus: 0'),
      output: yaml(
        'version: "2.4"',
        'services:',
        '  app:',
        '    image: example/app:1.0',
        `    mem_limit: 512M${DEFAULT}`,
        `    cpus: "1.0"${DEFAULT}`,
        `    mem_reservation: 128M${DEFAULT}`,
      ),
      errors: [{ line: 5, column: 5, message: 'has no memory and CPU limit' }],
    },
    {
      name: 'mem_limit: 0 and cpus: 0 in a flow-mapping service are replaced in the flow, the comment at the end of the line',
      code: yaml('services:', '  app: {image: example/app:1.0, mem_limit: 0, cpus: 0}'),
      output: yaml('services:', `  app: {image: example/app:1.0, mem_limit: 512M, cpus: "1.0", mem_reservation: 128M}${DEFAULT}`),
      errors: [{ line: 2, column: 33 }],
    },
    {
      name: 'deploy.resources.reservations.memory above the default limit (1G): the written limit takes the reservation',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    deploy:', '      resources:', '        reservations:', '          memory: 1G'),
      output: yaml(
        'services:',
        '  app:',
        '    image: example/app:1.0',
        '    deploy:',
        '      resources:',
        '        reservations:',
        '          memory: 1G',
        '        limits:',
        '          memory: 1G  # raised to the existing memory reservation',
        `          cpus: "1.0"${DEFAULT}`,
      ),
      errors: [{ line: 5, column: 7 }],
    },
    {
      name: 'mem_reservation above the default limit (1g), version-less: mem_limit takes the reservation',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    mem_reservation: 1g'),
      output: yaml('services:', '  app:', '    image: example/app:1.0', '    mem_reservation: 1g', '    mem_limit: 1G  # raised to the existing memory reservation', `    cpus: "1.0"${DEFAULT}`),
      errors: [{ line: 2, column: 3 }],
    },
    {
      name: 'deploy.resources.limits.memory: 0 beside a 2G reservation: replaced by the reservation, not the 512M default',
      code: yaml(
        'services:',
        '  app:',
        '    image: example/app:1.0',
        '    deploy:',
        '      resources:',
        '        limits:',
        '          memory: 0',
        '        reservations:',
        '          memory: 2G',
      ),
      output: yaml(
        'services:',
        '  app:',
        '    image: example/app:1.0',
        '    deploy:',
        '      resources:',
        '        limits:',
        '          memory: 2G  # raised to the existing memory reservation',
        `          cpus: "1.0"${DEFAULT}`,
        '        reservations:',
        '          memory: 2G',
      ),
      errors: [{ line: 7, column: 11 }],
    },
    {
      name: 'interpolated memory counts as set: only the CPU limit is added',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    deploy:', '      resources:', '        limits:', '          memory: ${MEM:-1g}'),
      output: yaml(
        'services:',
        '  app:',
        '    image: example/app:1.0',
        '    deploy:',
        '      resources:',
        '        limits:',
        '          memory: ${MEM:-1g}',
        `          cpus: "1.0"${DEFAULT}`,
      ),
      errors: [{ line: 6, column: 9, message: /has no CPU limit$/ }],
    },
    {
      name: 'a known image (postgres) gets its small-deployment figures from the image knowledge',
      code: yaml('services:', '  db:', '    image: postgres:16'),
      output: yaml('services:', '  db:', '    image: postgres:16', ...serviceKeys('    ', POSTGRES)),
      errors: [{ line: 2, column: 3 }],
    },
    {
      name: 'an unknown image gets the defaults, commented "compose-harden default"',
      code: yaml('services:', '  app:', '    image: ghcr.io/example/unknown:2'),
      output: yaml('services:', '  app:', '    image: ghcr.io/example/unknown:2', ...serviceKeys('    ', DEFAULT)),
      errors: [{ line: 2, column: 3 }],
    },
    {
      name: 'a locally built service is unknown, whatever image name it is tagged with',
      code: yaml('services:', '  app:', '    build: .', '    image: postgres:16'),
      output: yaml('services:', '  app:', '    build: .', '    image: postgres:16', ...serviceKeys('    ', DEFAULT)),
      errors: [{ line: 2, column: 3 }],
    },
    {
      name: 'a flow-mapping deploy gets cpus inside the flow, the comment at the end of the line',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    deploy: {resources: {limits: {memory: 512M}}}'),
      output: yaml('services:', '  app:', '    image: example/app:1.0', `    deploy: {resources: {limits: {memory: 512M, cpus: "1.0"}}}${DEFAULT}`),
      errors: [{ line: 4, column: 26, message: /has no CPU limit$/ }],
    },
    {
      name: 'a flow-mapping service',
      code: yaml('services:', '  app: {image: example/app:1.0}'),
      output: yaml('services:', `  app: {image: example/app:1.0, mem_limit: 512M, mem_reservation: 128M, cpus: "1.0"}${DEFAULT}`),
      errors: [{ line: 2, column: 3 }],
    },
    {
      name: 'comments and blank lines next to the insertion point survive',
      code: yaml('services:', '  app:', '    image: example/app:1.0  # pinned', '', '  # the database', '  db:', '    image: postgres:16', '    deploy:', '      resources:', '        limits: {memory: 1G, cpus: "2"}'),
      output: yaml(
        'services:',
        '  app:',
        '    image: example/app:1.0  # pinned',
        ...serviceKeys('    ', DEFAULT),
        '',
        '  # the database',
        '  db:',
        '    image: postgres:16',
        '    deploy:',
        '      resources:',
        '        limits: {memory: 1G, cpus: "2"}',
      ),
      errors: [{ line: 2, column: 3 }],
    },
    {
      name: 'CRLF line endings',
      code: crlf('services:', '  app:', '    image: example/app:1.0'),
      output: crlf('services:', '  app:', '    image: example/app:1.0', ...serviceKeys('    ', DEFAULT)),
      errors: [{ line: 2, column: 3 }],
    },
    {
      name: 'CRLF line endings, extending an existing deploy.resources.limits',
      code: crlf('services:', '  app:', '    image: example/app:1.0', '    deploy:', '      resources:', '        limits:', '          memory: 1G'),
      output: crlf('services:', '  app:', '    image: example/app:1.0', '    deploy:', '      resources:', '        limits:', '          memory: 1G', `          cpus: "1.0"${DEFAULT}`),
      errors: [{ line: 6, column: 9 }],
    },
    {
      name: '4-space indentation',
      code: yaml('services:', '    app:', '        image: example/app:1.0', '        environment:', '            A: b'),
      output: yaml(
        'services:',
        '    app:',
        '        image: example/app:1.0',
        '        environment:',
        '            A: b',
        ...serviceKeys('        ', DEFAULT),
      ),
      errors: [{ line: 2, column: 5 }],
    },
    {
      name: '4-space indentation, extending an existing deploy.resources',
      code: yaml('services:', '    app:', '        image: example/app:1.0', '        deploy:', '            resources:', '                reservations:', '                    cpus: "0.25"'),
      output: yaml(
        'services:',
        '    app:',
        '        image: example/app:1.0',
        '        deploy:',
        '            resources:',
        '                reservations:',
        '                    cpus: "0.25"',
        `                    memory: 128M${DEFAULT}`,
        '                limits:',
        `                    memory: 512M${DEFAULT}`,
        `                    cpus: "1.0"${DEFAULT}`,
      ),
      errors: [{ line: 5, column: 13 }],
    },
  ],
});

describe('resource-limits: a written memory limit never goes below an existing reservation', () => {
  // The engine refuses such a container: "Minimum memory limit can not be less than memory reservation limit".
  const cases: Array<{ name: string; code: string; limit: (doc: any) => unknown; reservation: (doc: any) => unknown }> = [
    {
      name: 'deploy.resources.reservations.memory: 1G',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    deploy:', '      resources:', '        reservations:', '          memory: 1G'),
      limit: (doc) => doc.services.app.deploy.resources.limits?.memory,
      reservation: (doc) => doc.services.app.deploy.resources.reservations.memory,
    },
    {
      name: 'version-less: mem_reservation: 1g',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    mem_reservation: 1g'),
      limit: (doc) => doc.services.app.mem_limit,
      reservation: (doc) => doc.services.app.mem_reservation,
    },
    {
      name: 'version "2.4": mem_reservation: 1g',
      code: yaml('version: "2.4"', 'services:', '  app:', '    image: example/app:1.0', '    mem_reservation: 1g'),
      limit: (doc) => doc.services.app.mem_limit,
      reservation: (doc) => doc.services.app.mem_reservation,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const fixed = fixSource(fromString(c.code), [resourceLimits]);
      const doc = parse(fixed.text);
      const limit = parseBytes(c.limit(doc));
      const reservation = parseBytes(c.reservation(doc));
      expect(limit, 'a memory limit is written').not.toBeNull();
      expect(limit!).toBeGreaterThanOrEqual(reservation!);
    });
  }
});

describe('resource-limits with --limits', () => {
  const LARGE_DEFAULT = '  # compose-harden default x4 (--limits large): tune to the measured peak (docker stats)';
  const LARGE_POSTGRES = '  # postgres small deployment x4 (--limits large) (image knowledge)';

  it('large scales the defaults x4 (2G, 4 CPUs, 512M reservation)', () => {
    const code = yaml('services:', '  app:', '    image: example/app:1.0');
    expect(fixSource(fromString(code), [resourceLimits], { limits: 'large' }).text).toBe(
      yaml('services:', '  app:', '    image: example/app:1.0', ...serviceKeys('    ', LARGE_DEFAULT, '2G', '"4.0"', '512M')),
    );
  });

  it('large scales the image knowledge x4', () => {
    const code = yaml('services:', '  db:', '    image: postgres:16');
    expect(fixSource(fromString(code), [resourceLimits], { limits: 'large' }).text).toBe(
      yaml('services:', '  db:', '    image: postgres:16', ...serviceKeys('    ', LARGE_POSTGRES, '2G', '"4.0"', '512M')),
    );
  });

  it('large in a version "2.1" file: cpu_quota 400000', () => {
    const code = yaml('version: "2.1"', 'services:', '  app:', '    image: example/app:1.0');
    expect(fixSource(fromString(code), [resourceLimits], { limits: 'large' }).text).toBe(
      yaml(
        'version: "2.1"',
        'services:',
        '  app:',
        '    image: example/app:1.0',
        `    mem_limit: 2G${LARGE_DEFAULT}`,
        `    mem_reservation: 512M${LARGE_DEFAULT}`,
        `    cpu_quota: 400000${LARGE_DEFAULT}`,
      ),
    );
  });

  it('medium scales x2', () => {
    const code = yaml('services:', '  app:', '    image: example/app:1.0');
    const MEDIUM = '  # compose-harden default x2 (--limits medium): tune to the measured peak (docker stats)';
    expect(fixSource(fromString(code), [resourceLimits], { limits: 'medium' }).text).toBe(
      yaml('services:', '  app:', '    image: example/app:1.0', ...serviceKeys('    ', MEDIUM, '1G', '"2.0"', '256M')),
    );
  });

  it('large in a service that keeps its limits in deploy.resources: the scaled values go there', () => {
    const code = yaml('services:', '  app:', '    image: example/app:1.0', '    deploy:', '      resources: {}');
    expect(fixSource(fromString(code), [resourceLimits], { limits: 'large' }).text).toBe(
      yaml('services:', '  app:', '    image: example/app:1.0', '    deploy:', `      resources: {limits: {memory: 2G, cpus: "4.0"}, reservations: {memory: 512M}}${LARGE_DEFAULT}`),
    );
  });

  it('small is the default', () => {
    const code = yaml('services:', '  app:', '    image: example/app:1.0');
    expect(fixSource(fromString(code), [resourceLimits], { limits: 'small' }).text).toBe(fixSource(fromString(code), [resourceLimits]).text);
  });
});

describe('resource-limits: the written limits never conflict with service-level keys', () => {
  // compose-go (loader/validate.go) refuses a service-level pids_limit, mem_limit or cpus beside a
  // deploy.resources.limits block whose value differs, and an absent value differs:
  // "can't set distinct values on 'pids_limit' and 'deploy.resources.limits.pids'".
  it('a service with pids_limit: 100 and no deploy gets service-level limits, and keeps its process limit', () => {
    const code = yaml('services:', '  app:', '    image: example/app:1.0', '    pids_limit: 100');
    const fixed = fixSource(fromString(code), [resourceLimits]);
    const app = parse(fixed.text).services.app;
    expect(app.deploy, fixed.text).toBeUndefined();
    expect(parseBytes(app.mem_limit), fixed.text).toBe(512 * 2 ** 20);
    expect(app.cpus, fixed.text).toBe('1.0');
    expect(app.pids_limit).toBe(100);
    expect(composeLimitConflicts(app), fixed.text).toEqual([]);
  });

  // A service whose deploy.resources holds only reservations is valid as it is (there is no limits block to
  // differ from); a limits block written beside its service-level keys must carry the same values.
  const cases = [
    {
      name: 'pids_limit: 100 beside deploy.resources.reservations',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    pids_limit: 100', '    deploy:', '      resources:', '        reservations:', '          memory: 256M'),
    },
    {
      name: 'mem_limit: 1g beside deploy.resources.reservations (only a CPU limit is missing)',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    mem_limit: 1g', '    deploy:', '      resources:', '        reservations:', '          cpus: "0.25"'),
    },
    {
      name: 'cpus: 0.5 beside deploy.resources.reservations (only a memory limit is missing)',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    cpus: 0.5', '    deploy:', '      resources:', '        reservations:', '          memory: 128M'),
    },
  ];
  for (const c of cases) {
    it(`${c.name}: the result is a service Compose v2 accepts, with memory and CPU limits`, () => {
      expect(composeLimitConflicts(parse(c.code).services.app), 'the original is accepted').toEqual([]);
      const fixed = fixSource(fromString(c.code), [resourceLimits]);
      const app = parse(fixed.text).services.app;
      expect(composeLimitConflicts(app), fixed.text).toEqual([]);
      const limits = app.deploy?.resources?.limits ?? {};
      expect(parseBytes(limits.memory ?? app.mem_limit), fixed.text).toBeGreaterThan(0);
      expect(Number(limits.cpus ?? app.cpus), fixed.text).toBeGreaterThan(0);
    });
  }
});

describe('resource-limits: what counts as a limit', () => {
  it('an interpolation limits only through its default, a word limits nothing', () => {
    expect(isSetLimit('${MEM}')).toBe(true);
    expect(isSetLimit('${MEM:-512m}')).toBe(true);
    for (const value of ['${MEM:-0}', '${MEM-0}', '${MEM:=0}', '${MEM:-0m}', 'notanumber', 'm', 'gb', 0, '0', '-1']) expect(isSetLimit(value), String(value)).toBe(false);
    for (const value of ['512m', '1.5g', 0.5, '0.5', 1024]) expect(isSetLimit(value), String(value)).toBe(true);
  });
});
