import type { Finding } from '../core/engine.js';

/** The result for one file, shared by every findings format. */
export interface FileReport {
  readonly path: string;
  readonly error: { readonly message: string; readonly line: number; readonly column: number } | null;
  readonly findings: readonly Finding[];
}
