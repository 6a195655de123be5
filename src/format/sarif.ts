import { pathToFileURL } from 'node:url';
import type { Edit } from '../core/edits.js';
import { LineIndex } from '../core/line-index.js';
import { CIS_VERSION, formatCis, type RuleMeta, type Severity } from '../rules/types.js';
import { explainMarkdown, otherToolIds } from './explain.js';
import { firstSentence } from './excerpt.js';
import type { FileReport, ReportedFinding } from './report.js';

export interface SarifTool {
  readonly version: string;
  readonly informationUri: string;
}

/** Where relative artifact URIs start: the working directory of the run. */
export const SRCROOT = '%SRCROOT%';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };
/** GitHub code scanning ranks security results by this score (0-10). */
const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.0', info: '2.0' };

/**
 * SARIF 2.1.0: one run, the catalogue as `tool.driver.rules`, one result per finding with its location,
 * its fix as `fixes[].artifactChanges` when it has one that applies alone, and suppressions
 * (`inSource` for `x-compose-harden`, `external` for the config file).
 */
export function formatFindingsSarif(reports: readonly FileReport[], rules: readonly RuleMeta[], tool: SarifTool, cwd: string, stdin = '<stdin>'): string {
  const index = new Map(rules.map((meta, i) => [meta.id, i]));
  const results: unknown[] = [];
  const notifications: unknown[] = [];
  for (const report of reports) {
    const artifact = artifactLocation(report.path, stdin);
    if (report.error) {
      notifications.push({
        level: 'error',
        message: { text: report.error.message },
        locations: [{ physicalLocation: { artifactLocation: artifact, region: { startLine: Math.max(1, report.error.line), startColumn: Math.max(1, report.error.column) } } }],
      });
      continue;
    }
    const lines = report.text === undefined ? null : new LineIndex(report.text);
    report.findings.forEach((finding, i) => {
      const edits = report.edits?.[i] ?? [];
      results.push(result(finding, index.get(finding.ruleId), artifact, edits, lines, rules));
    });
  }
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'compose-harden',
            version: tool.version,
            semanticVersion: tool.version,
            informationUri: tool.informationUri,
            rules: rules.map(descriptor),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(cwd.endsWith('/') ? cwd : `${cwd}/`).href } },
        invocations: [{ executionSuccessful: notifications.length === 0, toolExecutionNotifications: notifications }],
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function descriptor(meta: RuleMeta): unknown {
  return {
    id: meta.id,
    name: meta.id.replace(/(^|-)([a-z0-9])/g, (_m, _dash: string, c: string) => c.toUpperCase()),
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.rationale },
    help: { text: `${meta.remedy}\n\nBad:\n${meta.examples.bad}\nGood:\n${meta.examples.good}`, markdown: explainMarkdown(meta, '##') },
    defaultConfiguration: { level: LEVEL[meta.severity] },
    properties: {
      tags: ['security', 'docker-compose', ...meta.cis.map((section) => `${CIS_VERSION} ${section}`)],
      'security-severity': SECURITY_SEVERITY[meta.severity],
      precision: 'high',
      fix: meta.fix,
      cis: formatCis(meta.cis),
      kics: [...meta.refs.kics],
      semgrep: [...meta.refs.semgrep],
      composeLint: [...meta.refs.composeLint],
      otherTools: otherToolIds(meta),
    },
  };
}

function result(
  finding: ReportedFinding,
  ruleIndex: number | undefined,
  artifact: ArtifactLocation,
  edits: readonly Edit[],
  lines: LineIndex | null,
  rules: readonly RuleMeta[],
): unknown {
  const out: Record<string, unknown> = {
    ruleId: finding.ruleId,
    ...(ruleIndex === undefined ? {} : { ruleIndex }),
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: { artifactLocation: artifact, region: { startLine: finding.line, startColumn: finding.column } },
        ...(finding.service === null ? {} : { logicalLocations: [{ name: finding.service, fullyQualifiedName: `services.${finding.service}`, kind: 'member' }] }),
      },
    ],
    properties: { service: finding.service, fix: finding.fix, cis: finding.cis },
  };
  if (finding.suppressed) {
    out.suppressions = [
      { kind: finding.suppressed.source === 'config' ? 'external' : 'inSource', status: 'accepted', justification: finding.suppressed.reason },
    ];
  } else if (edits.length > 0 && lines) {
    const meta = ruleIndex === undefined ? undefined : rules[ruleIndex];
    out.fixes = [
      {
        description: { text: meta ? firstSentence(meta.remedy) : `fix ${finding.ruleId}` },
        artifactChanges: [{ artifactLocation: artifact, replacements: edits.map((edit) => replacement(edit, lines)) }],
      },
    ];
  }
  return out;
}

/** A byte-range edit as a SARIF replacement: the region by line and column and by character offset (they agree). */
function replacement(edit: Edit, lines: LineIndex): unknown {
  const start = lines.position(edit.start);
  const end = lines.position(edit.end);
  return {
    deletedRegion: {
      startLine: start.line,
      startColumn: start.column,
      endLine: end.line,
      endColumn: end.column,
      charOffset: edit.start,
      charLength: edit.end - edit.start,
    },
    insertedContent: { text: edit.text },
  };
}

type ArtifactLocation = { uri: string; uriBaseId?: string };

/** Relative paths are relative to the working directory (`%SRCROOT%`); others are file URIs. */
function artifactLocation(path: string, stdin: string): ArtifactLocation {
  if (path === stdin) return { uri: 'stdin' };
  if (path.startsWith('/')) return { uri: pathToFileURL(path).href };
  return { uri: path.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}
