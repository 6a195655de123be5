/**
 * Where our semantics deliberately differ from another scanner's test cases. Each entry names the rule
 * of ours whose remedy documents the difference in a "Differences:" sentence, and a phrase of that
 * sentence; scanner-suites.test.ts checks the phrase is really there. Every other disagreement fails.
 */
import type { Tool } from './ours.js';

export interface DivergenceCase {
  /** The compose text of the case. */
  readonly text: string;
  /** The service the case is about, when known. */
  readonly service: string | null;
  /** The line the case names (KICS's expected line, Semgrep's annotated line); '' for compose-lint. */
  readonly lineText: string;
  readonly file: string;
}

export interface Divergence {
  readonly tool: Tool;
  /** Their rule as our refs name it: a KICS id prefix, a Semgrep rule id, a CL id. */
  readonly ref: string;
  /** Their expectation we deliberately do not meet. */
  readonly expected: 'positive' | 'negative';
  /** Our rule whose remedy documents it (usually one that refers to their rule; else the rule that reports the case instead). */
  readonly rule: string;
  /** Words of that rule's "Differences:" text that state it. */
  readonly mentions: string;
  /** Which of their cases it covers. */
  matches(c: DivergenceCase): boolean;
  /** The difference, in a few words, for the report. */
  readonly why: string;
}

/** A case whose input is not a Compose file: Compose refuses it, and so does our parser, with this error. */
export interface RefusedInput {
  readonly tool: Tool;
  /** The case file, as the end of its path in the checkout. */
  readonly file: string;
  /** Words of our parser's error. */
  readonly refusal: string;
  readonly why: string;
}

export const REFUSED_INPUTS: readonly RefusedInput[] = [
  {
    tool: 'kics',
    file: 'volume_has_sensitive_host_directory/test/positive3.yaml',
    refusal: 'service "image" is a scalar value, not a mapping of settings',
    why: '`services:` holds `image: docker` directly, a service whose value is a string',
  },
];

/** The service's own lines in a compose text (from its key to the next key at the same indentation). */
export function serviceBlock(text: string, service: string | null): string {
  if (service === null) return text;
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => new RegExp(`^(\\s+)["']?${service.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*:`).test(l));
  if (start < 0) return text;
  const indent = /^(\s*)/.exec(lines[start]!)![1]!.length;
  let end = start + 1;
  while (end < lines.length && (lines[end]!.trim() === '' || /^(\s*)/.exec(lines[end]!)![1]!.length > indent)) end++;
  return lines.slice(start, end).join('\n');
}

/** The device paths a case's service names. */
function devicesOf(c: DivergenceCase): string[] {
  return [...serviceBlock(c.text, c.service).matchAll(/\/dev\/[^\s:"',\]]+/g)].map((m) => m[0]);
}

/** Short-syntax port entries of a text whose host side has a port below 1024 and whose container side has none. */
function privilegedHostSideOnly(text: string): boolean {
  const ports = [...text.matchAll(/^\s*-\s*["']?([0-9.:\[\]-]+)(?:\/\w+)?["']?\s*$/gm)].map((m) => m[1]!);
  const low = (range: string): number => Number(range.split('-')[0]);
  return ports.some((p) => {
    const parts = p.split(':');
    if (parts.length < 2) return false;
    const container = parts[parts.length - 1]!;
    const host = parts[parts.length - 2]!;
    return host !== '' && low(host) < 1024 && low(container) >= 1024;
  });
}

export const DIVERGENCES: readonly Divergence[] = [
  {
    tool: 'kics',
    ref: '610e266e',
    expected: 'negative',
    rule: 'no-new-privileges',
    mentions: "KICS's security_opt_not_set only asks for the key",
    matches: (c) => /security_opt:/.test(c.text) && !/no-new-privileges/.test(c.text),
    why: 'security_opt set without no-new-privileges is still reported',
  },
  {
    tool: 'kics',
    ref: 'bc2908f3',
    expected: 'positive',
    rule: 'privileged-ports',
    mentions: "the host side of the mapping is the host's business",
    matches: (c) => privilegedHostSideOnly(serviceBlock(c.text, c.service)),
    why: 'a host port below 1024 mapped to a container port above it is not reported',
  },
  {
    tool: 'kics',
    ref: '1c1325ff',
    expected: 'positive',
    rule: 'sensitive-mounts',
    mentions: '`/var/lib/backup`',
    matches: (c) => /\/var\/lib\/backup\b/.test(c.lineText),
    why: "a directory below /var/lib other than the container stores is a service's own data",
  },
  {
    tool: 'semgrep',
    ref: 'exposing-docker-socket-volume',
    expected: 'positive',
    rule: 'docker-socket',
    mentions: 'a bare container path (`- /var/run/docker.sock`) is an anonymous volume',
    matches: (c) => /^\s*-\s*["']?\/(var\/)?run\/docker\.sock["']?\s*$/m.test(serviceBlock(c.text, c.service)),
    why: 'a bare container path is an anonymous volume, not the host socket',
  },
  {
    tool: 'composeLint',
    ref: 'CL-0001',
    expected: 'negative',
    rule: 'docker-socket',
    mentions: '`/run/user/<uid>` counts as a directory holding a runtime socket',
    matches: (c) => /\/run\/user\/\d+/.test(serviceBlock(c.text, c.service)),
    why: "/run/user/<uid> holds a rootless engine's socket",
  },
  {
    tool: 'composeLint',
    ref: 'CL-0013',
    expected: 'positive',
    rule: 'docker-socket',
    mentions: '`/run/user/<uid>` counts as a directory holding a runtime socket',
    matches: (c) => /\/run\/user\/\d+/.test(serviceBlock(c.text, c.service)),
    why: '/run/user/<uid> is reported by docker-socket (a runtime socket directory), not as host state',
  },
  {
    tool: 'composeLint',
    ref: 'CL-0010',
    expected: 'negative',
    rule: 'no-host-namespaces',
    mentions: '`uts: host` and `userns_mode: host` are reported too',
    matches: (c) => /^\s*(uts|userns_mode):\s*["']?host["']?\s*$/m.test(serviceBlock(c.text, c.service)),
    why: 'uts: host and userns_mode: host still share a host namespace',
  },
  {
    tool: 'composeLint',
    ref: 'CL-0016',
    expected: 'negative',
    rule: 'host-devices',
    mentions: '`/dev/net/tun` is reported as a warning (compose-lint treats it as safe)',
    matches: (c) => devicesOf(c).length > 0 && devicesOf(c).every((d) => d === '/dev/net/tun'),
    why: '/dev/net/tun lets the container create network interfaces',
  },
  {
    tool: 'composeLint',
    ref: 'CL-0017',
    expected: 'negative',
    rule: 'mount-propagation',
    mentions: '`slave`/`rslave` are reported too (as info)',
    matches: (c) => /\br?slave\b/.test(serviceBlock(c.text, c.service)) && !/\br?shared\b/.test(serviceBlock(c.text, c.service)),
    why: 'slave propagation still carries host mounts into the container',
  },
  {
    tool: 'kics',
    ref: '404fde2c',
    expected: 'negative',
    rule: 'seccomp-profile',
    mentions: "also reports a service that runs under Docker's default profile",
    matches: (c) => !/seccomp[:=]\s*["']?unconfined/.test(serviceBlock(c.text, c.service)),
    why: "Docker's default seccomp profile is reported: the rule writes a profile tailored to the image",
  },
  {
    tool: 'semgrep',
    ref: 'seccomp-confinement-disabled',
    expected: 'negative',
    rule: 'seccomp-profile',
    mentions: "also reports a service that runs under Docker's default profile",
    matches: (c) => !/seccomp[:=]\s*["']?unconfined/.test(serviceBlock(c.text, c.service)),
    why: "Docker's default seccomp profile is reported: the rule writes a profile tailored to the image",
  },
  {
    tool: 'composeLint',
    ref: 'CL-0009',
    expected: 'negative',
    rule: 'seccomp-profile',
    mentions: "also reports a service that runs under Docker's default profile",
    matches: (c) => !/seccomp[:=]\s*["']?unconfined/.test(serviceBlock(c.text, c.service)),
    why: "Docker's default seccomp profile is reported: the rule writes a profile tailored to the image",
  },
  {
    tool: 'kics',
    ref: 'ce14a68b',
    expected: 'positive',
    rule: 'internal-network',
    mentions: 'a service without `networks:` is not reported for that alone',
    matches: (c) => !/^\s*networks:/m.test(serviceBlock(c.text, c.service)),
    why: 'only backends that can move onto an internal network are reported, not every service without networks:',
  },
  {
    tool: 'composeLint',
    ref: 'CL-0014',
    expected: 'negative',
    rule: 'logging-limits',
    mentions: 'json-file and local logging without rotation (and a service with no logging section',
    matches: (c) => !/driver:\s*["']?none["']?\s*$/m.test(serviceBlock(c.text, c.service)) && !/max-size/.test(serviceBlock(c.text, c.service)),
    why: 'logging without rotation is reported too, not only switched-off logging',
  },
  {
    tool: 'composeLint',
    ref: 'CL-0014',
    expected: 'positive',
    rule: 'logging-limits',
    mentions: '`driver: None` is no driver Docker knows',
    matches: (c) => /driver:\s*["']?None["']?\s*$/m.test(serviceBlock(c.text, c.service)),
    why: 'driver names are case-sensitive: None is not none',
  },
  {
    tool: 'composeLint',
    ref: 'CL-0018',
    expected: 'negative',
    rule: 'non-root-user',
    mentions: "a service with no `user:` whose image runs as root by default is reported too",
    matches: (c) => !/^\s*user:/m.test(serviceBlock(c.text, c.service)),
    why: "an image's default root user is reported, not only an explicit one",
  },
  {
    tool: 'composeLint',
    ref: 'CL-0004',
    expected: 'negative',
    rule: 'image-pinned',
    mentions: 'a release tag without a digest (`ghcr.io/org/app:1.2.3`) is information here',
    matches: (c) => /image:\s*["']?[^\s"'@]+:v?\d[^\s"'@]*["']?\s*$/m.test(serviceBlock(c.text, c.service)),
    why: 'a release tag without a digest is reported as information (their CL-0019)',
  },
  {
    tool: 'composeLint',
    ref: 'CL-0019',
    expected: 'negative',
    rule: 'image-pinned',
    mentions: '`stable` is a channel',
    matches: (c) => /image:\s*["']?[^\s"'@]+:stable["']?\s*$/m.test(serviceBlock(c.text, c.service)),
    why: 'a channel tag is reported as mutable (their CL-0004)',
  },
  {
    tool: 'composeLint',
    ref: 'CL-0001',
    expected: 'negative',
    rule: 'docker-socket',
    mentions: 'The D-Bus system bus (`/run/dbus`, `/var/run/dbus`) is reported here as a socket that controls the host',
    matches: (c) => /(^|[\s"'-])\/(var\/)?run\/dbus\/?:/m.test(serviceBlock(c.text, c.service)),
    why: 'root on the D-Bus system bus starts host units through systemd: /run/dbus holds a socket that controls the host',
  },
  {
    tool: 'composeLint',
    ref: 'CL-0013',
    expected: 'positive',
    rule: 'docker-socket',
    mentions: 'The D-Bus system bus (`/run/dbus`, `/var/run/dbus`) is reported here as a socket that controls the host',
    matches: (c) => /(^|[\s"'-])\/(var\/)?run\/dbus\/?:/m.test(serviceBlock(c.text, c.service)),
    why: '/run/dbus is reported by docker-socket (a socket that controls the host), not as host state',
  },
  {
    tool: 'composeLint',
    ref: 'CL-0013',
    expected: 'negative',
    rule: 'sensitive-mounts',
    mentions: '`~someone/.ssh` is read the way Compose reads it, as `~/someone/.ssh`',
    matches: (c) => /["'\s]~[^/\s:"']+\/[^:"'\s]*\.(ssh|gnupg|aws|kube|docker|azure)\b/.test(serviceBlock(c.text, c.service)),
    why: 'Compose mounts ~someone/.ssh as ~/someone/.ssh, a credential directory in the home of the user running Compose',
  },
  {
    tool: 'composeLint',
    ref: 'CL-0016',
    expected: 'negative',
    rule: 'host-devices',
    mentions: 'every device passed is reported, whatever capability its use needs',
    matches: (c) => devicesOf(c).length > 0 && devicesOf(c).every((d) => ['/dev/mem', '/dev/port', '/dev/fuse'].includes(d)),
    why: '/dev/mem, /dev/port and /dev/fuse are reported although their use needs a capability (CAP_SYS_RAWIO, CAP_SYS_ADMIN)',
  },
  {
    tool: 'composeLint',
    ref: 'CL-0016',
    expected: 'negative',
    rule: 'host-devices',
    mentions: 'Devices Docker refuses are reported too, since the file asks for them',
    matches: (c) => devicesOf(c).length > 0 && devicesOf(c).every((d) => ['/dev/kmem', '/dev/raw'].includes(d)),
    why: '/dev/kmem and /dev/raw, which Docker refuses on current kernels, are reported since the file asks for them',
  },
  {
    tool: 'composeLint',
    ref: 'CL-0016',
    expected: 'negative',
    rule: 'host-devices',
    mentions: 'a name that is no known device (`/dev/mdadm`) is reported as a device like any other',
    matches: (c) => devicesOf(c).length > 0 && devicesOf(c).every((d) => d === '/dev/mdadm'),
    why: 'every device passed is reported, /dev/mdadm (no RAID array) as a warning',
  },
  {
    tool: 'composeLint',
    ref: 'CL-0020',
    expected: 'negative',
    rule: 'env-secrets',
    mentions: 'a password passed through from the environment (`${VAR}`, `$VAR`, also after an escaped `$$`) is reported as information',
    matches: (c) => /^\s*-?\s*["']?\w*(?:PASS|PWD|SECRET|TOKEN|KEY|SALT|DSN|CREDENTIAL)\w*["']?\s*[:=]\s*["']?(?:\$\$)*\$\{?[A-Za-z_]\w*\}?["']?\s*$/im.test(serviceBlock(c.text, c.service)),
    why: 'a credential passed through from the environment (${VAR}) is reported as information: a compose secret keeps it out of docker inspect',
  },
  {
    tool: 'composeLint',
    ref: 'CL-0020',
    expected: 'positive',
    rule: 'env-secrets',
    mentions: 'a setting about a credential whose value is a rate (`PASSWORD_RESET_REQUEST_THROTTLE_RATE: 5/hour`) is not reported',
    matches: (c) => /^\s*-?\s*["']?[A-Za-z0-9_]*RATE["']?\s*[:=]\s*["']?\d+(?:\.\d+)?\s*\/\s*[A-Za-z]+["']?\s*$/m.test(serviceBlock(c.text, c.service)),
    why: 'a rate (5/hour) under a key that names a setting about a credential is a setting, not a credential',
  },
];
