import type { RuleMeta } from '../rules/types.js';
import type { Palette } from './colors.js';
import { excerpt, shortRemedy } from './excerpt.js';
import type { FileReport, ReportedFinding } from './report.js';

const FIX_WORDS = { safe: 'fix (safe)', review: 'fix (review)', manual: 'manual' } as const;

/**
 * Human-readable findings, grouped by file and service: per finding its position, severity, rule and CIS
 * id, the message, the offending line with a marker, and what `fix` does about it (or what to do by hand).
 * Suppressed findings are listed with their reason, without excerpt, and not counted.
 */
export function formatFindingsText(reports: readonly FileReport[], paint: Palette, rules: ReadonlyMap<string, RuleMeta> = new Map()): string {
  const out: string[] = [];
  const counts = { error: 0, warning: 0, info: 0 };
  let fixable = 0;
  let suppressed = 0;
  for (const report of reports) {
    if (report.error || report.findings.length === 0) continue;
    out.push(paint.bold(report.path));
    const byService = new Map<string, ReportedFinding[]>();
    for (const finding of report.findings) {
      const key = finding.service ?? '(file)';
      byService.set(key, [...(byService.get(key) ?? []), finding]);
    }
    for (const [service, findings] of byService) {
      out.push(`  ${paint.cyan(service)}`);
      for (const f of findings) {
        const position = `${f.line}:${f.column}`.padEnd(7);
        const ids = `${f.ruleId}${f.cis ? `  ${f.cis}` : ''}`;
        if (f.suppressed) {
          suppressed++;
          out.push(`    ${paint.dim(position)} ${paint.dim('suppressed')}  ${paint.dim(ids)}`);
          out.push(`      ${paint.dim(f.message)}`);
          out.push(`      ${paint.dim(`reason: ${f.suppressed.reason} (${f.suppressed.source === 'config' ? 'config file' : 'x-compose-harden'})`)}`);
          continue;
        }
        counts[f.severity]++;
        if (f.fix !== 'manual') fixable++;
        const tint = f.severity === 'error' ? paint.red : f.severity === 'warning' ? paint.yellow : paint.dim;
        out.push(`    ${paint.dim(position)} ${tint(f.severity.padEnd(10))}  ${paint.bold(f.ruleId)}${f.cis ? `  ${paint.dim(f.cis)}` : ''}`);
        out.push(`      ${f.message}`);
        const shown = report.text === undefined ? null : excerpt(report.text, f.line, f.column);
        if (shown) {
          const gutter = String(f.line);
          out.push(`      ${paint.dim(`${gutter} |`)} ${shown.line}`);
          out.push(`      ${paint.dim(`${' '.repeat(gutter.length)} |`)} ${tint(shown.marker)}`);
        }
        const meta = rules.get(f.ruleId);
        // A finding its rule cannot fix here (a privileged service for seccomp-profile) says so, not what the fix would do.
        const what = !meta ? '' : f.fix === 'manual' && meta.fix !== 'manual' ? ': not changed by `fix` here; see the message' : `: ${shortRemedy(meta.remedy)}`;
        out.push(`      ${paint.dim(`${FIX_WORDS[f.fix]}${what}`)}`);
      }
    }
    out.push('');
  }
  const total = counts.error + counts.warning + counts.info;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const hidden = suppressed > 0 ? `${suppressed} suppressed` : '';
  if (total === 0) {
    if (!reports.some((r) => !r.error)) return '';
    return `${out.join('\n')}${out.length > 0 ? '\n' : ''}No findings${hidden ? ` (${hidden})` : ''}.\n`;
  }
  out.push(
    `${plural(total, 'finding')} (${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info)` +
      (fixable > 0 ? `; ${fixable} fixable with \`compose-harden fix\`` : '') +
      (hidden ? `; ${hidden}` : ''),
  );
  out.push(paint.dim('`compose-harden explain RULE` tells why a rule matters and what its fix does.'));
  return `${out.join('\n')}\n`;
}
