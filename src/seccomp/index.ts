import { RUNTIME_FAMILIES, type RuntimeFamily } from '../knowledge/image-entry.js';
import type { ServiceNode } from '../core/compose-file.js';
import { serviceProfile } from '../knowledge/service-profile.js';
import { ARCHES, namesOn, type Arch } from './arch.js';
import { allowedNames, flattenProfile, normalizeCapability, type OciProfile } from './flatten.js';
import { buildDockerProfile, serializeProfile, type DockerProfile } from './profile.js';
import { parseStrace } from './strace.js';
import { syscallTables } from './tables.js';
import { seccompKnowledge } from './templates.js';

export { ARCHES, isArch, type Arch } from './arch.js';
export { flattenProfile, normalizeCapability, allowedNames, type OciProfile } from './flatten.js';
export { buildDockerProfile, serializeProfile, type DockerProfile, type SyscallRule } from './profile.js';
export { parseStrace, type ParsedTrace } from './strace.js';

/** A profile ready to write: its conventional file name, its JSON text and how many calls it allows on x86_64 for the capabilities given. */
export interface SeccompProfileText {
  readonly fileName: string;
  readonly json: string;
  readonly allowed: number;
}

/** The input names a problem (unknown calls in a trace): a user error, exit code 2 in the CLI. */
export class SeccompInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SeccompInputError';
  }
}

export function isRuntimeFamily(value: string): value is RuntimeFamily {
  return (RUNTIME_FAMILIES as readonly string[]).includes(value);
}

/** The Docker-format profile of a runtime family. */
export function familyProfile(family: RuntimeFamily): DockerProfile {
  const knowledge = seccompKnowledge();
  return buildDockerProfile({ source: `the ${family} template`, allow: knowledge.families.get(family)! }, knowledge);
}

/** How many names a profile allows (outright or under argument conditions) for a capability set on one architecture. */
export function allowedCount(profile: DockerProfile, caps: readonly string[] = [], arch: Arch = 'x86_64'): number {
  return allowedNames(flattenProfile(profile, caps, arch)).length;
}

/**
 * The profile a compose service of this runtime family gets: Docker format (dockerd and podman resolve
 * `includes.caps` against the container's capabilities, so the text does not depend on `caps` and one file
 * per family serves every service), deterministic, pretty, ending in a newline. `caps` (cap_add, with or
 * without CAP_) only sets `allowed`, the count on x86_64.
 */
export function seccompProfileFor(family: RuntimeFamily, caps: readonly string[] = []): SeccompProfileText {
  const profile = familyProfile(family);
  return { fileName: `seccomp-${family}.json`, json: serializeProfile(profile), allowed: allowedCount(profile, caps) };
}

/** The runtime family of a service from the image knowledge; `generic` for unknown and locally built images. */
export function familyFor(service: ServiceNode): RuntimeFamily {
  return serviceProfile(service).match?.entry.runtime ?? 'generic';
}

/** The capabilities a service adds (`cap_add`), normalized to CAP_NAME and sorted. */
export function serviceCapabilities(service: ServiceNode): string[] {
  const value = service.effective.cap_add;
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return [...new Set(list.map((cap) => normalizeCapability(String(cap))))].sort();
}

/** Every family with the number of calls its profile allows on x86_64 without added capabilities. */
export function listFamilies(): Array<{ family: RuntimeFamily; allowed: number }> {
  return RUNTIME_FAMILIES.map((family) => ({ family, allowed: allowedCount(familyProfile(family)) }));
}

/** What Docker's default profile allows on amd64 with its default capabilities, for comparison. */
export function dockerDefaultAllowed(): number {
  return seccompKnowledge().baseline.dockerDefault.allowed;
}

/** The OCI form of a family's profile, resolved for a capability set and one architecture. */
export function ociProfileFor(family: RuntimeFamily, caps: readonly string[], arch: Arch): OciProfile {
  return flattenProfile(familyProfile(family), caps, arch);
}

export interface TraceProfile {
  readonly profile: DockerProfile;
  readonly json: string;
  readonly allowed: number;
  /** Calls of the trace the profile leaves to a capability or never allows, in words. */
  readonly notes: readonly string[];
}

/**
 * A profile from a recorded `strace -f -o FILE` trace: the calls it shows plus the runtime baseline and the
 * never-block list. Unknown names are an error naming them; never-allowed calls stay denied and
 * capability-gated ones stay behind their capability (both reported in `notes`).
 */
export function profileFromTrace(text: string, source: string): TraceProfile {
  const trace = parseStrace(text);
  if (trace.calls === 0) {
    const first = trace.unrecognized[0];
    throw new SeccompInputError(`no system calls found in ${source}${first ? ` (line ${first.line}: ${first.text})` : ''}: record it with strace -f -o FILE COMMAND`);
  }
  const tables = syscallTables();
  const unknown = trace.names.filter((name) => ARCHES.every((arch) => !tables[arch].has(name)));
  if (unknown.length > 0) {
    throw new SeccompInputError(`unknown system call name${unknown.length > 1 ? 's' : ''} in ${source}: ${unknown.join(', ')} (not in the x86_64 or aarch64 tables)`);
  }
  const knowledge = seccompKnowledge();
  const never = new Set(ARCHES.flatMap((arch) => namesOn(knowledge.baseline.neverAllow, arch)));
  const gatedBy = new Map<string, string>();
  for (const rule of knowledge.capabilityRules) for (const arch of ARCHES) for (const name of namesOn(rule, arch)) if (!gatedBy.has(name)) gatedBy.set(name, rule.caps.join('+'));
  const notes: string[] = [];
  const refused = trace.names.filter((name) => never.has(name));
  if (refused.length > 0) notes.push(`never allowed, left denied: ${refused.join(', ')}`);
  const gated = trace.names.filter((name) => gatedBy.has(name) && !never.has(name));
  if (gated.length > 0) notes.push(`allowed only with a capability: ${gated.map((name) => `${name} (${gatedBy.get(name)})`).join(', ')}`);
  const kept = trace.names.filter((name) => !never.has(name) && !gatedBy.has(name) && name !== 'clone3');
  const allow = Object.fromEntries(ARCHES.map((arch) => [arch, new Set(kept.filter((name) => tables[arch].has(name)))])) as Record<Arch, Set<string>>;
  const profile = buildDockerProfile({ source: `a trace (${source})`, allow }, knowledge);
  return { profile, json: serializeProfile(profile), allowed: allowedCount(profile), notes };
}
