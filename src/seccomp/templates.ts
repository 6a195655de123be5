import { loadTemplate } from '../knowledge/templates.js';
import { RUNTIME_FAMILIES, type RuntimeFamily } from '../knowledge/image-entry.js';
import { ARCHES, namesOn, type Arch, type NameSet } from './arch.js';
import { syscallTables, type SyscallTables } from './tables.js';

/** A set of names with the reason it is there. */
export interface Described extends NameSet {
  readonly why: string;
}

export interface ArgCondition {
  readonly index: number;
  readonly value: number;
  readonly valueTwo?: number;
  readonly op: string;
}

/** One rule of an argument-conditioned call, in the Docker format's terms. */
export interface ConditionalRule {
  readonly action?: string;
  readonly errnoRet?: number;
  readonly args?: readonly ArgCondition[];
  readonly includes?: { readonly caps: readonly string[] };
  readonly excludes?: { readonly caps: readonly string[] };
}

export interface ArgumentRule {
  readonly why: string;
  /** Written into every profile, whether the template names the call or not (clone3: ENOSYS, never EPERM). */
  readonly always?: boolean;
  readonly rules: readonly ConditionalRule[];
}

/** `templates/seccomp/baseline.json`. */
export interface BaselineFile {
  readonly runtime: Described;
  readonly neverBlock: Described;
  readonly neverAllow: Described;
  readonly enosys: Described;
  readonly argumentRules: Readonly<Record<string, ArgumentRule>>;
  readonly dockerDefault: { readonly allowed: number; readonly conditional: readonly string[]; readonly why: string };
}

export interface CapabilityRule extends Described {
  /** Capability names with the CAP_ prefix, as Docker profiles write them. */
  readonly caps: readonly string[];
}

/** `templates/seccomp/families/<family>.json`. */
export interface FamilyFile {
  readonly family: string;
  /** Groups of `groups.json` the family takes whole. */
  readonly use: readonly string[];
  readonly allow: readonly Described[];
  readonly removedFromDockerDefault?: ReadonlyArray<{ readonly why: string; readonly names: readonly string[] }>;
}

export interface RawSeccompTemplates {
  readonly baseline: BaselineFile;
  readonly capabilities: { readonly rules: readonly CapabilityRule[] };
  readonly groups: { readonly groups: Readonly<Record<string, Described>> };
  readonly families: Readonly<Record<string, FamilyFile>>;
}

/** Everything a profile is built from, checked against the syscall tables. */
export interface SeccompKnowledge {
  readonly baseline: BaselineFile;
  readonly capabilityRules: readonly CapabilityRule[];
  /** Per family and architecture: the calls its template allows (groups included, baseline not). */
  readonly families: ReadonlyMap<RuntimeFamily, Readonly<Record<Arch, ReadonlySet<string>>>>;
}

/** The templates are wrong: a bug in compose-harden's data, never the user's input. */
export class SeccompTemplateError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid seccomp templates:\n  ${problems.join('\n  ')}`);
    this.name = 'SeccompTemplateError';
  }
}

/** Names of a set that its architectures do not know, as `name (not on aarch64)`. */
export function unknownNames(set: NameSet, tables: SyscallTables): string[] {
  const problems: string[] = [];
  for (const name of set.all ?? []) {
    const missing = ARCHES.filter((arch) => !tables[arch].has(name));
    if (missing.length > 0) problems.push(`${name} (not on ${missing.join(', ')})`);
  }
  for (const arch of ARCHES) {
    for (const name of set[arch] ?? []) if (!tables[arch].has(name)) problems.push(`${name} (not on ${arch})`);
  }
  return problems;
}

/** Checks every name of the templates and resolves each family's groups; throws SeccompTemplateError listing every problem. */
export function buildKnowledge(raw: RawSeccompTemplates, tables: SyscallTables): SeccompKnowledge {
  const problems: string[] = [];
  const check = (where: string, set: NameSet) => {
    for (const problem of unknownNames(set, tables)) problems.push(`${where}: unknown system call ${problem}`);
  };
  const { baseline } = raw;
  check('baseline.json runtime', baseline.runtime);
  check('baseline.json neverBlock', baseline.neverBlock);
  check('baseline.json neverAllow', baseline.neverAllow);
  check('baseline.json enosys', baseline.enosys);
  for (const name of Object.keys(baseline.argumentRules)) check('baseline.json argumentRules', { all: [name] });

  const neverAllow = new Set(ARCHES.flatMap((arch) => namesOn(baseline.neverAllow, arch)));
  const gated = new Set<string>();
  for (const rule of raw.capabilities.rules) {
    const where = `capabilities.json ${rule.caps.join('+')}`;
    check(where, rule);
    if (rule.caps.length === 0 || rule.caps.some((cap) => !/^CAP_[A-Z_]+$/.test(cap))) problems.push(`${where}: capabilities must be written CAP_NAME`);
    for (const arch of ARCHES) {
      for (const name of namesOn(rule, arch)) {
        if (neverAllow.has(name)) problems.push(`${where}: ${name} is in baseline.json neverAllow and may not be re-allowed`);
        gated.add(name);
      }
    }
  }
  for (const [name, set] of Object.entries(raw.groups.groups)) check(`groups.json ${name}`, set);

  const families = new Map<RuntimeFamily, Record<Arch, ReadonlySet<string>>>();
  for (const family of RUNTIME_FAMILIES) {
    const file = raw.families[family];
    const where = `families/${family}.json`;
    if (!file) {
      problems.push(`${where}: missing`);
      continue;
    }
    if (file.family !== family) problems.push(`${where}: says family "${file.family}"`);
    const sets: Described[] = [];
    for (const group of file.use) {
      const set = raw.groups.groups[group];
      if (set) sets.push(set);
      else problems.push(`${where}: uses unknown group "${group}"`);
    }
    file.allow.forEach((set, index) => check(`${where} allow[${index}]`, set));
    sets.push(...file.allow);
    const allowed = Object.fromEntries(ARCHES.map((arch) => [arch, new Set(sets.flatMap((set) => namesOn(set, arch)))])) as Record<Arch, Set<string>>;
    for (const arch of ARCHES) {
      for (const name of allowed[arch]) {
        if (neverAllow.has(name)) problems.push(`${where}: ${name} is in baseline.json neverAllow`);
        else if (gated.has(name)) problems.push(`${where}: ${name} is gated by a capability in capabilities.json; a template may not allow it outright`);
        else if (name === 'clone3') problems.push(`${where}: clone3 is decided by its argument rule (ENOSYS unless CAP_SYS_ADMIN)`);
      }
    }
    families.set(family, allowed);
  }
  if (problems.length > 0) throw new SeccompTemplateError([...new Set(problems)]);
  return { baseline, capabilityRules: raw.capabilities.rules, families };
}

let knowledge: SeccompKnowledge | undefined;

/** Reads `templates/seccomp/` once and validates it. */
export function seccompKnowledge(): SeccompKnowledge {
  if (!knowledge) {
    const families: Record<string, FamilyFile> = {};
    for (const family of RUNTIME_FAMILIES) families[family] = loadTemplate<FamilyFile>(`seccomp/families/${family}.json`);
    knowledge = buildKnowledge(
      {
        baseline: loadTemplate<BaselineFile>('seccomp/baseline.json'),
        capabilities: loadTemplate<{ rules: CapabilityRule[] }>('seccomp/capabilities.json'),
        groups: loadTemplate<{ groups: Record<string, Described> }>('seccomp/groups.json'),
        families,
      },
      syscallTables(),
    );
  }
  return knowledge;
}
