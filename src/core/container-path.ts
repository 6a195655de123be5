/**
 * A container path in the form used to compare mount points: no trailing slash, and `/var/run` read as
 * `/run`, which it links to in Debian, Ubuntu and Alpine based images.
 */
export function normalizePath(path: string): string {
  const trimmed = path.trim().replace(/\/+$/, '').replace(/^\/var\/run(?=\/|$)/, '/run');
  return trimmed === '' ? '/' : trimmed;
}
