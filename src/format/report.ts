import type { Finding } from '../core/engine.js';
import type { Edit } from '../core/edits.js';

/** Why a finding is not acted on: the reason given, and where (the service's extension field, or the config file). */
export interface ShownSuppression {
  readonly reason: string;
  readonly source: 'x-compose-harden' | 'config';
}

/** A finding as the findings formats show it: the severity in force, and its suppression or null. */
export interface ReportedFinding extends Finding {
  readonly suppressed?: ShownSuppression | null;
}

/** The result for one file, shared by every findings format. */
export interface FileReport {
  readonly path: string;
  readonly error: { readonly message: string; readonly line: number; readonly column: number } | null;
  readonly findings: readonly ReportedFinding[];
  /** The file's text (without a byte order mark), for code excerpts. */
  readonly text?: string;
  /** Per finding (same index), the edits of its own fix on `text` (SARIF `fixes`); empty when it has none. */
  readonly edits?: ReadonlyArray<readonly Edit[]>;
}
