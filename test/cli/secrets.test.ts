import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers/cli.js';

const COMPOSE = `services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: "pg-Secret-42"
  app:
    image: example/app:1
    environment:
      - API_TOKEN=tok-abc-123
`;

let work: { dir: string; cleanup(): void };
beforeEach(() => {
  work = tempDir('compose-harden-secrets-cli-');
  writeFileSync(join(work.dir, 'compose.yaml'), COMPOSE);
});
afterEach(() => work.cleanup());

const read = (path: string) => readFileSync(join(work.dir, path), 'utf8');
const mode = (path: string) => statSync(join(work.dir, path)).mode & 0o777;

describe('fix writes the secrets beside the compose file', () => {
  it('a 0700 directory, 0444 files, the .gitignore line, and a summary that names files, not values', async () => {
    const result = await cli(['fix', '--only', 'env-secrets'], { cwd: work.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(mode('secrets')).toBe(0o700);
    expect(read('secrets/postgres_password')).toBe('pg-Secret-42');
    expect(mode('secrets/postgres_password')).toBe(0o444);
    expect(read('secrets/api_token')).toBe('tok-abc-123');
    expect(read('secrets/app.env')).toBe('API_TOKEN=tok-abc-123\n');
    expect(mode('secrets/app.env')).toBe(0o444);
    expect(read('.gitignore')).toBe('/secrets/\n');
    expect(result.stdout).toContain('wrote secrets/postgres_password (new, 0444), .gitignore (new, 0644), secrets/app.env (new, 0444), secrets/api_token (new, 0444)');
    expect(result.stdout + result.stderr).not.toMatch(/pg-Secret-42|tok-abc-123/);
  });

  it('a second fix writes nothing', async () => {
    await cli(['fix', '--only', 'env-secrets'], { cwd: work.dir });
    const compose = read('compose.yaml');
    const again = await cli(['fix', '--only', 'env-secrets'], { cwd: work.dir });
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('compose.yaml: nothing to fix\n  1 finding left for manual action (env-secrets): run `compose-harden check compose.yaml`\n');
    expect(read('compose.yaml')).toBe(compose);
  });

  it('never overwrites a secret file with another value: exit 2, a clear error, nothing written', async () => {
    mkdirSync(join(work.dir, 'secrets'), { mode: 0o700 });
    writeFileSync(join(work.dir, 'secrets', 'postgres_password'), 'an older value');
    const result = await cli(['fix'], { cwd: work.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'compose.yaml: secrets/postgres_password already exists with different content: compose-harden never overwrites it; move it away, or rename the secret in the compose file, then run fix again; the compose file was not changed\n',
    );
    expect(read('compose.yaml')).toBe(COMPOSE);
    expect(read('secrets/postgres_password')).toBe('an older value');
    expect(existsSync(join(work.dir, 'secrets', 'api_token'))).toBe(false);
    expect(existsSync(join(work.dir, '.gitignore'))).toBe(false);
  });

  it('a file that already holds the same value is kept; a loose mode is tightened', async () => {
    mkdirSync(join(work.dir, 'secrets'));
    chmodSync(join(work.dir, 'secrets'), 0o755);
    writeFileSync(join(work.dir, 'secrets', 'postgres_password'), 'pg-Secret-42', { mode: 0o666 });
    chmodSync(join(work.dir, 'secrets', 'postgres_password'), 0o666);
    const result = await cli(['fix', '--only', 'env-secrets'], { cwd: work.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(mode('secrets')).toBe(0o700);
    expect(mode('secrets/postgres_password')).toBe(0o444);
    expect(result.stdout).not.toContain('secrets/postgres_password (new');
  });

  it('extends a .gitignore and an env file that exist, keeping what they hold', async () => {
    writeFileSync(join(work.dir, '.gitignore'), 'node_modules\r\n.env');
    mkdirSync(join(work.dir, 'secrets'), { mode: 0o700 });
    writeFileSync(join(work.dir, 'secrets', 'app.env'), 'OTHER=1\n');
    const result = await cli(['fix', '--only', 'env-secrets'], { cwd: work.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(read('.gitignore')).toBe('node_modules\r\n.env\r\n/secrets/\r\n');
    expect(read('secrets/app.env')).toBe('OTHER=1\nAPI_TOKEN=tok-abc-123\n');
  });

  it('an ignore line already there in another spelling is not added again', async () => {
    writeFileSync(join(work.dir, '.gitignore'), 'secrets\n');
    await cli(['fix', '--only', 'env-secrets'], { cwd: work.dir });
    expect(read('.gitignore')).toBe('secrets\n');
  });

  it('refuses to write through a symbolic link, and goes on with the other files', async () => {
    const elsewhere = tempDir('compose-harden-elsewhere-');
    try {
      symlinkSync(elsewhere.dir, join(work.dir, 'secrets'));
      mkdirSync(join(work.dir, 'other'));
      writeFileSync(join(work.dir, 'other', 'compose.yaml'), COMPOSE);
      const result = await cli(['fix', '--only', 'env-secrets', 'compose.yaml', 'other/compose.yaml'], { cwd: work.dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('compose.yaml: secrets is a symbolic link: refusing to write secrets/postgres_password through it; make it a plain directory; the compose file was not changed');
      expect(read('compose.yaml')).toBe(COMPOSE);
      expect(existsSync(join(elsewhere.dir, 'postgres_password'))).toBe(false);
      expect(read('other/secrets/postgres_password')).toBe('pg-Secret-42');
      expect(read('other/compose.yaml')).not.toBe(COMPOSE);
    } finally {
      elsewhere.cleanup();
    }
  });

  it('--output writes the side files beside the output file', async () => {
    mkdirSync(join(work.dir, 'out'));
    const result = await cli(['fix', '--only', 'env-secrets', 'compose.yaml', '--output', 'out/hardened.yaml'], { cwd: work.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(read('out/secrets/postgres_password')).toBe('pg-Secret-42');
    expect(existsSync(join(work.dir, 'secrets'))).toBe(false);
  });
});

describe('no output shows a value', () => {
  it('diff masks the removed lines, lists the side files and says it cannot be applied', async () => {
    const result = await cli(['diff', '--only', 'env-secrets'], { cwd: work.dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      [
        '# compose-harden fix also writes, beside the compose file:',
        '#   secrets/postgres_password (secret value, mode 0444)',
        '#   .gitignore (git-ignore lines: /secrets/)',
        '#   secrets/app.env (env file of moved variables, mode 0444)',
        '#   secrets/api_token (secret value, mode 0444)',
        '# 2 secret values are masked as ****: this diff cannot be applied with `git apply`; run `compose-harden fix` instead',
        '--- a/compose.yaml',
        '+++ b/compose.yaml',
        '@@ -2,8 +2,17 @@',
        '   db:',
        '     image: postgres:16',
        '     environment:',
        '-      POSTGRES_PASSWORD: "****"',
        '+      POSTGRES_PASSWORD_FILE: /run/secrets/postgres_password',
        '+    secrets:',
        '+      - postgres_password',
        '   app:',
        '     image: example/app:1',
        '-    environment:',
        '-      - API_TOKEN=****',
        '+    env_file:',
        '+      - ./secrets/app.env',
        '+    secrets:',
        '+      - api_token',
        '+secrets:',
        '+  postgres_password:',
        '+    file: ./secrets/postgres_password',
        '+  api_token:',
        '+    file: ./secrets/api_token',
        '',
      ].join('\n'),
    );
  });

  it('a value equal to another word of the file is masked there too, on stdin as well', async () => {
    const code = 'services:\n  gitea:\n    image: gitea/gitea:1.22\n    environment:\n      DB_PASSWD: gitea\n';
    for (const argv of [['check', '-'], ['check', '--format', 'json', '-'], ['inspect', '-'], ['inspect', '--format', 'json', '-'], ['diff', '-']]) {
      const result = await cli(argv, { cwd: work.dir, stdin: code });
      expect(result.stdout + result.stderr, argv.join(' ')).not.toContain('gitea');
      expect(result.stdout, argv.join(' ')).toContain('****');
    }
  });

  it('after fix, the values in secret and env files are still never printed', async () => {
    writeFileSync(join(work.dir, 'compose.yaml'), COMPOSE.replace('tok-abc-123', 'app'));
    await cli(['fix', '--only', 'env-secrets'], { cwd: work.dir });
    const check = await cli(['check', '--only', 'env-secrets'], { cwd: work.dir });
    expect(check.stdout).toContain('service "****" gets API_TOKEN, a credential, from env file ./secrets/****.env');
  });
});

describe('after fix, check keeps reporting what reaches the environment from an env file', () => {
  it('a credential key and a URL with a password, never their values', async () => {
    writeFileSync(join(work.dir, 'compose.yaml'), 'services:\n  web:\n    build: .\n    environment:\n      SECRET_KEY: k3y-ABCDEFGH\n      DATABASE_URL: postgres://app:pw-ABCDEFGH@db/app\n');
    await cli(['fix', '--only', 'env-secrets'], { cwd: work.dir });
    const check = await cli(['check', '--only', 'env-secrets', '--format', 'json'], { cwd: work.dir });
    const messages = (JSON.parse(check.stdout) as { files: Array<{ findings: Array<{ message: string; severity: string }> }> }).files[0]!.findings.map((f) => `${f.severity} ${f.message}`);
    expect(messages).toEqual([
      'info service "web" gets SECRET_KEY, a credential, from env file ./secrets/web.env into its environment: prefer a compose secret the application reads from /run/secrets',
      'info service "web" gets DATABASE_URL, a credential, from env file ./secrets/web.env into its environment: prefer a compose secret the application reads from /run/secrets',
    ]);
    expect(check.stdout).not.toMatch(/k3y-ABCDEFGH|pw-ABCDEFGH/);
  });
});
