// The assertions about a running stack. Each check throws an Error whose message names the service
// and the cause (what was expected, what was seen, and the service's own log lines that explain it),
// so a failing test says what is wrong without a second run. The test of the test calls these same
// functions on a deliberately broken stack.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordForTeardown } from './engine.js';
import { run } from './sh.js';
import type { ServiceConfig, Stack } from './stack.js';

const CAPS = [
  'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP',
  'LINUX_IMMUTABLE', 'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'IPC_OWNER',
  'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT', 'SYS_PTRACE', 'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE',
  'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD', 'LEASE', 'AUDIT_WRITE', 'AUDIT_CONTROL', 'SETFCAP',
  'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ', 'PERFMON', 'BPF',
  'CHECKPOINT_RESTORE',
];

export class CheckError extends Error {}

function fail(service: string, message: string): never {
  throw new CheckError(`service "${service}": ${message}`);
}

export function capNames(mask: bigint): string[] {
  return CAPS.filter((_, i) => (mask >> BigInt(i)) & 1n);
}

export function capMask(names: string[]): bigint {
  let m = 0n;
  for (const n of names) {
    const i = CAPS.indexOf(n.toUpperCase().replace(/^CAP_/, ''));
    if (i >= 0) m |= 1n << BigInt(i);
  }
  return m;
}

export function parseBytes(v: string | number | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return v;
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(v.trim());
  if (!m) return undefined;
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.round(Number(m[1]) * mult);
}

interface ContainerState {
  id: string;
  status: string;
  health?: string;
  exitCode: number;
  restarts: number;
  healthOutput?: string;
  env: string[];
  networks: Record<string, { IPAddress: string }>;
  securityOpt: string[];
  /** The user the container was started as (Config.User; empty: the image's, here root). */
  user: string;
}

export async function state(stack: Stack, service: string): Promise<ContainerState | undefined> {
  const id = await stack.containerId(service);
  if (!id) return undefined;
  const r = await stack.docker(['inspect', id]);
  if (r.code !== 0) return undefined;
  const [c] = JSON.parse(r.stdout) as Array<{
    State: { Status: string; ExitCode: number; Health?: { Status: string; Log?: Array<{ Output: string }> } };
    RestartCount: number;
    Config: { Env: string[] | null; User: string };
    NetworkSettings: { Networks: Record<string, { IPAddress: string }> };
    HostConfig: { SecurityOpt: string[] | null };
  }>;
  if (!c) return undefined;
  const log = c.State.Health?.Log ?? [];
  return {
    id,
    status: c.State.Status,
    health: c.State.Health?.Status,
    exitCode: c.State.ExitCode,
    restarts: c.RestartCount,
    healthOutput: log[log.length - 1]?.Output?.trim(),
    env: c.Config.Env ?? [],
    networks: c.NetworkSettings.Networks,
    securityOpt: c.HostConfig.SecurityOpt ?? [],
    user: c.Config.User ?? '',
  };
}

const CAUSE = /read-only file system|operation not permitted|permission denied|not permitted|\[emerg\]|fatal|error|failed|cannot|denied|no such file/i;

/** The service's own explanation: its log lines that look like causes, else its last lines. */
export async function logCause(stack: Stack, service: string): Promise<string> {
  const id = await stack.containerId(service);
  if (!id) return '(no container)';
  const r = await stack.docker(['logs', '--tail', '200', id]);
  const lines = `${r.stdout}\n${r.stderr}`.split('\n').map((l) => l.trim()).filter(Boolean);
  const causes = lines.filter((l) => CAUSE.test(l));
  const picked = [...new Set(causes.length ? causes : lines)].slice(-4);
  return picked.length ? picked.map((l) => `  | ${l.slice(0, 300)}`).join('\n') : '  | (no log output)';
}

/**
 * Waits until every service is running, and healthy where it has a healthcheck, or until one of them
 * cannot get there (exited for good, or restarted three times), or the time is up.
 */
export async function waitForStack(stack: Stack, services: string[], timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const states = await Promise.all(services.map((s) => state(stack, s)));
    const ready = states.every((s) => s && s.status === 'running' && (s.health === undefined || s.health === 'healthy'));
    // a container with a restart policy is `restarting`, never `exited`, between attempts
    const hopeless = states.some((s) => s && (s.restarts >= 3 || s.status === 'exited' || s.status === 'dead'));
    if (ready || hopeless || Date.now() > end) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

export async function checkRunning(stack: Stack, service: string): Promise<void> {
  const s = await state(stack, service);
  if (!s) fail(service, `no container was created (docker-compose up said:\n${stack.upOutput.trim().split('\n').slice(-6).join('\n')})`);
  const ok = s.status === 'running' && (s.health === undefined || s.health === 'healthy') && s.restarts === 0;
  if (ok) return;
  const what = s.status !== 'running'
    ? `is ${s.status} (exit code ${s.exitCode})`
    : s.restarts > 0 ? `was restarted ${s.restarts} times` : `is ${s.health ?? 'running'}, not healthy`;
  const hc = s.healthOutput ? `\nlast healthcheck output: ${s.healthOutput.slice(0, 300)}` : '';
  fail(service, `${what}${hc}\nits log says:\n${await logCause(stack, service)}`);
}

/** An application request through the edge service, retried briefly while the chain warms up. */
export async function checkEdgeRequest(stack: Stack, edge: { service: string; port: number; path: string }, expect: string[]): Promise<string> {
  const p = await stack.compose(['port', edge.service, String(edge.port)]);
  const hostPort = p.stdout.trim().split('\n')[0];
  if (p.code !== 0 || !hostPort) {
    const s = await state(stack, edge.service);
    fail(edge.service, `has no published port ${edge.port} to send the request to: it is ${s ? `${s.status} (exit code ${s.exitCode}, ${s.restarts} restarts)` : `missing; docker-compose up said:\n${stack.upOutput.trim().split('\n').slice(-6).join('\n')}`}\nits log says:\n${await logCause(stack, edge.service)}`);
  }
  const url = `http://${hostPort.replace(/^0\.0\.0\.0/, '127.0.0.1')}${edge.path}`;
  let last = '';
  const end = Date.now() + 30_000;
  while (Date.now() < end) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      const body = await res.text();
      if (res.ok && expect.every((e) => body.includes(e))) return body;
      last = `HTTP ${res.status}: ${body.slice(0, 300)}`;
    } catch (e) {
      last = (e as Error & { cause?: Error }).cause?.message ?? (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  const others: string[] = [];
  for (const svc of Object.keys(stack.config.services)) {
    if (svc === edge.service) continue;
    const s = await state(stack, svc);
    if (!s || s.status !== 'running' || (s.health && s.health !== 'healthy') || s.restarts > 0) {
      others.push(`service "${svc}" is ${s ? `${s.status}/${s.health ?? '-'}/${s.restarts} restarts` : 'missing'}:\n${await logCause(stack, svc)}`);
    }
  }
  fail(edge.service, `GET ${edge.path} did not return ${JSON.stringify(expect)}; last answer: ${last}\n` +
    `its log says:\n${await logCause(stack, edge.service)}${others.length ? `\n${others.join('\n')}` : ''}`);
}

/** Runs a POSIX sh script in the service's container. sh, not bash: bash's start-up calls getpgrp,
 * which some families' seccomp profiles deny, and every image has a /bin/sh. */
export async function exec(stack: Stack, service: string, script: string, timeoutMs = 30_000) {
  const s = await state(stack, service);
  if (!s || s.status !== 'running') fail(service, `cannot check inside the container: it is ${s?.status ?? 'missing'}`);
  return run('docker', ['exec', s.id, 'sh', '-c', script], { env: stack.env, timeoutMs });
}

async function procStatus(stack: Stack, service: string): Promise<Record<string, string>> {
  const r = await exec(stack, service, 'cat /proc/1/status');
  if (r.code !== 0) fail(service, `cannot read /proc/1/status: ${r.stderr.trim()}`);
  return Object.fromEntries(r.stdout.split('\n').map((l) => l.split(':\t')).filter((p) => p.length === 2).map(([k, v]) => [k!, v!.trim()]));
}

function svc(stack: Stack, service: string): ServiceConfig {
  const c = stack.config.services[service];
  if (!c) fail(service, 'is not in the effective configuration');
  return c;
}

export async function checkReadOnlyRoot(stack: Stack, service: string): Promise<void> {
  if (svc(stack, service).read_only !== true) fail(service, 'the fixed file does not set read_only: true');
  const r = await exec(stack, service, 'echo probe > /.compose-harden-e2e-probe');
  if (r.code === 0) fail(service, 'writing to / succeeded: the root filesystem is writable');
  if (!/read-only file system/i.test(r.stderr)) fail(service, `writing to / failed, but not with EROFS: ${r.stderr.trim()}`);
}

export async function checkCapabilities(stack: Stack, service: string): Promise<void> {
  const c = svc(stack, service);
  if (!(c.cap_drop ?? []).some((x) => x.toUpperCase() === 'ALL')) fail(service, 'the fixed file does not drop ALL capabilities');
  const expectedBnd = capMask(c.cap_add ?? []);
  const st = await procStatus(stack, service);
  const bnd = BigInt(`0x${st.CapBnd}`);
  const eff = BigInt(`0x${st.CapEff}`);
  const uid = (st.Uid ?? '').split(/\s+/)[1];
  const expectedEff = uid === '0' ? expectedBnd : 0n;
  const show = (m: bigint) => `[${capNames(m).join(', ') || 'none'}]`;
  if (bnd !== expectedBnd) fail(service, `CapBnd of PID 1 is ${show(bnd)}, expected exactly cap_add ${show(expectedBnd)}`);
  if (eff !== expectedEff) {
    fail(service, `CapEff of PID 1 (uid ${uid}) is ${show(eff)}, expected ${show(expectedEff)} (${uid === '0' ? 'root holds its bounding set' : 'a non-root process holds none'})`);
  }
}

export async function checkNoNewPrivs(stack: Stack, service: string): Promise<void> {
  const st = await procStatus(stack, service);
  if (st.NoNewPrivs !== '1') fail(service, `NoNewPrivs of PID 1 is ${st.NoNewPrivs}, expected 1 (security_opt: ${JSON.stringify(svc(stack, service).security_opt ?? [])})`);
}

export async function checkSeccompMode(stack: Stack, service: string): Promise<void> {
  const st = await procStatus(stack, service);
  if (st.Seccomp !== '2') fail(service, `Seccomp of PID 1 is ${st.Seccomp}, expected 2 (filter mode)`);
}

/** The generated profile (written by fix beside the compose file) is the one the engine applied. */
export async function checkSeccompProfile(stack: Stack, service: string): Promise<void> {
  const opts = svc(stack, service).security_opt ?? [];
  const opt = opts.find((o) => /^seccomp[=:]/.test(o));
  if (!opt) fail(service, `fix wrote no seccomp profile (security_opt: ${JSON.stringify(opts)}); the generated profiles have not landed in fix yet, so the engine's default profile applies`);
  const value = opt.replace(/^seccomp[=:]/, '');
  if (value === 'unconfined') fail(service, 'seccomp is unconfined');
  const s = await state(stack, service);
  const applied = s?.securityOpt.find((o) => /^seccomp[=:]/.test(o));
  if (!applied || !applied.includes('"syscalls"')) fail(service, `the engine did not apply the profile ${value} (HostConfig.SecurityOpt: ${JSON.stringify(s?.securityOpt)})`);
}

export async function checkUnshareDenied(stack: Stack, service: string): Promise<void> {
  const r = await exec(stack, service, 'unshare -Ur true');
  if (r.code === 0) fail(service, 'unshare -Ur true succeeded: the service can create namespaces');
  if (!/operation not permitted|permission denied/i.test(r.stderr)) fail(service, `unshare failed for another reason: ${r.stderr.trim()}`);
}

async function cgroupValue(stack: Stack, service: string, v1: string, v2: string): Promise<string> {
  const r = await exec(stack, service, `cat ${v1} 2>/dev/null || cat ${v2}`);
  if (r.code !== 0) fail(service, `cannot read ${v1} or ${v2}: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

export async function checkMemoryLimit(stack: Stack, service: string): Promise<void> {
  const c = svc(stack, service);
  const expected = parseBytes(c.mem_limit ?? c.deploy?.resources?.limits?.memory);
  if (!expected) fail(service, 'the fixed file sets no memory limit');
  const got = await cgroupValue(stack, service, '/sys/fs/cgroup/memory/memory.limit_in_bytes', '/sys/fs/cgroup/memory.max');
  if (Number(got) !== expected) fail(service, `the memory cgroup limit is ${got}, expected ${expected} (mem_limit ${c.mem_limit ?? c.deploy?.resources?.limits?.memory})`);
}

function pidsLimit(c: ServiceConfig): number | undefined {
  return c.pids_limit ?? c.deploy?.resources?.limits?.pids;
}

export async function checkPidsLimit(stack: Stack, service: string): Promise<void> {
  const expected = pidsLimit(svc(stack, service));
  if (!expected || expected < 0) fail(service, 'the fixed file sets no pids limit');
  const got = await cgroupValue(stack, service, '/sys/fs/cgroup/pids/pids.max', '/sys/fs/cgroup/pids.max');
  if (Number(got) !== expected) fail(service, `pids.max is ${got}, expected ${expected}`);
}

const FORK_LOOP = `
import errno, os, sys, time
kids, err = [], None
try:
    for _ in range(int(sys.argv[1])):
        pid = os.fork()
        if pid == 0:
            time.sleep(60)
            os._exit(0)
        kids.append(pid)
except OSError as e:
    err = errno.errorcode.get(e.errno, str(e.errno))
for k in kids:
    os.kill(k, 9)
for k in kids:
    os.waitpid(k, 0)
print(len(kids), err)
`;

export async function checkForkLoop(stack: Stack, service: string): Promise<void> {
  const limit = pidsLimit(svc(stack, service));
  if (!limit || limit < 0) fail(service, 'the fixed file sets no pids limit, so nothing stops a fork loop');
  const tries = limit + 50;
  const r = await exec(stack, service, `python3 -c '${FORK_LOOP.replace(/'/g, "'\\''")}' ${tries}`, 60_000);
  const [forked, err] = r.stdout.trim().split(/\s+/);
  if (r.code !== 0) fail(service, `the fork loop did not run: ${r.stderr.trim().slice(-300)}`);
  if (err !== 'EAGAIN') fail(service, `a loop of ${tries} forks was not stopped (forked ${forked}, error ${err}) with pids_limit ${limit}`);
  if (Number(forked) >= limit) fail(service, `the fork loop reached ${forked} processes with pids_limit ${limit}`);
}

/** A TEST-NET address in a network namespace behind a veth pair, with an accept-and-close
 * listener: reachable through the host's forwarding path, so nothing leaves the machine. */
export interface EgressTarget {
  ns: string;
  address: string;
  port: number;
}

export async function createEgressTarget(engineDir: string): Promise<EgressTarget> {
  const ns = `che2e${Math.random().toString(16).slice(2, 8)}`;
  recordForTeardown(engineDir, 'netns', ns);
  const sh = async (args: string[]) => {
    const r = await run(args[0]!, args.slice(1));
    if (r.code !== 0) throw new Error(`${args.join(' ')}: ${r.stderr.trim()}`);
  };
  await sh(['ip', 'netns', 'add', ns]);
  await sh(['ip', 'link', 'add', `h-${ns}`, 'type', 'veth', 'peer', 'name', `n-${ns}`]);
  await sh(['ip', 'link', 'set', `n-${ns}`, 'netns', ns]);
  await sh(['ip', 'addr', 'add', '198.51.100.1/30', 'dev', `h-${ns}`]);
  await sh(['ip', 'link', 'set', `h-${ns}`, 'up']);
  await sh(['ip', 'netns', 'exec', ns, 'ip', 'addr', 'add', '198.51.100.2/30', 'dev', `n-${ns}`]);
  await sh(['ip', 'netns', 'exec', ns, 'ip', 'link', 'set', `n-${ns}`, 'up']);
  await sh(['ip', 'netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);
  const { spawn } = await import('node:child_process');
  const listener = spawn('ip', ['netns', 'exec', ns, 'python3', '-c',
    'import socket\ns=socket.socket()\ns.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\ns.bind(("198.51.100.2",8081))\ns.listen(16)\nwhile True:\n c,_=s.accept()\n c.close()'], { detached: true, stdio: 'ignore' });
  listener.unref();
  await new Promise((r) => setTimeout(r, 500));
  return { ns, address: '198.51.100.2', port: 8081 };
}

/** A TCP connect with a 3 s timeout, in Python: coreutils `timeout` cannot arm its timer under profiles
 * that deny timer_create and alarm, and would leave a dropped SYN hanging until the exec is killed. */
const CONNECT = `
import socket, sys
s = socket.socket()
s.settimeout(3)
try:
    s.connect((sys.argv[1], int(sys.argv[2])))
except socket.timeout:
    print("timed out"); sys.exit(124)
except OSError as e:
    print(e.strerror or e); sys.exit(1)
print("connected")
`;

async function canConnect(stack: Stack, service: string, address: string, port: number): Promise<{ ok: boolean; why: string }> {
  const r = await exec(stack, service, `python3 -c '${CONNECT.replace(/'/g, "'\\''")}' ${address} ${port}`);
  return { ok: r.code === 0 && r.stdout.includes('connected'), why: `${r.stdout.trim()} ${r.stderr.trim().split('\n').pop() ?? ''}`.trim() || `exit ${r.code}` };
}

function networksOf(c: ServiceConfig): string[] {
  return Array.isArray(c.networks) ? c.networks : Object.keys(c.networks ?? { default: null });
}

export async function checkInternalEgress(stack: Stack, service: string, control: { service: string; port: number }, target: EgressTarget): Promise<void> {
  const c = svc(stack, service);
  const nets = networksOf(c);
  const internal = nets.filter((n) => stack.config.networks?.[n]?.internal === true);
  if (internal.length === 0 || internal.length !== nets.length) {
    fail(service, `is not only on internal networks after fix (networks: ${nets.join(', ')}; internal: ${internal.join(', ') || 'none'})`);
  }
  // control: the listener is reachable from a service that is not on an internal network
  const ctl = await canConnect(stack, control.service, target.address, target.port);
  if (!ctl.ok) throw new CheckError(`harness: the control connection from "${control.service}" to ${target.address}:${target.port} failed (${ctl.why}), so the egress test would prove nothing`);
  const out = await canConnect(stack, service, target.address, target.port);
  if (out.ok) fail(service, `on internal network(s) ${internal.join(', ')}, it opened a connection to ${target.address}:${target.port} outside its networks`);
  // a container on a network this service is not on
  const peer = await state(stack, control.service);
  for (const [net, { IPAddress }] of Object.entries(peer?.networks ?? {})) {
    if (!IPAddress || nets.some((n) => net === n || net.endsWith(`_${n}`))) continue;
    const r = await canConnect(stack, service, IPAddress, control.port);
    if (r.ok) fail(service, `opened a connection to "${control.service}" at ${IPAddress}:${control.port} on network ${net}, which it is not on`);
  }
}

export async function checkSecretReadable(stack: Stack, service: string, value: string): Promise<string> {
  const r = await exec(stack, service, `for f in /run/secrets/*; do [ -f "$f" ] || continue; if grep -qF -- "$1" "$f" 2>/dev/null; then echo "$f"; exit 0; elif ! cat "$f" >/dev/null 2>&1; then echo "UNREADABLE $f: $(cat "$f" 2>&1)"; fi; done; exit 1`.replace('"$1"', `'${value}'`));
  if (r.code === 0) return r.stdout.trim().split('\n').pop()!;
  const unreadable = r.stdout.split('\n').filter((l) => l.startsWith('UNREADABLE'));
  if (unreadable.length) fail(service, `cannot read its secret files as its own user: ${unreadable.join('; ')}`);
  const names = Object.values(svc(stack, service).secrets ?? []).map((x) => (typeof x === 'string' ? x : x.source));
  fail(service, `no file under /run/secrets holds the secret value (service secrets: ${names.join(', ') || 'none'}); fix has not moved it out of environment: into a compose secret`);
}

export async function checkSecretNotInEnvironment(stack: Stack, service: string, value: string): Promise<void> {
  const s = await state(stack, service);
  if (!s) fail(service, 'has no container to inspect');
  const leaks = s.env.filter((e) => e.includes(value)).map((e) => e.split('=')[0]);
  if (leaks.length) fail(service, `docker inspect shows the secret in its environment (${leaks.join(', ')})`);
}

/** The uid of the PostgreSQL server process (the postmaster and its backends) in the container. */
async function postgresUid(stack: Stack, service: string): Promise<string> {
  const r = await exec(stack, service, `for p in /proc/[0-9]*; do c=$(tr '\\0' ' ' < "$p/cmdline" 2>/dev/null) || continue; case "$c" in postgres\\ *|/usr/lib/postgresql/*/bin/postgres\\ *) awk '/^Uid:/{print $2}' "$p/status"; exit 0;; esac; done; exit 1`);
  if (r.code !== 0) fail(service, `no postgres server process in the container: ${r.stderr.trim() || 'none found in /proc'}`);
  return r.stdout.trim();
}

export interface PostgresLogin {
  service: string;
  user: string;
  database: string;
  password: string;
  startsAs: 'root' | 'non-root';
  runsAs: number;
}

/**
 * A password login over TCP from another container on the service's network (so pg_hba's `host all all
 * all scram-sha-256` line applies, not the trust of local connections): the right password is
 * accepted, a wrong one refused; the container started as the expected user and the server runs as
 * `runsAs`.
 */
export async function checkPostgresLogin(stack: Stack, login: PostgresLogin, image = 'postgres:15-bookworm'): Promise<void> {
  const { service } = login;
  const s = await state(stack, service);
  if (!s || s.status !== 'running') fail(service, `is ${s?.status ?? 'missing'}: no login possible\nits log says:\n${await logCause(stack, service)}`);
  const rootStarted = s.user === '' || /^(root|0)(:|$)/.test(s.user);
  if ((login.startsAs === 'root') !== rootStarted) fail(service, `was started as ${JSON.stringify(s.user || '(image default: root)')}, expected a ${login.startsAs} start`);
  const uid = await postgresUid(stack, service);
  if (uid !== String(login.runsAs)) fail(service, `the postgres server runs as uid ${uid}, expected ${login.runsAs}`);
  const [net, addr] = Object.entries(s.networks)[0] ?? [];
  if (!net || !addr?.IPAddress) fail(service, 'has no network address to connect to');
  const psql = (password: string) =>
    stack.docker([
      'run', '--rm', '--network', net, '--entrypoint', 'psql', '-e', `PGPASSWORD=${password}`, '-e', 'PGCONNECT_TIMEOUT=5', image,
      '-h', addr.IPAddress, '-p', '5432', '-U', login.user, '-d', login.database, '-w', '-Atc', 'select current_user',
    ], 90_000);
  let ok = await psql(login.password);
  // the server may still be finishing its start when the healthcheck first passes: one retry
  if (ok.code !== 0 && /starting up|Connection refused/i.test(ok.stderr)) {
    await new Promise((r) => setTimeout(r, 2000));
    ok = await psql(login.password);
  }
  if (ok.code !== 0 || ok.stdout.trim() !== login.user) {
    fail(service, `psql -h ${addr.IPAddress} -U ${login.user} with the password that was in environment: before fix failed: ${ok.stderr.trim().split('\n').pop()}\nits log says:\n${await logCause(stack, service)}`);
  }
  const wrong = await psql(`${login.password}-wrong`);
  if (wrong.code === 0) fail(service, `a wrong password was accepted: the login did not use password authentication (trust?)`);
  if (!/password authentication failed for user/.test(wrong.stderr)) fail(service, `a wrong password failed, but not as a refused password: ${wrong.stderr.trim()}`);
}

/**
 * A credential without a _FILE variant: fix moved it to the git-ignored env file (so the compose file
 * no longer holds it) and `check` still reports it as info, naming the variable.
 */
export async function checkEnvFileSecret(stack: Stack, service: string, variable: string, value: string): Promise<void> {
  const text = readFileSync(join(stack.dir, 'compose.yaml'), 'utf8');
  if (text.includes(value)) fail(service, `the fixed compose file still contains the value of ${variable}`);
  const envFile = join(stack.dir, 'secrets', `${service}.env`);
  let env = '';
  try {
    env = readFileSync(envFile, 'utf8');
  } catch {
    fail(service, `fix wrote no secrets/${service}.env for ${variable}`);
  }
  if (!env.split('\n').some((l) => l.startsWith(`${variable}=`) && l.includes(value))) fail(service, `secrets/${service}.env does not hold ${variable}`);
  const r = await stack.cli(['check', '--format', 'json', '--fail-on', 'never', 'compose.yaml']);
  if (r.code !== 0) fail(service, `compose-harden check failed: ${r.stderr.trim()}`);
  if (r.stdout.includes(value)) fail(service, `compose-harden check printed the value of ${variable}`);
  const report = JSON.parse(r.stdout) as { files: Array<{ findings: Array<{ ruleId: string; severity: string; service: string; message: string }> }> };
  const findings = report.files.flatMap((f) => f.findings).filter((f) => f.ruleId === 'env-secrets' && f.service === service);
  const named = findings.find((f) => f.severity === 'info' && new RegExp(`\\b${variable}\\b`).test(f.message));
  if (!named) fail(service, `check does not report ${variable} (env-secrets, info); its env-secrets findings: ${JSON.stringify(findings.map((f) => `${f.severity}: ${f.message}`))}`);
}
