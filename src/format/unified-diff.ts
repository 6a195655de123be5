import { FILE_HEADERS_ONLY, createTwoFilesPatch } from 'diff';
import type { Palette } from './colors.js';

/** A `git apply`-able unified diff with `a/` and `b/` headers; empty when nothing changed. */
export function unifiedDiff(path: string, before: string, after: string): string {
  if (before === after) return '';
  const name = path.replace(/^\/+/, '');
  const patch = createTwoFilesPatch(`a/${name}`, `b/${name}`, before, after, undefined, undefined, {
    context: 3,
    headerOptions: FILE_HEADERS_ONLY,
  });
  // jsdiff ends the file header lines with a tab even when there is no timestamp; git does not.
  return patch.replace(/^(---|\+\+\+) (.*)\t$/gm, '$1 $2');
}

export function colorDiff(patch: string, paint: Palette): string {
  return patch
    .split('\n')
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---')) return paint.bold(line);
      if (line.startsWith('@@')) return paint.cyan(line);
      if (line.startsWith('+')) return paint.green(line);
      if (line.startsWith('-')) return paint.red(line);
      return line;
    })
    .join('\n');
}
