import { palette } from '../../format/colors.js';
import { colorDiff, unifiedDiff } from '../../format/unified-diff.js';
import type { Rule, RunOptions } from '../../rules/types.js';
import type { Input } from '../inputs.js';
import { useColor, type CliIO } from '../io.js';
import { hardenInput } from './harden.js';
import { maskSecrets } from '../../format/mask.js';
import { diffPreamble } from '../../format/side-files.js';
import type { InputSettings } from '../settings.js';

/** `diff`: prints the unified diff of each hardened file; 0 when nothing would change, 1 when something would, 2 on errors. */
export async function runDiff(inputs: readonly Input[], rules: readonly Rule[], options: { color?: boolean; run?: RunOptions; settings?: ReadonlyMap<Input, InputSettings> }, io: CliIO): Promise<number> {
  const paint = palette(useColor(io.stdout, io.env, options.color));
  let failed = false;
  let changed = false;
  for (const input of inputs) {
    const hardened = await hardenInput(input, rules, io, options.run, options.settings?.get(input));
    if (!hardened) {
      failed = true;
      continue;
    }
    const patch = unifiedDiff(input.display, hardened.before, hardened.after);
    if (!patch) continue;
    changed = true;
    const { text, masked } = maskSecrets(patch, hardened.secrets);
    const preamble = diffPreamble(hardened.result.sideFiles, masked);
    if (preamble) io.stdout.write(paint.dim(preamble));
    io.stdout.write(colorDiff(text, paint));
  }
  return failed ? 2 : changed ? 1 : 0;
}
