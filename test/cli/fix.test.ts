import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { WriteError, nodeFileSystem, type FileSystem } from '../../src/io/file-system.js';
import {
  HARDENED,
  PLAIN,
  PLAIN_FIXED,
  PRIVILEGED,
  entries,
  expectUnchanged,
  fileState,
  read,
  useTempDir,
  write,
} from './support.js';

const tmp = useTempDir();

describe('fix in place', () => {
  it('rewrites the file and exits 0 with nothing on stderr', async () => {
    write(tmp.dir, 'compose.yaml', PLAIN);
    const r = await cli(['fix', 'compose.yaml'], { cwd: tmp.dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('compose.yaml');
    expect(read(tmp.dir, 'compose.yaml')).toBe(PLAIN_FIXED);
  });

  it('leaves nothing for check or diff to do', async () => {
    write(tmp.dir, 'compose.yaml', PLAIN);
    expect((await cli(['fix'], { cwd: tmp.dir })).code).toBe(0);
    expect(await cli(['diff'], { cwd: tmp.dir })).toEqual({ code: 0, stdout: '', stderr: '' });
    expect((await cli(['check'], { cwd: tmp.dir })).code).toBe(0);
  });

  it('replaces the file by a rename (a new inode), leaving no temporary file', async () => {
    const path = write(tmp.dir, 'compose.yaml', PLAIN);
    write(tmp.dir, 'other.txt', 'x');
    const before = statSync(path).ino;
    expect((await cli(['fix', 'compose.yaml'], { cwd: tmp.dir })).code).toBe(0);
    expect(statSync(path).ino).not.toBe(before);
    expect(entries(tmp.dir)).toEqual(['compose.yaml', 'other.txt']);
  });

  for (const mode of [0o640, 0o600, 0o755]) {
    it(`keeps the file mode ${mode.toString(8).padStart(4, '0')}`, async () => {
      const path = write(tmp.dir, 'compose.yaml', PLAIN, mode);
      expect(statSync(path).mode & 0o7777).toBe(mode);
      const r = await cli(['fix'], { cwd: tmp.dir });
      expect(r.code, r.stderr).toBe(0);
      expect(read(tmp.dir, 'compose.yaml')).toBe(PLAIN_FIXED);
      expect(statSync(path).mode & 0o7777).toBe(mode);
      expect(entries(tmp.dir)).toEqual(['compose.yaml']);
    });
  }

  it('does not write a file that needs no change', async () => {
    const path = write(tmp.dir, 'compose.yaml', HARDENED, 0o640);
    const before = fileState(path);
    const r = await cli(['fix', 'compose.yaml'], { cwd: tmp.dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expectUnchanged(path, before);
  });

  it('exits 0 and writes nothing when only manual findings remain', async () => {
    const path = write(tmp.dir, 'compose.yaml', PRIVILEGED);
    const before = fileState(path);
    const r = await cli(['fix'], { cwd: tmp.dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('no-privileged');
    expectUnchanged(path, before);
  });

  it('is idempotent', async () => {
    const path = write(tmp.dir, 'compose.yaml', PLAIN);
    expect((await cli(['fix'], { cwd: tmp.dir })).code).toBe(0);
    const once = fileState(path);
    expect((await cli(['fix'], { cwd: tmp.dir })).code).toBe(0);
    expectUnchanged(path, once);
  });

  it('fixes several files in one run', async () => {
    write(tmp.dir, 'a.yml', PLAIN);
    write(tmp.dir, 'b.yml', PLAIN);
    const r = await cli(['fix', 'a.yml', 'b.yml'], { cwd: tmp.dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(read(tmp.dir, 'a.yml')).toBe(PLAIN_FIXED);
    expect(read(tmp.dir, 'b.yml')).toBe(PLAIN_FIXED);
    expect(entries(tmp.dir)).toEqual(['a.yml', 'b.yml']);
  });

  it('gives the same result on every run', async () => {
    write(tmp.dir, 'a.yml', PLAIN);
    const first = await cli(['fix', 'a.yml', '--output', 'one.yml'], { cwd: tmp.dir });
    const second = await cli(['fix', 'a.yml', '--output', 'two.yml'], { cwd: tmp.dir });
    expect(first.code).toBe(0);
    // Only the first run creates the profile beside them.
    expect(second.stdout.replace('two.yml', 'one.yml')).toBe(first.stdout.replace('  wrote seccomp/nginx.json (new, 0644)\n', ''));
    expect(read(tmp.dir, 'two.yml')).toBe(read(tmp.dir, 'one.yml'));
  });
});

describe('fix through a symlink', () => {
  it('writes the target and keeps the link', async () => {
    const target = write(tmp.dir, 'real.yml', PLAIN, 0o640);
    const link = join(tmp.dir, 'compose.yaml');
    symlinkSync('real.yml', link);
    const r = await cli(['fix', 'compose.yaml'], { cwd: tmp.dir });
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('real.yml');
    expect(readFileSync(target, 'utf8')).toBe(PLAIN_FIXED);
    expect(statSync(target).mode & 0o7777).toBe(0o640);
    expect(entries(tmp.dir)).toEqual(['compose.yaml', 'real.yml']);
  });

  it('writes a target in another directory, with no temporary file in either', async () => {
    mkdirSync(join(tmp.dir, 'shared'));
    mkdirSync(join(tmp.dir, 'app'));
    const target = write(tmp.dir, 'shared/base.yml', PLAIN);
    symlinkSync('../shared/base.yml', join(tmp.dir, 'app', 'compose.yaml'));
    const r = await cli(['fix'], { cwd: join(tmp.dir, 'app') });
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(join(tmp.dir, 'app', 'compose.yaml')).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe(PLAIN_FIXED);
    expect(entries(join(tmp.dir, 'app'))).toEqual(['compose.yaml']);
    expect(entries(join(tmp.dir, 'shared'))).toEqual(['base.yml']);
  });
});

describe('fix --output', () => {
  it('writes the result elsewhere and leaves the input untouched', async () => {
    const input = write(tmp.dir, 'compose.yaml', PLAIN, 0o640);
    const before = fileState(input);
    const r = await cli(['fix', 'compose.yaml', '--output', 'hardened.yaml'], { cwd: tmp.dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(read(tmp.dir, 'hardened.yaml')).toBe(PLAIN_FIXED);
    expectUnchanged(input, before);
    expect(entries(tmp.dir)).toEqual(['compose.yaml', 'hardened.yaml']);
  });

  it('accepts -o and a path in another directory', async () => {
    mkdirSync(join(tmp.dir, 'out'));
    const input = write(tmp.dir, 'compose.yaml', PLAIN);
    const before = fileState(input);
    const r = await cli(['fix', '-o', 'out/compose.yaml'], { cwd: tmp.dir });
    expect(r.code, r.stderr).toBe(0);
    expect(read(tmp.dir, 'out/compose.yaml')).toBe(PLAIN_FIXED);
    expectUnchanged(input, before);
  });

  it('writes the output even when nothing needs fixing', async () => {
    write(tmp.dir, 'compose.yaml', HARDENED);
    const r = await cli(['fix', 'compose.yaml', '--output', 'copy.yaml'], { cwd: tmp.dir });
    expect(r.code, r.stderr).toBe(0);
    expect(read(tmp.dir, 'copy.yaml')).toBe(HARDENED);
  });

  it('replaces an existing output file', async () => {
    write(tmp.dir, 'compose.yaml', PLAIN);
    write(tmp.dir, 'hardened.yaml', 'old\n');
    expect((await cli(['fix', 'compose.yaml', '--output', 'hardened.yaml'], { cwd: tmp.dir })).code).toBe(0);
    expect(read(tmp.dir, 'hardened.yaml')).toBe(PLAIN_FIXED);
    expect(entries(tmp.dir)).toEqual(['compose.yaml', 'hardened.yaml']);
  });

  it('with two inputs is a usage error: exit 2, nothing written', async () => {
    const a = write(tmp.dir, 'a.yml', PLAIN);
    const b = write(tmp.dir, 'b.yml', PLAIN);
    const before = [fileState(a), fileState(b)];
    const r = await cli(['fix', 'a.yml', 'b.yml', '--output', 'out.yml'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--output/);
    expect(r.stderr).toMatch(/one/);
    expectUnchanged(a, before[0]!);
    expectUnchanged(b, before[1]!);
    expect(existsSync(join(tmp.dir, 'out.yml'))).toBe(false);
    expect(entries(tmp.dir)).toEqual(['a.yml', 'b.yml']);
  });

  it('reads standard input with - when given an output', async () => {
    const r = await cli(['fix', '-', '--output', 'out.yml'], { cwd: tmp.dir, stdin: PLAIN });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(read(tmp.dir, 'out.yml')).toBe(PLAIN_FIXED);
  });

  it('does not create the output when the input is bad', async () => {
    const bad = write(tmp.dir, 'bad.yml', 'services:\n  web: nginx\n');
    const before = fileState(bad);
    const r = await cli(['fix', 'bad.yml', '--output', 'out.yml'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bad\.yml:2:8: /);
    expect(existsSync(join(tmp.dir, 'out.yml'))).toBe(false);
    expectUnchanged(bad, before);
  });
});

describe('fix -', () => {
  it('without --output is an error: exit 2, nothing written', async () => {
    write(tmp.dir, 'compose.yaml', PLAIN);
    const r = await cli(['fix', '-'], { cwd: tmp.dir, stdin: PLAIN });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/standard input|stdin/i);
    expect(r.stderr).toMatch(/--output/);
    expect(read(tmp.dir, 'compose.yaml')).toBe(PLAIN);
    expect(entries(tmp.dir)).toEqual(['compose.yaml']);
  });
});

describe('fix when a write fails', () => {
  it('reports the file, exits 2, and leaves no temporary file', async () => {
    const input = write(tmp.dir, 'compose.yaml', PLAIN);
    const before = fileState(input);
    const r = await cli(['fix', '--output', 'no/such/dir/out.yml'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^no\/such\/dir\/out\.yml: /);
    expectUnchanged(input, before);
    expect(entries(tmp.dir)).toEqual(['compose.yaml']);
  });

  it('removes its temporary file when the final rename fails', async () => {
    const input = write(tmp.dir, 'compose.yaml', PLAIN);
    const before = fileState(input);
    mkdirSync(join(tmp.dir, 'taken'));
    const r = await cli(['fix', '--output', 'taken'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^taken: cannot write/);
    expect(r.stderr).toContain('\n');
    expectUnchanged(input, before);
    expect(entries(tmp.dir)).toEqual(['compose.yaml', 'taken']);
    expect(entries(join(tmp.dir, 'taken'))).toEqual([]);
  });

  it('still writes the other files of the run', async () => {
    const a = write(tmp.dir, 'a.yml', PLAIN);
    write(tmp.dir, 'b.yml', PLAIN);
    const before = fileState(a);
    const failing: FileSystem = {
      ...nodeFileSystem,
      async writeFileAtomic(path, data) {
        if (path.endsWith('a.yml')) throw new WriteError(path, 'cannot write: disk on fire (the original is unchanged)');
        return nodeFileSystem.writeFileAtomic(path, data);
      },
    };
    const r = await cli(['fix', 'a.yml', 'b.yml'], { cwd: tmp.dir, fs: failing });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('a.yml: cannot write: disk on fire (the original is unchanged)\n');
    expectUnchanged(a, before);
    expect(read(tmp.dir, 'b.yml')).toBe(PLAIN_FIXED);
  });
});
