/** The architectures compose-harden writes profiles for: 64-bit only (the 32-bit ABIs X86, X32 and ARM are left out on purpose). */
export const ARCHES = ['x86_64', 'aarch64'] as const;
export type Arch = (typeof ARCHES)[number];

/** libseccomp's name of each architecture, as Docker and OCI profiles spell it. */
export const SCMP_ARCH: Readonly<Record<Arch, string>> = { x86_64: 'SCMP_ARCH_X86_64', aarch64: 'SCMP_ARCH_AARCH64' };

/** Go's name of each architecture: what a Docker profile's `includes.arches` matches against the engine's platform. */
export const GO_ARCH: Readonly<Record<Arch, string>> = { x86_64: 'amd64', aarch64: 'arm64' };

export function isArch(value: string): value is Arch {
  return (ARCHES as readonly string[]).includes(value);
}

/**
 * Names written once for every architecture (`all`) or for one only. A name in `all` must exist on every
 * architecture; a name under `x86_64` or `aarch64` on that one.
 */
export interface NameSet {
  readonly all?: readonly string[];
  readonly x86_64?: readonly string[];
  readonly aarch64?: readonly string[];
}

/** The names a set allows on one architecture. */
export function namesOn(set: NameSet, arch: Arch): string[] {
  return [...(set.all ?? []), ...(set[arch] ?? [])];
}
