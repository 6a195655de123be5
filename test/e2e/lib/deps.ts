// What the suite needs from the machine, installed from Debian when missing (a fresh machine of this
// kind has Node and a docker client only).
import { existsSync } from 'node:fs';
import { log, must } from './sh.js';

const NEEDED: Array<{ file: string; pkg: string }> = [
  { file: '/usr/sbin/dockerd', pkg: 'docker.io' },
  { file: '/usr/bin/docker', pkg: 'docker.io' },
  { file: '/usr/bin/docker-compose', pkg: 'docker-compose' },
  { file: '/usr/sbin/debootstrap', pkg: 'debootstrap' },
  { file: '/usr/bin/zstd', pkg: 'zstd' },
  { file: '/usr/sbin/iptables', pkg: 'iptables' },
  { file: '/usr/sbin/iptables-save', pkg: 'iptables' },
  { file: '/usr/bin/ip', pkg: 'iproute2' },
  { file: '/usr/bin/python3', pkg: 'python3-minimal' },
];

export async function installMissing(): Promise<void> {
  if (process.getuid?.() !== 0) {
    throw new Error('the real-engine suite runs a private dockerd and must run as root');
  }
  const pkgs = [...new Set(NEEDED.filter((n) => !existsSync(n.file) && !existsSync(n.file.replace('/usr', ''))).map((n) => n.pkg))];
  if (pkgs.length === 0) return;
  log(`installing from Debian: ${pkgs.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await must('apt-get', ['update', '-qq'], { env, timeoutMs: 300_000 });
  await must('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { env, timeoutMs: 600_000 });
}
