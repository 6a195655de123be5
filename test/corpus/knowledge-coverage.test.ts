import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { CORPUS, corpusFiles, hasShared } from '../helpers/shared.js';

/**
 * How many corpus services that name an image match a knowledge entry, measured with `inspect --format
 * json`. The floor guards against regressions; the figure itself is printed.
 */
const FLOOR = 0.7;

interface Inspected {
  files: Array<{ services: Array<{ image: { ref: string | null; entry: string | null; built: boolean } }> }>;
}

describe.skipIf(!hasShared)('corpus: knowledge coverage', () => {
  it(`at least ${FLOOR * 100}% of services with an image: match an entry`, async () => {
    const result = await cli(['inspect', '--format', 'json', ...corpusFiles()], { cwd: CORPUS });
    expect(result.code, result.stderr).toBe(0);
    const services = (JSON.parse(result.stdout) as Inspected).files.flatMap((f) => f.services).filter((s) => s.image.ref !== null);
    const matched = services.filter((s) => s.image.entry !== null);
    const share = matched.length / services.length;
    const unmatched = new Map<string, number>();
    for (const s of services) if (!s.image.entry) unmatched.set(s.image.ref!, (unmatched.get(s.image.ref!) ?? 0) + 1);
    console.log(
      `knowledge coverage: ${matched.length} of ${services.length} services with an image: (${(share * 100).toFixed(1)}%); ` +
        `most common unmatched: ${[...unmatched].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([ref, n]) => `${ref} (${n})`).join(', ')}`,
    );
    expect(share).toBeGreaterThanOrEqual(FLOOR);
  });
});
