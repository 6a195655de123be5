import { publicFinding } from '../core/engine.js';
import type { FileReport } from './report.js';

/** The `check --format json` contract: extend it, never break it. */
export function formatFindingsJson(reports: readonly FileReport[]): string {
  const files = reports.map((report) => ({
    path: report.path,
    error: report.error ? { message: report.error.message, line: report.error.line, column: report.error.column } : null,
    findings: report.error
      ? []
      : report.findings.map((finding) => ({
          ...publicFinding(finding),
          suppressed: finding.suppressed ? { reason: finding.suppressed.reason, source: finding.suppressed.source } : null,
        })),
  }));
  return `${JSON.stringify({ files }, null, 2)}\n`;
}
