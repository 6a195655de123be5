import { describe, expect, it } from 'vitest';
import { describeStatus, parseInspect, serviceStates, settled } from '../../src/verify/status.js';

const container = (id: string, service: string | undefined, state: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  Id: id,
  RestartCount: 0,
  State: { Status: 'running', ExitCode: 0, StartedAt: '2024-05-01T10:00:00.123456789Z', ...state },
  Config: { Labels: service === undefined ? { other: 'x' } : { 'com.docker.compose.service': service, ...extra } },
});

describe('verify: container states', () => {
  it('reads docker inspect output: health, restarts, exit codes, never-started containers; skips non-Compose containers', () => {
    const parsed = parseInspect(
      JSON.stringify([
        container('a', 'web', { Health: { Status: 'healthy' } }),
        container('b', undefined, {}),
        container('c', 'job', { Status: 'exited', ExitCode: 3 }),
        container('d', 'new', { Status: 'created', StartedAt: '0001-01-01T00:00:00Z' }),
        { ...container('e', 'loop', { Status: 'restarting', Restarting: true, ExitCode: 1 }), RestartCount: 2 },
      ]),
    );
    expect(parsed.map((c) => [c.id, c.service, c.status, c.health, c.exitCode, c.restarts, c.startedAt === null])).toEqual([
      ['a', 'web', 'running', 'healthy', 0, 0, false],
      ['c', 'job', 'exited', null, 3, 0, false],
      ['d', 'new', 'created', null, 0, 0, true],
      ['e', 'loop', 'restarting', null, 1, 2, false],
    ]);
    expect(() => parseInspect('Error: No such object')).toThrow(/did not print JSON/);
  });

  it('one status per service, the worst container of a scaled service, one-off containers left out', () => {
    const containers = parseInspect(
      JSON.stringify([
        container('w1', 'web', {}),
        container('w2', 'web', { Status: 'exited', ExitCode: 137 }),
        container('r1', 'web', { Status: 'exited', ExitCode: 1 }, { 'com.docker.compose.oneoff': 'True' }),
        container('d1', 'db', { Health: { Status: 'starting' } }),
      ]),
    );
    const states = serviceStates(['web', 'db', 'cache'], containers);
    expect(states.map(describeStatus)).toEqual(['exited (137)', 'starting', 'missing (no container was created)']);
    expect(states.map((s) => s.containerId)).toEqual(['w2', 'd1', null]);
    expect(settled(states, Date.now())).toBe(false);
    expect(settled(states.filter((s) => s.service !== 'db'), Date.now())).toBe(true);
  });

  it('a container caught running between crashes, after three restarts, is restarting', () => {
    const [state] = serviceStates(['app'], parseInspect(JSON.stringify([{ ...container('x', 'app', { ExitCode: 1 }), RestartCount: 3 }])));
    expect(describeStatus(state!)).toBe('restarting (exit 1, 3 restarts)');
    expect(settled([state!], Date.now())).toBe(true);
  });
});
