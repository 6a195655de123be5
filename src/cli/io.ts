import type { FileSystem } from '../io/file-system.js';

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
}

/** Colour when writing to a terminal, unless NO_COLOR is set; FORCE_COLOR forces it. */
export function useColor(stream: OutputStream, env: CliIO['env'], flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY;
}
