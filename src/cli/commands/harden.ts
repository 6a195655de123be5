import { FixError, fixSource, type FixResult } from '../../core/engine.js';
import { InputError } from '../../core/errors.js';
import { encodeSource, type SourceText } from '../../core/source.js';
import type { Rule, RunOptions } from '../../rules/types.js';
import { formatInputError, loadInput, runOptionsFor, type Input } from '../inputs.js';
import type { CliIO } from '../io.js';
import { secretTexts } from '../../rules/support/secret-plan.js';
import type { Suppressions } from '../../config/suppressions.js';
import type { InputSettings } from '../settings.js';

export interface Hardened {
  readonly input: Input;
  readonly source: SourceText;
  readonly result: FixResult;
  /** The original bytes as text (with the BOM if the file had one). */
  readonly before: string;
  /** The hardened text, with the BOM restored. */
  readonly after: string;
  /** Texts that would reveal a credential of the input: never printed (see maskSecrets). */
  readonly secrets: readonly string[];
  /** The file's suppressions: their findings are reported and never fixed. */
  readonly suppressions?: Suppressions;
}

/**
 * Reads and fixes one input in memory; reports a problem on stderr and returns null. With `settings`
 * (its config file and the flags), their rules and run options replace `rules` and `options`, and the
 * suppressed findings are left unfixed.
 */
export async function hardenInput(input: Input, rules: readonly Rule[], io: CliIO, options?: RunOptions, settings?: InputSettings): Promise<Hardened | null> {
  const loaded = await loadInput(input, io);
  try {
    if (loaded.error) throw loaded.error;
    const run = runOptionsFor(input, settings?.run ?? options);
    const suppressions = settings?.suppressions();
    const result = fixSource(loaded.source, settings?.rules ?? rules, run, suppressions);
    const secrets = secretTexts(result.original, run.readFile);
    io.hideSecrets?.(secrets);
    return {
      input,
      source: loaded.source,
      result,
      before: encodeSource(loaded.source, loaded.source.text),
      after: encodeSource(loaded.source, result.text),
      secrets,
      ...(suppressions ? { suppressions } : {}),
    };
  } catch (error) {
    if (error instanceof InputError) io.stderr.write(`${formatInputError(input.display, error)}\n`);
    else if (error instanceof FixError) io.stderr.write(`${input.display}: ${error.message}\n`);
    else throw error;
    return null;
  }
}
