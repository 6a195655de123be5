import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/program.js';
import type { CliIO } from '../../src/cli/io.js';
import { nodeFileSystem, type FileSystem } from '../../src/io/file-system.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  stdin?: string | Uint8Array;
  env?: Record<string, string | undefined>;
  tty?: boolean;
  fs?: FileSystem;
}

/** Runs the CLI through its program factory, in-process, with captured output. */
export async function cli(argv: string[], options: CliOptions): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    cwd: options.cwd,
    env: options.env ?? {},
    stdout: { write: (text) => void (stdout += text), isTTY: options.tty ?? false },
    stderr: { write: (text) => void (stderr += text), isTTY: false },
    readStdin: async () => (typeof options.stdin === 'string' ? Buffer.from(options.stdin, 'utf8') : (options.stdin ?? new Uint8Array())),
    fs: options.fs ?? nodeFileSystem,
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

/** A fresh temporary directory, removed by the returned cleanup function. */
export function tempDir(prefix = 'compose-harden-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
