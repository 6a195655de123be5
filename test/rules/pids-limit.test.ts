import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fixSource } from '../../src/core/engine.js';
import { fromString } from '../../src/core/source.js';
import { pidsLimit } from '../../src/rules/pids-limit.js';
import { resourceLimits } from '../../src/rules/resource-limits.js';
import { testRule } from '../helpers/rule-tester.js';
import { composeLimitConflicts } from './compose-limit-conflicts.js';

const yaml = (...lines: string[]) => lines.join('\n') + '\n';
const crlf = (...lines: string[]) => lines.join('\r\n') + '\r\n';

/** The comment on the default (templates/defaults.json#limits: 512 pids). */
const DEFAULT = '  # compose-harden default: tune to the measured peak (docker stats)';
/** The comment on postgres's figure (templates/images/postgres.json#postgres: 256 pids). */
const POSTGRES = '  # postgres small deployment (image knowledge)';

testRule(pidsLimit, {
  valid: [
    {
      name: 'pids_limit: 100',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    pids_limit: 100'),
    },
    {
      name: 'deploy.resources.limits.pids: 100',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    deploy:', '      resources:', '        limits:', '          pids: 100'),
    },
    {
      name: 'an interpolated pids_limit counts as set',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    pids_limit: ${PIDS:-200}'),
    },
    {
      name: 'pids_limit inherited through a merge key',
      code: yaml('x-base: &base', '  pids_limit: 200', 'services:', '  app:', '    <<: *base', '    image: example/app:1.0'),
    },
    {
      name: 'version "2.4" with pids_limit',
      code: yaml('version: "2.4"', 'services:', '  app:', '    image: example/app:1.0', '    pids_limit: 64'),
    },
    {
      name: 'deploy.resources.limits.pids inherited through a merge key',
      code: yaml('x-limits: &limits', '  deploy:', '    resources:', '      limits: {pids: 200}', 'services:', '  app:', '    <<: *limits', '    image: example/app:1.0'),
    },
  ],
  invalid: [
    {
      name: 'absent: pids_limit with the default and its comment',
      code: yaml('services:', '  app:', '    image: example/app:1.0'),
      output: yaml('services:', '  app:', '    image: example/app:1.0', `    pids_limit: 512${DEFAULT}`),
      errors: [{ line: 2, column: 3, severity: 'warning', message: 'service "app" has no pids limit (a fork bomb can exhaust the host)' }],
    },
    {
      name: 'a known image (postgres) gets the figure of its image knowledge',
      code: yaml('services:', '  db:', '    image: postgres:16'),
      output: yaml('services:', '  db:', '    image: postgres:16', `    pids_limit: 256${POSTGRES}`),
      errors: [{ line: 2, column: 3 }],
    },
    {
      name: 'pids_limit: -1 (unlimited) is replaced in place',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    pids_limit: -1', '    restart: always'),
      output: yaml('services:', '  app:', '    image: example/app:1.0', `    pids_limit: 512${DEFAULT}`, '    restart: always'),
      errors: [{ line: 4, column: 5, message: 'service "app" sets pids_limit to -1, which means unlimited' }],
    },
    {
      name: 'pids_limit: 0 (unlimited) is replaced in place',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    pids_limit: 0'),
      output: yaml('services:', '  app:', '    image: example/app:1.0', `    pids_limit: 512${DEFAULT}`),
      errors: [{ line: 4, column: 5, message: 'sets pids_limit to 0, which means unlimited' }],
    },
    {
      // Compose (compose-go loader/validate.go) rejects pids_limit next to a deploy.resources.limits whose
      // pids differs ("can't set distinct values on 'pids_limit' and 'deploy.resources.limits.pids'"), and an
      // absent or 0 pids differs: the limit goes where the service already keeps its limits, even when
      // pids-limit runs without resource-limits (--only pids-limit, --skip resource-limits).
      name: 'deploy.resources.limits.pids: 0 does not count: it is replaced in place (no pids_limit next to it)',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    deploy:', '      resources:', '        limits:', '          pids: 0'),
      output: yaml('services:', '  app:', '    image: example/app:1.0', '    deploy:', '      resources:', '        limits:', `          pids: 512${DEFAULT}`),
      errors: [{ line: 7, column: 11, message: 'sets deploy.resources.limits.pids to 0, which means unlimited' }],
    },
    {
      name: 'a deploy without resources.limits (replicas only) takes pids_limit',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    deploy:', '      replicas: 2'),
      output: yaml('services:', '  app:', '    image: example/app:1.0', '    deploy:', '      replicas: 2', `    pids_limit: 512${DEFAULT}`),
      errors: [{ line: 2, column: 3 }],
    },
    {
      name: 'pids_limit: -1 inherited through a merge key: the service gets its own pids_limit, the anchor is untouched',
      code: yaml('x-base: &base', '  pids_limit: -1', 'services:', '  app:', '    <<: *base', '    image: example/app:1.0'),
      output: yaml('x-base: &base', '  pids_limit: -1', 'services:', '  app:', '    <<: *base', '    image: example/app:1.0', `    pids_limit: 512${DEFAULT}`),
      errors: [{ line: 5, column: 5, message: 'sets pids_limit to -1' }],
    },
    {
      name: 'a flow-mapping service: pids_limit in the flow, the comment at the end of the line',
      code: yaml('services:', '  app: {image: example/app:1.0}'),
      output: yaml('services:', `  app: {image: example/app:1.0, pids_limit: 512}${DEFAULT}`),
      errors: [{ line: 2, column: 3 }],
    },
    {
      // Flow collections carry their explanations at the end of the line; a replaced value is no exception.
      name: 'pids_limit: -1 in a flow-mapping service is replaced, the comment at the end of the line',
      code: yaml('services:', '  app: {image: example/app:1.0, pids_limit: -1}'),
      output: yaml('services:', `  app: {image: example/app:1.0, pids_limit: 512}${DEFAULT}`),
      errors: [{ line: 2, column: 33 }],
    },
    {
      name: 'an aliased service becomes a merge key plus pids_limit',
      code: yaml('x-svc: &svc', '  image: example/app:1.0', 'services:', '  app: *svc'),
      output: yaml('x-svc: &svc', '  image: example/app:1.0', 'services:', '  app:', '    <<: *svc', `    pids_limit: 512${DEFAULT}`),
      errors: [{ line: 4, column: 3 }],
    },
    {
      name: 'version "2.1": pids_limit exists from 2.1 on',
      code: yaml('version: "2.1"', 'services:', '  app:', '    image: example/app:1.0'),
      output: yaml('version: "2.1"', 'services:', '  app:', '    image: example/app:1.0', `    pids_limit: 512${DEFAULT}`),
      errors: [{ line: 3, column: 3 }],
    },
    {
      // Current Compose implementations (Compose v2, docker-compose 1.27+) accept pids_limit in 2.0 files too.
      name: 'version "2": pids_limit as well',
      code: yaml('version: "2"', 'services:', '  app:', '    image: example/app:1.0'),
      output: yaml('version: "2"', 'services:', '  app:', '    image: example/app:1.0', `    pids_limit: 512${DEFAULT}`),
      errors: [{ line: 3, column: 3 }],
    },
    {
      name: 'version "3.8": pids_limit as well',
      code: yaml('version: "3.8"', 'services:', '  app:', '    image: example/app:1.0'),
      output: yaml('version: "3.8"', 'services:', '  app:', '    image: example/app:1.0', `    pids_limit: 512${DEFAULT}`),
      errors: [{ line: 3, column: 3 }],
    },
    {
      // A comment line at the keys' column reads as a note on what follows: the new key goes above it.
      name: 'comments next to the insertion point survive',
      code: yaml('services:', '  app:', '    image: example/app:1.0  # pinned', '    # restart: always', '', '  db:', '    image: pg', '    pids_limit: 100'),
      output: yaml('services:', '  app:', '    image: example/app:1.0  # pinned', `    pids_limit: 512${DEFAULT}`, '    # restart: always', '', '  db:', '    image: pg', '    pids_limit: 100'),
      errors: [{ line: 2, column: 3 }],
    },
    {
      name: 'CRLF line endings',
      code: crlf('services:', '  app:', '    image: example/app:1.0', '    pids_limit: -1'),
      output: crlf('services:', '  app:', '    image: example/app:1.0', `    pids_limit: 512${DEFAULT}`),
      errors: [{ line: 4, column: 5 }],
    },
  ],
});

describe('pids-limit with --limits', () => {
  it('large scales the default x4', () => {
    const code = yaml('services:', '  app:', '    image: example/app:1.0');
    expect(fixSource(fromString(code), [pidsLimit], { limits: 'large' }).text).toBe(
      yaml('services:', '  app:', '    image: example/app:1.0', '    pids_limit: 2048  # compose-harden default x4 (--limits large): tune to the measured peak (docker stats)'),
    );
  });

  it('large scales the image knowledge x4', () => {
    const code = yaml('services:', '  db:', '    image: postgres:16');
    expect(fixSource(fromString(code), [pidsLimit], { limits: 'large' }).text).toBe(
      yaml('services:', '  db:', '    image: postgres:16', '    pids_limit: 1024  # postgres small deployment x4 (--limits large) (image knowledge)'),
    );
  });

  it('large also replaces -1', () => {
    const code = yaml('services:', '  app:', '    image: example/app:1.0', '    pids_limit: -1');
    expect(fixSource(fromString(code), [pidsLimit], { limits: 'large' }).text).toBe(
      yaml('services:', '  app:', '    image: example/app:1.0', '    pids_limit: 2048  # compose-harden default x4 (--limits large): tune to the measured peak (docker stats)'),
    );
  });

  it('medium scales x2', () => {
    const code = yaml('services:', '  app:', '    image: example/app:1.0');
    expect(fixSource(fromString(code), [pidsLimit], { limits: 'medium' }).text).toBe(
      yaml('services:', '  app:', '    image: example/app:1.0', '    pids_limit: 1024  # compose-harden default x2 (--limits medium): tune to the measured peak (docker stats)'),
    );
  });
});

describe('pids-limit on a service that already has deploy.resources.limits', () => {
  // docker-compose v1 cannot read deploy.resources.limits.pids, and Compose v2 refuses pids_limit beside a
  // limits block without the same pids: whatever the fix does, it must not produce a project Compose v2 refuses.
  it('the result has no pids_limit that conflicts with the limits block: the pids go into it', () => {
    const code = yaml('services:', '  app:', '    image: example/app:1.0', '    deploy:', '      resources:', '        limits:', '          memory: 1G', '          cpus: "0.5"');
    const fixed = fixSource(fromString(code), [pidsLimit]);
    const app = parse(fixed.text).services.app;
    expect(composeLimitConflicts(app), fixed.text).toEqual([]);
    expect(app.pids_limit, fixed.text).toBeUndefined();
    expect(app.deploy.resources.limits.pids, fixed.text).toBe(512);
  });
});

describe('pids-limit together with resource-limits (both are in the default rule set)', () => {
  const cases = [
    { name: 'a bare service', code: yaml('services:', '  app:', '    image: example/app:1.0') },
    { name: 'postgres', code: yaml('services:', '  db:', '    image: postgres:16') },
    { name: 'a service with deploy.replicas', code: yaml('services:', '  app:', '    image: example/app:1.0', '    deploy:', '      replicas: 2') },
    { name: 'version "2"', code: yaml('version: "2"', 'services:', '  app:', '    image: example/app:1.0') },
    {
      name: 'a service with deploy.resources.limits',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    deploy:', '      resources:', '        limits:', '          memory: 1G'),
    },
    {
      name: 'a service with deploy.resources.reservations only',
      code: yaml('services:', '  db:', '    image: postgres:16', '    deploy:', '      resources:', '        reservations:', '          memory: 1G'),
    },
    {
      name: 'two services, one with deploy.resources.limits, one without deploy',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    deploy:', '      resources:', '        limits: {memory: 1G}', '  db:', '    image: postgres:16'),
    },
    {
      // Valid as it is (no limits block for the -1 to differ from); -1 beside a written limits.pids differs.
      name: 'pids_limit: -1 beside deploy.resources.reservations',
      code: yaml('services:', '  app:', '    image: example/app:1.0', '    pids_limit: -1', '    deploy:', '      resources:', '        reservations:', '          memory: 256M'),
    },
  ];
  for (const c of cases) {
    it(`${c.name}: the result is a project Compose accepts (no pids_limit beside a deploy limits block without the same pids)`, () => {
      const fixed = fixSource(fromString(c.code), [resourceLimits, pidsLimit]);
      const services = parse(fixed.text).services as Record<string, Record<string, any>>;
      for (const [name, service] of Object.entries(services)) {
        expect(composeLimitConflicts(service), `service ${name}:\n${fixed.text}`).toEqual([]);
        const pids = service.pids_limit ?? service.deploy?.resources?.limits?.pids;
        expect(Number(pids), 'a process limit is set').toBeGreaterThan(0);
      }
    });
  }
});

describe('resource-limits and pids-limit on a service: where the limits go', () => {
  const both = [resourceLimits, pidsLimit];

  it('a version-less file with no deploy gets mem_limit, mem_reservation, cpus and pids_limit, and no deploy', () => {
    const code = yaml('services:', '  app:', '    image: example/app:1.0');
    expect(fixSource(fromString(code), both).text).toBe(
      yaml(
        'services:',
        '  app:',
        '    image: example/app:1.0',
        `    mem_limit: 512M${DEFAULT}`,
        `    mem_reservation: 128M${DEFAULT}`,
        `    cpus: "1.0"${DEFAULT}`,
        `    pids_limit: 512${DEFAULT}`,
      ),
    );
  });

  it('deploy: {resources: {limits: {memory: 1G}}} gets cpus and pids in that block, and no service-level keys', () => {
    const code = yaml('services:', '  app:', '    image: example/app:1.0', '    deploy: {resources: {limits: {memory: 1G}}}');
    expect(fixSource(fromString(code), both).text).toBe(
      yaml('services:', '  app:', '    image: example/app:1.0', `    deploy: {resources: {limits: {memory: 1G, cpus: "1.0", pids: 512}}}${DEFAULT}`),
    );
  });

  it('the same deploy.resources.limits in block style: cpus and pids in the block, each commented', () => {
    const code = yaml('services:', '  app:', '    image: example/app:1.0', '    deploy:', '      resources:', '        limits:', '          memory: 1G');
    expect(fixSource(fromString(code), both).text).toBe(
      yaml(
        'services:',
        '  app:',
        '    image: example/app:1.0',
        '    deploy:',
        '      resources:',
        '        limits:',
        '          memory: 1G',
        `          cpus: "1.0"${DEFAULT}`,
        `          pids: 512${DEFAULT}`,
      ),
    );
  });

  it('deploy.resources.limits inherited through a merge key: the service gets its own deploy with the inherited memory, cpus and pids; the anchor is untouched', () => {
    const code = yaml('x-deploy: &deploy', '  deploy:', '    resources:', '      limits:', '        memory: 1G', 'services:', '  app:', '    <<: *deploy', '    image: example/app:1.0');
    expect(fixSource(fromString(code), both).text).toBe(
      yaml(
        'x-deploy: &deploy',
        '  deploy:',
        '    resources:',
        '      limits:',
        '        memory: 1G',
        'services:',
        '  app:',
        '    <<: *deploy',
        '    image: example/app:1.0',
        '    deploy:',
        '      resources:',
        '        limits:',
        '          memory: 1G',
        `          cpus: "1.0"${DEFAULT}`,
        `          pids: 512${DEFAULT}`,
      ),
    );
  });

  it('version "2.1": mem_limit, mem_reservation, cpu_quota and pids_limit', () => {
    const code = yaml('version: "2.1"', 'services:', '  app:', '    image: example/app:1.0');
    expect(fixSource(fromString(code), both).text).toBe(
      yaml(
        'version: "2.1"',
        'services:',
        '  app:',
        '    image: example/app:1.0',
        `    mem_limit: 512M${DEFAULT}`,
        `    mem_reservation: 128M${DEFAULT}`,
        `    cpu_quota: 100000${DEFAULT}`,
        `    pids_limit: 512${DEFAULT}`,
      ),
    );
  });
});
