// The private Docker engine: its own socket, data root, exec root and pid file under one state
// directory, iptables on (internal networks are not isolated without it), and a watchdog that tears
// it down if this process dies without doing so. Nothing here touches another engine.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { log, run, runSync } from './sh.js';

const here = dirname(fileURLToPath(import.meta.url));
export const TEARDOWN_SCRIPT = join(here, 'teardown.sh');

export interface Engine {
  dir: string;
  socket: string;
  /** Environment for docker, docker-compose and BuildKit builds against this engine. */
  env: NodeJS.ProcessEnv;
}

/** Environment for the engine's clients: Debian's docker CLI first (the newer one in /usr/local
 * shadows it), BuildKit for builds, docker-compose building through that CLI. */
export function clientEnv(dir: string): NodeJS.ProcessEnv {
  const shim = join(dir, 'bin');
  return {
    ...process.env,
    PATH: `${shim}:/usr/sbin:/usr/bin:/sbin:/bin:${process.env.PATH ?? ''}`,
    DOCKER_HOST: `unix://${join(dir, 'docker.sock')}`,
    DOCKER_BUILDKIT: '1',
    COMPOSE_DOCKER_CLI_BUILD: '1',
    COMPOSE_INTERACTIVE_NO_CLI: '1',
    DOCKER_CONFIG: join(dir, 'client-config'),
    NO_COLOR: '1',
  };
}

export async function startEngine(): Promise<Engine> {
  const dir = mkdtempSync('/var/tmp/compose-harden-e2e-');
  for (const d of ['root', 'exec', 'bin', 'client-config']) mkdirSync(join(dir, d));
  // docker-compose v1 builds through whichever `docker` comes first on PATH: make it Debian's.
  runSync('ln', ['-s', '/usr/bin/docker', join(dir, 'bin', 'docker')]);

  // What exists before the engine starts, so teardown removes exactly what it added.
  for (const t of ['filter', 'nat']) {
    const saved = runSync('iptables-save', ['-t', t]).out.split('\n').filter((l) => /^(:|-A)/.test(l));
    writeFileSync(join(dir, `iptables.before.${t}`), saved.join('\n') + '\n');
  }
  writeFileSync(join(dir, 'iptables.before'), '');
  writeFileSync(join(dir, 'ip_forward.before'), readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8'));

  // Watchdog first: from here on, a dead test process still means a clean machine.
  // detached: a new session, so a Ctrl-C to the test run does not reach it
  const watchdog = spawn(
    'bash',
    ['-c', `while kill -0 ${process.pid} 2>/dev/null && [ -d "$1" ]; do sleep 1; done; exec "$2" "$1"`, 'watchdog', dir, TEARDOWN_SCRIPT],
    { detached: true, stdio: 'ignore' },
  );
  watchdog.unref();

  const logFd = openSync(join(dir, 'dockerd.log'), 'a');
  const args = [
    '--iptables=true', '--ip6tables=false', '--bridge=none', '--storage-driver=overlay2',
    `--data-root=${join(dir, 'root')}`, `--exec-root=${join(dir, 'exec')}`,
    `--host=unix://${join(dir, 'docker.sock')}`, `--pidfile=${join(dir, 'docker.pid')}`,
    '--default-ulimit', 'nofile=20000:20000', '--default-ulimit', 'nproc=4096:4096',
  ];
  const dockerd = spawn('dockerd', args, {
    detached: true,
    stdio: ['ignore', logFd, logFd],
    // an accidental pull fails at once, locally: there is no registry, and none may be contacted
    env: { ...process.env, HTTP_PROXY: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9', NO_PROXY: '' },
  });
  dockerd.unref();
  if (dockerd.pid) writeFileSync(join(dir, 'dockerd.spawned'), String(dockerd.pid));
  const env = clientEnv(dir);
  const started = Date.now();
  for (;;) {
    const r = await run('docker', ['info', '--format', '{{.ServerVersion}}'], { env, timeoutMs: 10_000 });
    if (r.code === 0) {
      log(`private dockerd ${r.stdout.trim()} ready in ${Date.now() - started} ms at ${dir}`);
      break;
    }
    if (Date.now() - started > 60_000 || dockerd.exitCode !== null) {
      const tailLog = readFileSync(join(dir, 'dockerd.log'), 'utf8').split('\n').slice(-20).join('\n');
      stopEngine(dir);
      throw new Error(`private dockerd did not start:\n${tailLog}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { dir, socket: join(dir, 'docker.sock'), env };
}

/** Synchronous, idempotent: safe from exit and signal handlers. */
export function stopEngine(dir: string): void {
  if (!existsSync(dir)) return;
  const started = Date.now();
  const r = runSync(TEARDOWN_SCRIPT, [dir], 180_000);
  log(`private dockerd stopped and cleaned up in ${Date.now() - started} ms${r.code ? ` (teardown exit ${r.code}: ${r.out.trim()})` : ''}`);
}

/** Names recorded here are removed by the teardown script even if the suite dies. */
export function recordForTeardown(dir: string, file: 'netns' | 'bridges', name: string): void {
  appendFileSync(join(dir, file), `${name}\n`);
}
