import { isMap } from 'yaml';
import type { ServiceNode } from '../core/compose-file.js';
import type { Intent } from '../core/intents.js';
import type { YamlValue } from '../core/render.js';
import { exposesControlSocket } from './docker-socket.js';
import { canonicalHostPath, ownListItem, ownVolumeItem, volumeMounts, type Mount } from './support/mounts.js';
import type { Report, Rule, Severity } from './types.js';

/** Host paths where write access is host root (matched with everything below them), and what writing there gives. */
const ROOT_EQUIVALENT: ReadonlyArray<{ path: string; what: string; config?: boolean }> = [
  { path: '/etc', what: "the host's configuration (cron, sudoers, shadow, ld.so.preload)", config: true },
  { path: '/root', what: "root's home (authorized_keys, shell history)" },
  { path: '/boot', what: 'the kernel and initramfs' },
  { path: '/proc', what: 'the host kernel parameters (core_pattern) and the environment of host processes' },
  { path: '/var/lib/docker', what: "every container's filesystem and the image layers" },
  { path: '/var/lib/containerd', what: "the containerd snapshots of every container's filesystem" },
];
/** Matched only as the mount itself: they are dangerous for what they contain (`/var/lib/docker` in `/var/lib`), not below. */
const ROOT_EQUIVALENT_EXACT: ReadonlyArray<{ path: string; what: string }> = [
  { path: '/var/lib', what: "every service's state, the container store among it" },
  { path: '/usr', what: "the host's programs and libraries" },
  { path: '/bin', what: "the host's programs" },
  { path: '/sbin', what: "the host's system programs" },
  { path: '/lib', what: "the host's libraries and kernel modules" },
  { path: '/lib64', what: "the host's libraries" },
];
/** Disclosure or a weaker boundary in either mode (matched with everything below them). */
const EXPOSED: ReadonlyArray<{ path: string; what: string }> = [
  { path: '/sys', what: 'kernel, device and cgroup interfaces' },
  { path: '/dev', what: "the host's device nodes" },
  { path: '/lib/modules', what: 'the kernel modules' },
  { path: '/var/lib/kubelet', what: "the kubelet's pod credentials" },
];
/** Character devices that carry no host state: binding them (often to blank out a file) exposes nothing. */
const INERT = new Set(['/dev/null', '/dev/zero', '/dev/full', '/dev/random', '/dev/urandom']);
/** Credential directories of a home directory, wherever the home is. */
const CREDENTIALS = /(^|\/)\.(ssh|gnupg|aws|kube|docker|azure|config\/gcloud)(\/|$)/;
/** Parts of /etc that hold secrets or grant root: disclosure even read-only. */
const SECRET_CONFIG = /^\/etc\/(shadow|gshadow|sudoers|sudoers\.d|ssh|ssl\/private|pki|docker|kubernetes|containerd|cron[^/]*|ld\.so\.preload|passwd|group)(\/|$)/;
/** Files of /etc that only tell the time zone: read-only binds of them are the usual way to share the host's clock settings. */
const TIMEZONE = new Set(['/etc/localtime', '/etc/timezone']);

interface Hit {
  readonly what: string;
  readonly severity: Severity;
  /** A writable mount of configuration: `:ro` fixes it. */
  readonly config: boolean;
}

function classify(path: string, readOnly: boolean): Hit | null {
  const under = (root: string) => path === root || path.startsWith(`${root}/`);
  if (TIMEZONE.has(path)) return readOnly ? null : { what: 'the host\'s time zone setting', severity: 'warning', config: true };
  if (INERT.has(path)) return null;
  if (under('/etc') && path !== '/etc' && !SECRET_CONFIG.test(path)) {
    // A configuration file or directory under /etc shared read-only (certificates, an app's own config) is the usual way to hand a service host settings.
    return readOnly ? null : { what: 'host configuration', severity: 'error', config: true };
  }
  for (const r of ROOT_EQUIVALENT) {
    if (under(r.path)) return { what: r.what, severity: readOnly ? 'warning' : 'error', config: r.config === true && !readOnly };
  }
  for (const r of EXPOSED) if (under(r.path)) return { what: r.what, severity: 'warning', config: false };
  for (const r of ROOT_EQUIVALENT_EXACT) if (path === r.path) return { what: r.what, severity: readOnly ? 'warning' : 'error', config: false };
  if (/^\/(var\/)?run\/./.test(path)) return { what: 'host runtime state (udev, utmp, other daemons\' sockets)', severity: 'warning', config: false };
  if (path === '/home' || /^\/home\/[^/]+$/.test(path)) return { what: "users' home directories (keys, credentials, history)", severity: 'warning', config: false };
  if (CREDENTIALS.test(path)) return credentials(readOnly);
  return null;
}

/**
 * A bind source classified: an absolute host path by where it is; a source in the home directory of the user
 * running Compose (`~`, `~/.ssh`, `${HOME}/.aws`) as that home or a credential directory in it, whatever the
 * home is; another unresolved variable only when it names a credential directory (`${CONFIG}/.docker`).
 * Relative sources are project directories. `path` is the source as the message names it.
 */
function classifySource(text: string, readOnly: boolean): { path: string; hit: Hit | null } {
  if (text.startsWith('/')) {
    const path = canonicalHostPath(text);
    return { path, hit: classify(path, readOnly) };
  }
  const below = belowHome(text);
  if (below !== null) {
    const resolved = below === '' ? '~' : `~/${below}`;
    // Compose joins what follows `~` to the home (`~someone/.ssh` is `~/someone/.ssh`): say so when the file spells it otherwise.
    const path = /^~[^/]/.test(text) ? `${text} (Compose reads it as ${resolved})` : text.startsWith('~') ? resolved : text;
    if (below === '') return { path, hit: { what: "the home directory of the user running Compose (SSH keys, cloud and registry credentials, shell start-up files)", severity: readOnly ? 'warning' : 'error', config: false } };
    return { path, hit: CREDENTIALS.test(below) ? credentials(readOnly) : null };
  }
  return { path: text, hit: text.startsWith('$') && CREDENTIALS.test(text) ? credentials(readOnly) : null };
}

function credentials(readOnly: boolean): Hit {
  return { what: 'credentials (SSH keys, cloud or registry tokens)', severity: readOnly ? 'warning' : 'error', config: false };
}

/**
 * The path of a source below the home directory of the user running Compose, '' for the home itself: `~` and
 * `$HOME`/`${HOME}` followed by nothing or `/...`. Compose expands a leading `~` by joining the rest to that home
 * (compose-go's paths.ExpandUser), never to another user's: `~someone/.ssh` is `~/someone/.ssh`. Null for any
 * other source, and for one that climbs out of the home (`~/../x`), whose place is not known.
 */
function belowHome(text: string): string | null {
  const match = /^(?:~|\$HOME(?![A-Za-z0-9_])|\$\{HOME\})(.*)$/.exec(text);
  if (!match) return null;
  const rest = match[1]!;
  if (!text.startsWith('~') && rest !== '' && !rest.startsWith('/')) return null;
  const parts: string[] = [];
  for (const part of rest.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..') parts.push(part);
    else if (parts.pop() === undefined) return null;
  }
  return parts.join('/');
}

export const sensitiveMounts: Rule = {
  meta: {
    id: 'sensitive-mounts',
    title: 'Sensitive host path is mounted',
    severity: 'error',
    fix: 'review',
    cis: ['5.6'],
    refs: { kics: ['1c1325ff'], semgrep: [], composeLint: ['CL-0013', 'CL-0025'] },
    detects:
      "A bind mount (short or long syntax, or a named volume the local driver binds) of a host system path: `/etc` itself, and what is below it when writable or secret (`/etc/shadow`, `/etc/ssh`, cron, ...); `/root`, `/boot`, `/proc`, `/var/lib/docker`, `/var/lib/containerd` and below them; `/var/lib`, `/usr`, `/bin`, `/sbin`, `/lib`, `/lib64` themselves; `/sys`, `/dev` (but not the inert `/dev/null`, `/dev/zero`, ...), `/lib/modules`, `/var/lib/kubelet`; host runtime state below `/run`; a home directory (`/home/<user>`, `~`, `${HOME}`); a credential directory (`.ssh`, `.gnupg`, `.aws`, `.kube`, `.docker`, `.azure`, `.config/gcloud`) wherever it is",
    rationale:
      "A bind mount of a host system directory hands the container what the host keeps there. Writable, `/etc`, `/root`, `/boot`, `/proc`, `/var/lib/docker` and `/var/lib/containerd` are host root (a cron job, an authorized key, core_pattern, another container's files); read-only they still disclose secrets (shadow, SSH host keys, process environments). `/sys`, `/dev`, `/lib/modules`, home directories, credential directories (`~/.ssh`, `~/.aws`, `~/.docker`, `~/.kube`) and host runtime state below `/run` disclose host state in either mode. The whole home of the user running Compose (`~`) holds that user's keys and shell start-up files, and that user controls the Docker engine: writable, it is host root too.",
    remedy:
      'Sets writable binds of host configuration (`/etc` and below) read-only (a read-only `/etc` itself, or its secrets, is still reported as a warning): `:ro` in the short syntax (`rw` becomes `ro`), `read_only: true` in a flow-mapping long-syntax entry; a block-mapping entry is reported with the line to add. Review: a service that writes host configuration (a VPN or firewall manager) stops working. Every other sensitive mount is reported only: remove it, or mount the one file or subdirectory the service needs, read-only. Writable root-equivalent paths, credential directories and the home of the user running Compose (`~`, `${HOME}`) are errors, read-only ones and disclosure paths warnings. Read-only binds of configuration below `/etc` (certificates, the config directory of an application) are the usual way to share host settings and are not reported, unless they hold secrets or grant root (`/etc/shadow`, `/etc/sudoers`, `/etc/ssh`, `/etc/ssl/private`, `/etc/docker`, `/etc/kubernetes`, cron, `/etc/passwd`); `/etc/localtime` and `/etc/timezone` read-only, and the inert devices (`/dev/null`, `/dev/zero`, `/dev/urandom`, ...), are not reported. Differences: the host root `/`, `/var`, `/run` and `/var/run` contain the runtime socket and are reported by docker-socket only, once, like `/run/systemd`, `/run/dbus` and the sockets in them (systemd\'s private socket, the D-Bus system bus); relative sources (`./etc`) are project directories, not host system paths; `~someone/.ssh` is read the way Compose reads it, as `~/someone/.ssh` (Compose joins what follows `~` to the home of the user running it, never to another user\'s home), so a credential directory in it is still reported; home directories are matched by depth (`/home/alice`), not everything below them, so a project under `/home` is not reported; a directory below `/var/lib` other than the container stores (`/var/lib/mysql`, `/var/lib/backup`) is a service\'s own data, not a host system directory.',
    owns: ['volumes'],
    examples: {
      bad: 'services:\n  vpn:\n    image: example/vpn:1.0\n    volumes:\n      - /etc/wireguard:/etc/wireguard\n',
      good: 'services:\n  vpn:\n    image: example/vpn:1.0\n    volumes:\n      - /etc/wireguard:/etc/wireguard:ro\n',
    },
  },
  check(service, file) {
    const declared = file.topLevel('volumes');
    const topLevel = declared && typeof declared === 'object' ? (declared as Record<string, unknown>) : {};
    const reports: Report[] = [];
    for (const mount of volumeMounts(service.effective, topLevel)) {
      if (mount.type !== 'bind' || exposesControlSocket(mount)) continue;
      const text = mount.source ?? mount.sourceText;
      if (!text) continue;
      const { path, hit } = classifySource(text, mount.readOnly);
      if (!hit) continue;
      const node = ownVolumeItem(service, mount.index) ?? service.locate('volumes');
      const via = mount.namedBind ? ` through the named volume "${mount.namedBind}"` : '';
      const mode = mount.readOnly ? 'read-only' : 'writable';
      const base = `service "${service.name}" mounts ${path}${via} ${mode}: it exposes ${hit.what}`;
      const replacement = hit.config && !mount.namedBind ? readOnlyEntry(service, mount) : null;
      if (hit.config && replacement === undefined) {
        reports.push({ message: `${base}; add \`read_only: true\` to this entry`, node, severity: hit.severity });
      } else if (replacement) {
        reports.push({ message: `${base}; the service should only read it`, node, severity: hit.severity, fix: () => readOnlyFix((service.effective.volumes as unknown[])[mount.index], replacement) });
      } else {
        reports.push({ message: `${base}; remove it or mount only what the service needs${mount.readOnly ? '' : ', read-only'}`, node, severity: hit.severity });
      }
    }
    return reports;
  },
};

/** The entry made read-only; undefined for a block-mapping entry, which the engine cannot edit in place. */
function readOnlyEntry(service: ServiceNode, mount: Mount): YamlValue | undefined {
  const raw = (service.effective.volumes as unknown[])[mount.index];
  if (!mount.long) {
    const spec = String(raw);
    if (!mount.mode) return `${spec}:ro`;
    const options = mount.mode.split(',').filter((o) => o.trim() !== 'rw');
    return `${spec.slice(0, spec.length - mount.mode.length)}${[...options, 'ro'].join(',')}`;
  }
  const item = ownListItem(service, 'volumes', mount.index);
  if (item && isMap(item) && !item.flow) return undefined;
  return { ...(raw as Record<string, YamlValue>), read_only: true };
}

function readOnlyFix(raw: unknown, replacement: YamlValue): Intent[] {
  const because = { reason: 'host configuration the service reads', source: 'https://docs.docker.com/engine/storage/bind-mounts/#use-a-read-only-bind-mount' };
  return [
    { kind: 'remove-items', key: 'volumes', values: [raw], ...because },
    { kind: 'add-items', key: 'volumes', items: [replacement], ...because },
  ];
}
