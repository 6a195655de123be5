import { describe, expect, it } from 'vitest';
import { fixSource } from '../../src/core/engine.js';
import { fromString } from '../../src/core/source.js';
import { seccompProfile } from '../../src/rules/seccomp-profile.js';
import { testRule } from '../helpers/rule-tester.js';

const yaml = (...lines: string[]) => `${lines.join('\n')}\n`;

testRule(seccompProfile, {
  valid: [
    { name: 'a profile of the service\'s own', code: yaml('services:', '  api:', '    image: node:22', '    security_opt:', '      - seccomp=./my-profile.json') },
    { name: 'the colon form', code: yaml('services:', '  api:', '    image: node:22', '    security_opt: ["seccomp:/etc/docker/api.json"]') },
  ],
  invalid: [
    {
      name: 'a known image gets its runtime family\'s template',
      code: yaml('services:', '  api:', '    image: node:22-alpine', '    ports: ["3000:3000"]'),
      output: yaml('services:', '  api:', '    image: node:22-alpine', '    ports: ["3000:3000"]', '    security_opt: [seccomp=./seccomp/node.json]'),
      errors: [{ line: 2, column: 3, severity: 'warning', message: /^service "api" runs under Docker's default seccomp profile, not one tailored to it: fix writes seccomp\/node\.json \(the node template\)$/ }],
    },
    {
      name: 'a locally built image gets the generic template',
      code: yaml('services:', '  app:', '    build: .', '    security_opt:', '      - no-new-privileges:true'),
      output: yaml('services:', '  app:', '    build: .', '    security_opt:', '      - no-new-privileges:true', '      - seccomp=./seccomp/generic.json'),
      errors: [{ line: 2, column: 3, message: '(the generic template: no runtime family is known for this image)' }],
    },
    {
      name: 'seccomp switched off: the profile takes its place',
      code: yaml('services:', '  db:', '    image: postgres:16', '    security_opt:', '      - seccomp:unconfined'),
      output: yaml('services:', '  db:', '    image: postgres:16', '    security_opt:', '      - seccomp:unconfined', '      - seccomp=./seccomp/postgres.json'),
      errors: [{ line: 5, column: 9, message: 'has seccomp switched off: fix writes seccomp/postgres.json' }],
    },
    {
      // The caret fixtures cannot mark the first line of a value that goes on below it.
      name: 'seccomp switched off by a double-quoted item written over two lines: at the item',
      code: yaml('services:', '  db:', '    image: postgres:16', '    security_opt:', '      - "seccomp:\\', '        unconfined"'),
      output: yaml('services:', '  db:', '    image: postgres:16', '    security_opt:', '      - "seccomp:\\', '        unconfined"', '      - seccomp=./seccomp/postgres.json'),
      errors: [{ line: 5, column: 9 }],
    },
    {
      name: 'a privileged service is reported: seccomp does not apply to it',
      code: yaml('services:', '  agent:', '    image: example/agent:1', '    privileged: true'),
      output: null,
      errors: [{ line: 4, column: 5, severity: 'info', message: 'is privileged: no seccomp profile applies to it' }],
      remaining: [{ line: 4, column: 5 }],
    },
  ],
});

describe('seccomp-profile: the profile file', () => {
  it('one file per family, shared by its services, valid Docker format', () => {
    const code = yaml('services:', '  a:', '    image: node:22', '  b:', '    image: node:20', '  c:', '    image: redis:7');
    const { sideFiles } = fixSource(fromString(code), [seccompProfile]);
    expect(sideFiles.map((f) => [f.path, f.kind, f.mode.toString(8)])).toEqual([
      ['seccomp/node.json', 'generated', '644'],
      ['seccomp/redis.json', 'generated', '644'],
    ]);
    for (const file of sideFiles) {
      const profile = JSON.parse(file.content) as { defaultAction: string; syscalls: Array<{ names: string[]; action: string }> };
      expect(profile.defaultAction).toBe('SCMP_ACT_ERRNO');
      expect(profile.syscalls.length).toBeGreaterThan(0);
      expect(profile.syscalls.flatMap((rule) => (rule.action === 'SCMP_ACT_ALLOW' ? rule.names : []))).not.toContain('keyctl');
    }
  });
});
