// The shared root filesystem every emulated image starts from: Debian bookworm (minbase) plus the
// packages of all services, built once per machine with debootstrap and cached as a tar.zst keyed by
// suite, mirror, package list and build script, then imported into the private engine on each run.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { log, must, run } from './sh.js';

const here = dirname(fileURLToPath(import.meta.url));
const BUILD_SCRIPT = join(here, 'build-rootfs.sh');
export const CACHE_DIR = process.env.COMPOSE_HARDEN_E2E_CACHE ?? '/var/cache/compose-harden-e2e';
const SUITE = 'bookworm';

/** Everything the emulated images need, in one filesystem (faster than one per image). */
export const PACKAGES = [
  'postgresql', 'postgresql-client',
  'redis-server', 'redis-tools',
  'nginx-light',
  'python3', 'python3-psycopg2', 'python3-redis',
  'gosu',
  'procps', 'curl', 'wget', 'ca-certificates',
];

/** The Debian mirror this machine uses (deb822 files in sources.list.d, then sources.list). */
export function debianMirror(): string {
  const texts: string[] = [];
  const d = '/etc/apt/sources.list.d';
  if (existsSync(d)) for (const f of readdirSync(d).sort()) if (/\.(sources|list)$/.test(f)) texts.push(readFileSync(join(d, f), 'utf8'));
  if (existsSync('/etc/apt/sources.list')) texts.push(readFileSync('/etc/apt/sources.list', 'utf8'));
  for (const text of texts) {
    for (const stanza of text.split(/\n\s*\n/)) {
      const uri = /^URIs:\s*(\S+)/m.exec(stanza)?.[1];
      const suites = /^Suites:\s*(.+)$/m.exec(stanza)?.[1] ?? '';
      if (uri && /(^|\s)bookworm(\s|$)/.test(suites) && !/^\s*Enabled:\s*no/m.test(stanza)) return uri;
    }
    const m = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm\s/m.exec(text);
    if (m?.[1]) return m[1];
  }
  return 'http://deb.debian.org/debian';
}

export function rootfsKey(mirror: string): string {
  const h = createHash('sha256');
  h.update([SUITE, mirror, ...PACKAGES].join('\n'));
  h.update(readFileSync(BUILD_SCRIPT));
  return h.digest('hex').slice(0, 16);
}

/** Returns the cached tar.zst, building it when missing. */
export async function ensureRootfs(): Promise<{ tar: string; key: string; built: boolean }> {
  const mirror = debianMirror();
  const key = rootfsKey(mirror);
  mkdirSync(CACHE_DIR, { recursive: true });
  const tar = join(CACHE_DIR, `rootfs-${SUITE}-${key}.tar.zst`);
  if (existsSync(tar)) return { tar, key, built: false };
  log(`building the base rootfs with debootstrap (${SUITE}, ${mirror}); cached as ${tar}`);
  const started = Date.now();
  await must(BUILD_SCRIPT, [tar, SUITE, mirror, ...PACKAGES], { timeoutMs: 900_000 });
  log(`base rootfs built in ${Math.round((Date.now() - started) / 1000)} s`);
  return { tar, key, built: true };
}

/** Imports the rootfs as local/e2e-base:<key> into the engine (once per engine). */
export async function importBase(env: NodeJS.ProcessEnv): Promise<string> {
  const { tar, key } = await ensureRootfs();
  const tag = `local/e2e-base:${key}`;
  if ((await run('docker', ['image', 'inspect', tag], { env })).code === 0) return tag;
  const started = Date.now();
  await must('bash', ['-o', 'pipefail', '-c', `zstd -dc "$1" | docker import --change 'CMD ["bash"]' - "$2"`, 'import', tar, tag], {
    env,
    timeoutMs: 600_000,
  });
  log(`imported ${tag} in ${Math.round((Date.now() - started) / 1000)} s`);
  return tag;
}
