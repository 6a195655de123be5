import { describe, expect, it } from 'vitest';
import { parseComposeFile } from '../../src/core/compose-file.js';
import { fixSource } from '../../src/core/engine.js';
import { fromString } from '../../src/core/source.js';
import { loggingLimits } from '../../src/rules/logging-limits.js';
import { resourceLimits } from '../../src/rules/resource-limits.js';

const yaml = (...lines: string[]) => lines.join('\n') + '\n';

// An empty key followed by a comment at the key's own indentation: the comment belongs below the
// filled-in value, and keys added beside the empty one must not land inside that value.
describe('filling an empty key that a comment follows', () => {
  it('resource-limits fills an empty limits: and adds reservations beside it, comment kept below', () => {
    const code = yaml('services:', '  e:', '    image: example/app:1.0', '    deploy:', '      resources:', '        limits:', '        # a note');
    const fixed = fixSource(fromString(code), [resourceLimits]);
    const tune = '  # compose-harden default: tune to the measured peak (docker stats)';
    expect(fixed.text).toBe(
      yaml(
        'services:',
        '  e:',
        '    image: example/app:1.0',
        '    deploy:',
        '      resources:',
        '        limits:',
        `          memory: 512M${tune}`,
        `          cpus: "1.0"${tune}`,
        '        reservations:',
        `          memory: 128M${tune}`,
        '        # a note',
      ),
    );
    const limits = parseComposeFile(fromString(fixed.text)).services[0]!.effective.deploy as { resources: { limits: Record<string, unknown> } };
    expect(Object.keys(limits.resources.limits).sort()).toEqual(['cpus', 'memory']);
    expect(fixed.text.trimEnd().endsWith('        # a note')).toBe(true);
    expect(fixSource(fromString(fixed.text), [resourceLimits]).text).toBe(fixed.text);
  });

  it('logging-limits fills an empty options: that a comment follows', () => {
    const code = yaml('services:', '  e:', '    image: example/app:1.0', '    logging:', '      driver: json-file', '      options:', '      # rotate me');
    const fixed = fixSource(fromString(code), [loggingLimits]);
    const logging = parseComposeFile(fromString(fixed.text)).services[0]!.effective.logging as { options: Record<string, unknown> };
    expect(Object.keys(logging.options).sort()).toEqual(['max-file', 'max-size']);
    expect(fixed.text.trimEnd().endsWith('      # rotate me')).toBe(true);
    expect(fixSource(fromString(fixed.text), [loggingLimits]).text).toBe(fixed.text);
  });
});
