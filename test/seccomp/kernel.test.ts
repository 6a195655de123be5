import { chownSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RUNTIME_FAMILIES, type RuntimeFamily } from '../../src/knowledge/image-entry.js';
import { ociProfileFor, type OciProfile } from '../../src/seccomp/index.js';
import { cli } from '../helpers/cli.js';
import { loadTemplate } from '../../src/knowledge/templates.js';
import { buildKernel, hasCommand, hostArch, kernelSkipReason, rulesText, run, runFiltered, splitStderr, startFiltered, type Kernel, type Run } from './kernel.js';

const skip = kernelSkipReason();
if (skip) console.log(`skipped: ${skip}`);

const DENIED = ['unshare', 'mount', 'keyctl', 'ptrace', 'bpf'];
const EPERM = 1;

let kernel: Kernel;

/** Names the syscall table has from the kernel but this libseccomp cannot resolve: the only ones the helper may skip. */
const newer = new Set(loadTemplate<{ newerThanLibseccomp: string[] }>(`seccomp/syscalls-${hostArch}.json`).newerThanLibseccomp);
function stderrOf(result: Run): string {
  const { stderr, skipped } = splitStderr(result.stderr);
  expect(skipped.filter((name) => !newer.has(name))).toEqual([]);
  return stderr;
}
const rulesFor = (family: RuntimeFamily, caps: string[] = []) => kernel.rules(ociProfileFor(family, caps, hostArch), `${family}-${caps.join('+') || 'none'}`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Retries a probe until it succeeds or the daemon has had `ms` to start. */
async function until<T>(probe: () => Promise<T>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

describe.skipIf(skip !== null)('seccomp profiles under a real kernel filter', { timeout: 30_000 }, () => {
  beforeAll(() => {
    kernel = buildKernel();
  });
  afterAll(() => kernel?.cleanup());

  test.each([...RUNTIME_FAMILIES])('%s denies unshare, mount, keyctl, ptrace and bpf with EPERM', async (family) => {
    const result = await runFiltered(kernel, rulesFor(family), [kernel.probe]);
    expect(stderrOf(result)).toBe('');
    expect(result.code).toBe(0);
    const errnos = Object.fromEntries(result.stdout.trim().split('\n').map((line) => line.split(' ') as [string, string]));
    expect(errnos).toEqual(Object.fromEntries(DENIED.map((name) => [name, String(EPERM)])));
  });

  test('CAP_SYS_ADMIN switches unshare and mount on, never keyctl', async () => {
    const result = await runFiltered(kernel, rulesFor('generic', ['SYS_ADMIN']), [kernel.probe]);
    const errnos = Object.fromEntries(result.stdout.trim().split('\n').map((line) => line.split(' ') as [string, string]));
    expect(errnos.unshare).toBe('0');
    expect(errnos.mount).not.toBe(String(EPERM)); // ENOENT: the call reached the kernel
    expect(errnos.keyctl).toBe(String(EPERM));
    expect(errnos.ptrace).toBe(String(EPERM));
  });

  const NODE_SERVER = `
    const http = require('node:http');
    const fs = require('node:fs');
    const server = http.createServer((req, res) => res.end('hello ' + req.url));
    server.listen(0, '127.0.0.1', () => {
      http.get('http://127.0.0.1:' + server.address().port + '/node', (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => {
          fs.writeFileSync(require('node:os').tmpdir() + '/compose-harden-node-' + process.pid, body);
          console.log(body);
          server.close();
        });
      });
    });`;
  test.each(['node', 'generic'] as const)('node HTTP server answers a request under %s', async (family) => {
    const result = await runFiltered(kernel, rulesFor(family), [process.execPath, '-e', NODE_SERVER]);
    expect(stderrOf(result)).toBe('');
    expect(result.stdout).toBe('hello /node\n');
    expect(result.code).toBe(0);
  });

  const PYTHON_SERVER = `
import http.server, sqlite3, tempfile, threading, urllib.request, os
db = sqlite3.connect(os.path.join(tempfile.mkdtemp(), 'test.db'))
db.execute('create table t (v text)'); db.execute("insert into t values ('sqlite')"); db.commit()
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = ('hello ' + db.execute('select v from t').fetchone()[0]).encode()
        self.send_response(200); self.end_headers(); self.wfile.write(body)
    def log_message(self, *args): pass
server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), H)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
print(urllib.request.urlopen('http://127.0.0.1:%d/' % server.server_port).read().decode())
server.shutdown()`;
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  test.each(['python', 'generic'] as const)('python HTTP server with sqlite answers under %s', async (family) => {
    // sqlite3 in the handler runs in another thread: allow it.
    const script = PYTHON_SERVER.replace("sqlite3.connect(", "sqlite3.connect(check_same_thread=False, database=");
    const result = await runFiltered(kernel, rulesFor(family), [python, '-c', script]);
    expect(stderrOf(result)).toBe('');
    expect(result.stdout).toBe('hello sqlite\n');
    expect(result.code).toBe(0);
  });

  const nginx = hasCommand('nginx') ? null : 'nginx is not installed (apt-get install nginx-light)';
  if (nginx) console.log(`skipped: ${nginx}`);
  test.skipIf(nginx !== null).each(['nginx', 'generic'] as const)('nginx serves a request and reloads under %s', async (family) => {
    const dir = join(kernel.dir, `nginx-${family}`);
    mkdirSync(join(dir, 'html'), { recursive: true });
    writeFileSync(join(dir, 'html', 'index.html'), 'hello nginx\n');
    const port = await freePort();
    writeFileSync(
      join(dir, 'nginx.conf'),
      `worker_processes 2; pid ${dir}/nginx.pid; error_log ${dir}/error.log; user nobody nogroup;
       events { worker_connections 64; }
       http { access_log off; client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
              server { listen 127.0.0.1:${port}; root ${dir}/html; } }\n`,
    );
    const daemon = startFiltered(kernel, rulesFor(family), ['nginx', '-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log'), '-g', 'daemon off;']);
    const get = () => until(async () => (await fetch(`http://127.0.0.1:${port}/`)).text());
    expect(await get()).toBe('hello nginx\n');
    process.kill(daemon.pid()!, 'SIGHUP'); // reload: the master re-reads its configuration and forks new workers
    await new Promise((r) => setTimeout(r, 200));
    expect(await get()).toBe('hello nginx\n');
    const result = await daemon.stop('SIGQUIT');
    expect(result.code).toBe(0);
  });

  const redis = hasCommand('redis-server') && hasCommand('redis-cli') ? null : 'redis-server is not installed (apt-get install redis-server)';
  if (redis) console.log(`skipped: ${redis}`);
  test.skipIf(redis !== null).each(['redis', 'generic'] as const)('redis answers SET/GET and BGSAVE under %s', async (family) => {
    const dir = join(kernel.dir, `redis-${family}`);
    mkdirSync(dir, { recursive: true });
    const socket = join(dir, 'redis.sock');
    const daemon = startFiltered(kernel, rulesFor(family), ['redis-server', '--port', '0', '--unixsocket', socket, '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no']);
    const cli = (...args: string[]) => run(['redis-cli', '-s', socket, ...args]);
    await until(async () => {
      const pong = await cli('PING');
      if (pong.stdout.trim() !== 'PONG') throw new Error(pong.stderr);
    });
    expect((await cli('SET', 'k', 'v')).stdout.trim()).toBe('OK');
    expect((await cli('GET', 'k')).stdout.trim()).toBe('v');
    expect((await cli('BGSAVE')).stdout).toMatch(/Background saving started/);
    await until(async () => {
      if (!readdirSync(dir).includes('dump.rdb')) throw new Error('no dump yet');
    });
    await cli('SHUTDOWN', 'NOSAVE');
    const result = await daemon.done;
    expect(result.code).toBe(0);
  });

  const pgBin = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').map((v) => `/usr/lib/postgresql/${v}/bin`).find((bin) => existsSync(join(bin, 'initdb'))) : undefined;
  const postgres = pgBin && hasCommand('psql') && hasCommand('setpriv') ? null : 'postgresql is not installed (apt-get install postgresql)';
  if (postgres) console.log(`skipped: ${postgres}`);
  test.skipIf(postgres !== null).each(['postgres', 'generic'] as const)('postgres initdb, start, query and stop under %s', async (family) => {
    const dir = join(kernel.dir, `pg-${family}`);
    mkdirSync(dir, { recursive: true });
    const owner = await run(['id', '-u', 'postgres']);
    const group = await run(['id', '-g', 'postgres']);
    chownSync(dir, Number(owner.stdout), Number(group.stdout));
    const rules = rulesFor(family);
    const initdb = await runFiltered(kernel, rules, [join(pgBin!, 'initdb'), '-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync'], { user: 'postgres', cwd: dir });
    expect(stderrOf(initdb)).not.toMatch(/FATAL|Operation not permitted/);
    expect(initdb.code).toBe(0);
    const daemon = startFiltered(kernel, rules, [join(pgBin!, 'postgres'), '-D', join(dir, 'data'), '-k', dir, '-c', "listen_addresses=", '-c', 'fsync=off'], { user: 'postgres', cwd: dir });
    const query = await until(async () => {
      const result = await run(['psql', '-h', dir, '-U', 'postgres', '-Atc', 'create table t (v int); insert into t select generate_series(1, 1000); create index on t (v); select count(*) from t;', 'postgres']);
      if (result.code !== 0) throw new Error(result.stderr);
      return result;
    });
    expect(query.stdout.trim().split('\n').at(-1)).toBe('1000');
    const result = await daemon.stop('SIGINT'); // fast shutdown
    expect(stderrOf(result)).not.toMatch(/Operation not permitted|PANIC/);
    expect(result.code).toBe(0);
  });

  const strace = hasCommand('strace') ? null : 'strace is not installed (apt-get install strace)';
  if (strace) console.log(`skipped: ${strace}`);
  test.skipIf(strace !== null)('--from-strace: a recorded program runs again under the profile made from its trace', async () => {
    const dir = join(kernel.dir, 'trace');
    mkdirSync(dir, { recursive: true });
    const program = [python, '-c', `${PYTHON_SERVER}
import subprocess
print(subprocess.run(['/bin/sh', '-c', 'echo child'], capture_output=True, text=True).stdout.strip())`.replace('sqlite3.connect(', 'sqlite3.connect(check_same_thread=False, database=')];
    const recorded = await run(['strace', '-f', '-qq', '-o', join(dir, 'trace.txt'), ...program]);
    expect(recorded.code).toBe(0);
    const made = await cli(['seccomp', '--from-strace', 'trace.txt', '--format', 'oci', '--arch', hostArch, '-o', 'profile.json'], { cwd: dir });
    expect(made.code).toBe(0);
    const profile = JSON.parse(readFileSync(join(dir, 'profile.json'), 'utf8')) as OciProfile;
    const rules = join(dir, 'trace.rules');
    writeFileSync(rules, rulesText(profile));
    const result = await runFiltered(kernel, rules, program);
    expect(stderrOf(result)).toBe('');
    expect(result.stdout).toBe('hello sqlite\nchild\n');
    expect(result.code).toBe(0);
    // And what the program never did stays denied.
    const probe = await runFiltered(kernel, rules, [kernel.probe]);
    expect(probe.stdout).toBe('unshare 1\nmount 1\nkeyctl 1\nptrace 1\nbpf 1\n');
  });
});

