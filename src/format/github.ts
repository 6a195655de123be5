import type { FileReport } from './report.js';

const COMMAND = { error: 'error', warning: 'warning', info: 'notice' } as const;

/**
 * GitHub Actions workflow commands, one per finding: `::warning file=...,line=...,col=...,title=...::message`.
 * Suppressed findings are left out: an annotation cannot be marked as suppressed.
 */
export function formatFindingsGithub(reports: readonly FileReport[]): string {
  const lines: string[] = [];
  for (const report of reports) {
    if (report.error) {
      lines.push(`::error file=${property(report.path)},line=${report.error.line},col=${report.error.column},title=${property('compose-harden: cannot read the file')}::${data(report.error.message)}`);
      continue;
    }
    for (const f of report.findings) {
      if (f.suppressed) continue;
      const title = `${f.ruleId}${f.cis ? ` (${f.cis})` : ''}`;
      const fix = f.fix === 'manual' ? 'manual action' : `fix: ${f.fix}, run compose-harden fix`;
      lines.push(`::${COMMAND[f.severity]} file=${property(report.path)},line=${f.line},col=${f.column},title=${property(title)}::${data(`${f.message} [${fix}]`)}`);
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** A command's message: `%`, CR and LF escaped. */
export function data(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A command's property value: also `:` and `,`, which separate properties. */
export function property(text: string): string {
  return data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
