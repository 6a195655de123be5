import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ESC, PLAIN, PLAIN_FIXED, entries, plainDiff, read, useTempDir, write } from './support.js';

/**
 * The built bin (`npx tsc -p tsconfig.json` first): what only a real process shows, such as the
 * decoding of standard input, which the in-process helper hands over as a string.
 */
const BIN = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const tmp = useTempDir();

function bin(argv: string[], options: { stdin?: string | Uint8Array; env?: Record<string, string> } = {}) {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  delete env.FORCE_COLOR;
  if (!options.env?.NO_COLOR) delete env.NO_COLOR;
  const r = spawnSync(process.execPath, [BIN, ...argv], { cwd: tmp.dir, input: options.stdin ?? '', env, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.runIf(existsSync(BIN))('the built bin', () => {
  it('exits 1 with findings, 0 without, and keeps stderr empty', () => {
    write(tmp.dir, 'compose.yaml', PLAIN);
    expect(bin(['diff'])).toEqual({ code: 1, stdout: plainDiff('compose.yaml'), stderr: '' });
    expect(bin(['fix'])).toMatchObject({ code: 0, stderr: '' });
    expect(read(tmp.dir, 'compose.yaml')).toBe(PLAIN_FIXED);
    expect(bin(['check'])).toEqual({ code: 0, stdout: 'No findings.\n', stderr: '' });
  });

  it('does not colour a pipe', () => {
    write(tmp.dir, 'compose.yaml', PLAIN);
    expect(bin(['diff']).stdout).not.toContain(ESC);
    expect(bin(['diff', '--color']).stdout).toContain(ESC);
  });

  it('exits 2 on usage errors and 0 for --help and --version', () => {
    expect(bin(['lint']).code).toBe(2);
    expect(bin(['check', '--frobnicate']).code).toBe(2);
    expect(bin(['--help'])).toMatchObject({ code: 0, stderr: '' });
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(bin(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('reads standard input with -', () => {
    expect(bin(['diff', '-'], { stdin: PLAIN })).toMatchObject({ code: 1, stderr: '' });
    expect(bin(['fix', '-', '-o', 'out.yml'], { stdin: PLAIN })).toMatchObject({ code: 0, stderr: '' });
    expect(read(tmp.dir, 'out.yml')).toBe(PLAIN_FIXED);
  });

  it('refuses invalid UTF-8 on standard input, with its position, as it does for a file', () => {
    const bytes = Buffer.concat([Buffer.from('services:\n  web:\n    image: caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    write(tmp.dir, 'bad.yml', bytes);
    const fromFile = bin(['check', 'bad.yml']);
    expect(fromFile.code).toBe(2);
    expect(fromFile.stderr).toMatch(/^bad\.yml:3:15: .*UTF-8/);

    const check = bin(['check', '--format', 'json', '-'], { stdin: bytes });
    expect(check.code).toBe(2);
    expect(check.stderr).toMatch(/^\S+:3:15: .*UTF-8/);

    // Decoding it anyway would write U+FFFD where the user's byte was.
    const fix = bin(['fix', '-', '--output', 'out.yml'], { stdin: bytes });
    expect(fix.code).toBe(2);
    expect(existsSync(join(tmp.dir, 'out.yml'))).toBe(false);
    expect(entries(tmp.dir)).toEqual(['bad.yml']);
  });

  it('refuses binary data on standard input', () => {
    const r = bin(['check', '-'], { stdin: Buffer.from('services:\n  web:\n    image: ng\u0000inx\n', 'latin1') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^\S+:3:14: .*(binary|NUL)/i);
  });
});

describe.runIf(existsSync(BIN))('the built bin in a pipe', () => {
  it('stops quietly when the reader closes the pipe early (`check | head -1`)', () => {
    for (let i = 0; i < 40; i++) write(tmp.dir, `c${i}.yml`, PLAIN);
    const names = Array.from({ length: 40 }, (_, i) => `c${i}.yml`).join(' ');
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" check ${names} | head -1`], { cwd: tmp.dir, encoding: 'utf8' });
    expect(r.stdout).toBe('c0.yml\n');
    expect(r.stderr).toBe('');
  });
});
