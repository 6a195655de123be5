import { describe, expect, test } from 'vitest';
import { RUNTIME_FAMILIES } from '../../src/knowledge/image-entry.js';
import { allowedCount, allowedNames, familyProfile, flattenProfile, normalizeCapability, seccompProfileFor, type DockerProfile } from '../../src/seccomp/index.js';
import { syscallTables } from '../../src/seccomp/tables.js';

/** Every key used anywhere in a JSON value. */
function keys(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) keys(item, out);
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      out.add(key);
      keys(inner, out);
    }
  }
  return out;
}

const rulesFor = (profile: DockerProfile, name: string) => profile.syscalls.filter((rule) => rule.names.includes(name));

describe('Docker-format profile', () => {
  test.each([...RUNTIME_FAMILIES])('%s: byte-identical on every call, pretty JSON ending in a newline', (family) => {
    const first = seccompProfileFor(family);
    const second = seccompProfileFor(family, ['SYS_ADMIN']);
    expect(second.json).toBe(first.json);
    expect(first.json.endsWith('}\n')).toBe(true);
    expect(first.json).toContain('\n  "defaultAction": "SCMP_ACT_ERRNO",\n');
    expect(first.fileName).toBe(`seccomp-${family}.json`);
    expect(JSON.parse(first.json)).toEqual(familyProfile(family));
  });

  test('the default, the architectures and no 32-bit ABIs', () => {
    const profile = familyProfile('node');
    expect(profile.defaultAction).toBe('SCMP_ACT_ERRNO');
    expect(profile.defaultErrnoRet).toBe(1);
    expect(profile.archMap).toEqual([
      { architecture: 'SCMP_ARCH_X86_64', subArchitectures: [] },
      { architecture: 'SCMP_ARCH_AARCH64', subArchitectures: [] },
    ]);
    expect(profile.comment).toMatch(/node template/);
  });

  test.each([...RUNTIME_FAMILIES])('%s: every name exists on the architectures its rule targets', (family) => {
    const tables = syscallTables();
    for (const rule of familyProfile(family).syscalls) {
      const arches = rule.includes?.arches ? rule.includes.arches.map((a) => (a === 'amd64' ? 'x86_64' : 'aarch64') as 'x86_64' | 'aarch64') : (['x86_64', 'aarch64'] as const);
      for (const arch of arches) for (const name of rule.names) expect({ name, arch, known: tables[arch].has(name) }).toEqual({ name, arch, known: true });
    }
  });

  test('socket, personality, clone and clone3 carry Docker\'s argument conditions', () => {
    const profile = familyProfile('generic');
    expect(rulesFor(profile, 'socket').map((rule) => rule.args)).toEqual([
      [{ index: 0, value: 38, op: 'SCMP_CMP_LT' }],
      [{ index: 0, value: 39, op: 'SCMP_CMP_EQ' }],
      [{ index: 0, value: 40, op: 'SCMP_CMP_GT' }],
    ]);
    expect(rulesFor(profile, 'personality')).toHaveLength(5);
    const clone = rulesFor(profile, 'clone');
    expect(clone[0]).toMatchObject({ action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 0x7e020000, op: 'SCMP_CMP_MASKED_EQ' }], excludes: { caps: ['CAP_SYS_ADMIN'] } });
    expect(clone[1]).toMatchObject({ action: 'SCMP_ACT_ALLOW', includes: { caps: ['CAP_SYS_ADMIN'] } });
    const clone3 = rulesFor(profile, 'clone3');
    expect(clone3[0]).toMatchObject({ action: 'SCMP_ACT_ERRNO', errnoRet: 38, excludes: { caps: ['CAP_SYS_ADMIN'] } });
    // No template names clone3, yet every profile answers it with ENOSYS so glibc falls back to clone.
    expect(rulesFor(familyProfile('redis'), 'clone3')[0]).toMatchObject({ errnoRet: 38 });
  });

  test('capability-gated calls are includes.caps rules; x86_64-only names say so', () => {
    const profile = familyProfile('postgres');
    expect(rulesFor(profile, 'mount')).toEqual([expect.objectContaining({ action: 'SCMP_ACT_ALLOW', includes: { caps: ['CAP_SYS_ADMIN'] } })]);
    expect(rulesFor(profile, 'ptrace')).toEqual([expect.objectContaining({ includes: { caps: ['CAP_SYS_PTRACE'] } })]);
    expect(rulesFor(profile, 'iopl')).toEqual([expect.objectContaining({ includes: { caps: ['CAP_SYS_RAWIO'], arches: ['amd64'] } })]);
    expect(rulesFor(profile, 'arch_prctl')).toEqual([expect.objectContaining({ includes: { arches: ['amd64'] } })]);
    expect(rulesFor(profile, 'keyctl')).toEqual([]);
  });

  test('calls with an ENOSYS fallback that a template does not allow answer ENOSYS', () => {
    const enosys = familyProfile('redis').syscalls.find((rule) => rule.errnoRet === 38 && rule.names.includes('fchmodat2'));
    expect(enosys?.action).toBe('SCMP_ACT_ERRNO');
  });
});

describe('OCI flattening', () => {
  test('no archMap, includes or excludes; one architecture', () => {
    for (const family of RUNTIME_FAMILIES) {
      const oci = flattenProfile(familyProfile(family), ['SYS_ADMIN', 'SYS_PTRACE'], 'x86_64');
      const used = keys(oci);
      for (const key of ['archMap', 'includes', 'excludes', 'comment']) expect(used.has(key)).toBe(false);
      expect(oci.architectures).toEqual(['SCMP_ARCH_X86_64']);
    }
  });

  test('resolved for the capabilities given', () => {
    const profile = familyProfile('node');
    const none = allowedNames(flattenProfile(profile, [], 'x86_64'));
    const admin = allowedNames(flattenProfile(profile, ['CAP_SYS_ADMIN'], 'x86_64'));
    expect(none).not.toContain('mount');
    expect(admin).toEqual(expect.arrayContaining(['mount', 'unshare', 'setns', 'clone3']));
    expect(admin).not.toContain('keyctl');
    expect(allowedNames(flattenProfile(profile, ['sys_ptrace'], 'x86_64'))).toContain('ptrace');
    expect(allowedNames(flattenProfile(profile, ['ALL'], 'x86_64'))).not.toContain('keyctl');
    // With CAP_SYS_ADMIN, clone3 is allowed and no longer answers ENOSYS.
    const oci = flattenProfile(profile, ['SYS_ADMIN'], 'x86_64');
    expect(oci.syscalls.filter((rule) => rule.action === 'SCMP_ACT_ERRNO' && rule.names.includes('clone3'))).toEqual([]);
    expect(allowedCount(profile, ['SYS_ADMIN'])).toBeGreaterThan(allowedCount(profile));
  });

  test('aarch64 gets the aarch64 names only', () => {
    const names = allowedNames(flattenProfile(familyProfile('redis'), [], 'aarch64'));
    expect(names).not.toContain('open');
    expect(names).not.toContain('arch_prctl');
    expect(names).toEqual(expect.arrayContaining(['openat', 'epoll_pwait', 'unlinkat']));
    const tables = syscallTables();
    expect(names.filter((name) => !tables.aarch64.has(name))).toEqual([]);
  });

  test('capability names are normalized', () => {
    expect(normalizeCapability('sys_admin')).toBe('CAP_SYS_ADMIN');
    expect(normalizeCapability(' CAP_NET_ADMIN ')).toBe('CAP_NET_ADMIN');
  });
});
