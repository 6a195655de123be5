// `verify`: start an (already hardened) project under a temporary project name, wait until every
// service is healthy (or running, without a healthcheck), report each service's status with its last
// log lines, and tear the project down whatever happened. Everything outside goes through the injected
// runner, clock and sleep.
import { dirname } from 'node:path';
import type { ComposeCommand } from './detect.js';
import { lastLine, type ProcessRunner, type RunResult } from './runner.js';
import { isUp, parseInspect, serviceStates, settled, type ContainerState, type ServiceState } from './status.js';

export interface VerifyOptions {
  /** Absolute paths of the compose files, merged in order (Compose's -f). */
  readonly files: readonly string[];
  /** Seconds to wait for health once `up` has returned. */
  readonly timeoutSeconds: number;
  readonly keep: boolean;
  readonly logLines: number;
}

export interface VerifyDeps {
  readonly run: ProcessRunner;
  readonly compose: ComposeCommand;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Aborted on an interrupt: the wait stops, the project is still torn down. */
  readonly signal?: AbortSignal;
  /** Progress lines (stderr). */
  readonly progress: (line: string) => void;
  readonly projectName: string;
}

export interface ServiceReport extends ServiceState {
  readonly logs: readonly string[];
}

/** Torn down, kept up on request, or a teardown that failed (and why). */
export type Teardown = { readonly ok: true; readonly kept: boolean } | { readonly ok: false; readonly message: string };

export type Outcome =
  | { readonly kind: 'invalid'; readonly message: string }
  | {
      readonly kind: 'ran';
      readonly project: string;
      readonly services: readonly ServiceReport[];
      /** `up` failed (the report says what the containers did). */
      readonly upError: string | null;
      readonly timedOut: boolean;
      readonly interrupted: boolean;
      readonly teardown: Teardown;
      readonly ok: boolean;
    };

const POLL_MS = 1000;
const UP_TIMEOUT_MS = 15 * 60_000;
const DOWN_TIMEOUT_MS = 3 * 60_000;

/** A project name both Compose implementations keep as it is. */
export function temporaryProjectName(random: () => number = Math.random): string {
  const hex = Array.from({ length: 8 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `compose-harden-verify-${hex}`;
}

export async function verify(options: VerifyOptions, deps: VerifyDeps): Promise<Outcome> {
  const { run, compose, projectName: project } = deps;
  const cwd = dirname(options.files[0]!);
  const composeArgs = (args: readonly string[]) => [...compose.base, '-p', project, ...options.files.flatMap((f) => ['-f', f]), ...args];
  const composeRun = (args: readonly string[], timeoutMs: number, signal?: AbortSignal): Promise<RunResult> =>
    run({ cmd: compose.cmd, args: composeArgs(args), cwd, timeoutMs, ...(signal ? { signal } : {}) });

  const config = await composeRun(['config', '--services'], 60_000);
  if (config.code !== 0) return { kind: 'invalid', message: `${compose.name} rejects the project: ${lastLine(config)}` };
  const services = config.stdout.split('\n').map((s) => s.trim()).filter(Boolean);
  if (services.length === 0) return { kind: 'invalid', message: 'the project has no services to start' };

  const aborted = () => deps.signal?.aborted === true;
  let upError: string | null = null;
  let timedOut = false;
  let states: ServiceState[] = [];
  let reports: ServiceReport[] = [];
  let teardown: Teardown;
  try {
    deps.progress(`starting ${services.length} service${services.length === 1 ? '' : 's'} as project ${project} with ${compose.name} ${compose.version}`);
    const up = await composeRun(['up', '-d'], UP_TIMEOUT_MS, deps.signal);
    if (up.code !== 0 && !aborted()) upError = up.timedOut ? `${compose.name} up did not finish in ${UP_TIMEOUT_MS / 60_000} minutes` : lastLine(up);

    const deadline = deps.now() + options.timeoutSeconds * 1000;
    for (;;) {
      states = serviceStates(services, await containers(run, project));
      if (aborted() || settled(states, deps.now())) break;
      if (deps.now() >= deadline) {
        timedOut = true;
        break;
      }
      await deps.sleep(POLL_MS);
    }
    reports = await Promise.all(states.map(async (s) => ({ ...s, logs: s.containerId ? await logs(run, s.containerId, options.logLines) : [] })));
  } finally {
    // always, also when something above threw: the report may be lost, the containers may not stay
    teardown = options.keep ? ({ ok: true, kept: true } as const) : await down(composeRun, compose.name);
  }
  return {
    kind: 'ran',
    project,
    services: reports,
    upError,
    timedOut,
    interrupted: aborted(),
    teardown,
    ok: !aborted() && reports.length > 0 && reports.every(isUp),
  };
}

async function down(composeRun: (args: readonly string[], timeoutMs: number) => Promise<RunResult>, name: string): Promise<Teardown> {
  const r = await composeRun(['down', '--volumes', '--remove-orphans', '--rmi', 'local', '--timeout', '10'], DOWN_TIMEOUT_MS);
  return r.code === 0 ? { ok: true, kept: false } : { ok: false, message: `${name} down failed: ${lastLine(r)}` };
}

/** The project's containers, found by Compose's project label (both implementations set it). */
async function containers(run: ProcessRunner, project: string): Promise<ContainerState[]> {
  const ps = await run({ cmd: 'docker', args: ['ps', '--all', '--quiet', '--no-trunc', '--filter', `label=com.docker.compose.project=${project}`], timeoutMs: 30_000 });
  const ids = ps.stdout.split('\n').map((s) => s.trim()).filter(Boolean);
  if (ps.code !== 0 || ids.length === 0) return [];
  const inspect = await run({ cmd: 'docker', args: ['inspect', ...ids], timeoutMs: 30_000 });
  // a container removed between ps and inspect makes inspect exit 1 but still print the others
  try {
    return parseInspect(inspect.stdout || '[]');
  } catch {
    return [];
  }
}

async function logs(run: ProcessRunner, id: string, lines: number): Promise<string[]> {
  if (lines <= 0) return [];
  const r = await run({ cmd: 'docker', args: ['logs', '--tail', String(lines), id], timeoutMs: 30_000 });
  // stdout and stderr of the container arrive on the two streams: show both, the last lines of each kept
  const text = [r.stdout, r.stderr].map((s) => s.trimEnd()).filter(Boolean).join('\n');
  return text.split('\n').map((l) => l.replace(/\s+$/, '')).filter(Boolean).slice(-lines);
}
