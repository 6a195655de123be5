import type { FileReport } from './report.js';

/** The `check --format json` contract: extend it, never break it. */
export function formatFindingsJson(reports: readonly FileReport[]): string {
  const files = reports.map((report) => ({
    path: report.path,
    error: report.error ? { message: report.error.message, line: report.error.line, column: report.error.column } : null,
    findings: report.error
      ? []
      : report.findings.map((f) => ({
          ruleId: f.ruleId,
          severity: f.severity,
          service: f.service,
          line: f.line,
          column: f.column,
          message: f.message,
          fix: f.fix,
          cis: f.cis,
        })),
  }));
  return `${JSON.stringify({ files }, null, 2)}\n`;
}
