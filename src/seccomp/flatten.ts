import { GO_ARCH, SCMP_ARCH, type Arch } from './arch.js';
import type { ArgCondition } from './templates.js';
import type { DockerProfile, SyscallRule } from './profile.js';

/** An OCI runtime-spec `linux.seccomp` section: what runc, crun and Kubernetes Localhost profiles read. */
export interface OciProfile {
  readonly defaultAction: string;
  readonly defaultErrnoRet: number;
  readonly architectures: readonly string[];
  readonly syscalls: ReadonlyArray<{ readonly names: readonly string[]; readonly action: string; readonly errnoRet?: number; readonly args?: readonly ArgCondition[] }>;
}

/** `SYS_ADMIN`, `cap_sys_admin` and `CAP_SYS_ADMIN` all become `CAP_SYS_ADMIN`. */
export function normalizeCapability(cap: string): string {
  const upper = cap.trim().toUpperCase();
  return upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
}

function applies(rule: SyscallRule, caps: ReadonlySet<string>, arch: Arch): boolean {
  const held = (cap: string) => caps.has('CAP_ALL') || caps.has(cap);
  const goArch = GO_ARCH[arch];
  if (rule.includes?.caps && !rule.includes.caps.every(held)) return false;
  if (rule.includes?.arches && !rule.includes.arches.includes(goArch)) return false;
  if (rule.excludes?.caps && rule.excludes.caps.some(held)) return false;
  if (rule.excludes?.arches && rule.excludes.arches.includes(goArch)) return false;
  return true;
}

/**
 * Resolves a Docker-format profile for one capability set and one architecture, as dockerd does, into the
 * OCI form raw runc/crun load: no `archMap`, `includes` or `excludes` (runc ignores them and would allow every
 * gated call). Unconditional rules with the same action merge into one.
 */
export function flattenProfile(profile: DockerProfile, capabilities: readonly string[], arch: Arch): OciProfile {
  const caps = new Set(capabilities.map(normalizeCapability));
  const merged = new Map<string, Set<string>>();
  const conditioned: Array<OciProfile['syscalls'][number]> = [];
  for (const rule of profile.syscalls) {
    if (!applies(rule, caps, arch)) continue;
    if (rule.args) {
      conditioned.push({ names: [...rule.names], action: rule.action, ...(rule.errnoRet !== undefined ? { errnoRet: rule.errnoRet } : {}), args: rule.args });
      continue;
    }
    const key = `${rule.action}/${rule.errnoRet ?? ''}`;
    const names = merged.get(key) ?? new Set<string>();
    for (const name of rule.names) names.add(name);
    merged.set(key, names);
  }
  const allowed = merged.get('SCMP_ACT_ALLOW/') ?? new Set<string>();
  const syscalls: Array<OciProfile['syscalls'][number]> = [];
  for (const [key, names] of merged) {
    const [action = '', errno = ''] = key.split('/');
    // A call both allowed (by a capability) and denied with ENOSYS: the allow wins, as it does in dockerd's order.
    const list = action === 'SCMP_ACT_ALLOW' ? [...names] : [...names].filter((name) => !allowed.has(name));
    if (list.length > 0) syscalls.push({ names: list.sort(), action, ...(errno !== '' ? { errnoRet: Number(errno) } : {}) });
  }
  syscalls.push(...conditioned.filter((rule) => rule.action !== 'SCMP_ACT_ALLOW' || !rule.names.every((name) => allowed.has(name))));
  return { defaultAction: profile.defaultAction, defaultErrnoRet: profile.defaultErrnoRet, architectures: [SCMP_ARCH[arch]], syscalls };
}

/** The names a flattened profile allows, outright or under argument conditions. */
export function allowedNames(profile: OciProfile): string[] {
  return [...new Set(profile.syscalls.filter((rule) => rule.action === 'SCMP_ACT_ALLOW').flatMap((rule) => rule.names))].sort();
}
