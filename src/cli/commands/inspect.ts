import { parseComposeFile } from '../../core/compose-file.js';
import { secretTexts } from '../../rules/support/secret-plan.js';
import { planFile } from '../../core/engine.js';
import { InputError } from '../../core/errors.js';
import { palette } from '../../format/colors.js';
import { formatInspectJson, formatInspectText, inspectFile, type InspectedFile } from '../../format/inspect.js';
import type { Rule, RunOptions } from '../../rules/types.js';
import { formatInputError, loadInput, runOptionsFor, type Input } from '../inputs.js';
import { useColor, type CliIO } from '../io.js';
import type { InputSettings } from '../settings.js';

/** `inspect`: what compose-harden knows about each service and what it would change, with reasons and sources. */
export async function runInspect(
  inputs: readonly Input[],
  rules: readonly Rule[],
  options: { format: 'text' | 'json'; color?: boolean; run?: RunOptions; settings?: ReadonlyMap<Input, InputSettings> },
  io: CliIO,
): Promise<number> {
  const files: InspectedFile[] = [];
  for (const input of inputs) {
    const loaded = await loadInput(input, io);
    try {
      if (loaded.error) throw loaded.error;
      const file = parseComposeFile(loaded.source);
      const settings = options.settings?.get(input);
      const run = runOptionsFor(input, settings?.run ?? options.run);
      io.hideSecrets?.(secretTexts(file, run.readFile));
      files.push({ path: input.display, error: null, services: inspectFile(file, planFile(file, settings?.rules ?? rules, run, settings?.suppressions())) });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      io.stderr.write(`${formatInputError(input.display, error)}\n`);
      files.push({ path: input.display, error: { message: error.message, line: error.line, column: error.column }, services: [] });
    }
  }
  io.stdout.write(options.format === 'json' ? formatInspectJson(files) : formatInspectText(files, palette(useColor(io.stdout, io.env, options.color))));
  return files.some((f) => f.error) ? 2 : 0;
}
