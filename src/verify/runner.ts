// How `verify` runs docker and Compose: one injected function, so unit tests drive the whole command
// with a fake and only the CLI uses real processes.
import { spawn } from 'node:child_process';

export interface RunRequest {
  readonly cmd: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  /** The process is killed after this long (its result then has `timedOut`). */
  readonly timeoutMs?: number;
  /** Aborting kills the process (an interrupted `up`); teardown calls never pass one. */
  readonly signal?: AbortSignal;
}

export interface RunResult {
  /** Exit code; 127 when the command does not exist, -1 when killed. */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut?: boolean;
}

export type ProcessRunner = (request: RunRequest) => Promise<RunResult>;

/** Runs a real process (no shell), in the given environment. Never rejects. */
export function nodeRunner(env: Readonly<Record<string, string | undefined>>): ProcessRunner {
  return (request) =>
    new Promise((resolve) => {
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let timedOut = false;
      let settled = false;
      const finish = (result: RunResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        request.signal?.removeEventListener('abort', onAbort);
        resolve(result);
      };
      const child = spawn(request.cmd, [...request.args], {
        cwd: request.cwd,
        env: env as NodeJS.ProcessEnv,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const onAbort = () => child.kill('SIGTERM');
      request.signal?.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, request.timeoutMs ?? 120_000);
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', (e: NodeJS.ErrnoException) => {
        finish({ code: e.code === 'ENOENT' ? 127 : -1, stdout: '', stderr: `${request.cmd}: ${e.message}` });
      });
      child.on('close', (code) => {
        finish({
          code: code ?? -1,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
          ...(timedOut ? { timedOut } : {}),
        });
      });
    });
}

/** The last non-empty line of a command's error output, for one-line messages. */
export function lastLine(result: RunResult): string {
  const lines = `${result.stderr}\n${result.stdout}`.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.at(-1) ?? `exit ${result.code}`;
}
