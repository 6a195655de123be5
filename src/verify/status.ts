// The state of a project's containers, from `docker inspect` output: one status per service, and
// whether waiting longer could still change the verdict.

export type Status = 'healthy' | 'running' | 'starting' | 'unhealthy' | 'restarting' | 'exited' | 'created' | 'missing';

export interface ContainerState {
  readonly id: string;
  readonly service: string;
  readonly status: string;
  readonly health: string | null;
  readonly exitCode: number;
  readonly restarts: number;
  /** When the container last started (ms since the epoch), null if never. */
  readonly startedAt: number | null;
  readonly oneOff: boolean;
}

export interface ServiceState {
  readonly service: string;
  readonly status: Status;
  /** The exit code of an exited (or restarting) container. */
  readonly exitCode: number | null;
  readonly restarts: number;
  readonly startedAt: number | null;
  /** The container whose logs explain the status; null when the service has none. */
  readonly containerId: string | null;
}

interface InspectEntry {
  Id?: unknown;
  RestartCount?: unknown;
  State?: { Status?: unknown; ExitCode?: unknown; Restarting?: unknown; StartedAt?: unknown; Health?: { Status?: unknown } | null };
  Config?: { Labels?: Record<string, unknown> | null };
}

/** Parses `docker inspect` of containers; entries that are not Compose containers are left out. */
export function parseInspect(json: string): ContainerState[] {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    throw new Error('docker inspect did not print JSON');
  }
  if (!Array.isArray(data)) throw new Error('docker inspect did not print a list');
  const out: ContainerState[] = [];
  for (const raw of data as InspectEntry[]) {
    const labels = raw?.Config?.Labels ?? {};
    const service = labels['com.docker.compose.service'];
    if (typeof service !== 'string' || typeof raw.Id !== 'string') continue;
    const state = raw.State ?? {};
    const status = state.Restarting === true ? 'restarting' : typeof state.Status === 'string' ? state.Status : 'unknown';
    const health = state.Health && typeof state.Health.Status === 'string' ? state.Health.Status : null;
    const started = typeof state.StartedAt === 'string' ? Date.parse(state.StartedAt) : NaN;
    out.push({
      id: raw.Id,
      service,
      status,
      health,
      exitCode: typeof state.ExitCode === 'number' ? state.ExitCode : 0,
      restarts: typeof raw.RestartCount === 'number' ? raw.RestartCount : 0,
      // the engine writes 0001-01-01T00:00:00Z for a container that never started
      startedAt: Number.isFinite(started) && started > 0 ? started : null,
      oneOff: String(labels['com.docker.compose.oneoff'] ?? '').toLowerCase() === 'true',
    });
  }
  return out;
}

function classify(c: ContainerState): Status {
  switch (c.status) {
    case 'running':
      if (c.health === 'healthy') return 'healthy';
      if (c.health === 'starting') return 'starting';
      if (c.health === 'unhealthy') return 'unhealthy';
      return 'running';
    case 'restarting':
      return 'restarting';
    case 'created':
      return 'created';
    case 'paused':
      return 'running';
    default:
      // exited, dead, removing
      return 'exited';
  }
}

/** Worst first: the status a service with several containers reports. */
const RANK: readonly Status[] = ['missing', 'exited', 'restarting', 'unhealthy', 'created', 'starting', 'running', 'healthy'];

/** One state per service, in the order given; services without a container are `missing`. */
export function serviceStates(services: readonly string[], containers: readonly ContainerState[]): ServiceState[] {
  return services.map((service) => {
    const own = containers.filter((c) => c.service === service && !c.oneOff);
    if (own.length === 0) return { service, status: 'missing', exitCode: null, restarts: 0, startedAt: null, containerId: null };
    // a container that keeps crashing is restarting, whatever phase the sample caught it in
    const ranked = own.map((c) => ({ c, s: c.restarts >= RESTARTS_GIVEN_UP ? ('restarting' as const) : classify(c) })).sort((a, b) => RANK.indexOf(a.s) - RANK.indexOf(b.s));
    const { c, s } = ranked[0]!;
    return {
      service,
      status: s,
      exitCode: s === 'exited' || s === 'restarting' ? c.exitCode : null,
      restarts: c.restarts,
      startedAt: c.startedAt,
      containerId: c.id,
    };
  });
}

export function isUp(state: ServiceState): boolean {
  return state.status === 'healthy' || state.status === 'running';
}

/** Restarts after which a restart loop is taken as final rather than waited out. */
export const RESTARTS_GIVEN_UP = 3;
/** How long a container that restarted must stay up before it counts as recovered. */
export const STABLE_MS = 10_000;

/**
 * True when waiting longer is unlikely to change anything: every service is up (and, if it restarted,
 * has stayed up for STABLE_MS), or has stopped, become unhealthy, or restarted RESTARTS_GIVEN_UP times
 * (a service still missing or created after `up` returned never starts).
 */
export function settled(states: readonly ServiceState[], now: number): boolean {
  return states.every((s) => {
    if (s.status === 'starting') return false;
    if (s.restarts >= RESTARTS_GIVEN_UP) return true;
    if (s.status === 'restarting') return false;
    if (isUp(s) && s.restarts > 0) return s.startedAt !== null && now - s.startedAt >= STABLE_MS;
    return true;
  });
}

/** `healthy`, `running`, `exited (1)`, `restarting (exit 1, 3 restarts)`, ... */
export function describeStatus(state: ServiceState): string {
  switch (state.status) {
    case 'exited':
      return `exited (${state.exitCode ?? '?'})`;
    case 'restarting':
      return `restarting (exit ${state.exitCode ?? '?'}, ${state.restarts} restart${state.restarts === 1 ? '' : 's'})`;
    case 'missing':
      return 'missing (no container was created)';
    case 'created':
      return 'created (never started)';
    default:
      return state.restarts > 0 ? `${state.status} (after ${state.restarts} restart${state.restarts === 1 ? '' : 's'})` : state.status;
  }
}
