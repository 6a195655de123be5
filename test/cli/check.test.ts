import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import {
  ERROR_KEYS,
  ESC,
  FILE_KEYS,
  FINDING_KEYS,
  HARDENED,
  ONLY_READ_ONLY_MISSING,
  PLAIN,
  PRIVILEGED,
  parseJson,
  stripAnsi,
  useTempDir,
  write,
  type JsonReport,
} from './support.js';

const tmp = useTempDir();

describe('check --format json', () => {
  it('prints exactly the issue example for a file missing only read_only', async () => {
    write(tmp.dir, 'compose.yaml', ONLY_READ_ONLY_MISSING);
    const r = await cli(['check', 'compose.yaml', '--format', 'json'], { cwd: tmp.dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = parseJson<JsonReport>(r.stdout);
    // Re-serialised compactly: this pins the keys, their order and every value.
    expect(JSON.stringify(report)).toBe(
      '{"files":[{"path":"compose.yaml","error":null,"findings":[' +
        '{"ruleId":"read-only-rootfs","severity":"warning","service":"web","line":12,"column":3,' +
        '"message":"service \\"web\\" has a writable root filesystem (no read_only: true)",' +
        '"fix":"review","cis":"CIS-Docker-1.6.0 5.13","suppressed":null}]}]}',
    );
  });

  it('reports every finding of an unhardened service, sorted, with exact values', async () => {
    write(tmp.dir, 'compose.yaml', PLAIN);
    const r = await cli(['check', '--format', 'json', 'compose.yaml'], { cwd: tmp.dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(parseJson(r.stdout)).toStrictEqual({
      files: [
        {
          path: 'compose.yaml',
          error: null,
          findings: [
            {
              ruleId: 'cap-drop-all',
              severity: 'warning',
              service: 'web',
              line: 2,
              column: 3,
              message: `service "web" keeps Docker's default capabilities (cap_drop does not contain ALL)`,
              fix: 'review',
              cis: 'CIS-Docker-1.6.0 5.4',
              suppressed: null,
            },
            {
              ruleId: 'no-new-privileges',
              severity: 'warning',
              service: 'web',
              line: 2,
              column: 3,
              message: 'service "web" lets processes gain privileges (no no-new-privileges in security_opt)',
              fix: 'review',
              cis: 'CIS-Docker-1.6.0 5.26',
              suppressed: null,
            },
            {
              ruleId: 'read-only-rootfs',
              severity: 'warning',
              service: 'web',
              line: 2,
              column: 3,
              message: 'service "web" has a writable root filesystem (no read_only: true)',
              fix: 'review',
              cis: 'CIS-Docker-1.6.0 5.13',
              suppressed: null,
            },
            {
              ruleId: 'seccomp-profile',
              severity: 'warning',
              service: 'web',
              line: 2,
              column: 3,
              message: `service "web" runs under Docker's default seccomp profile, not one tailored to it: fix writes seccomp/nginx.json (the nginx template)`,
              fix: 'review',
              cis: 'CIS-Docker-1.6.0 5.22',
              suppressed: null,
            },
          ],
        },
      ],
    });
  });

  it('has exactly the documented keys, in order, at every level', async () => {
    write(tmp.dir, 'a.yml', PLAIN);
    write(tmp.dir, 'b.yml', PRIVILEGED);
    write(tmp.dir, 'bad.yml', 'services:\n  web:\n    image: nginx\n    image: redis\n');
    const r = await cli(['check', '--format', 'json', 'a.yml', 'b.yml', 'bad.yml'], { cwd: tmp.dir });
    const report = parseJson<JsonReport>(r.stdout);
    expect(Object.keys(report)).toEqual(['files']);
    expect(report.files).toHaveLength(3);
    let findings = 0;
    for (const file of report.files) {
      expect(Object.keys(file)).toEqual(FILE_KEYS);
      if (file.error) expect(Object.keys(file.error)).toEqual(ERROR_KEYS);
      for (const finding of file.findings) {
        findings++;
        expect(Object.keys(finding)).toEqual(FINDING_KEYS);
        expect(['error', 'warning', 'info']).toContain(finding.severity);
        expect(['safe', 'review', 'manual']).toContain(finding.fix);
        expect(finding.cis).toMatch(/^CIS-Docker-1\.6\.0 \d+\.\d+(, \d+\.\d+)*$/);
        expect(Number.isInteger(finding.line) && finding.line >= 1).toBe(true);
        expect(Number.isInteger(finding.column) && finding.column >= 1).toBe(true);
      }
    }
    expect(findings).toBe(5);
  });

  it('reports a manual error finding at the offending key', async () => {
    write(tmp.dir, 'compose.yaml', PRIVILEGED);
    const r = await cli(['check', '--format', 'json'], { cwd: tmp.dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(parseJson<JsonReport>(r.stdout).files[0]!.findings).toStrictEqual([
      {
        ruleId: 'no-privileged',
        severity: 'error',
        service: 'agent',
        line: 20,
        column: 5,
        message:
          'service "agent" runs privileged: it has every capability and device of the host and no seccomp, AppArmor or SELinux confinement',
        fix: 'manual',
        cis: 'CIS-Docker-1.6.0 5.5',
        suppressed: null,
      },
    ]);
  });

  it('prints an empty findings list and exits 0 for a hardened file', async () => {
    write(tmp.dir, 'compose.yaml', HARDENED);
    const r = await cli(['check', '--format', 'json', 'compose.yaml'], { cwd: tmp.dir });
    expect(r).toEqual({ code: 0, stdout: `${JSON.stringify({ files: [{ path: 'compose.yaml', error: null, findings: [] }] }, null, 2)}\n`, stderr: '' });
  });

  it('has one entry per file, in the order given', async () => {
    write(tmp.dir, 'a.yml', HARDENED);
    write(tmp.dir, 'b.yml', PLAIN);
    const forward = parseJson<JsonReport>((await cli(['check', '--format', 'json', 'b.yml', 'a.yml'], { cwd: tmp.dir })).stdout);
    expect(forward.files.map((f) => [f.path, f.findings.length])).toEqual([
      ['b.yml', 4],
      ['a.yml', 0],
    ]);
    const backward = parseJson<JsonReport>((await cli(['check', '--format', 'json', 'a.yml', 'b.yml'], { cwd: tmp.dir })).stdout);
    expect(backward.files.map((f) => f.path)).toEqual(['a.yml', 'b.yml']);
  });

  it('shows paths relative to the working directory', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(`${tmp.dir}/stack`);
    write(tmp.dir, 'stack/compose.yaml', HARDENED);
    const r = await cli(['check', '--format', 'json', 'stack/compose.yaml', `${tmp.dir}/stack/compose.yaml`], { cwd: tmp.dir });
    expect(parseJson<JsonReport>(r.stdout).files.map((f) => f.path)).toEqual(['stack/compose.yaml', 'stack/compose.yaml']);
  });

  it('shows a file whose name starts with two dots by its relative name', async () => {
    write(tmp.dir, '..compose.yml', HARDENED);
    const r = await cli(['check', '--format', 'json', '..compose.yml'], { cwd: tmp.dir });
    expect(r.code).toBe(0);
    expect(parseJson<JsonReport>(r.stdout).files.map((f) => f.path)).toEqual(['..compose.yml']);
  });

  it('does not colour JSON, even on a terminal', async () => {
    write(tmp.dir, 'compose.yaml', PLAIN);
    const r = await cli(['check', '--format', 'json', '--color'], { cwd: tmp.dir, tty: true });
    expect(r.stdout).not.toContain(ESC);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
  });
});

describe('check --fail-on', () => {
  // PLAIN has three warnings, PRIVILEGED one error, HARDENED nothing; no rule reports info.
  const table: Array<[string, string, string[], number]> = [
    ['warnings', PLAIN, [], 1],
    ['warnings', PLAIN, ['--fail-on', 'warning'], 1],
    ['warnings', PLAIN, ['--fail-on', 'info'], 1],
    ['warnings', PLAIN, ['--fail-on', 'error'], 0],
    ['warnings', PLAIN, ['--fail-on', 'never'], 0],
    ['an error', PRIVILEGED, [], 1],
    ['an error', PRIVILEGED, ['--fail-on', 'error'], 1],
    ['an error', PRIVILEGED, ['--fail-on', 'warning'], 1],
    ['an error', PRIVILEGED, ['--fail-on', 'info'], 1],
    ['an error', PRIVILEGED, ['--fail-on', 'never'], 0],
    ['no findings', HARDENED, [], 0],
    ['no findings', HARDENED, ['--fail-on', 'info'], 0],
    ['no findings', HARDENED, ['--fail-on', 'never'], 0],
  ];
  for (const [what, text, flags, code] of table) {
    it(`a file with ${what}, ${flags.length ? flags.join(' ') : 'default threshold'} -> exit ${code}`, async () => {
      write(tmp.dir, 'compose.yaml', text);
      for (const format of ['text', 'json']) {
        const r = await cli(['check', '--format', format, ...flags], { cwd: tmp.dir });
        expect(r.stderr).toBe('');
        expect(r.code, `--format ${format}`).toBe(code);
      }
    });
  }

  it('the threshold does not filter what is reported', async () => {
    write(tmp.dir, 'compose.yaml', PLAIN);
    const all = await cli(['check', '--format', 'json'], { cwd: tmp.dir });
    const never = await cli(['check', '--format', 'json', '--fail-on', 'never'], { cwd: tmp.dir });
    expect(never.stdout).toBe(all.stdout);
  });

  it('applies across several files: one over the threshold is enough', async () => {
    write(tmp.dir, 'a.yml', HARDENED);
    write(tmp.dir, 'b.yml', PRIVILEGED);
    expect((await cli(['check', 'a.yml', 'b.yml', '--fail-on', 'error'], { cwd: tmp.dir })).code).toBe(1);
    expect((await cli(['check', 'a.yml', '--fail-on', 'error'], { cwd: tmp.dir })).code).toBe(0);
  });

  it('rejects an unknown threshold with exit 2', async () => {
    write(tmp.dir, 'compose.yaml', HARDENED);
    const r = await cli(['check', '--fail-on', 'critical'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('critical');
  });

  it('rejects an unknown format with exit 2', async () => {
    write(tmp.dir, 'compose.yaml', HARDENED);
    const r = await cli(['check', '--format', 'xml'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('xml');
  });
});

describe('check --format text', () => {
  it('is the default format and lists each finding with position, severity, rule and CIS id', async () => {
    write(tmp.dir, 'compose.yaml', PRIVILEGED);
    const r = await cli(['check'], { cwd: tmp.dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      'compose.yaml\n' +
        '  agent\n' +
        '    20:5    error       no-privileged  CIS-Docker-1.6.0 5.5\n' +
        '      service "agent" runs privileged: it has every capability and device of the host and no seccomp, AppArmor or SELinux confinement\n' +
        '      20 |     privileged: true\n' +
        '         |     ^^^^^^^^^^\n' +
        '      manual: Remove `privileged: true` and add only the capabilities and devices the service needs.\n' +
        '\n' +
        '1 finding (1 error, 0 warnings, 0 info)\n' +
        '`compose-harden explain RULE` tells why a rule matters and what its fix does.\n',
    );
  });

  it('says so when there is nothing to report', async () => {
    write(tmp.dir, 'compose.yaml', HARDENED);
    expect(await cli(['check', 'compose.yaml'], { cwd: tmp.dir })).toEqual({ code: 0, stdout: 'No findings.\n', stderr: '' });
  });

  it('colours only on a terminal without NO_COLOR, unless a flag says otherwise', async () => {
    write(tmp.dir, 'compose.yaml', PLAIN);
    const plain = await cli(['check'], { cwd: tmp.dir });
    expect(plain.stdout).not.toContain(ESC);
    const tty = await cli(['check'], { cwd: tmp.dir, tty: true });
    expect(tty.stdout).toContain(ESC);
    expect(stripAnsi(tty.stdout)).toBe(plain.stdout);
    expect((await cli(['check'], { cwd: tmp.dir, tty: true, env: { NO_COLOR: '1' } })).stdout).toBe(plain.stdout);
    expect((await cli(['check', '--no-color'], { cwd: tmp.dir, tty: true })).stdout).toBe(plain.stdout);
    expect((await cli(['check', '--color'], { cwd: tmp.dir })).stdout).toBe(tty.stdout);
  });
});

describe('check output is deterministic', () => {
  it('gives the same bytes on every run, for both formats', async () => {
    write(tmp.dir, 'a.yml', PLAIN);
    write(tmp.dir, 'b.yml', PRIVILEGED);
    write(tmp.dir, 'c.yml', ONLY_READ_ONLY_MISSING);
    for (const format of ['text', 'json']) {
      const argv = ['check', '--format', format, 'a.yml', 'b.yml', 'c.yml'];
      const first = await cli(argv, { cwd: tmp.dir });
      for (let i = 0; i < 3; i++) expect(await cli(argv, { cwd: tmp.dir })).toEqual(first);
    }
  });

  it('sorts findings by line, then column, whatever the rule order', async () => {
    write(
      tmp.dir,
      'compose.yaml',
      'services:\n' +
        '  z:\n' +
        '    image: example/z:1\n' +
        '    privileged: true\n' +
        '    pid: host\n' +
        '  a:\n' +
        '    image: example/a:1\n' +
        '    cap_add: [SYS_ADMIN]\n',
    );
    const report = parseJson<JsonReport>((await cli(['check', '--format', 'json'], { cwd: tmp.dir })).stdout);
    const positions = report.files[0]!.findings.map((f) => [f.line, f.column]);
    const sorted = [...positions].sort((x, y) => x[0]! - y[0]! || x[1]! - y[1]!);
    expect(positions).toEqual(sorted);
    expect(new Set(report.files[0]!.findings.map((f) => f.service))).toEqual(new Set(['z', 'a']));
  });
});
