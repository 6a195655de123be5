import { ARCHES, GO_ARCH, SCMP_ARCH, namesOn, type Arch } from './arch.js';
import type { ArgCondition, SeccompKnowledge } from './templates.js';

/** One entry of a profile's `syscalls`, with the keys in the order Docker's own profile writes them. */
export interface SyscallRule {
  readonly names: readonly string[];
  readonly action: string;
  readonly errnoRet?: number;
  readonly args?: readonly ArgCondition[];
  readonly comment?: string;
  readonly includes?: { readonly caps?: readonly string[]; readonly arches?: readonly string[] };
  readonly excludes?: { readonly caps?: readonly string[]; readonly arches?: readonly string[] };
}

/** A profile in Docker's format: what `security_opt: [seccomp=FILE]` takes, resolved by dockerd or podman. */
export interface DockerProfile {
  readonly comment: string;
  readonly defaultAction: 'SCMP_ACT_ERRNO';
  readonly defaultErrnoRet: 1;
  readonly archMap: ReadonlyArray<{ readonly architecture: string; readonly subArchitectures: readonly string[] }>;
  readonly syscalls: readonly SyscallRule[];
}

/** What a template (or a trace) allows, before the baseline and the capability rules are added. */
export interface ProfileSpec {
  /** Says where the allowed set comes from (`the node template`, `a trace of FILE`). */
  readonly source: string;
  readonly allow: Readonly<Record<Arch, ReadonlySet<string>>>;
}

const ENOSYS = 38;
const sorted = (names: Iterable<string>) => [...new Set(names)].sort();

/** Splits per-architecture sets into the names every architecture shares and the names of each one. */
function byArch(sets: Readonly<Record<Arch, ReadonlySet<string>>>): { common: string[]; only: Record<Arch, string[]> } {
  const [first, ...rest] = ARCHES;
  const common = sorted([...sets[first]].filter((name) => rest.every((arch) => sets[arch].has(name))));
  const shared = new Set(common);
  const only = Object.fromEntries(ARCHES.map((arch) => [arch, sorted([...sets[arch]].filter((name) => !shared.has(name)))])) as Record<Arch, string[]>;
  return { common, only };
}

/**
 * Builds the Docker-format profile: the template's calls plus the runtime baseline and the never-block list,
 * argument-conditioned rules for socket, personality, clone and clone3, ENOSYS for calls with a fallback,
 * and the capability-gated calls as `includes.caps` rules. The same inputs always give the same rules in the same order.
 */
export function buildDockerProfile(spec: ProfileSpec, knowledge: SeccompKnowledge): DockerProfile {
  const { baseline } = knowledge;
  const conditioned = baseline.argumentRules;
  const allowed = Object.fromEntries(
    ARCHES.map((arch) => [arch, new Set([...spec.allow[arch], ...namesOn(baseline.runtime, arch), ...namesOn(baseline.neverBlock, arch)])]),
  ) as Record<Arch, Set<string>>;
  const outright = Object.fromEntries(ARCHES.map((arch) => [arch, new Set([...allowed[arch]].filter((name) => !(name in conditioned)))])) as Record<Arch, Set<string>>;

  const rules: SyscallRule[] = [];
  const { common, only } = byArch(outright);
  if (common.length > 0) rules.push({ names: common, action: 'SCMP_ACT_ALLOW', comment: `${spec.source}, the container runtime's own calls and the calls never to block` });
  for (const arch of ARCHES) {
    if (only[arch].length > 0) rules.push({ names: only[arch], action: 'SCMP_ACT_ALLOW', comment: `${arch} only`, includes: { arches: [GO_ARCH[arch]] } });
  }

  for (const [name, rule] of Object.entries(conditioned)) {
    if (!rule.always && !ARCHES.some((arch) => allowed[arch].has(name))) continue;
    for (const variant of rule.rules) {
      rules.push({
        names: [name],
        action: variant.action ?? 'SCMP_ACT_ALLOW',
        ...(variant.errnoRet !== undefined ? { errnoRet: variant.errnoRet } : {}),
        ...(variant.args ? { args: variant.args.map((a) => ({ index: a.index, value: a.value, ...(a.valueTwo !== undefined ? { valueTwo: a.valueTwo } : {}), op: a.op })) } : {}),
        comment: rule.why,
        ...(variant.includes ? { includes: { caps: [...variant.includes.caps] } } : {}),
        ...(variant.excludes ? { excludes: { caps: [...variant.excludes.caps] } } : {}),
      });
    }
  }

  const gated = new Set(knowledge.capabilityRules.flatMap((rule) => ARCHES.flatMap((arch) => namesOn(rule, arch))));
  const fallback = sorted(ARCHES.flatMap((arch) => namesOn(baseline.enosys, arch)).filter((name) => !gated.has(name) && ARCHES.every((arch) => !allowed[arch].has(name))));
  if (fallback.length > 0) rules.push({ names: fallback, action: 'SCMP_ACT_ERRNO', errnoRet: ENOSYS, comment: baseline.enosys.why });

  for (const rule of knowledge.capabilityRules) {
    const extra = Object.fromEntries(ARCHES.map((arch) => [arch, new Set(namesOn(rule, arch).filter((name) => !outright[arch].has(name)))])) as Record<Arch, Set<string>>;
    const split = byArch(extra);
    const caps = [...rule.caps];
    if (split.common.length > 0) rules.push({ names: split.common, action: 'SCMP_ACT_ALLOW', comment: rule.why, includes: { caps } });
    for (const arch of ARCHES) {
      if (split.only[arch].length > 0) rules.push({ names: split.only[arch], action: 'SCMP_ACT_ALLOW', comment: rule.why, includes: { caps, arches: [GO_ARCH[arch]] } });
    }
  }

  return {
    comment: `Generated by compose-harden from ${spec.source}. Everything not listed fails with EPERM. 64-bit only: the 32-bit ABIs (x86, x32, arm) are not allowed. Calls gated by includes.caps are allowed when the container holds the capability (cap_add).`,
    defaultAction: 'SCMP_ACT_ERRNO',
    defaultErrnoRet: 1,
    archMap: ARCHES.map((arch) => ({ architecture: SCMP_ARCH[arch], subArchitectures: [] })),
    syscalls: rules,
  };
}

/** Stable, pretty JSON ending in a newline: the same profile always gives the same bytes. */
export function serializeProfile(profile: object): string {
  return `${JSON.stringify(profile, null, 2)}\n`;
}
