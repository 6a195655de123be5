// `compose-harden verify` on the real engine: it must report what the containers really did. A healthy
// stack (the hand-hardened nginx control) and a deliberately broken one (the same without its cache
// tmpfs), each torn down afterwards; and fix's output for a stack with a locally built service that
// no image knowledge covers, where verify's verdict is compared with what docker inspect shows.
import { afterEach, describe, expect, inject, it } from 'vitest';
import { state } from './lib/checks.js';
import { nginxMutant } from './lib/mutants.js';
import { log } from './lib/sh.js';
import { Stack, serviceNames } from './lib/stack.js';

const engineDir = inject('engineDir');
let cleanup: Stack[] = [];

afterEach(async () => {
  for (const s of cleanup) await s.down();
  cleanup = [];
});

interface VerifyReport {
  ok: boolean;
  project: string;
  compose: { command: string; version: string };
  services: Array<{ name: string; status: string; exitCode: number | null; restarts: number; summary: string; logs: string[] }>;
  teardown: 'removed' | 'kept' | 'failed';
}

async function verify(stack: Stack, args: string[] = []): Promise<{ code: number | null; report: VerifyReport; stderr: string }> {
  const r = await stack.cli(['verify', '--format', 'json', '--timeout', '90', '--log-lines', '20', ...args, 'compose.yaml'], 600_000);
  let report: VerifyReport;
  try {
    report = JSON.parse(r.stdout) as VerifyReport;
  } catch {
    throw new Error(`verify printed no JSON report (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
  log(`verify ${stack.name}/${stack.variant}: exit ${r.code}, ${report.services.map((s) => `${s.name} ${s.summary}`).join(', ')} (${report.compose.command} ${report.compose.version})`);
  return { code: r.code, report, stderr: r.stderr };
}

/** Nothing of the project is left on the engine. */
async function expectGone(stack: Stack, project: string): Promise<void> {
  for (const kind of ['ps', 'volume ls', 'network ls'] as const) {
    const r = await stack.docker([...kind.split(' '), ...(kind === 'ps' ? ['-a'] : []), '-q', '--filter', `label=com.docker.compose.project=${project}`]);
    expect(r.stdout.trim(), `verify left ${kind} entries of ${project}`).toBe('');
  }
}

describe('compose-harden verify on the real engine', () => {
  it('a healthy stack: every service reported running, exit 0, the project removed', async () => {
    const stack = nginxMutant(engineDir, 'control', 'verify');
    cleanup.push(stack);
    const { code, report, stderr } = await verify(stack);
    expect(report.services.map((s) => [s.name, s.status]), stderr).toEqual([['proxy', 'running']]);
    expect(report.ok).toBe(true);
    expect(code).toBe(0);
    expect(report.teardown).toBe('removed');
    expect(report.project).toMatch(/^compose-harden-verify-[0-9a-f]{8}$/);
    await expectGone(stack, report.project);
  });

  it('a broken stack (nginx without its cache tmpfs): the service reported exited (1) with the EROFS log line, exit 1, the project removed', async () => {
    const stack = nginxMutant(engineDir, 'no-cache-tmpfs', 'verify');
    cleanup.push(stack);
    const { code, report } = await verify(stack);
    const proxy = report.services.find((s) => s.name === 'proxy');
    expect(proxy).toMatchObject({ status: 'exited', exitCode: 1 });
    expect(proxy!.logs.join('\n')).toMatch(/mkdir\(\) "\/var\/cache\/nginx\/\w+" failed \(30: Read-only file system\)/);
    expect(report.ok).toBe(false);
    expect(code).toBe(1);
    expect(report.teardown).toBe('removed');
    await expectGone(stack, report.project);
  });

  it('fix on a stack with a locally built service no knowledge covers: verify reports what docker inspect shows', async () => {
    const stack = new Stack('edge-app', 'verify-fixed', engineDir);
    cleanup.push(stack);
    await stack.fix();
    const { code, report } = await verify(stack, ['--keep']);
    // the project verify left up (--keep), looked at independently of verify
    const observed = new Stack('edge-app', 'verify-observed', engineDir, { project: report.project, sharing: stack });
    // torn down first, with the fixed file (its networks), before the copy is removed
    cleanup.unshift(observed);
    await observed.loadConfig();
    expect(report.teardown).toBe('kept');
    const services = serviceNames('edge-app');
    // in Compose's start order, which is not the file's
    expect(report.services.map((s) => s.name).sort()).toEqual([...services].sort());
    const lines: string[] = [];
    for (const reported of report.services) {
      const seen = await state(observed, reported.name);
      const truth = !seen
        ? 'missing'
        : seen.restarts >= 3 || seen.status === 'restarting'
          ? 'restarting'
          : seen.status === 'running'
            ? seen.health === undefined ? 'running' : seen.health === 'healthy' ? 'healthy' : seen.health
            : seen.status === 'created' ? 'created' : 'exited';
      lines.push(`${reported.name}: verify ${reported.summary}, docker inspect ${seen ? `${seen.status}/${seen.health ?? '-'}/${seen.restarts} restarts/exit ${seen.exitCode}` : 'no container'}`);
      expect(reported.status, `verify's status of ${reported.name}`).toBe(truth);
      if (truth === 'exited') expect(reported.exitCode).toBe(seen!.exitCode);
    }
    log(`edge-app after fix, verify vs docker inspect:\n  ${lines.join('\n  ')}`);
    const backend = report.services.find((s) => s.name === 'backend')!;
    const backendUp = backend.status === 'healthy';
    expect(report.ok).toBe(report.services.every((s) => s.status === 'healthy' || s.status === 'running'));
    expect(code).toBe(report.ok ? 0 : 1);
    if (!backendUp) log(`backend (locally built) after fix is ${backend.summary}; its last lines:\n  ${backend.logs.slice(-5).join('\n  ')}`);
  });
});
