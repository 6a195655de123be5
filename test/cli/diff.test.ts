import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import {
  ESC,
  HARDENED,
  ONLY_READ_ONLY_MISSING,
  PLAIN,
  PLAIN_HUNK, PLAIN_PREAMBLE,
  PRIVILEGED,
  entries,
  expectUnchanged,
  fileState,
  plainDiff,
  stripAnsi,
  useTempDir,
  write,
} from './support.js';

const tmp = useTempDir();

describe('diff', () => {
  it('prints a unified diff with a/ and b/ headers and exits 1 when something would change', async () => {
    write(tmp.dir, 'compose.yaml', PLAIN);
    expect(await cli(['diff', 'compose.yaml'], { cwd: tmp.dir })).toEqual({ code: 1, stdout: plainDiff('compose.yaml'), stderr: '' });
  });

  it('prints nothing and exits 0 when nothing would change', async () => {
    write(tmp.dir, 'compose.yaml', HARDENED);
    expect(await cli(['diff', 'compose.yaml'], { cwd: tmp.dir })).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('exits 0 for a file whose only findings are manual (nothing to rewrite)', async () => {
    write(tmp.dir, 'compose.yaml', PRIVILEGED);
    expect(await cli(['diff'], { cwd: tmp.dir })).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('names the file in the headers by its path relative to the working directory', async () => {
    mkdirSync(join(tmp.dir, 'stack'));
    write(tmp.dir, 'stack/docker-compose.yml', PLAIN);
    const r = await cli(['diff', 'stack/docker-compose.yml'], { cwd: tmp.dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(plainDiff('stack/docker-compose.yml'));
    const nested = await cli(['diff', 'docker-compose.yml'], { cwd: join(tmp.dir, 'stack') });
    expect(nested.stdout).toBe(plainDiff('docker-compose.yml'));
  });

  it('does not touch the file', async () => {
    const path = write(tmp.dir, 'compose.yaml', PLAIN, 0o640);
    const before = fileState(path);
    const names = entries(tmp.dir);
    expect((await cli(['diff'], { cwd: tmp.dir })).code).toBe(1);
    expectUnchanged(path, before);
    expect(entries(tmp.dir)).toEqual(names);
  });

  it('is the patch that fix applies', async () => {
    const original = ONLY_READ_ONLY_MISSING.replace('  web:\n', '  web:\n    privileged: false\n    read_only: false\n');
    write(tmp.dir, 'compose.yaml', original);
    const patch = await cli(['diff', 'compose.yaml'], { cwd: tmp.dir });
    expect(patch.code).toBe(1);
    expect(patch.stdout.startsWith('--- a/compose.yaml\n+++ b/compose.yaml\n@@ ')).toBe(true);
    const fixed = await cli(['fix', 'compose.yaml', '--output', 'fixed.yaml'], { cwd: tmp.dir });
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(applyPatch(original, patch.stdout)).toBe(readFileSync(join(tmp.dir, 'fixed.yaml'), 'utf8'));
  });

  it('prints one patch per changed file, in argument order, and skips unchanged ones', async () => {
    write(tmp.dir, 'a.yml', PLAIN);
    write(tmp.dir, 'b.yml', HARDENED);
    write(tmp.dir, 'c.yml', PLAIN);
    const r = await cli(['diff', 'c.yml', 'b.yml', 'a.yml'], { cwd: tmp.dir });
    expect(r).toEqual({ code: 1, stdout: plainDiff('c.yml') + plainDiff('a.yml'), stderr: '' });
    expect((await cli(['diff', 'b.yml', 'b.yml'], { cwd: tmp.dir })).code).toBe(0);
  });

  it('reads standard input with -', async () => {
    const r = await cli(['diff', '-'], { cwd: tmp.dir, stdin: PLAIN });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n').filter((line) => !line.startsWith('# '));
    expect(r.stdout.startsWith(PLAIN_PREAMBLE)).toBe(true);
    expect(lines[0]).toMatch(/^--- a\/\S/);
    expect(lines[1]).toMatch(/^\+\+\+ b\/\S/);
    expect(lines.slice(2).join('\n')).toBe(PLAIN_HUNK);
    expect(await cli(['diff', '-'], { cwd: tmp.dir, stdin: HARDENED })).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('is deterministic', async () => {
    write(tmp.dir, 'a.yml', PLAIN);
    write(tmp.dir, 'b.yml', ONLY_READ_ONLY_MISSING);
    const first = await cli(['diff', 'a.yml', 'b.yml'], { cwd: tmp.dir });
    for (let i = 0; i < 3; i++) expect(await cli(['diff', 'a.yml', 'b.yml'], { cwd: tmp.dir })).toEqual(first);
  });
});

describe('diff colour', () => {
  const run = async (flags: string[], options: { tty?: boolean; env?: Record<string, string> }) => {
    write(tmp.dir, 'compose.yaml', PLAIN);
    const r = await cli(['diff', ...flags], { cwd: tmp.dir, ...options });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(stripAnsi(r.stdout)).toBe(plainDiff('compose.yaml'));
    return r.stdout;
  };

  it('is off when stdout is not a terminal', async () => {
    expect(await run([], {})).not.toContain(ESC);
  });

  it('is on when stdout is a terminal', async () => {
    const out = await run([], { tty: true });
    expect(out).toContain('\u001b[32m+    read_only: true\u001b[39m');
    expect(out).toContain('\u001b[1m--- a/compose.yaml\u001b[22m');
    expect(out).toContain('\u001b[36m@@ -9,3 +9,11 @@\u001b[39m');
    // Context lines stay plain.
    expect(out).toContain('\n     mem_limit: 128m\n');
  });

  it('is off on a terminal when NO_COLOR is set', async () => {
    expect(await run([], { tty: true, env: { NO_COLOR: '1' } })).not.toContain(ESC);
  });

  it('is off on a terminal with --no-color', async () => {
    expect(await run(['--no-color'], { tty: true })).not.toContain(ESC);
  });

  it('is on off a terminal with --color', async () => {
    expect(await run(['--color'], {})).toBe(await run([], { tty: true }));
  });

  it('follows the flag over NO_COLOR', async () => {
    expect(await run(['--color'], { env: { NO_COLOR: '1' } })).toContain(ESC);
    expect(await run(['--no-color'], { tty: true, env: { NO_COLOR: '1' } })).not.toContain(ESC);
  });
});
