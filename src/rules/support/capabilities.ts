/** `cap_sys_admin`, `CAP_SYS_ADMIN` and `SYS_ADMIN` all name the same capability. */
export function normalizeCapability(name: string): string {
  return name.trim().toUpperCase().replace(/^CAP_/, '');
}
