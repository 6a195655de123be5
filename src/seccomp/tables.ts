import { loadTemplate } from '../knowledge/templates.js';
import { ARCHES, type Arch } from './arch.js';

/** `templates/seccomp/syscalls-<arch>.json`: every system call name of one architecture, with its number. */
export interface SyscallTableFile {
  readonly arch: Arch;
  readonly scmpArch: string;
  readonly goArch: string;
  /** Names the kernel has that libseccomp 2.5.4 cannot resolve yet (runc built against it skips them). */
  readonly newerThanLibseccomp: readonly string[];
  readonly syscalls: Readonly<Record<string, number>>;
}

export type SyscallTables = Readonly<Record<Arch, ReadonlyMap<string, number>>>;

let tables: SyscallTables | undefined;

/** The syscall tables of every supported architecture, read once. */
export function syscallTables(): SyscallTables {
  if (!tables) {
    const read = (arch: Arch) => new Map(Object.entries(loadTemplate<SyscallTableFile>(`seccomp/syscalls-${arch}.json`).syscalls));
    tables = Object.fromEntries(ARCHES.map((arch) => [arch, read(arch)])) as unknown as SyscallTables;
  }
  return tables;
}

/** The architectures on which a name exists. */
export function archesOf(name: string, table: SyscallTables = syscallTables()): Arch[] {
  return ARCHES.filter((arch) => table[arch].has(name));
}
