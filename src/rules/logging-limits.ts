import { defaults } from '../knowledge/templates.js';
import { locatePath } from './support/limits.js';
import type { Rule } from './types.js';

const ROTATING = new Set(['json-file', 'local']);

export const loggingLimits: Rule = {
  meta: {
    id: 'logging-limits',
    title: 'Container logs are not rotated',
    severity: 'warning',
    fix: 'safe',
    cis: [],
    refs: { kics: [], semgrep: [], composeLint: ['CL-0014'] },
    rationale:
      'The json-file driver keeps every log line forever unless told otherwise; a chatty or attacked service fills the host\'s disk. `driver: none` throws away the evidence of an incident.',
    remedy:
      'Adds `max-size` and `max-file` to json-file/local logging, and `logging: {driver: json-file, options: ...}` to services without a logging section; json-file\'s `max-size: -1` (unlimited) is replaced. `driver: none` is reported only. Other drivers (syslog, journald, fluentd, ...) rotate elsewhere and are left alone. Differences: compose-lint CL-0014 reports only switched-off logging; json-file and local logging without rotation (and a service with no logging section, which gets the engine\'s unrotated json-file default) are reported too. Driver names are read as Docker reads them, case-sensitively: `driver: None` is no driver Docker knows (it refuses to start the container), not switched-off logging.',
    owns: ['logging'],
    examples: {
      bad: 'services:\n  app:\n    image: example/app:1.0\n',
      good: 'services:\n  app:\n    image: example/app:1.0\n    logging:\n      driver: json-file\n      options:\n        max-size: 10m\n        max-file: "3"\n',
    },
  },
  check(service, file) {
    const logging = service.effective.logging as Record<string, unknown> | null | undefined;
    const { logging: policy } = defaults();
    const driver = logging && typeof logging.driver === 'string' ? logging.driver : undefined;
    if (driver === 'none') {
      return [
        {
          message: `service "${service.name}" discards its logs (logging driver none): nothing is left to investigate an incident with`,
          node: locatePath(service, file, ['logging', 'driver']),
          severity: 'info',
        },
      ];
    }
    if (driver !== undefined && !ROTATING.has(driver)) return [];
    const options = (logging?.options ?? {}) as Record<string, unknown>;
    if (driver === 'local' && options['max-size'] === undefined) return []; // local rotates by default (20m x 5)
    const because = { reason: policy.why, source: policy.source };
    // `max-size: -1` is json-file's own default spelled out: unlimited.
    if (driver !== 'local' && String(options['max-size']).trim() === '-1') {
      return [
        {
          message: `service "${service.name}" keeps its ${driver ?? 'json-file (the usual default)'} logs without rotation (max-size: -1 means unlimited)`,
          node: locatePath(service, file, ['logging', 'options', 'max-size']),
          fix: [{ kind: 'set' as const, path: ['logging', 'options', 'max-size'], value: policy.options['max-size']!, replace: true, ...because }],
        },
      ];
    }
    if (options['max-size'] !== undefined) return [];
    const opts = Object.fromEntries(Object.entries(policy.options).filter(([k]) => options[k] === undefined));
    const fix =
      logging === undefined || logging === null
        ? [{ kind: 'set' as const, path: ['logging'], value: { driver: policy.driver, options: policy.options }, ...because }]
        : Object.entries(opts).map(([k, v]) => ({ kind: 'set' as const, path: ['logging', 'options', k], value: v, ...because }));
    return [
      {
        message: `service "${service.name}" keeps its ${driver ?? 'json-file (the usual default)'} logs without rotation`,
        // Where max-size belongs: the `options:` or `logging:` section that lacks it, or the service name.
        node: locatePath(service, file, ['logging', 'options', 'max-size']),
        fix: fix.length > 0 ? fix : undefined,
      },
    ];
  },
};
