// `verify [files...]`: run the project on the local Docker engine under a temporary project name and
// report whether every service comes up (src/verify/). Exit 0 when every service is healthy or running,
// 1 otherwise, 2 for usage or input errors and when there is no Docker; 130 when interrupted (the
// project is torn down first).
import { parseComposeFile } from '../../core/compose-file.js';
import { InputError, UsageError } from '../../core/errors.js';
import { secretTexts } from '../../rules/support/secret-plan.js';
import { detectCompose } from '../../verify/detect.js';
import { formatJson, formatText } from '../../verify/report.js';
import { nodeRunner, type ProcessRunner } from '../../verify/runner.js';
import { temporaryProjectName, verify } from '../../verify/verify.js';
import { formatInputError, loadInput, runOptionsFor, type Input } from '../inputs.js';
import type { CliIO } from '../io.js';

export interface VerifyCliOptions {
  keep?: boolean;
  timeout: string;
  logLines: string;
  format: 'text' | 'json';
}

export interface VerifyHooks {
  run?: ProcessRunner;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Called with an abort function while the project exists; returns the function that unhooks it. */
  onInterrupt?: (abort: () => void) => () => void;
  projectName?: string;
}

function count(value: string, flag: string, min: number): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < min) throw new UsageError(`${flag} takes a whole number of at least ${min}, not "${value}"`);
  return Number(value);
}

/** SIGINT, SIGTERM and SIGHUP abort the run (which then tears down) instead of killing the process. */
function processSignals(abort: () => void): () => void {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const handler = () => abort();
  for (const s of signals) process.on(s, handler);
  return () => {
    for (const s of signals) process.off(s, handler);
  };
}

export async function runVerify(inputs: readonly Input[], options: VerifyCliOptions, io: CliIO, hooks: VerifyHooks = {}): Promise<number> {
  const timeoutSeconds = count(options.timeout, '--timeout', 1);
  const logLines = count(options.logLines, '--log-lines', 0);
  const files: string[] = [];
  for (const input of inputs) {
    if (input.path === null) throw new UsageError('verify needs compose files on disk (Compose reads them itself), not standard input');
    const loaded = await loadInput(input, io);
    try {
      if (loaded.error) throw loaded.error;
      // credential values of the file never reach the output, even when a service logs them
      io.hideSecrets?.(secretTexts(parseComposeFile(loaded.source), runOptionsFor(input, undefined).readFile));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      io.stderr.write(`${formatInputError(input.display, error)}\n`);
      return 2;
    }
    files.push(input.path);
  }

  const run = hooks.run ?? nodeRunner(io.env);
  const detection = await detectCompose(run);
  if ('error' in detection) {
    io.stderr.write(`compose-harden: ${detection.error}\n`);
    return 2;
  }
  const { compose } = detection;
  const controller = new AbortController();
  const unhook = (hooks.onInterrupt ?? processSignals)(() => {
    if (!controller.signal.aborted) io.stderr.write('compose-harden: interrupted: tearing the project down\n');
    controller.abort();
  });
  try {
    const outcome = await verify(
      { files, timeoutSeconds, keep: options.keep === true, logLines },
      {
        run,
        compose,
        now: hooks.now ?? Date.now,
        sleep: hooks.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
        signal: controller.signal,
        progress: (line) => io.stderr.write(`compose-harden: ${line}\n`),
        projectName: hooks.projectName ?? temporaryProjectName(),
      },
    );
    if (outcome.kind === 'invalid') {
      io.stderr.write(`compose-harden: ${outcome.message}\n`);
      return 2;
    }
    io.stdout.write(options.format === 'json' ? formatJson(outcome, compose) : formatText(outcome, compose, timeoutSeconds));
    if (outcome.interrupted) return 130;
    return outcome.ok && outcome.teardown.ok ? 0 : 1;
  } finally {
    unhook();
  }
}
