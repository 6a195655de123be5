// A scripted Docker for the verify unit tests: answers the commands verify runs (compose version,
// docker info, config --services, up, ps, inspect, logs, down) from a per-service timeline of container
// states, one step per `docker inspect`, and records every call.
import type { ProcessRunner, RunRequest, RunResult } from '../../src/verify/runner.js';

export interface FakeState {
  status: 'running' | 'exited' | 'restarting' | 'created';
  health?: 'starting' | 'healthy' | 'unhealthy';
  exitCode?: number;
  restarts?: number;
  startedAt?: string;
}

export interface FakeOptions {
  /** Per service, the state at each poll (the last one repeats); null: no container (yet). */
  services: Record<string, Array<FakeState | null>>;
  compose?: 'plugin' | 'standalone-v1' | 'none';
  engine?: boolean;
  configError?: string;
  up?: { code: number; stderr?: string };
  downCode?: number;
  logs?: Record<string, string>;
  /** Called when `up` runs (an interrupt arriving during up, for example). */
  onUp?: () => void;
}

const ok = (stdout = ''): RunResult => ({ code: 0, stdout, stderr: '' });

export class FakeDocker {
  readonly calls: RunRequest[] = [];
  polls = 0;
  project = '';

  constructor(private readonly options: FakeOptions) {}

  /** The calls as `cmd arg arg`, for assertions. */
  get commands(): string[] {
    return this.calls.map((c) => [c.cmd, ...c.args].join(' '));
  }

  composeCalls(sub: string): RunRequest[] {
    return this.calls.filter((c) => {
      const args = c.cmd === 'docker' && c.args[0] === 'compose' ? c.args.slice(1) : c.cmd === 'docker-compose' ? c.args : null;
      if (!args) return false;
      const i = args.findIndex((a, k) => !a.startsWith('-') && (k === 0 || !['-p', '-f'].includes(args[k - 1]!)));
      return args[i] === sub;
    });
  }

  readonly run: ProcessRunner = async (req) => {
    this.calls.push(req);
    const o = this.options;
    const kind = o.compose ?? 'plugin';
    const args = [...req.args];
    if (req.cmd === 'docker' && args[0] === 'compose') {
      if (kind !== 'plugin') return { code: 1, stdout: '', stderr: "docker: 'compose' is not a docker command." };
      return this.compose(args.slice(1));
    }
    if (req.cmd === 'docker-compose') {
      if (kind !== 'standalone-v1') return { code: 127, stdout: '', stderr: 'docker-compose: not found' };
      return this.compose(args);
    }
    if (req.cmd !== 'docker') return { code: 127, stdout: '', stderr: `${req.cmd}: not found` };
    switch (args[0]) {
      case 'info':
        return o.engine === false ? { code: 1, stdout: '', stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?' } : ok('24.0.7\n');
      case 'ps':
        return ok(this.current().map(([name]) => `id-${name}\n`).join(''));
      case 'inspect': {
        const out = this.current()
          .filter(([name]) => args.includes(`id-${name}`))
          .map(([name, s]) => ({
            Id: `id-${name}`,
            RestartCount: s.restarts ?? 0,
            State: {
              Status: s.status,
              Restarting: s.status === 'restarting',
              ExitCode: s.exitCode ?? 0,
              StartedAt: s.startedAt ?? '2024-01-01T00:00:00Z',
              ...(s.health ? { Health: { Status: s.health } } : {}),
            },
            Config: { Labels: { 'com.docker.compose.project': this.project, 'com.docker.compose.service': name, 'com.docker.compose.oneoff': 'False' } },
          }));
        this.polls++;
        return ok(JSON.stringify(out));
      }
      case 'logs': {
        const name = args.at(-1)!.replace(/^id-/, '');
        return { code: 0, stdout: o.logs?.[name] ?? '', stderr: '' };
      }
      default:
        return { code: 1, stdout: '', stderr: `unexpected docker ${args.join(' ')}` };
    }
  };

  private current(): Array<[string, FakeState]> {
    const out: Array<[string, FakeState]> = [];
    for (const [name, timeline] of Object.entries(this.options.services)) {
      const s = timeline[Math.min(this.polls, timeline.length - 1)];
      if (s) out.push([name, s]);
    }
    return out;
  }

  private compose(args: string[]): RunResult {
    const o = this.options;
    if (args[0] === 'version') return ok(o.compose === 'standalone-v1' ? '1.29.2\n' : '2.24.6\n');
    const p = args.indexOf('-p');
    if (p >= 0) this.project = args[p + 1]!;
    const rest = args.filter((a, i) => !['-p', '-f'].includes(a) && !['-p', '-f'].includes(args[i - 1]!));
    switch (rest[0]) {
      case 'config':
        return o.configError ? { code: 1, stdout: '', stderr: o.configError } : ok(Object.keys(o.services).join('\n') + '\n');
      case 'up':
        o.onUp?.();
        return o.up ? { code: o.up.code, stdout: '', stderr: o.up.stderr ?? '' } : ok();
      case 'down':
        return { code: o.downCode ?? 0, stdout: '', stderr: o.downCode ? 'Error response from daemon: conflict' : '' };
      default:
        return { code: 1, stdout: '', stderr: `unexpected compose ${rest.join(' ')}` };
    }
  }
}
