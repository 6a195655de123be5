import { checkFile, type Finding } from '../../core/engine.js';
import { InputError } from '../../core/errors.js';
import { parseComposeFile, type ComposeFile } from '../../core/compose-file.js';
import type { SourceText } from '../../core/source.js';
import { secretTexts } from '../../rules/support/secret-plan.js';
import { palette } from '../../format/colors.js';
import { formatFindingsJson } from '../../format/findings-json.js';
import { formatFindingsText } from '../../format/findings-text.js';
import type { FileReport } from '../../format/report.js';
import type { Rule, RunOptions, Severity } from '../../rules/types.js';
import { formatInputError, loadInput, runOptionsFor, type Input } from '../inputs.js';
import { useColor, type CliIO } from '../io.js';

export type FailOn = Severity | 'never';

export interface CheckOptions {
  run?: RunOptions;
  format: 'text' | 'json';
  failOn: FailOn;
  color?: boolean;
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** `check`: 2 when a file could not be read, else 1 when a finding reaches the threshold, else 0. */
export async function runCheck(inputs: readonly Input[], rules: readonly Rule[], options: CheckOptions, io: CliIO): Promise<number> {
  const reports: FileReport[] = [];
  for (const input of inputs) {
    const loaded = await loadInput(input, io);
    let report: FileReport;
    try {
      if (loaded.error) throw loaded.error;
      const run = runOptionsFor(input, options.run);
      report = { path: input.display, error: null, findings: checkFile(parsed(loaded.source, io, run), rules, run) };
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      io.stderr.write(`${formatInputError(input.display, error)}\n`);
      report = { path: input.display, error: { message: error.message, line: error.line, column: error.column }, findings: [] };
    }
    reports.push(report);
  }
  const text =
    options.format === 'json'
      ? formatFindingsJson(reports)
      : formatFindingsText(reports, palette(useColor(io.stdout, io.env, options.color)));
  io.stdout.write(text);
  if (reports.some((r) => r.error)) return 2;
  return reports.some((r) => r.findings.some((f) => reaches(f, options.failOn))) ? 1 : 0;
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
