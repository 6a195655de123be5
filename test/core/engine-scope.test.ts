import { describe, expect, it } from 'vitest';
import { parseComposeFile } from '../../src/core/compose-file.js';
import { applyEdits } from '../../src/core/edits.js';
import { checkFile, findingEdits, fixSource, planFile, type RunScope } from '../../src/core/engine.js';
import { fromString } from '../../src/core/source.js';
import { allRules } from '../../src/rules/index.js';

const rule = (id: string) => allRules.find((r) => r.meta.id === id)!;
const core = ['read-only-rootfs', 'no-new-privileges', 'cap-drop-all'].map(rule);

const TWO = 'services:\n  web:\n    image: nginxinc/nginx-unprivileged:1.27\n  api:\n    image: nginxinc/nginx-unprivileged:1.27\n';

/** Suppresses `ids` on the service named `name`. */
const scope = (name: string, ...ids: string[]): RunScope => ({ suppressed: (service) => new Set(service.name === name ? ids : []) });

describe('RunScope: suppressed rules', () => {
  it('without a scope, nothing changes', () => {
    const source = fromString(TWO);
    expect(fixSource(source, core).text).toBe(fixSource(source, core, undefined, { suppressed: () => new Set() }).text);
    expect(checkFile(parseComposeFile(source), core)).toEqual(checkFile(parseComposeFile(source), core, undefined, scope('nobody', 'read-only-rootfs')));
  });

  it('a suppressed finding is still reported, but its service does not get that fix', () => {
    const source = fromString(TWO);
    const result = fixSource(source, core, undefined, scope('web', 'read-only-rootfs'));
    expect(result.text).toBe(
      'services:\n' +
        '  web:\n' +
        '    image: nginxinc/nginx-unprivileged:1.27\n' +
        '    security_opt:\n      - no-new-privileges:true\n' +
        '    cap_drop:\n      - ALL\n' +
        '  api:\n' +
        '    image: nginxinc/nginx-unprivileged:1.27\n' +
        '    read_only: true\n' +
        '    tmpfs:\n      - /tmp:uid=101,gid=101  # temp paths and nginx.pid\n' +
        '    security_opt:\n      - no-new-privileges:true\n' +
        '    cap_drop:\n      - ALL\n',
    );
    expect(result.findings.map((f) => `${f.ruleId}@${f.service}`)).toContain('read-only-rootfs@web');
    expect(result.remaining.map((f) => `${f.ruleId}@${f.service}`)).toEqual(['read-only-rootfs@web']);
    // planFile (inspect) shows no change for it either.
    const planned = planFile(parseComposeFile(source), core, undefined, scope('web', 'read-only-rootfs'));
    expect(planned.filter((p) => p.finding.ruleId === 'read-only-rootfs').map((p) => [p.finding.service, p.intents.length > 0])).toEqual([
      ['web', false],
      ['api', true],
    ]);
  });
});

describe('findingEdits', () => {
  it('gives each fixable finding the edits of its own fix on the original text', () => {
    const source = fromString(TWO);
    const planned = findingEdits(parseComposeFile(source), core);
    expect(planned.map((p) => p.finding)).toEqual(checkFile(parseComposeFile(source), core));
    const web = planned.find((p) => p.finding.ruleId === 'no-new-privileges' && p.finding.service === 'web')!;
    expect(web.edits).toEqual([{ start: 60, end: 60, text: '\n    security_opt:\n      - no-new-privileges:true' }]);
    expect(applyEdits(source.text, web.edits).text).toBe(
      'services:\n  web:\n    image: nginxinc/nginx-unprivileged:1.27\n    security_opt:\n      - no-new-privileges:true\n  api:\n    image: nginxinc/nginx-unprivileged:1.27\n',
    );
  });

  it('has no edits for manual findings, suppressed findings and fixes that write side files', () => {
    const source = fromString('services:\n  web:\n    image: nginx:1.27\n    privileged: true\n  db:\n    image: postgres:16\n');
    const planned = findingEdits(parseComposeFile(source), [rule('no-privileged'), rule('seccomp-profile'), rule('read-only-rootfs')], undefined, scope('db', 'read-only-rootfs'));
    const edits = Object.fromEntries(planned.map((p) => [`${p.finding.ruleId}@${p.finding.service}`, p.edits.length]));
    expect(edits).toEqual({ 'no-privileged@web': 0, 'seccomp-profile@web': 0, 'seccomp-profile@db': 0, 'read-only-rootfs@web': 1, 'read-only-rootfs@db': 0 });
  });
});
