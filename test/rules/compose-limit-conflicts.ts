import { parseBytes } from '../../src/rules/support/limits.js';

/**
 * The pairs Compose v2 refuses when both spellings are set with different values (compose-go
 * loader/validate.go: "can't set distinct values on 'pids_limit' and 'deploy.resources.limits.pids'", the
 * same for `cpus`, `mem_limit` and `mem_reservation`). The check applies when the service-level value is
 * not 0 (so `pids_limit: -1` counts) and the `limits`/`reservations` mapping exists; a key absent from that
 * mapping counts as 0, so it differs.
 */
export function composeLimitConflicts(service: Record<string, any>): string[] {
  const deploy = service.deploy;
  if (!deploy) return [];
  const limits = deploy.resources?.limits;
  const reservations = deploy.resources?.reservations;
  const set = (v: unknown) => v !== undefined && v !== null && Number(parseBytes(v) ?? v) !== 0;
  const conflicts: string[] = [];
  if (set(service.cpus) && limits && Number(limits.cpus ?? 0) !== Number(service.cpus)) conflicts.push('cpus');
  if (set(service.mem_limit) && limits && parseBytes(limits.memory ?? 0) !== parseBytes(service.mem_limit)) conflicts.push('mem_limit');
  if (set(service.mem_reservation) && reservations && parseBytes(reservations.memory ?? 0) !== parseBytes(service.mem_reservation)) conflicts.push('mem_reservation');
  if (set(service.pids_limit) && limits && Number(limits.pids ?? 0) !== Number(service.pids_limit)) conflicts.push('pids_limit');
  return conflicts;
}
