import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** `../shared` beside the project: present on developer machines and in CI, absent elsewhere. */
export const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
export const CORPUS = join(SHARED, 'corpus', 'real');
export const TORTURE = join(SHARED, 'reference', 'yaml-torture.yml');

export const hasShared = existsSync(CORPUS);

export function corpusFiles(): string[] {
  if (!hasShared) return [];
  return readdirSync(CORPUS)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort();
}

/** Logged once per suite that skips, so a run without ../shared says what it did not test. */
export function skipMessage(what: string): string {
  return `skipped: ${what} needs ../shared (not found at ${SHARED})`;
}
