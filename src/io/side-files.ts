/**
 * Writes the side files of a fix (secrets, env files, profiles, `.gitignore` lines) inside the compose
 * file's directory. Everything is checked before anything is written: a path leaving the directory, a
 * symbolic link on the way, or an existing secret with another value stops the file with nothing written.
 */
import { join } from 'node:path';
import { envKey, mergeLines, safeRelativePath, type SideFile } from '../core/side-files.js';
import type { FileSystem } from './file-system.js';

/** A side file could not be written safely; nothing was written for this compose file. */
export class SideFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SideFileError';
  }
}

export interface SideFileWrite {
  readonly file: SideFile;
  readonly absolute: string;
  /** The content to write, after merging with what is there. */
  readonly content: string;
  /** `kept`: a generated file (a profile) that exists with other content is the user's to keep. */
  readonly action: 'create' | 'update' | 'unchanged' | 'kept';
  /** The mode written: the side file's own, except that an extended `.gitignore` keeps its mode. */
  readonly mode: number;
  /** Directories to create first, each with its mode. */
  readonly directories: ReadonlyArray<{ path: string; mode: number; create: boolean }>;
  /** A group- or world-writable existing file or directory whose mode is tightened. */
  readonly tighten: ReadonlyArray<{ path: string; mode: number }>;
}

const decoder = new TextDecoder('utf-8');

/** Decides, without writing, what each side file needs; throws SideFileError on anything unsafe. */
export async function planSideFiles(directory: string, files: readonly SideFile[], fs: FileSystem): Promise<SideFileWrite[]> {
  const plans: SideFileWrite[] = [];
  for (const file of files) {
    const relative = safeRelativePath(file.path);
    if (relative === null) throw new SideFileError(`refusing to write ${JSON.stringify(file.path)}: side files stay inside the compose file's directory`);
    const parts = relative.split('/');
    const directories: Array<{ path: string; mode: number; create: boolean }> = [];
    const tighten: Array<{ path: string; mode: number }> = [];
    let at = directory;
    for (const part of parts.slice(0, -1)) {
      at = join(at, part);
      const found = await fs.kind(at);
      const mode = file.dirMode ?? 0o755;
      if (found === null) directories.push({ path: at, mode, create: true });
      else if (found.type !== 'directory') {
        throw new SideFileError(`${shown(directory, at)} is ${found.type === 'symlink' ? 'a symbolic link' : 'not a directory'}: refusing to write ${relative} through it; make it a plain directory`);
      } else if (file.dirMode !== undefined && found.mode !== file.dirMode) tighten.push({ path: at, mode: file.dirMode });
    }
    const absolute = join(directory, ...parts);
    const found = await fs.kind(absolute);
    if (found !== null && found.type !== 'file') {
      throw new SideFileError(`${relative} exists and is ${found.type === 'symlink' ? 'a symbolic link' : 'not a regular file'}: refusing to write through it`);
    }
    const existing = found === null ? null : decoder.decode(await fs.readFile(absolute));
    const kept = file.kind === 'generated' && existing !== null && existing !== file.content;
    const content = kept ? existing : merged(file, existing, relative);
    const action = kept ? 'kept' : existing === null ? 'create' : existing === content ? 'unchanged' : 'update';
    if (found !== null && action === 'unchanged' && file.kind !== 'ignore' && (found.mode & 0o022) !== 0) tighten.push({ path: absolute, mode: file.mode });
    const mode = file.kind === 'ignore' && found !== null ? found.mode : file.mode;
    plans.push({ file, absolute, content, action, mode, directories, tighten });
  }
  return plans;
}

/** Writes what planSideFiles decided: directories first, then each file atomically with its mode. */
export async function writeSideFiles(plans: readonly SideFileWrite[], fs: FileSystem): Promise<void> {
  const made = new Set<string>();
  for (const plan of plans) {
    for (const dir of plan.directories) {
      if (!dir.create || made.has(dir.path)) continue;
      if ((await fs.kind(dir.path)) === null) await fs.makeDirectory(dir.path, dir.mode);
      made.add(dir.path);
    }
    for (const { path, mode } of plan.tighten) await fs.setMode(path, mode);
    if (plan.action === 'create' || plan.action === 'update') await fs.writeFileWithMode(plan.absolute, plan.content, plan.mode);
  }
}

function merged(file: SideFile, existing: string | null, relative: string): string {
  if (existing === null) return file.content;
  switch (file.kind) {
    case 'generated':
      return existing;
    case 'secret':
      if (existing !== file.content) {
        throw new SideFileError(
          `${relative} already exists with different content: compose-harden never overwrites it; move it away, or rename the secret in the compose file, then run fix again`,
        );
      }
      return existing;
    case 'env': {
      const next = mergeLines(existing, file.content, envKey);
      if (next === null) throw new SideFileError(`${relative} already sets a variable fix would move there, with another value: resolve it by hand, then run fix again`);
      return next;
    }
    case 'ignore': {
      const present = new Set(existing.split(/\r?\n/).map(ignoreKey));
      const missing = file.content.split('\n').filter((line) => line.trim() !== '' && !present.has(ignoreKey(line)));
      if (missing.length === 0) return existing;
      const eol = existing.includes('\r\n') ? '\r\n' : '\n';
      const base = existing === '' || existing.endsWith('\n') ? existing : existing + eol;
      return base + missing.map((line) => line + eol).join('');
    }
  }
}

/** `/secrets/`, `secrets/`, `/secrets` and `secrets` ignore the same directory beside the `.gitignore`. */
function ignoreKey(line: string): string {
  return line.trim().replace(/^\//, '').replace(/\/$/, '');
}

function shown(directory: string, path: string): string {
  return path.startsWith(`${directory}/`) ? path.slice(directory.length + 1) : path;
}
