import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import {
  HARDENED,
  PLAIN,
  PLAIN_FIXED,
  entries,
  expectUnchanged,
  fileState,
  parseJson,
  plainDiff,
  read,
  useTempDir,
  write,
  type JsonReport,
} from './support.js';

const tmp = useTempDir();

const DEFAULTS = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

describe('default compose file', () => {
  it('takes the first of compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml', async () => {
    for (const name of DEFAULTS) write(tmp.dir, name, PLAIN);
    for (const [index, name] of DEFAULTS.entries()) {
      const check = await cli(['check', '--format', 'json'], { cwd: tmp.dir });
      expect(check.stderr).toBe('');
      expect(parseJson<JsonReport>(check.stdout).files.map((f) => f.path), `with ${DEFAULTS.slice(index).join(', ')}`).toEqual([name]);
      const diff = await cli(['diff'], { cwd: tmp.dir });
      expect(diff).toEqual({ code: 1, stdout: plainDiff(name), stderr: '' });
      rmSync(join(tmp.dir, name));
    }
  });

  it('prefers a later name only when the earlier ones are absent', async () => {
    write(tmp.dir, 'docker-compose.yml', PLAIN);
    write(tmp.dir, 'compose.yml', PLAIN);
    const r = await cli(['check', '--format', 'json'], { cwd: tmp.dir });
    expect(parseJson<JsonReport>(r.stdout).files.map((f) => f.path)).toEqual(['compose.yml']);
  });

  it('fix rewrites only the chosen file', async () => {
    for (const name of DEFAULTS) write(tmp.dir, name, PLAIN);
    const others = DEFAULTS.slice(1).map((name) => [join(tmp.dir, name), fileState(join(tmp.dir, name))] as const);
    const r = await cli(['fix'], { cwd: tmp.dir });
    expect(r.code, r.stderr).toBe(0);
    expect(read(tmp.dir, 'compose.yaml')).toBe(PLAIN_FIXED);
    for (const [path, state] of others) expectUnchanged(path, state);
    expect(entries(tmp.dir)).toEqual([...DEFAULTS].sort());
  });

  it('does not look in subdirectories or at other names', async () => {
    mkdirSync(join(tmp.dir, 'sub'));
    write(tmp.dir, 'sub/compose.yaml', PLAIN);
    write(tmp.dir, 'compose.yaml.bak', PLAIN);
    write(tmp.dir, 'docker-compose.override.yml', PLAIN);
    for (const command of ['check', 'diff', 'fix']) {
      const r = await cli([command], { cwd: tmp.dir });
      expect(r.code, command).toBe(2);
    }
    expect(read(tmp.dir, 'sub/compose.yaml')).toBe(PLAIN);
  });

  for (const command of ['check', 'diff', 'fix']) {
    it(`${command} with none present exits 2 with a clear message`, async () => {
      const r = await cli([command], { cwd: tmp.dir });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/no compose file/i);
      for (const name of DEFAULTS) expect(r.stderr).toContain(name);
      expect(r.stderr.endsWith('\n')).toBe(true);
      expect(entries(tmp.dir)).toEqual([]);
    });
  }
});

describe('standard input', () => {
  it('check - reads stdin', async () => {
    write(tmp.dir, 'compose.yaml', HARDENED);
    const r = await cli(['check', '--format', 'json', '-'], { cwd: tmp.dir, stdin: PLAIN });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const files = parseJson<JsonReport>(r.stdout).files;
    expect(files).toHaveLength(1);
    expect(files[0]!.findings.map((f) => f.ruleId)).toEqual(['cap-drop-all', 'no-new-privileges', 'read-only-rootfs', 'seccomp-profile']);
  });

  it('check - and a file together', async () => {
    write(tmp.dir, 'compose.yaml', HARDENED);
    const r = await cli(['check', '--format', 'json', 'compose.yaml', '-'], { cwd: tmp.dir, stdin: PLAIN });
    const files = parseJson<JsonReport>(r.stdout).files;
    expect(files.map((f) => f.findings.length)).toEqual([0, 4]);
    expect(files[0]!.path).toBe('compose.yaml');
    expect(r.code).toBe(1);
  });

  it('diff - reads stdin, not the default file', async () => {
    write(tmp.dir, 'compose.yaml', PLAIN);
    expect(await cli(['diff', '-'], { cwd: tmp.dir, stdin: HARDENED })).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('a bad document on stdin is reported with a position and exit 2', async () => {
    const r = await cli(['check', '-'], { cwd: tmp.dir, stdin: 'services:\n  web: nginx\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^\S+:2:8: service "web" .*mapping/);
  });
});

describe('--only and --skip', () => {
  const ruleIds = async (argv: string[]) => {
    write(tmp.dir, 'compose.yaml', PLAIN);
    const r = await cli(['check', '--format', 'json', ...argv], { cwd: tmp.dir });
    expect(r.stderr).toBe('');
    return parseJson<JsonReport>(r.stdout).files[0]!.findings.map((f) => f.ruleId);
  };

  it('check --only runs just the listed rules', async () => {
    expect(await ruleIds(['--only', 'read-only-rootfs'])).toEqual(['read-only-rootfs']);
    expect(await ruleIds(['--only', 'read-only-rootfs,cap-drop-all'])).toEqual(['cap-drop-all', 'read-only-rootfs']);
  });

  it('check --skip leaves the listed rules out', async () => {
    expect(await ruleIds(['--skip', 'read-only-rootfs'])).toEqual(['cap-drop-all', 'no-new-privileges', 'seccomp-profile']);
    expect(await ruleIds(['--skip', 'read-only-rootfs,cap-drop-all,no-new-privileges,seccomp-profile'])).toEqual([]);
  });

  it('check --only and --skip together', async () => {
    expect(await ruleIds(['--only', 'read-only-rootfs,cap-drop-all', '--skip', 'cap-drop-all'])).toEqual(['read-only-rootfs']);
  });

  it('the exit code follows the selected rules', async () => {
    write(tmp.dir, 'compose.yaml', PLAIN);
    expect((await cli(['check', '--only', 'no-privileged'], { cwd: tmp.dir })).code).toBe(0);
    expect((await cli(['check', '--skip', 'read-only-rootfs,cap-drop-all,no-new-privileges,seccomp-profile'], { cwd: tmp.dir })).code).toBe(0);
    expect((await cli(['check', '--only', 'cap-drop-all'], { cwd: tmp.dir })).code).toBe(1);
  });

  it('diff --only shows just that rule’s change', async () => {
    write(tmp.dir, 'compose.yaml', PLAIN);
    const r = await cli(['diff', '--only', 'cap-drop-all'], { cwd: tmp.dir });
    expect(r).toEqual({
      code: 1,
      stdout:
        '--- a/compose.yaml\n+++ b/compose.yaml\n@@ -9,3 +9,5 @@\n     mem_limit: 128m\n     cpus: 0.5\n     logging: {driver: local}\n+    cap_drop:\n+      - ALL\n',
      stderr: '',
    });
  });

  it('diff --skip of every fixable rule changes nothing', async () => {
    write(tmp.dir, 'compose.yaml', PLAIN);
    const r = await cli(['diff', '--skip', 'read-only-rootfs,cap-drop-all,no-new-privileges,seccomp-profile'], { cwd: tmp.dir });
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('fix --skip applies the other rules only', async () => {
    write(tmp.dir, 'compose.yaml', PLAIN);
    const r = await cli(['fix', '--skip', 'read-only-rootfs,no-new-privileges,seccomp-profile'], { cwd: tmp.dir });
    expect(r.code, r.stderr).toBe(0);
    expect(read(tmp.dir, 'compose.yaml')).toBe(`${PLAIN}    cap_drop:\n      - ALL\n`);
  });

  it('fix --only applies that rule only', async () => {
    write(tmp.dir, 'compose.yaml', PLAIN);
    const r = await cli(['fix', '--only', 'no-new-privileges'], { cwd: tmp.dir });
    expect(r.code, r.stderr).toBe(0);
    expect(read(tmp.dir, 'compose.yaml')).toBe(`${PLAIN}    security_opt:\n      - no-new-privileges:true\n`);
  });

  for (const command of ['check', 'diff', 'fix']) {
    for (const flag of ['--only', '--skip']) {
      it(`${command} ${flag} with an unknown rule id exits 2 and names it`, async () => {
        const path = write(tmp.dir, 'compose.yaml', PLAIN);
        const before = fileState(path);
        const r = await cli([command, flag, 'read-only-rootfs,no-such-rule'], { cwd: tmp.dir });
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr).toContain('no-such-rule');
        expect(r.stderr).not.toContain('read-only-rootfs');
        expectUnchanged(path, before);
      });
    }
  }

  it('an unknown rule id is an error even when the file is bad or missing', async () => {
    const r = await cli(['check', '--only', 'nope', 'missing.yml'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nope');
  });
});
