import { formatCis, type RuleMeta } from '../rules/types.js';

/** `rules --format json`: the catalogue contract. */
export function catalogueJson(rules: readonly RuleMeta[]): string {
  const list = rules.map((meta) => ({
    id: meta.id,
    title: meta.title,
    severity: meta.severity,
    fix: meta.fix,
    cis: formatCis(meta.cis),
    refs: { kics: [...meta.refs.kics], semgrep: [...meta.refs.semgrep], composeLint: [...meta.refs.composeLint] },
  }));
  return `${JSON.stringify(list, null, 2)}\n`;
}

export function catalogueText(rules: readonly RuleMeta[]): string {
  const width = Math.max(...rules.map((meta) => meta.id.length));
  const lines = rules.map(
    (meta) => `${meta.id.padEnd(width)}  ${meta.severity.padEnd(7)}  ${meta.fix.padEnd(6)}  ${meta.title} (${formatCis(meta.cis)})`,
  );
  return `${lines.join('\n')}\n`;
}

/** The rules table of the README (between its `rules` markers) and of `rules --format markdown`. */
export function catalogueMarkdown(rules: readonly RuleMeta[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const refs = (meta: RuleMeta) =>
    [
      ...meta.refs.kics.map((id) => `KICS ${id}`),
      ...meta.refs.semgrep.map((id) => `Semgrep ${id}`),
      ...meta.refs.composeLint.map((id) => id),
    ].join(', ') || '—';
  const rows = rules.map(
    (meta) =>
      `| \`${meta.id}\` | ${cell(meta.title)} | ${meta.severity} | ${meta.fix} | ${meta.cis.length ? meta.cis.join(', ') : '—'} | ${cell(refs(meta))} | ${cell(meta.remedy)} |`,
  );
  return [
    '| rule | detects | severity | fix | CIS Docker 1.6.0 | other tools | what the fix does |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n') + '\n';
}
