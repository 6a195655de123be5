import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { InputError } from '../core/errors.js';
import { decodeSource, type SourceText } from '../core/source.js';
import type { CliIO } from './io.js';
import type { RunOptions } from '../rules/types.js';

/** The file names Compose looks for, in its order. */
export const DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

export const STDIN = '-';

export interface Input {
  /** What the user gave (or the discovered default); `-` for standard input. */
  readonly arg: string;
  /** Absolute path, or null for standard input. */
  readonly path: string | null;
  /** The path shown in messages and diff headers. */
  readonly display: string;
}

export type LoadedInput = Input & ({ readonly source: SourceText; readonly error?: undefined } | { readonly source?: undefined; readonly error: InputError });

/** The files to process: the arguments, or the first default compose file of the current directory. */
export async function resolveInputs(args: readonly string[], io: CliIO): Promise<Input[] | InputError> {
  if (args.length > 0) return args.map((arg) => toInput(arg, io));
  for (const name of DEFAULT_FILES) {
    if (await io.fs.exists(resolve(io.cwd, name))) return [toInput(name, io)];
  }
  return new InputError(`no compose file given and none of ${DEFAULT_FILES.join(', ')} in ${io.cwd}; give a file path`, 0, 0);
}

function toInput(arg: string, io: CliIO): Input {
  if (arg === STDIN) return { arg, path: null, display: '<stdin>' };
  const path = resolve(io.cwd, arg);
  const rel = relative(io.cwd, path);
  const outside = rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
  const display = rel && !outside ? rel : path;
  return { arg, path, display };
}

/** Reads and decodes one input; a problem becomes the input's error instead of stopping the run. */
export async function loadInput(input: Input, io: CliIO): Promise<LoadedInput> {
  try {
    if (input.path === null) return { ...input, source: decodeSource(await io.readStdin()) };
    if (await io.fs.isDirectory(input.path)) {
      throw new InputError('is a directory: give the compose file inside it (for example compose.yaml)', 1, 1);
    }
    return { ...input, source: decodeSource(await io.fs.readFile(input.path)) };
  } catch (error) {
    if (error instanceof InputError) return { ...input, error };
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? 'no such file: check the path'
        : code === 'EACCES' || code === 'EPERM'
          ? 'cannot read the file: permission denied'
          : `cannot read the file: ${(error as Error).message}`;
    return { ...input, error: new InputError(message, 1, 1) };
  }
}

/** `path:line:column: message`, the form editors and CI annotate. */
export function formatInputError(display: string, error: InputError): string {
  return `${display}:${error.line}:${error.column}: ${error.message}`;
}

/**
 * The run options for one input: files the rules read (`env_file:`) resolve against the compose file's
 * directory; standard input reads none. Only keys are ever reported from them, never values.
 */
export function runOptionsFor(input: Input, options: RunOptions | undefined): RunOptions {
  const base: RunOptions = options ?? { limits: 'small' };
  if (input.path === null) return base;
  const directory = dirname(input.path);
  return {
    ...base,
    readFile(path: string) {
      try {
        return readFileSync(resolve(directory, path), 'utf8');
      } catch {
        return null;
      }
    },
  };
}
