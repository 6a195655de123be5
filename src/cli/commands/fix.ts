import { dirname, resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { WriteError } from '../../io/file-system.js';
import { planSideFiles, SideFileError, writeSideFiles, type SideFileWrite } from '../../io/side-files.js';
import { octal } from '../../format/side-files.js';
import type { Rule, RunOptions } from '../../rules/types.js';
import type { Input } from '../inputs.js';
import type { CliIO } from '../io.js';
import { hardenInput, type Hardened } from './harden.js';
import type { InputSettings } from '../settings.js';

export interface FixOptions {
  output?: string;
  run?: RunOptions;
  /** Per input: its config file and the flags. */
  settings?: ReadonlyMap<Input, InputSettings>;
}

/** `fix`: writes each hardened file in place (or to --output), atomically; 0 on success, 2 when any file failed. */
export async function runFix(inputs: readonly Input[], rules: readonly Rule[], options: FixOptions, io: CliIO): Promise<number> {
  if (options.output !== undefined && inputs.length !== 1) throw new UsageError('--output takes exactly one input file');
  let failed = false;
  for (const input of inputs) {
    if (input.path === null && options.output === undefined) {
      io.stderr.write(`${input.display}: fix cannot write back to standard input; use \`diff -\` or give --output FILE\n`);
      failed = true;
      continue;
    }
    const hardened = await hardenInput(input, rules, io, options.run, options.settings?.get(input));
    if (!hardened) {
      failed = true;
      continue;
    }
    const target = options.output !== undefined ? resolve(io.cwd, options.output) : input.path!;
    const mustWrite = hardened.result.changed || options.output !== undefined;
    let sideFiles: SideFileWrite[] = [];
    try {
      if (!(await io.fs.isDirectory(dirname(target)))) throw new WriteError(target, 'cannot write: the directory does not exist');
      // Side files first, all checked before any is written: the compose file only ever references files that exist.
      sideFiles = await planSideFiles(dirname(target), hardened.result.sideFiles, io.fs);
      await writeSideFiles(sideFiles, io.fs);
      if (mustWrite) await io.fs.writeFileAtomic(target, hardened.after);
    } catch (error) {
      if (!(error instanceof WriteError) && !(error instanceof SideFileError)) throw error;
      const where = error instanceof WriteError && error.path !== target ? error.path : (options.output ?? input.display);
      io.stderr.write(`${where}: ${error.message}${error instanceof SideFileError ? '; the compose file was not changed' : ''}\n`);
      failed = true;
      continue;
    }
    io.stdout.write(summary(hardened, options.output, sideFiles));
  }
  return failed ? 2 : 0;
}

function summary(hardened: Hardened, output: string | undefined, sideFiles: readonly SideFileWrite[]): string {
  const { result, input } = hardened;
  const where = output !== undefined ? `${input.display} -> ${output}` : input.display;
  const fixed = result.findings.length - result.remaining.length;
  const isSuppressed = (f: { ruleId: string; service: string | null }) => hardened.suppressions?.lookup(f.ruleId, f.service) != null;
  const lines: string[] = [];
  if (!result.changed) lines.push(`${where}: nothing to fix`);
  else {
    const rules = [...new Set(result.findings.filter((f) => f.fix !== 'manual' && !isSuppressed(f)).map((f) => f.ruleId))];
    lines.push(`${where}: fixed ${fixed} finding${fixed === 1 ? '' : 's'} (${rules.join(', ')})`);
    const review = [...new Set(result.findings.filter((f) => f.fix === 'review' && !isSuppressed(f)).map((f) => f.ruleId))];
    if (review.length > 0) {
      lines.push(`  review before deploying: ${review.join(', ')} can break a service that relies on what they remove; \`compose-harden check\` explains each`);
    }
  }
  const written = sideFiles.filter((w) => w.action === 'create' || w.action === 'update');
  if (written.length > 0) {
    lines.push(`  wrote ${written.map((w) => `${w.file.path} (${w.action === 'create' ? 'new' : 'extended'}, ${octal(w.mode)})`).join(', ')}`);
  }
  for (const w of sideFiles.filter((w) => w.action === 'kept')) {
    lines.push(`  kept ${w.file.path} as it is: it differs from the profile compose-harden generates; remove it and run fix again to regenerate`);
  }
  const left = result.remaining.filter((f) => !isSuppressed(f));
  if (left.length > 0) {
    const manual = [...new Set(left.map((f) => f.ruleId))];
    lines.push(`  ${left.length} finding${left.length === 1 ? '' : 's'} left for manual action (${manual.join(', ')}): run \`compose-harden check ${input.display}\``);
  }
  const kept = result.remaining.length - left.length;
  if (kept > 0) lines.push(`  ${kept} suppressed finding${kept === 1 ? '' : 's'} left as they are (x-compose-harden or the config file's ignore)`);
  return `${lines.join('\n')}\n`;
}
