import { checkFile, findingEdits, type Finding } from '../../core/engine.js';
import type { Edit } from '../../core/edits.js';
import { InputError } from '../../core/errors.js';
import { parseComposeFile, type ComposeFile } from '../../core/compose-file.js';
import type { SourceText } from '../../core/source.js';
import { secretTexts } from '../../rules/support/secret-plan.js';
import { palette } from '../../format/colors.js';
import { formatFindingsGithub } from '../../format/github.js';
import { formatFindingsJson } from '../../format/findings-json.js';
import { formatFindingsSarif, type SarifTool } from '../../format/sarif.js';
import { formatFindingsText } from '../../format/findings-text.js';
import type { FileReport, ReportedFinding } from '../../format/report.js';
import type { Rule, RuleMeta, RunOptions, Severity } from '../../rules/types.js';
import { formatInputError, loadInput, runOptionsFor, type Input } from '../inputs.js';
import { useColor, type CliIO } from '../io.js';
import { flagSettings, shown, type InputSettings } from '../settings.js';

export type FailOn = Severity | 'never';
export type CheckFormat = 'text' | 'json' | 'sarif' | 'github';

export interface CheckOptions {
  run?: RunOptions;
  format: CheckFormat;
  failOn: FailOn;
  color?: boolean;
  /** Per input: its config file and the flags (default: the rules and run options given, no config). */
  settings?: ReadonlyMap<Input, InputSettings>;
  /** The whole catalogue, for SARIF's rule list and the text output's fix descriptions (default: the rules run). */
  catalogue?: readonly RuleMeta[];
  /** SARIF's `tool.driver` version and information URI. */
  tool?: SarifTool;
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/**
 * `check`: 2 when a file could not be read, else 1 when a finding that is not suppressed reaches the
 * threshold, else 0.
 */
export async function runCheck(inputs: readonly Input[], rules: readonly Rule[], options: CheckOptions, io: CliIO): Promise<number> {
  const catalogue = options.catalogue ?? rules.map((rule) => rule.meta);
  const known = new Set(catalogue.map((meta) => meta.id));
  const reports: FileReport[] = [];
  for (const input of inputs) {
    const loaded = await loadInput(input, io);
    let report: FileReport;
    try {
      if (loaded.error) throw loaded.error;
      const settings = options.settings?.get(input) ?? flagSettings(rules, options.run, known);
      const run = runOptionsFor(input, settings.run);
      const file = parsed(loaded.source, io, run);
      const suppressions = settings.suppressions();
      let findings: Finding[];
      let edits: Array<readonly Edit[]> | undefined;
      if (options.format === 'sarif') {
        const planned = findingEdits(file, settings.rules, run, suppressions);
        findings = planned.map((p) => p.finding);
        edits = planned.map((p) => p.edits);
      } else {
        findings = checkFile(file, settings.rules, run, suppressions);
      }
      const reported: ReportedFinding[] = findings.map((f) => shown(f, settings, suppressions));
      report = { path: input.display, error: null, findings: reported, text: loaded.source.text, ...(edits ? { edits } : {}) };
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      io.stderr.write(`${formatInputError(input.display, error)}\n`);
      report = { path: input.display, error: { message: error.message, line: error.line, column: error.column }, findings: [] };
    }
    reports.push(report);
  }
  io.stdout.write(format(reports, options, catalogue, io));
  if (reports.some((r) => r.error)) return 2;
  return reports.some((r) => r.findings.some((f) => !f.suppressed && reaches(f, options.failOn))) ? 1 : 0;
}

function format(reports: readonly FileReport[], options: CheckOptions, catalogue: readonly RuleMeta[], io: CliIO): string {
  switch (options.format) {
    case 'json':
      return formatFindingsJson(reports);
    case 'sarif':
      return formatFindingsSarif(reports, catalogue, options.tool ?? { version: '0.0.0', informationUri: 'https://www.npmjs.com/package/compose-harden' }, io.cwd);
    case 'github':
      return formatFindingsGithub(reports);
    case 'text':
      return formatFindingsText(reports, palette(useColor(io.stdout, io.env, options.color)), new Map(catalogue.map((meta) => [meta.id, meta])));
  }
}

function reaches(finding: Finding, failOn: FailOn): boolean {
  return failOn !== 'never' && RANK[finding.severity] >= RANK[failOn];
}

/** Parses an input and registers its credential values with the IO, so that no output shows them. */
function parsed(source: SourceText, io: CliIO, run: RunOptions): ComposeFile {
  const file = parseComposeFile(source);
  io.hideSecrets?.(secretTexts(file, run.readFile));
  return file;
}
