import { describe, expect, it } from 'vitest';
import { data, property } from '../../src/format/github.js';
import { explainMarkdown } from '../../src/format/explain.js';
import { allRules } from '../../src/rules/index.js';
import { cli } from '../helpers/cli.js';
import { ESC, stripAnsi, useTempDir, write } from './support.js';

const tmp = useTempDir();

describe('check --format github', () => {
  it('prints one workflow command per finding, with the severity as the command', async () => {
    write(tmp.dir, 'compose.yaml', 'services:\n  agent:\n    image: example/agent:1.0\n    privileged: true\n');
    const r = await cli(['check', '--format', 'github', '--only', 'no-privileged,resource-limits'], { cwd: tmp.dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      '::warning file=compose.yaml,line=2,col=3,title=resource-limits (CIS-Docker-1.6.0 5.11%2C 5.12)::service "agent" has no memory and CPU limit [fix: review, run compose-harden fix]\n' +
        '::error file=compose.yaml,line=4,col=5,title=no-privileged (CIS-Docker-1.6.0 5.5)::service "agent" runs privileged: it has every capability and device of the host and no seccomp, AppArmor or SELinux confinement [manual action]\n',
    );
  });

  it('leaves suppressed findings out', async () => {
    write(tmp.dir, 'compose.yaml', 'services:\n  agent:\n    image: example/agent:1.0\n    privileged: true\n    x-compose-harden: {ignore: {no-privileged: needs raw device access}}\n');
    const r = await cli(['check', '--format', 'github', '--only', 'no-privileged'], { cwd: tmp.dir });
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('escapes data and properties as GitHub requires', () => {
    expect(data('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext: a, b');
    expect(property('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
  });
});

describe('explain', () => {
  it('prints the whole catalogue entry of a rule', async () => {
    const r = await cli(['explain', 'no-privileged'], { cwd: tmp.dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const meta = allRules.find((rule) => rule.meta.id === 'no-privileged')!.meta;
    expect(r.stdout.split('\n').slice(0, 3)).toEqual([
      'no-privileged: Service runs privileged',
      '',
      'severity error, fix manual, CIS-Docker-1.6.0 5.5; other tools: KICS ae5b6871, Semgrep privileged-service, CL-0002',
    ]);
    for (const part of [meta.rationale, meta.remedy, 'Fix (manual: reported only; `fix` changes nothing)', '    privileged: true', 'CIS Docker Benchmark v1.6.0, section 5.5']) {
      expect(r.stdout).toContain(part);
    }
    expect(r.stdout).not.toContain(ESC);
    const tty = await cli(['explain', 'no-privileged'], { cwd: tmp.dir, tty: true });
    expect(tty.stdout).toContain(ESC);
    expect(stripAnsi(tty.stdout)).toBe(r.stdout);
  });

  it('has a markdown form, the README rule reference section with a top-level heading', async () => {
    const r = await cli(['explain', 'read-only-rootfs', '--format', 'markdown'], { cwd: tmp.dir });
    expect(r.stdout).toBe(explainMarkdown(allRules.find((rule) => rule.meta.id === 'read-only-rootfs')!.meta, '#'));
  });

  it('explains every rule of the catalogue', async () => {
    for (const rule of allRules) expect((await cli(['explain', rule.meta.id], { cwd: tmp.dir })).code, rule.meta.id).toBe(0);
  });

  it('an unknown rule exits 2 with the nearest id', async () => {
    expect(await cli(['explain', 'read-only-rootf'], { cwd: tmp.dir })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'compose-harden: unknown rule "read-only-rootf"; did you mean "read-only-rootfs"? run `compose-harden rules` for the list\n',
    });
    expect((await cli(['explain'], { cwd: tmp.dir })).code).toBe(2);
  });
});

describe('check --format text', () => {
  it('shows each finding with the offending line, a marker, and what fix does', async () => {
    write(tmp.dir, 'compose.yaml', 'services:\n  web:\n    image: nginxinc/nginx-unprivileged:1.27\n    init: true\n');
    const r = await cli(['check', '--only', 'read-only-rootfs'], { cwd: tmp.dir });
    expect(r.stdout).toBe(
      'compose.yaml\n' +
        '  web\n' +
        '    2:3     warning     read-only-rootfs  CIS-Docker-1.6.0 5.13\n' +
        '      service "web" has a writable root filesystem (no read_only: true)\n' +
        '      2 |   web:\n' +
        '        |   ^^^\n' +
        '      fix (review): Sets `read_only: true` and adds `tmpfs` entries for the paths the image writes\n' +
        '\n' +
        '1 finding (0 errors, 1 warning, 0 info); 1 fixable with `compose-harden fix`\n' +
        '`compose-harden explain RULE` tells why a rule matters and what its fix does.\n',
    );
  });
});
