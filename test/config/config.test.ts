import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/config.js';
import { allRules } from '../../src/rules/index.js';
import { cli } from '../helpers/cli.js';
import { entries, expectUnchanged, fileState, parseJson, read, useTempDir, write, type JsonReport } from '../cli/support.js';

const known = new Set(allRules.map((rule) => rule.meta.id));
const tmp = useTempDir();

function configError(text: string): string {
  try {
    parseConfig(text, '.compose-harden.yml', known);
  } catch (error) {
    if (error instanceof ConfigError) return error.format();
    throw error;
  }
  return 'no error';
}

describe('parseConfig', () => {
  it('reads rules on/off, severity overrides, limits and ignores', () => {
    const config = parseConfig(
      'rules:\n  init-process: off\n  pids-limit: false\n  cap-drop-all: on\n  no-new-privileges: error\noptions:\n  limits: large\nignore:\n  - rule: read-only-rootfs\n    service: web\n    reason: " writes /data "\n  - {rule: docker-socket, reason: traefik reads the API}\n',
      '.compose-harden.yml',
      known,
    );
    expect([...config.rules]).toEqual([
      ['init-process', { enabled: false }],
      ['pids-limit', { enabled: false }],
      ['cap-drop-all', { enabled: true }],
      ['no-new-privileges', { enabled: true, severity: 'error' }],
    ]);
    expect(config.limits).toBe('large');
    expect(config.ignore).toEqual([
      { rule: 'read-only-rootfs', service: 'web', reason: 'writes /data' },
      { rule: 'docker-socket', service: null, reason: 'traefik reads the API' },
    ]);
  });

  it('accepts an empty file', () => {
    expect(parseConfig('', 'c', known)).toMatchObject({ rules: new Map(), limits: null, ignore: [] });
    expect(parseConfig('# nothing yet\n', 'c', known).ignore).toEqual([]);
  });

  it('says where and what is wrong, and what to do', () => {
    expect(configError('rules:\n  no-new-privilege: off\n')).toBe(
      '.compose-harden.yml:2:3: unknown rule "no-new-privilege"; did you mean "no-new-privileges"? run `compose-harden rules` for the list',
    );
    expect(configError('rules:\n  init-process: maybe\n')).toBe('.compose-harden.yml:2:17: a rule is set to off, on, error, warning or info');
    expect(configError('ignore:\n  - rule: init-process\n    service: web\n')).toBe(
      '.compose-harden.yml:2:5: ignoring init-process needs a reason; add `reason: why it does not apply`',
    );
    expect(configError('ignore:\n  - rule: init-process\n    reason: ""\n')).toBe(
      '.compose-harden.yml:3:13: `reason` must say why the rule does not apply, as text',
    );
    expect(configError('ignore:\n  - rule: init-proces\n    reason: x\n')).toBe(
      '.compose-harden.yml:2:11: unknown rule "init-proces"; did you mean "init-process"? run `compose-harden rules` for the list',
    );
    expect(configError('ignore: {rule: init-process}\n')).toMatch(/^\.compose-harden\.yml:1:9: `ignore` must be a list of \{rule, service, reason\}/);
    expect(configError('options:\n  limits: huge\n')).toBe('.compose-harden.yml:2:11: `limits` must be small, medium or large');
    expect(configError('options:\n  memory: 1g\n')).toBe('.compose-harden.yml:2:3: unknown option "memory"; the options are: limits');
    expect(configError('rule:\n  init-process: off\n')).toBe('.compose-harden.yml:1:1: unknown key "rule"; a config has rules, options, ignore');
    expect(configError('- rules\n')).toMatch(/^\.compose-harden\.yml:1:1: the config is not a mapping/);
    expect(configError('rules: [\n')).toMatch(/^\.compose-harden\.yml:\d+:\d+: invalid YAML: .*; fix the YAML syntax$/);
  });
});

const APP = 'services:\n  web:\n    image: nginxinc/nginx-unprivileged:1.27\n    init: true\n  cache:\n    image: nginxinc/nginx-unprivileged:1.27\n    init: true\n';
/** The rules these tests look at, chosen with --skip so that the config file can still switch them off. */
const ONLY = ['--skip', allRules.map((rule) => rule.meta.id).filter((id) => !['read-only-rootfs', 'no-new-privileges', 'init-process'].includes(id)).join(',')];

async function findings(args: string[], cwd: string): Promise<string[]> {
  const r = await cli(['check', '--format', 'json', ...ONLY, ...args], { cwd });
  expect(r.stderr).toBe('');
  return parseJson<JsonReport & { files: Array<{ findings: Array<{ suppressed: { reason: string; source: string } | null }> }> }>(r.stdout).files.flatMap((file) =>
    file.findings.map((f) => `${f.ruleId}@${f.service}:${f.severity}${f.suppressed ? ` suppressed(${f.suppressed.source}: ${f.suppressed.reason})` : ''}`),
  );
}

describe('the config file', () => {
  it('is found upwards from the compose file, up to the directory that holds .git', async () => {
    mkdirSync(join(tmp.dir, 'repo/.git'), { recursive: true });
    mkdirSync(join(tmp.dir, 'repo/stacks/app'), { recursive: true });
    write(tmp.dir, 'repo/stacks/app/compose.yaml', APP);
    write(tmp.dir, '.compose-harden.yml', 'rules: {read-only-rootfs: off}\n'); // above the repository: never read
    expect(await findings(['repo/stacks/app/compose.yaml'], tmp.dir)).toEqual(['no-new-privileges@web:warning', 'read-only-rootfs@web:warning', 'no-new-privileges@cache:warning', 'read-only-rootfs@cache:warning']);
    write(tmp.dir, 'repo/.compose-harden.yml', 'rules: {no-new-privileges: error}\nignore: [{rule: read-only-rootfs, service: cache, reason: writes /var/cache}]\n');
    expect(await findings(['repo/stacks/app/compose.yaml'], tmp.dir)).toEqual([
      'no-new-privileges@web:error',
      'read-only-rootfs@web:warning',
      'no-new-privileges@cache:error',
      'read-only-rootfs@cache:warning suppressed(config: writes /var/cache)',
    ]);
  });

  it('--config FILE replaces the search; flags win over it', async () => {
    write(tmp.dir, 'compose.yaml', APP);
    write(tmp.dir, '.compose-harden.yml', 'rules: {no-new-privileges: off}\n');
    write(tmp.dir, 'other.yml', 'rules: {read-only-rootfs: off}\n');
    expect(await findings([], tmp.dir)).toEqual(['read-only-rootfs@web:warning', 'read-only-rootfs@cache:warning']);
    expect(await findings(['--config', 'other.yml'], tmp.dir)).toEqual(['no-new-privileges@web:warning', 'no-new-privileges@cache:warning']);
    // --only names the rules to run, even one the config switches off.
    expect(await findings(['--only', 'no-new-privileges'], tmp.dir)).toEqual(['no-new-privileges@web:warning', 'no-new-privileges@cache:warning']);
  });

  it('sets --limits unless the flag is given', async () => {
    write(tmp.dir, 'compose.yaml', 'services:\n  web:\n    image: example/app:1\n    init: true\n');
    write(tmp.dir, '.compose-harden.yml', 'options: {limits: large}\n');
    const diff = async (...flags: string[]) => (await cli(['diff', '--only', 'pids-limit', ...flags], { cwd: tmp.dir })).stdout;
    expect(await diff()).toContain('+    pids_limit: 2048');
    expect(await diff('--limits', 'small')).toContain('+    pids_limit: 512');
  });

  it('a broken config stops every command with exit 2, path:line:column, and nothing written', async () => {
    const path = write(tmp.dir, 'compose.yaml', APP);
    const before = fileState(path);
    write(tmp.dir, '.compose-harden.yml', 'ignore:\n  - rule: read-only-rootfs\n');
    for (const command of ['check', 'diff', 'fix', 'inspect']) {
      const r = await cli([command], { cwd: tmp.dir });
      expect({ command, ...r }).toEqual({
        command,
        code: 2,
        stdout: '',
        stderr: '.compose-harden.yml:2:5: ignoring read-only-rootfs needs a reason; add `reason: why it does not apply`\n',
      });
    }
    expectUnchanged(path, before);
    expect(entries(tmp.dir)).toEqual(['.compose-harden.yml', 'compose.yaml']);
    const missing = await cli(['check', '--config', 'nope.yml'], { cwd: tmp.dir });
    expect(missing).toEqual({ code: 2, stdout: '', stderr: 'nope.yml:1:1: no such config file: check the --config path\n' });
  });
});

describe('x-compose-harden ignore', () => {
  const IGNORING =
    'services:\n' +
    '  web:\n' +
    '    image: nginxinc/nginx-unprivileged:1.27\n' +
    '    init: true\n' +
    '    x-compose-harden:\n' +
    '      limits: {pids: 64}\n' +
    '      ignore:\n' +
    '        read-only-rootfs: the upload handler writes to /var/www\n' +
    '  cache:\n' +
    '    image: nginxinc/nginx-unprivileged:1.27\n' +
    '    init: true\n';

  it('reports the finding as suppressed, keeps the other keys working, and wins over the config', async () => {
    write(tmp.dir, 'compose.yaml', IGNORING);
    write(tmp.dir, '.compose-harden.yml', 'ignore: [{rule: read-only-rootfs, reason: from the config}]\n');
    expect(await findings([], tmp.dir)).toEqual([
      'no-new-privileges@web:warning',
      'read-only-rootfs@web:warning suppressed(x-compose-harden: the upload handler writes to /var/www)',
      'no-new-privileges@cache:warning',
      'read-only-rootfs@cache:warning suppressed(config: from the config)',
    ]);
    // x-compose-harden.limits still sets the pids limit.
    expect((await cli(['diff', '--only', 'pids-limit'], { cwd: tmp.dir })).stdout).toContain('+    pids_limit: 64');
  });

  it('suppressed findings do not count toward --fail-on', async () => {
    write(tmp.dir, 'compose.yaml', IGNORING);
    write(tmp.dir, '.compose-harden.yml', 'rules: {no-new-privileges: off}\nignore: [{rule: read-only-rootfs, service: cache, reason: scratch space}]\n');
    const r = await cli(['check', ...ONLY], { cwd: tmp.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'compose.yaml\n' +
        '  web\n' +
        '    2:3     suppressed  read-only-rootfs  CIS-Docker-1.6.0 5.13\n' +
        '      service "web" has a writable root filesystem (no read_only: true)\n' +
        '      reason: the upload handler writes to /var/www (x-compose-harden)\n' +
        '  cache\n' +
        '    9:3     suppressed  read-only-rootfs  CIS-Docker-1.6.0 5.13\n' +
        '      service "cache" has a writable root filesystem (no read_only: true)\n' +
        '      reason: scratch space (config file)\n' +
        '\n' +
        'No findings (2 suppressed).\n',
    );
  });

  it('fix and diff leave the suppressed rule out for that service only', async () => {
    write(tmp.dir, 'compose.yaml', IGNORING);
    const r = await cli(['fix', '--only', 'read-only-rootfs'], { cwd: tmp.dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(read(tmp.dir, 'compose.yaml')).toBe(IGNORING + '    read_only: true\n    tmpfs:\n      - /tmp:uid=101,gid=101  # temp paths and nginx.pid\n');
    expect(r.stdout).toBe(
      'compose.yaml: fixed 1 finding (read-only-rootfs)\n' +
        '  review before deploying: read-only-rootfs can break a service that relies on what they remove; `compose-harden check` explains each\n' +
        "  1 suppressed finding left as they are (x-compose-harden or the config file's ignore)\n",
    );
    expect(await cli(['diff', '--only', 'read-only-rootfs'], { cwd: tmp.dir })).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('an unknown rule or a missing reason is an input error of that file, with its position', async () => {
    write(tmp.dir, 'a.yml', 'services:\n  web:\n    image: nginx:1.27\n    x-compose-harden:\n      ignore:\n        read-only-rootf: because\n');
    write(tmp.dir, 'b.yml', 'services:\n  web:\n    image: nginx:1.27\n    x-compose-harden:\n      ignore:\n        read-only-rootfs:\n');
    write(tmp.dir, 'c.yml', 'services:\n  web:\n    image: nginx:1.27\n    x-compose-harden:\n      ignore: [read-only-rootfs]\n');
    const r = await cli(['check', 'a.yml', 'b.yml', 'c.yml', ...ONLY], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'a.yml:6:9: x-compose-harden.ignore: unknown rule "read-only-rootf"; did you mean "read-only-rootfs"? run `compose-harden rules` for the list\n' +
        'b.yml:6:9: x-compose-harden.ignore.read-only-rootfs needs a reason: write why the rule does not apply to "web" as its value\n' +
        'c.yml:5:15: x-compose-harden.ignore must map rule ids to the reason each does not apply; for example `ignore: {read-only-rootfs: "writes /var/cache at runtime"}`\n',
    );
    const path = join(tmp.dir, 'a.yml');
    const before = fileState(path);
    expect((await cli(['fix', 'a.yml'], { cwd: tmp.dir })).code).toBe(2);
    expectUnchanged(path, before);
  });
});
