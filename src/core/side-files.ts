/**
 * Files a fix writes beside the compose file: secret values, env files, seccomp profiles, and the
 * `.gitignore` lines that keep the secrets out of version control. The core only describes them;
 * the CLI writes them (see src/io/side-files.ts).
 */

export type SideFileKind =
  /** A secret value, the whole file; an existing file with other content is a conflict. */
  | 'secret'
  /** `KEY=value` lines; merged with an existing file, a key with another value is a conflict. */
  | 'env'
  /** A generated file (a seccomp profile); an existing file with other content is kept as the user's. */
  | 'generated'
  /** Lines that must be present in a `.gitignore`; missing ones are appended. */
  | 'ignore';

export interface SideFile {
  /** Relative to the compose file's directory, with `/` separators; never absolute, never `..`. */
  readonly path: string;
  readonly content: string;
  /** File mode for a created file (`0o444`). */
  readonly mode: number;
  readonly kind: SideFileKind;
  /** The directory's mode when it is created (`0o700` for `secrets/`). */
  readonly dirMode?: number;
}

/** The one place secrets are written: the directory beside the compose file. */
export const SECRETS_DIR = 'secrets';

/** Mode of secret and env files: readable by the container's user whatever its uid; the directory protects them on the host. */
export const SECRET_FILE_MODE = 0o444;
export const SECRETS_DIR_MODE = 0o700;

/** A relative path that stays inside the compose file's directory, or null. */
export function safeRelativePath(path: string): string | null {
  if (path === '' || path.includes('\\') || path.includes('\0') || path.startsWith('/')) return null;
  const parts = path.split('/');
  if (parts.some((part) => part === '' || part === '.' || part === '..')) return null;
  return parts.join('/');
}

/**
 * Unites the side files several fixes (or passes) asked for: the same path with the same content once,
 * env and ignore lines merged; the same secret path with two contents is a conflict, reported by path.
 */
export function mergeSideFiles(files: readonly SideFile[]): { files: SideFile[]; conflicts: string[] } {
  const byPath = new Map<string, SideFile>();
  const conflicts: string[] = [];
  for (const file of files) {
    const seen = byPath.get(file.path);
    if (!seen) {
      byPath.set(file.path, file);
      continue;
    }
    if (seen.kind !== file.kind) {
      conflicts.push(file.path);
      continue;
    }
    if (file.kind === 'env' || file.kind === 'ignore') {
      const merged = mergeLines(seen.content, file.content, file.kind === 'env' ? envKey : (line) => line);
      if (merged === null) conflicts.push(file.path);
      else byPath.set(file.path, { ...seen, content: merged });
    } else if (seen.content !== file.content) conflicts.push(file.path);
  }
  return { files: [...byPath.values()], conflicts: [...new Set(conflicts)] };
}

/** Appends the lines of `more` missing from `base`; null when a key is present in both with different lines. */
export function mergeLines(base: string, more: string, keyOf: (line: string) => string): string | null {
  const lines = splitLines(base);
  const byKey = new Map(lines.filter((line) => line.trim() !== '' && !line.startsWith('#')).map((line) => [keyOf(line), line]));
  for (const line of splitLines(more)) {
    if (line.trim() === '') continue;
    const existing = byKey.get(keyOf(line));
    if (existing === undefined) {
      lines.push(line);
      byKey.set(keyOf(line), line);
    } else if (existing !== line) return null;
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** The variable an env-file line sets (`KEY=value`, `export KEY=value`). */
export function envKey(line: string): string {
  const match = /^\s*(?:export\s+)?([^=\s]+)\s*=/.exec(line);
  return match ? match[1]! : line.trim();
}
