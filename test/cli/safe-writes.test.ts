import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers/cli.js';

/**
 * What `fix` never does to a file, tested with real failures: a process killed between writing and
 * renaming, a read-only file, a read-only file system, a full disk, and names in the input that try to
 * lead side files out of the compose file's directory. The file-system cases mount small tmpfs file
 * systems and need root (CI runs as root); they are skipped with a message otherwise.
 */
const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const canMount = isRoot && spawnSync('mount', ['--version']).status === 0;

const COMPOSE = 'services:\n  web:\n    image: nginx:1.27\n    environment:\n      API_TOKEN: "tok-0123456789"\n';

let work: { dir: string; cleanup(): void };
beforeEach(() => {
  work = tempDir('compose-harden-safe-');
});
afterEach(() => work.cleanup());

/** Runs the built CLI in a child process, with a module preloaded (to break the file system on purpose). */
function child(args: string[], cwd: string, preload?: string): { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [...(preload ? ['--import', preload] : []), CLI, ...args], { cwd, encoding: 'utf8' });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

describe('a crash in the middle of fix', () => {
  it('killed between writing the new file and renaming it: the original is byte-identical', () => {
    const path = join(work.dir, 'compose.yaml');
    writeFileSync(path, COMPOSE);
    // The preload kills the process (SIGKILL: no cleanup runs) at the rename that would replace the compose file.
    const preload = join(work.dir, 'crash.mjs');
    writeFileSync(
      preload,
      [
        "import fs from 'node:fs/promises';",
        "import { syncBuiltinESMExports } from 'node:module';",
        'const rename = fs.rename;',
        "fs.rename = async (from, to) => { if (String(to).endsWith('compose.yaml')) process.kill(process.pid, 'SIGKILL'); return rename(from, to); };",
        'syncBuiltinESMExports();',
      ].join('\n'),
    );
    const result = child(['fix', 'compose.yaml'], work.dir, preload);
    expect(result.signal).toBe('SIGKILL');
    expect(readFileSync(path, 'utf8')).toBe(COMPOSE);
  });
});

const hasChattr = isRoot && spawnSync('chattr', ['--help']).error === undefined;
const hasSetpriv = isRoot && spawnSync('setpriv', ['--version']).status === 0;

describe('files and directories that refuse the write', () => {
  it.runIf(hasChattr)('an immutable compose file (chattr +i, read-only even for root): a clear error, the original byte-identical', async () => {
    const path = join(work.dir, 'compose.yaml');
    writeFileSync(path, COMPOSE);
    const set = spawnSync('chattr', ['+i', path], { encoding: 'utf8' });
    if (set.status !== 0) return; // a file system without the attribute (tmpfs): nothing to test here
    try {
      const result = await cli(['fix', '--skip', 'env-secrets,seccomp-profile'], { cwd: work.dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe('compose.yaml: cannot write: permission denied; check the permissions of the file and its directory (the original is unchanged)\n');
      expect(readFileSync(path, 'utf8')).toBe(COMPOSE);
    } finally {
      spawnSync('chattr', ['-i', path]);
    }
  });

  it.runIf(hasSetpriv)('a read-only directory, for a user who is not root: a clear error, the original byte-identical', () => {
    const dir = join(work.dir, 'ro');
    mkdirSync(dir);
    const path = join(dir, 'compose.yaml');
    writeFileSync(path, COMPOSE);
    chmodSync(work.dir, 0o755);
    chmodSync(dir, 0o555);
    const result = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, 'fix', '--skip', 'env-secrets,seccomp-profile', 'compose.yaml'], { cwd: dir, encoding: 'utf8' });
    chmodSync(dir, 0o755);
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toBe('compose.yaml: cannot write: permission denied; check the permissions of the file and its directory (the original is unchanged)\n');
    expect(readFileSync(path, 'utf8')).toBe(COMPOSE);
  });

  it('a file without write permission in a writable directory is replaced like sed -i does, keeping its mode', async () => {
    const path = join(work.dir, 'compose.yaml');
    writeFileSync(path, COMPOSE);
    chmodSync(path, 0o444);
    const result = await cli(['fix', '--skip', 'env-secrets,seccomp-profile'], { cwd: work.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(path, 'utf8')).not.toBe(COMPOSE);
    expect(statSync(path).mode & 0o777).toBe(0o444);
  });
});

describe.runIf(canMount)('file systems that refuse the write (tmpfs mounts, as root)', () => {
  let mountPoint: string;
  beforeEach(() => {
    mountPoint = join(work.dir, 'mnt');
    mkdirSync(mountPoint);
  });
  afterEach(() => {
    spawnSync('umount', [mountPoint]);
  });

  const mount = (options: string) => {
    const result = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', mountPoint], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
  };

  it('a read-only file system: a clear error, the original byte-identical', async () => {
    mount('size=1m');
    writeFileSync(join(mountPoint, 'compose.yaml'), COMPOSE);
    expect(spawnSync('mount', ['-o', 'remount,ro', mountPoint]).status).toBe(0);
    const result = await cli(['fix'], { cwd: mountPoint });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/: cannot write: the file system is read-only \(the original is unchanged\)/);
    expect(readFileSync(join(mountPoint, 'compose.yaml'), 'utf8')).toBe(COMPOSE);
  });

  it('a full disk: a clear error, the original byte-identical, no temporary file left', async () => {
    mount('size=64k');
    const path = join(mountPoint, 'compose.yaml');
    writeFileSync(path, COMPOSE);
    // Fill the file system up to the last bytes.
    try {
      writeFileSync(join(mountPoint, 'filler'), Buffer.alloc(64 * 1024));
    } catch {
      // ENOSPC once it is full: what we want.
    }
    const result = await cli(['fix', '--skip', 'seccomp-profile,env-secrets'], { cwd: mountPoint });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/compose\.yaml: cannot write: no space left on the device \(the original is unchanged\)/);
    expect(readFileSync(path, 'utf8')).toBe(COMPOSE);
    expect(readdirSync(mountPoint).sort()).toEqual(['compose.yaml', 'filler']);
  });

  it('a full disk while writing side files: the compose file is not changed', async () => {
    mount('size=64k');
    const path = join(mountPoint, 'compose.yaml');
    writeFileSync(path, COMPOSE);
    try {
      writeFileSync(join(mountPoint, 'filler'), Buffer.alloc(64 * 1024));
    } catch {
      // full
    }
    const result = await cli(['fix'], { cwd: mountPoint });
    expect(result.code).toBe(2);
    expect(readFileSync(path, 'utf8')).toBe(COMPOSE);
    expect(result.stdout + result.stderr).not.toContain('tok-0123456789');
  });
});

describe.runIf(!canMount)('file systems that refuse the write', () => {
  it.skip('skipped: mounting a tmpfs needs root and mount(8) (CI runs as root)', () => {});
});

describe('names in the input never lead a side file out of the directory', () => {
  it('service and variable names full of dots and slashes', async () => {
    const dir = join(work.dir, 'project');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'compose.yaml'),
      'services:\n  "../../escape":\n    image: example/app:1\n    environment:\n      "../X_TOKEN": "tok-ABCDEFGHIJ"\n  "/abs":\n    image: example/app:1\n    environment:\n      - /etc/PASSWORD=pw-ABCDEFGHIJ\n',
    );
    const result = await cli(['fix', '--only', 'env-secrets'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(readdirSync(work.dir).sort()).toEqual(['project']);
    expect(readdirSync(dir).sort()).toEqual(['.gitignore', 'compose.yaml', 'secrets']);
    const written = readdirSync(join(dir, 'secrets')).sort();
    expect(written).toEqual(['abs.env', 'escape.env', 'etc_password', 'x_token']);
    expect(existsSync('/etc/PASSWORD')).toBe(false);
  });
});
