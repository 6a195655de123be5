import { randomBytes } from 'node:crypto';
import { chmod, chown, lstat, mkdir, open, readFile, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The file operations the CLI needs; tests substitute failing implementations to simulate crashes. */
export interface FileSystem {
  readFile(path: string): Promise<Uint8Array>;
  isDirectory(path: string): Promise<boolean>;
  exists(path: string): Promise<boolean>;
  /** Replaces `path` atomically: a temporary file in the same directory, then a rename. Keeps mode and owner, writes through symlinks. */
  writeFileAtomic(path: string, data: string): Promise<void>;
  /** What is at `path` without following a symbolic link, or null when nothing is. */
  kind(path: string): Promise<{ type: 'file' | 'directory' | 'symlink' | 'other'; mode: number } | null>;
  /** Creates one directory with exactly `mode`. */
  makeDirectory(path: string, mode: number): Promise<void>;
  setMode(path: string, mode: number): Promise<void>;
  /** Replaces or creates `path` atomically with exactly `mode` (side files: secrets, profiles). */
  writeFileWithMode(path: string, data: string, mode: number): Promise<void>;
}

/** A write failed; the original file is untouched. */
export class WriteError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'WriteError';
  }
}

export const nodeFileSystem: FileSystem = {
  readFile: (path) => readFile(path),
  async isDirectory(path) {
    try {
      return (await stat(path)).isDirectory();
    } catch {
      return false;
    }
  },
  async exists(path) {
    try {
      await stat(path);
      return true;
    } catch {
      return false;
    }
  },
  async kind(path) {
    try {
      const info = await lstat(path);
      const type = info.isSymbolicLink() ? 'symlink' : info.isDirectory() ? 'directory' : info.isFile() ? 'file' : 'other';
      return { type, mode: info.mode & 0o7777 };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new WriteError(path, describeWriteError(error));
    }
  },
  async makeDirectory(path, mode) {
    try {
      await mkdir(path, { mode });
      await chmod(path, mode);
    } catch (error) {
      throw new WriteError(path, describeWriteError(error));
    }
  },
  async setMode(path, mode) {
    try {
      await chmod(path, mode);
    } catch (error) {
      throw new WriteError(path, describeWriteError(error));
    }
  },
  async writeFileWithMode(path, data, mode) {
    const temporary = join(dirname(path), `.${basename(path)}.compose-harden-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    try {
      const handle = await open(temporary, 'wx', 0o600);
      try {
        await handle.writeFile(data, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await chmod(temporary, mode);
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      throw new WriteError(path, describeWriteError(error));
    }
  },
  async writeFileAtomic(path, data) {
    let target = path;
    try {
      target = await realpath(path);
    } catch {
      // A new file (fix --output): written where it was asked for.
    }
    let mode: number | undefined;
    let owner: { uid: number; gid: number } | undefined;
    try {
      const info = await stat(target);
      mode = info.mode & 0o7777;
      owner = { uid: info.uid, gid: info.gid };
    } catch {
      // New file: default mode.
    }
    const temporary = join(dirname(target), `.${basename(target)}.compose-harden-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    try {
      // A new file gets the usual 0666 less the umask; an existing one keeps its mode (set below).
      const handle = await open(temporary, 'wx', mode === undefined ? 0o666 : 0o600);
      try {
        await handle.writeFile(data, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      if (mode !== undefined) await chmod(temporary, mode);
      if (owner && typeof process.getuid === 'function' && process.getuid() === 0) await chown(temporary, owner.uid, owner.gid);
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      throw new WriteError(path, describeWriteError(error));
    }
  },
};

function describeWriteError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'cannot write: permission denied; check the permissions of the file and its directory (the original is unchanged)';
    case 'EROFS':
      return 'cannot write: the file system is read-only (the original is unchanged)';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'cannot write: no space left on the device (the original is unchanged)';
    case 'ENOENT':
      return 'cannot write: the directory does not exist';
    default:
      return `cannot write: ${(error as Error).message} (the original is unchanged)`;
  }
}
