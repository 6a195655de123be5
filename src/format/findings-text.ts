import type { Finding } from '../core/engine.js';
import type { Palette } from './colors.js';
import type { FileReport } from './report.js';

/** Human-readable findings, grouped by file and service. */
export function formatFindingsText(reports: readonly FileReport[], paint: Palette): string {
  const out: string[] = [];
  const counts = { error: 0, warning: 0, info: 0 };
  let fixable = 0;
  for (const report of reports) {
    if (report.error || report.findings.length === 0) continue;
    out.push(paint.bold(report.path));
    const byService = new Map<string, Finding[]>();
    for (const finding of report.findings) {
      const key = finding.service ?? '(file)';
      byService.set(key, [...(byService.get(key) ?? []), finding]);
    }
    for (const [service, findings] of byService) {
      out.push(`  ${paint.cyan(service)}`);
      for (const f of findings) {
        counts[f.severity]++;
        if (f.fix !== 'manual') fixable++;
        const severity = f.severity === 'error' ? paint.red('error  ') : f.severity === 'warning' ? paint.yellow('warning') : paint.dim('info   ');
        const fix = f.fix === 'manual' ? 'manual' : `fix: ${f.fix}`;
        const position = `${f.line}:${f.column}`.padEnd(7);
        out.push(`    ${paint.dim(position)} ${severity}  ${f.message}  ${paint.dim(`${f.ruleId} [${fix}]${f.cis ? ` ${f.cis}` : ''}`)}`);
      }
    }
    out.push('');
  }
  const total = counts.error + counts.warning + counts.info;
  if (total === 0) return reports.some((r) => !r.error) ? 'No findings.\n' : '';
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  out.push(
    `${plural(total, 'finding')} (${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info)` +
      (fixable > 0 ? `; ${fixable} fixable with \`compose-harden fix\`` : ''),
  );
  return `${out.join('\n')}\n`;
}
