import type { FileSystem } from '../io/file-system.js';
import { maskSecrets } from '../format/mask.js';

export interface OutputStream {
  write(text: string): void;
  readonly isTTY: boolean;
}

/** Everything the CLI touches outside itself, injected so tests drive it without a process. */
export interface CliIO {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** Standard input as bytes: it is decoded and checked like a file. */
  readStdin(): Promise<Uint8Array>;
  readonly fs: FileSystem;
  /** Registers texts that must never be printed (credential values of an input); see withSecretsHidden. */
  hideSecrets?(texts: readonly string[]): void;
}

/**
 * The IO of a command that reads compose files: everything it writes to stdout and stderr has the
 * registered credential values replaced by `****`, wherever they occur (a password equal to a service
 * name masks the name too: the guarantee is that no value is ever printed).
 */
export function withSecretsHidden(io: CliIO): CliIO {
  const secrets = new Set<string>();
  let ordered: string[] = [];
  const guard = (stream: OutputStream): OutputStream => ({
    isTTY: stream.isTTY,
    write: (text: string) => stream.write(ordered.length === 0 ? text : maskSecrets(text, ordered).text),
  });
  return {
    ...io,
    stdout: guard(io.stdout),
    stderr: guard(io.stderr),
    hideSecrets(texts) {
      for (const text of texts) secrets.add(text);
      ordered = [...secrets].sort((a, b) => b.length - a.length);
    },
  };
}

/** Colour when writing to a terminal, unless NO_COLOR is set; FORCE_COLOR forces it. */
export function useColor(stream: OutputStream, env: CliIO['env'], flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY;
}
