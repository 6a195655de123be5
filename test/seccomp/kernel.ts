/**
 * Runs programs under a real seccomp filter: compiles test/seccomp/run-filtered.c (and probe.c) with gcc and
 * libseccomp into a temporary directory, writes a flattened profile as the helper's line format, and execs.
 * Needs root (to start daemons and switch users), gcc, libseccomp's header and library.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OciProfile } from '../../src/seccomp/index.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Why the kernel tests cannot run here, or null when they can. */
export function kernelSkipReason(): string | null {
  if (process.platform !== 'linux') return 'seccomp kernel tests need Linux';
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'seccomp kernel tests need root';
  if (process.arch !== 'x64' && process.arch !== 'arm64') return `seccomp kernel tests need x86_64 or aarch64, not ${process.arch}`;
  if (!has('gcc')) return 'seccomp kernel tests need gcc (apt-get install gcc)';
  if (!existsSync('/usr/include/seccomp.h')) return 'seccomp kernel tests need libseccomp-dev (apt-get install libseccomp-dev)';
  return null;
}

export const hostArch = process.arch === 'arm64' ? 'aarch64' : 'x86_64';

/** The flattened profile as run-filtered's rules: `default ERRNO`, `allow NAME [ARG OP VALUE]...`, `errno N NAME ...`. */
export function rulesText(profile: OciProfile): string {
  const lines = [`default ${profile.defaultErrnoRet}`];
  for (const rule of profile.syscalls) {
    const conditions = (rule.args ?? []).map((a) => {
      const op = a.op.replace(/^SCMP_CMP_/, '').toLowerCase();
      return op === 'masked_eq' ? `${a.index} ${op} ${a.value} ${a.valueTwo ?? 0}` : `${a.index} ${op} ${a.value}`;
    });
    const head = rule.action === 'SCMP_ACT_ALLOW' ? 'allow' : rule.action === 'SCMP_ACT_ERRNO' ? `errno ${rule.errnoRet ?? profile.defaultErrnoRet}` : null;
    if (head === null) throw new Error(`run-filtered cannot express ${rule.action}`);
    for (const name of rule.names) lines.push([head, name, ...conditions].join(' '));
  }
  return `${lines.join('\n')}\n`;
}

export interface Kernel {
  readonly dir: string;
  readonly helper: string;
  readonly probe: string;
  /** Writes a profile's rules into the work directory and returns the path. */
  rules(profile: OciProfile, name: string): string;
  cleanup(): void;
}

export function buildKernel(): Kernel {
  const dir = mkdtempSync(join(tmpdir(), 'compose-harden-seccomp-'));
  chmodSync(dir, 0o755); // daemons run as other users (postgres) and exec the helper from here
  const helper = join(dir, 'run-filtered');
  const probe = join(dir, 'probe');
  const gcc = (args: string[]) => {
    const result = spawnSync('gcc', args, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`gcc ${args.join(' ')} failed:\n${result.stderr}`);
  };
  gcc(['-O1', '-Wall', '-Wextra', '-o', helper, join(HERE, 'run-filtered.c'), '-lseccomp']);
  gcc(['-O1', '-Wall', '-o', probe, join(HERE, 'probe.c')]);
  return {
    dir,
    helper,
    probe,
    rules(profile, name) {
      const path = join(dir, `${name}.rules`);
      writeFileSync(path, rulesText(profile));
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `command` under the filter of `rules`, optionally as another user (switched before the filter loads). */
export function runFiltered(
  kernel: Kernel,
  rules: string,
  command: readonly string[],
  options: { user?: string; cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<Run> {
  const filtered = [kernel.helper, rules, '--', ...command];
  const argv = options.user ? ['setpriv', `--reuid=${options.user}`, `--regid=${options.user}`, '--init-groups', '--', ...filtered] : filtered;
  return run(argv, options);
}

export function run(argv: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Starts a daemon under the filter and returns a handle to stop it and collect its output. */
export function startFiltered(
  kernel: Kernel,
  rules: string,
  command: readonly string[],
  options: { user?: string; cwd?: string } = {},
): { stop(signal?: NodeJS.Signals): Promise<Run>; done: Promise<Run>; pid(): number | undefined } {
  const filtered = [kernel.helper, rules, '--', ...command];
  const argv = options.user ? ['setpriv', `--reuid=${options.user}`, `--regid=${options.user}`, '--init-groups', '--', ...filtered] : filtered;
  const child = spawn(argv[0]!, argv.slice(1), { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<Run>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  void done.then(() => clearTimeout(killer));
  return {
    done,
    pid: () => child.pid,
    async stop(signal = 'SIGTERM') {
      child.kill(signal);
      return done;
    },
  };
}

const SKIPPED = /^run-filtered: skipped (\S+) \(unknown to this libseccomp\)\n/gm;

/** A run's stderr without the helper's notes about names this libseccomp cannot resolve, and those names. */
export function splitStderr(stderr: string): { stderr: string; skipped: string[] } {
  const skipped = [...stderr.matchAll(SKIPPED)].map((m) => m[1]!);
  return { stderr: stderr.replace(SKIPPED, ''), skipped };
}

/** Whether a command exists on this machine (for workloads whose Debian package may be missing). */
export { has as hasCommand };
