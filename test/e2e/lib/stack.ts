// One stack under test: a copy of test/e2e/stacks in a temp dir (so `fix` never touches the
// repository), run with docker-compose v1 from the compose file's directory (v1 resolves relative
// paths against the current directory), and its effective configuration as Compose sees it.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { clientEnv } from './engine.js';
import { describeFailure, must, run, type RunResult } from './sh.js';

export const STACKS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'stacks');
export const REPO_ROOT = join(STACKS_DIR, '..', '..', '..');
const CLI = join(REPO_ROOT, 'dist', 'cli.js');

export interface StackSpec {
  /** The service a request goes through, and what the answer must contain (none for a stack without HTTP). */
  edge?: { service: string; port: number; path: string };
  expect?: string[];
  /**
   * Credential values written in the stack. `via: "file"` (the default): after fix the service reads
   * it from /run/secrets and it is in no container's environment. `via: "env_file"`: the variable has
   * no _FILE variant, so fix moves it to a git-ignored env file and `check` keeps reporting it.
   */
  secrets: Array<{ value: string; services: string[]; via?: 'file' | 'env_file'; variable?: string }>;
  internal: string[];
  locallyBuilt: string[];
  /** Extra arguments for `compose-harden fix` (a choice the stack's user makes, such as --skip). */
  fixArgs?: string[];
  /** Password logins over TCP that must succeed with the value that was in environment: before fix. */
  logins?: Array<{ service: string; user: string; database: string; password: string; startsAs: 'root' | 'non-root'; runsAs: number }>;
}

/** The part of a service's effective configuration the checks read (docker-compose config output). */
export interface ServiceConfig {
  image?: string;
  user?: string;
  read_only?: boolean;
  cap_add?: string[];
  cap_drop?: string[];
  security_opt?: string[];
  tmpfs?: string[] | string;
  mem_limit?: string | number;
  pids_limit?: number;
  deploy?: { resources?: { limits?: { memory?: string; pids?: number } } };
  networks?: Record<string, unknown> | string[];
  secrets?: Array<string | { source: string; target?: string }>;
  healthcheck?: unknown;
}

export interface ComposeConfig {
  services: Record<string, ServiceConfig>;
  networks?: Record<string, { internal?: boolean; name?: string } | null>;
}

export function readSpec(name: string): StackSpec {
  return JSON.parse(readFileSync(join(STACKS_DIR, name, 'e2e.json'), 'utf8')) as StackSpec;
}

/** Service names as written, read when tests are collected (before any engine exists). */
export function serviceNames(name: string): string[] {
  const doc = parse(readFileSync(join(STACKS_DIR, name, 'compose.yaml'), 'utf8')) as { services: Record<string, unknown> };
  return Object.keys(doc.services);
}

export class Stack {
  readonly root: string;
  readonly dir: string;
  readonly project: string;
  readonly env: NodeJS.ProcessEnv;
  config: ComposeConfig = { services: {} };
  fixOutput = '';
  upOutput = '';

  /**
   * A copy of stacks/<name> (or of `source`, a directory holding <name>) under a new temp dir; or, with
   * `sharing`, another project name over that stack's directory (removed by the owner, not here).
   */
  constructor(readonly name: string, readonly variant: string, engineDir: string, opts: { project?: string; source?: string; sharing?: Stack } = {}) {
    if (opts.sharing) {
      this.root = '';
      this.dir = opts.sharing.dir;
    } else {
      this.root = mkdtempSync(`/var/tmp/compose-harden-e2e-stack-${name}-`);
      cpSync(opts.source ?? STACKS_DIR, this.root, { recursive: true });
      this.dir = join(this.root, name);
    }
    this.project = opts.project ?? `e2e-${name}-${variant}`.replace(/[^a-z0-9-]/g, '');
    this.env = clientEnv(engineDir);
  }

  compose(args: string[], timeoutMs = 120_000): Promise<RunResult> {
    return run('docker-compose', ['-p', this.project, '-f', 'compose.yaml', ...args], { cwd: this.dir, env: this.env, timeoutMs });
  }

  docker(args: string[], timeoutMs = 60_000): Promise<RunResult> {
    return run('docker', args, { env: this.env, timeoutMs });
  }

  /** `compose-harden fix` on the copy; returns the diff it printed first (for the report). */
  async fix(args: string[] = []): Promise<string> {
    const diff = await run('node', [CLI, 'diff', '--no-color', ...args, 'compose.yaml'], { cwd: this.dir });
    const r = await run('node', [CLI, 'fix', ...args, 'compose.yaml'], { cwd: this.dir });
    this.fixOutput = `${r.stdout}${r.stderr}`;
    if (r.code !== 0) throw new Error(describeFailure('compose-harden fix', [...args, 'compose.yaml'], r));
    return diff.stdout;
  }

  /** Runs the built CLI (check, verify, ...) in the stack's directory, against this engine. */
  cli(args: string[], timeoutMs = 300_000): Promise<RunResult> {
    return run('node', [CLI, ...args], { cwd: this.dir, env: this.env, timeoutMs });
  }

  async loadConfig(): Promise<void> {
    const r = await this.compose(['config']);
    if (r.code !== 0) throw new Error(`docker-compose rejects the ${this.variant} ${this.name} file:\n${r.stderr.trim()}`);
    this.config = parse(r.stdout) as ComposeConfig;
  }

  async up(): Promise<RunResult> {
    await this.loadConfig();
    if (Object.values(this.config.services).some((s) => 'build' in s)) {
      await must('docker-compose', ['-p', this.project, '-f', 'compose.yaml', 'build', '-q'], { cwd: this.dir, env: this.env, timeoutMs: 300_000 });
    }
    const r = await this.compose(['up', '-d', '--no-build'], 300_000);
    this.upOutput = `${r.stdout}${r.stderr}`;
    return r;
  }

  async containerId(service: string): Promise<string> {
    const r = await this.compose(['ps', '-q', service]);
    return r.stdout.trim().split('\n')[0] ?? '';
  }

  async down(): Promise<void> {
    await this.compose(['down', '-v', '--remove-orphans', '--rmi', 'local', '-t', '5'], 120_000);
    if (this.root) rmSync(this.root, { recursive: true, force: true });
  }
}
