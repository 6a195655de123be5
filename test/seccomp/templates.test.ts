import { fileURLToPath } from 'node:url';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { RUNTIME_FAMILIES } from '../../src/knowledge/image-entry.js';
import { loadTemplate } from '../../src/knowledge/templates.js';
import { allowedCount, allowedNames, dockerDefaultAllowed, familyProfile, flattenProfile, listFamilies } from '../../src/seccomp/index.js';
import { syscallTables } from '../../src/seccomp/tables.js';
import { buildKnowledge, SeccompTemplateError, seccompKnowledge, type FamilyFile, type RawSeccompTemplates } from '../../src/seccomp/templates.js';
import { SHARED } from '../helpers/shared.js';

const TAILORED = RUNTIME_FAMILIES.filter((family) => family !== 'generic');
const DOCKER_DEFAULT_CAPS = ['CHOWN', 'DAC_OVERRIDE', 'FSETID', 'FOWNER', 'MKNOD', 'NET_RAW', 'SETGID', 'SETUID', 'SETFCAP', 'SETPCAP', 'NET_BIND_SERVICE', 'SYS_CHROOT', 'KILL', 'AUDIT_WRITE'];
const REFERENCE = join(SHARED, 'reference', 'seccomp');
const TEMPLATES = fileURLToPath(new URL('../../templates/seccomp/', import.meta.url));
const hasReference = existsSync(join(REFERENCE, 'moby-default-seccomp.json'));
if (!hasReference) console.log(`skipped: the comparisons with Docker's default need ../shared (not found at ${SHARED})`);

function raw(): RawSeccompTemplates {
  const families: Record<string, FamilyFile> = {};
  for (const family of RUNTIME_FAMILIES) families[family] = loadTemplate<FamilyFile>(`seccomp/families/${family}.json`);
  return {
    baseline: loadTemplate('seccomp/baseline.json'),
    capabilities: loadTemplate('seccomp/capabilities.json'),
    groups: loadTemplate('seccomp/groups.json'),
    families,
  };
}

function problemsOf(templates: RawSeccompTemplates): string[] {
  try {
    buildKnowledge(templates, syscallTables());
    return [];
  } catch (error) {
    if (!(error instanceof SeccompTemplateError)) throw error;
    return [...error.problems];
  }
}

function withFamilyAllow(templates: RawSeccompTemplates, family: string, allow: FamilyFile['allow'][number]): RawSeccompTemplates {
  const file = templates.families[family]!;
  return { ...templates, families: { ...templates.families, [family]: { ...file, allow: [...file.allow, allow] } } };
}

describe('syscall tables', () => {
  test('x86_64 and aarch64 differ where the kernel differs', () => {
    const tables = syscallTables();
    expect(tables.x86_64.get('read')).toBe(0);
    expect(tables.aarch64.get('read')).toBe(63);
    expect(tables.x86_64.has('open')).toBe(true);
    expect(tables.aarch64.has('open')).toBe(false);
    expect(tables.x86_64.has('arch_prctl')).toBe(true);
    expect(tables.aarch64.has('arch_prctl')).toBe(false);
    // 32-bit names are not in the 64-bit tables.
    expect(tables.x86_64.has('chown32')).toBe(false);
  });

  test('each table says where it comes from', () => {
    for (const arch of ['x86_64', 'aarch64']) {
      const file = loadTemplate<{ _meta: { source: string } }>(`seccomp/syscalls-${arch}.json`);
      expect(file._meta.source).toMatch(/libseccomp 2\.5\.4/);
    }
  });
});

describe('template validation', () => {
  test('the shipped templates are valid', () => {
    expect(problemsOf(raw())).toEqual([]);
    expect(seccompKnowledge().families.size).toBe(RUNTIME_FAMILIES.length);
  });

  test('an unknown name is an error naming it, never dropped', () => {
    const problems = problemsOf(withFamilyAllow(raw(), 'node', { why: 'test', all: ['read', 'frobnicate'] }));
    expect(problems).toEqual(['families/node.json allow[4]: unknown system call frobnicate (not on x86_64, aarch64)']);
  });

  test('a name written for every architecture must exist on each', () => {
    const problems = problemsOf(withFamilyAllow(raw(), 'go', { why: 'test', all: ['open'] }));
    expect(problems).toEqual([expect.stringContaining('unknown system call open (not on aarch64)')]);
  });

  test('a template may not allow a capability-gated or never-allowed call outright', () => {
    expect(problemsOf(withFamilyAllow(raw(), 'redis', { why: 'test', all: ['mount'] }))).toEqual([expect.stringContaining('mount is gated by a capability')]);
    expect(problemsOf(withFamilyAllow(raw(), 'redis', { why: 'test', all: ['keyctl'] }))).toEqual([expect.stringContaining('keyctl is in baseline.json neverAllow')]);
    expect(problemsOf(withFamilyAllow(raw(), 'redis', { why: 'test', all: ['clone3'] }))).toEqual([expect.stringContaining('clone3 is decided by its argument rule')]);
  });

  test('a capability rule may not re-allow what is never allowed', () => {
    const templates = raw();
    const capabilities = { rules: [...templates.capabilities.rules, { caps: ['CAP_SYS_ADMIN'], why: 'test', all: ['add_key'] }] };
    expect(problemsOf({ ...templates, capabilities })).toEqual([expect.stringContaining('add_key is in baseline.json neverAllow and may not be re-allowed')]);
  });
});

describe('counts', () => {
  const third = Math.floor(dockerDefaultAllowed() / 3);

  test('Docker default allows 367 names on amd64', () => {
    expect(dockerDefaultAllowed()).toBe(367);
  });

  test.each(TAILORED)('%s allows at most a third of what Docker allows, with or without its default capabilities', (family) => {
    const profile = familyProfile(family);
    expect(allowedCount(profile)).toBeLessThanOrEqual(third);
    expect(allowedCount(profile, DOCKER_DEFAULT_CAPS)).toBeLessThanOrEqual(third);
  });

  test('generic allows fewer calls than Docker default', () => {
    expect(allowedCount(familyProfile('generic'), DOCKER_DEFAULT_CAPS)).toBeLessThan(dockerDefaultAllowed());
  });

  test('listFamilies counts every family', () => {
    const list = listFamilies();
    expect(list.map((row) => row.family)).toEqual([...RUNTIME_FAMILIES]);
    for (const row of list) expect(row.allowed).toBe(allowedCount(familyProfile(row.family)));
  });

  test.each([...RUNTIME_FAMILIES])('%s denies unshare, mount, keyctl, ptrace and bpf without cap_add, on both architectures', (family) => {
    for (const arch of ['x86_64', 'aarch64'] as const) {
      const allowed = allowedNames(flattenProfile(familyProfile(family), [], arch));
      expect(allowed.filter((name) => ['unshare', 'mount', 'keyctl', 'ptrace', 'bpf'].includes(name))).toEqual([]);
    }
  });
});

describe.skipIf(!hasReference)("against Docker's default and the measurements", () => {
  type Rule = { names: string[]; action: string; args?: unknown[]; includes?: { caps?: string[]; arches?: string[] }; excludes?: object };
  const docker = () => JSON.parse(readFileSync(join(REFERENCE, 'moby-default-seccomp.json'), 'utf8')) as { syscalls: Rule[] };
  /** What Docker's default allows on a Go architecture with no capability beyond its defaults, as names in our table. */
  function dockerAllows(goArch: string, arch: 'x86_64' | 'aarch64', caps: readonly string[]): Set<string> {
    const out = new Set<string>();
    for (const rule of docker().syscalls) {
      if (rule.action !== 'SCMP_ACT_ALLOW' || rule.excludes) continue;
      if (rule.includes?.arches && !rule.includes.arches.includes(goArch)) continue;
      if (rule.includes?.caps && !rule.includes.caps.every((cap) => caps.includes(cap))) continue;
      for (const name of rule.names) if (syscallTables()[arch].has(name)) out.add(name);
    }
    return out;
  }

  test.each([...RUNTIME_FAMILIES])('%s never allows a call Docker default denies', (family) => {
    const caps = DOCKER_DEFAULT_CAPS.map((cap) => `CAP_${cap}`);
    for (const [arch, goArch] of [['x86_64', 'amd64'], ['aarch64', 'arm64']] as const) {
      const docker = dockerAllows(goArch, arch, caps);
      const ours = allowedNames(flattenProfile(familyProfile(family), caps, arch));
      // clone is allowed by Docker under the same argument condition (its rule has `excludes`).
      expect(ours.filter((name) => !docker.has(name) && name !== 'clone')).toEqual([]);
    }
  });

  test('generic is Docker default without what removedFromDockerDefault and the capability rules take out', () => {
    const file = loadTemplate<FamilyFile>('seccomp/families/generic.json');
    const removed = new Set(file.removedFromDockerDefault!.flatMap((entry) => entry.names));
    const ours = new Set(allowedNames(flattenProfile(familyProfile('generic'), [], 'x86_64')));
    const docker = dockerAllows('amd64', 'x86_64', []);
    expect([...docker].filter((name) => !ours.has(name) && !removed.has(name)).sort()).toEqual([]);
    expect([...removed].filter((name) => ours.has(name))).toEqual([]);
  });

  test('each measured workload is inside its family template', () => {
    const measured = JSON.parse(readFileSync(join(REFERENCE, 'recorded-syscalls-debian12.json'), 'utf8')) as Record<string, string[]>;
    const families = { node: 'node', python: 'python', java: 'jvm', nginx: 'nginx', redis: 'redis', postgres: 'postgres' } as const;
    for (const [workload, family] of Object.entries(families)) {
      const allowed = new Set(allowedNames(flattenProfile(familyProfile(family), [], 'x86_64')));
      // A family may leave a measured call out on purpose, saying why in its _meta (hints the program ignores when refused).
      const leftOut = new Set((JSON.parse(readFileSync(join(TEMPLATES, 'families', `${family}.json`), 'utf8')) as { _meta: { leftOut?: string[] } })._meta.leftOut ?? []);
      expect({ family, missing: measured[workload]!.filter((name) => name !== 'clone3' && !allowed.has(name) && !leftOut.has(name)) }).toEqual({ family, missing: [] });
    }
  });
});
