import { describe, expect, it } from 'vitest';
import { runVerify, type VerifyHooks } from '../../src/cli/commands/verify.js';
import { withSecretsHidden, type CliIO } from '../../src/cli/io.js';
import { resolveInputs, type Input } from '../../src/cli/inputs.js';
import { detectCompose } from '../../src/verify/detect.js';
import { nodeFileSystem } from '../../src/io/file-system.js';
import { cli } from '../helpers/cli.js';
import { useTempDir, write } from '../cli/support.js';
import { FakeDocker, type FakeOptions } from './fake-docker.js';

const STACK = 'services:\n  web:\n    image: nginx:1.27\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: hunter2-not-shown\n';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  docker: FakeDocker;
  slept: number;
}

/** runVerify against the fake, with a clock that advances only when verify sleeps. */
async function verifyWith(dir: string, fake: FakeOptions, args: Partial<{ keep: boolean; timeout: string; logLines: string; format: 'text' | 'json' }> = {}, hooks: VerifyHooks = {}): Promise<Run> {
  const docker = new FakeDocker(fake);
  let stdout = '';
  let stderr = '';
  let clock = 1_700_000_000_000;
  let slept = 0;
  const io: CliIO = {
    cwd: dir,
    env: {},
    stdout: { write: (t) => void (stdout += t), isTTY: false },
    stderr: { write: (t) => void (stderr += t), isTTY: false },
    readStdin: async () => new Uint8Array(),
    fs: nodeFileSystem,
  };
  const inputs = (await resolveInputs([], io)) as Input[];
  const code = await runVerify(
    inputs,
    { keep: args.keep, timeout: args.timeout ?? '60', logLines: args.logLines ?? '3', format: args.format ?? 'text' },
    withSecretsHidden(io),
    {
      run: docker.run,
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
        slept += ms;
      },
      onInterrupt: () => () => undefined,
      projectName: 'compose-harden-verify-0badc0de',
      ...hooks,
    },
  );
  return { code, stdout, stderr, docker, slept };
}

describe('verify: detection', () => {
  it('prefers the Compose v2 plugin, and needs an engine that answers', async () => {
    const plugin = new FakeDocker({ services: {} });
    expect(await detectCompose(plugin.run)).toEqual({ compose: { name: 'docker compose', cmd: 'docker', base: ['compose'], version: '2.24.6', major: 2 }, engine: '24.0.7' });
    const v1 = new FakeDocker({ services: {}, compose: 'standalone-v1' });
    expect(await detectCompose(v1.run)).toMatchObject({ compose: { name: 'docker-compose', cmd: 'docker-compose', base: [], version: '1.29.2', major: 1 } });
    expect(await detectCompose(new FakeDocker({ services: {}, compose: 'none' }).run)).toEqual({ error: expect.stringMatching(/no Docker Compose found/) });
    expect(await detectCompose(new FakeDocker({ services: {}, engine: false }).run)).toEqual({ error: expect.stringMatching(/engine does not answer.*Cannot connect/) });
  });
});

describe('verify', () => {
  const tmp = useTempDir('compose-harden-verify-');

  it('reports every service healthy or running, exits 0 and tears the project down', async () => {
    write(tmp.dir, 'compose.yaml', STACK);
    const r = await verifyWith(tmp.dir, {
      services: { web: [null, { status: 'running' }], db: [{ status: 'running', health: 'starting' }, { status: 'running', health: 'healthy' }] },
      logs: { web: 'start worker processes\n', db: 'database system is ready to accept connections\n' },
    });
    expect(r.stderr).toMatch(/starting 2 services as project compose-harden-verify-0badc0de with docker compose 2\.24\.6/);
    expect(r.stdout).toBe(
      '  web      running\n' +
        '      | start worker processes\n' +
        '  db       healthy\n' +
        '      | database system is ready to accept connections\n' +
        'all 2 services healthy or running\n' +
        'project compose-harden-verify-0badc0de torn down\n',
    );
    expect(r.code).toBe(0);
    const up = r.docker.composeCalls('up')[0]!;
    expect(up.args).toEqual(['compose', '-p', 'compose-harden-verify-0badc0de', '-f', `${tmp.dir}/compose.yaml`, 'up', '-d']);
    expect(up.cwd).toBe(tmp.dir);
    expect(r.docker.composeCalls('down').map((c) => c.args.slice(5))).toEqual([['down', '--volumes', '--remove-orphans', '--rmi', 'local', '--timeout', '10']]);
  });

  it('runs docker-compose v1 from the compose file\'s directory when there is no plugin', async () => {
    write(tmp.dir, 'compose.yaml', STACK);
    const r = await verifyWith(tmp.dir, { compose: 'standalone-v1', services: { web: [{ status: 'running' }], db: [{ status: 'running' }] } });
    expect(r.code).toBe(0);
    const up = r.docker.composeCalls('up')[0]!;
    expect(up.cmd).toBe('docker-compose');
    expect(up.cwd).toBe(tmp.dir);
  });

  it('reports an exited service with its exit code and last log lines, exits 1, and still tears down', async () => {
    write(tmp.dir, 'compose.yaml', STACK);
    const r = await verifyWith(tmp.dir, {
      services: { web: [{ status: 'exited', exitCode: 1 }], db: [{ status: 'running', health: 'healthy' }] },
      logs: { web: 'one\ntwo\nnginx: [emerg] mkdir() "/var/cache/nginx/client_temp" failed (30: Read-only file system)\n' },
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  web      exited (1)\n      | one\n      | two\n      | nginx: [emerg] mkdir() "/var/cache/nginx/client_temp" failed (30: Read-only file system)\n');
    expect(r.stdout).toContain('1 of 2 services not healthy or running: web\n');
    expect(r.docker.composeCalls('down')).toHaveLength(1);
    // an exited service is final: no waiting for the timeout
    expect(r.slept).toBe(0);
  });

  it('gives up on a restart loop after three restarts instead of waiting for the timeout', async () => {
    write(tmp.dir, 'compose.yaml', STACK);
    const r = await verifyWith(tmp.dir, {
      services: {
        web: [
          { status: 'restarting', exitCode: 1, restarts: 1 },
          { status: 'running', restarts: 2, startedAt: new Date(1_700_000_001_000).toISOString() },
          { status: 'restarting', exitCode: 1, restarts: 3 },
        ],
        db: [{ status: 'running', health: 'healthy' }],
      },
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  web      restarting (exit 1, 3 restarts)\n');
    expect(r.slept).toBe(2000);
  });

  it('counts a service that restarted and then stayed up as running', async () => {
    write(tmp.dir, 'compose.yaml', STACK);
    const started = new Date(1_700_000_000_000).toISOString();
    const r = await verifyWith(tmp.dir, {
      services: { web: [{ status: 'running', restarts: 1, startedAt: started }], db: [{ status: 'running' }] },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  web      running (after 1 restart)\n');
    expect(r.slept).toBe(10_000);
  });

  it('waits up to --timeout for a healthcheck, then reports it starting and exits 1', async () => {
    write(tmp.dir, 'compose.yaml', STACK);
    const r = await verifyWith(tmp.dir, { services: { web: [{ status: 'running' }], db: [{ status: 'running', health: 'starting' }] } }, { timeout: '5' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  db       starting\n');
    expect(r.stdout).toContain('1 of 2 services not healthy or running: db (after waiting 5 s)\n');
    expect(r.slept).toBe(5000);
    expect(r.docker.composeCalls('down')).toHaveLength(1);
  });

  it('reports a service up never created as missing, with what up said', async () => {
    write(tmp.dir, 'compose.yaml', STACK);
    const r = await verifyWith(tmp.dir, {
      up: { code: 1, stderr: 'ERROR: for web  Container "0c5f" is unhealthy.\nEncountered errors while bringing up the project.\n' },
      services: { web: [null], db: [{ status: 'running', health: 'unhealthy' }] },
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  web      missing (no container was created)\n');
    expect(r.stdout).toContain('  db       unhealthy\n');
    expect(r.stdout).toContain('docker compose up failed: Encountered errors while bringing up the project.\n');
    expect(r.docker.composeCalls('down')).toHaveLength(1);
  });

  it('--keep leaves the project up and says how to remove it', async () => {
    write(tmp.dir, 'compose.yaml', STACK);
    const r = await verifyWith(tmp.dir, { services: { web: [{ status: 'running' }], db: [{ status: 'running' }] } }, { keep: true });
    expect(r.code).toBe(0);
    expect(r.docker.composeCalls('down')).toHaveLength(0);
    expect(r.stdout).toContain('project compose-harden-verify-0badc0de left running (--keep); remove it with: docker compose -p compose-harden-verify-0badc0de down --volumes\n');
  });

  it('a failed teardown is reported and makes the exit code 1', async () => {
    write(tmp.dir, 'compose.yaml', STACK);
    const r = await verifyWith(tmp.dir, { downCode: 1, services: { web: [{ status: 'running' }], db: [{ status: 'running' }] } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/project compose-harden-verify-0badc0de NOT torn down: docker compose down failed: Error response from daemon: conflict/);
  });

  it('an interrupt during the wait stops it, tears down and exits 130', async () => {
    write(tmp.dir, 'compose.yaml', STACK);
    let interrupt: () => void = () => undefined;
    const r = await verifyWith(
      tmp.dir,
      { services: { web: [{ status: 'running' }], db: [{ status: 'running', health: 'starting' }] }, onUp: () => interrupt() },
      {},
      { onInterrupt: (abort) => ((interrupt = abort), () => undefined) },
    );
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('interrupted: tearing the project down');
    expect(r.stdout).toContain('interrupted before the services settled\n');
    expect(r.docker.composeCalls('down')).toHaveLength(1);
    expect(r.slept).toBe(0);
    expect(r.docker.composeCalls('up')[0]!.signal?.aborted).toBe(true);
  });

  it('tears down even when something throws while waiting', async () => {
    write(tmp.dir, 'compose.yaml', STACK);
    const docker = new FakeDocker({ services: { web: [{ status: 'running' }], db: [{ status: 'running' }] } });
    const failing: VerifyHooks['run'] = async (req) => {
      if (req.cmd === 'docker' && req.args[0] === 'inspect') throw new Error('boom');
      return docker.run(req);
    };
    await expect(verifyWith(tmp.dir, { services: {} }, {}, { run: failing })).rejects.toThrow('boom');
    expect(docker.composeCalls('down')).toHaveLength(1);
  });

  it('never prints a credential value of the file, even when a service logs it', async () => {
    write(tmp.dir, 'compose.yaml', STACK);
    const r = await verifyWith(tmp.dir, {
      services: { web: [{ status: 'running' }], db: [{ status: 'exited', exitCode: 1 }] },
      logs: { db: 'FATAL: password hunter2-not-shown rejected\n' },
    }, { format: 'json' });
    expect(r.stdout).not.toContain('hunter2-not-shown');
    const report = JSON.parse(r.stdout) as { ok: boolean; services: Array<{ name: string; status: string; exitCode: number | null; logs: string[] }>; teardown: string };
    expect(report.ok).toBe(false);
    expect(report.teardown).toBe('removed');
    expect(report.services.find((s) => s.name === 'db')).toMatchObject({ status: 'exited', exitCode: 1, logs: ['FATAL: password **** rejected'] });
  });

  it('no Docker, a file Compose rejects, and bad options are usage or input errors (exit 2), with nothing started', async () => {
    write(tmp.dir, 'compose.yaml', STACK);
    const noEngine = await verifyWith(tmp.dir, { engine: false, services: {} });
    expect(noEngine.code).toBe(2);
    expect(noEngine.stderr).toMatch(/compose-harden: the Docker engine does not answer/);
    const noCompose = await verifyWith(tmp.dir, { compose: 'none', services: {} });
    expect(noCompose.code).toBe(2);
    const rejected = await verifyWith(tmp.dir, { configError: "services.web Additional property imagee is not allowed", services: { web: [] } });
    expect(rejected.code).toBe(2);
    expect(rejected.stderr).toMatch(/docker compose rejects the project: services\.web Additional property imagee is not allowed/);
    expect(rejected.docker.composeCalls('up')).toHaveLength(0);
    for (const r of [noEngine, noCompose, rejected]) expect(r.docker.composeCalls('down')).toHaveLength(0);

    expect(await cli(['verify', '--timeout', '0'], { cwd: tmp.dir })).toMatchObject({ code: 2, stderr: expect.stringMatching(/--timeout takes a whole number of at least 1/) });
    expect(await cli(['verify', '-'], { cwd: tmp.dir })).toMatchObject({ code: 2, stderr: expect.stringMatching(/not standard input/) });
    expect(await cli(['verify', 'missing.yaml'], { cwd: tmp.dir })).toMatchObject({ code: 2, stderr: expect.stringMatching(/missing\.yaml:1:1: no such file/) });
    expect(await cli(['verify'], { cwd: `${tmp.dir}/..` })).toMatchObject({ code: 2 });
  });
});
