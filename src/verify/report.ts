// The verify report: one line per service (name, status), its last log lines indented under it, and a
// closing line with the verdict and what happened to the project.
import type { ComposeCommand } from './detect.js';
import { describeStatus, isUp } from './status.js';
import type { Outcome } from './verify.js';

type Ran = Extract<Outcome, { kind: 'ran' }>;

export function formatText(outcome: Ran, compose: ComposeCommand, timeoutSeconds: number): string {
  const width = Math.max(...outcome.services.map((s) => s.service.length), 7);
  const lines: string[] = [];
  for (const s of outcome.services) {
    lines.push(`  ${s.service.padEnd(width)}  ${describeStatus(s)}`);
    for (const l of s.logs) lines.push(`      | ${l}`);
  }
  const up = outcome.services.filter(isUp).length;
  const down = outcome.services.filter((s) => !isUp(s));
  let verdict: string;
  if (outcome.interrupted) verdict = 'interrupted before the services settled';
  else if (outcome.ok) verdict = `all ${up} service${up === 1 ? '' : 's'} healthy or running`;
  else {
    verdict = `${down.length} of ${outcome.services.length} service${outcome.services.length === 1 ? '' : 's'} not healthy or running: ${down.map((s) => s.service).join(', ')}`;
    if (outcome.timedOut) verdict += ` (after waiting ${timeoutSeconds} s)`;
  }
  lines.push(verdict);
  if (outcome.upError) lines.push(`${compose.name} up failed: ${outcome.upError}`);
  const t = outcome.teardown;
  if (!t.ok) lines.push(`project ${outcome.project} NOT torn down: ${t.message}; remove it with: ${compose.name} -p ${outcome.project} down --volumes`);
  else if (t.kept) lines.push(`project ${outcome.project} left running (--keep); remove it with: ${compose.name} -p ${outcome.project} down --volumes`);
  else lines.push(`project ${outcome.project} torn down`);
  return `${lines.join('\n')}\n`;
}

export function formatJson(outcome: Ran, compose: ComposeCommand): string {
  return `${JSON.stringify(
    {
      ok: outcome.ok,
      project: outcome.project,
      compose: { command: compose.name, version: compose.version },
      services: outcome.services.map((s) => ({
        name: s.service,
        status: s.status,
        exitCode: s.exitCode,
        restarts: s.restarts,
        summary: describeStatus(s),
        logs: s.logs,
      })),
      upError: outcome.upError,
      timedOut: outcome.timedOut,
      interrupted: outcome.interrupted,
      teardown: outcome.teardown.ok ? (outcome.teardown.kept ? 'kept' : 'removed') : 'failed',
    },
    null,
    2,
  )}\n`;
}
