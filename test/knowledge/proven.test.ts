import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { imageIndex } from '../../src/knowledge/images.js';
import { validateFamilyFile } from '../../src/knowledge/validate-entry.js';

/**
 * Facts marked as proven by the real-engine suite must point at tests that exist: the test file, the
 * stack and service a stack test names, or the literal title of a hand-written test.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const proofs = imageIndex().entries.flatMap(({ entry }) =>
  Object.entries(entry.proven ?? {}).flatMap(([pointer, list]) => list.map((proof) => ({ entry: entry.id, pointer, ...proof }))),
);

describe('knowledge proven on a real engine', () => {
  it('postgres, redis, nginx and prometheus carry proofs', () => {
    expect([...new Set(proofs.map((p) => p.entry))].sort()).toEqual(['nginx', 'postgres', 'prometheus', 'redis']);
  });

  it.each(proofs.map((p) => [`${p.entry} ${p.pointer}: ${p.name}`, p] as const))('%s', (_title, proof) => {
    const file = join(ROOT, proof.test);
    expect(existsSync(file), proof.test).toBe(true);
    expect(proof.ran).toMatch(/emulation of the official .+ image, not the image itself/);
    if (proof.test.endsWith('stacks.e2e.ts')) {
      // `<stack>, as written|after compose-harden fix > <service> ...`: the stack and the service exist.
      const match = /^([\w-]+), (?:as written|after compose-harden fix) > (?:a request through )?([\w-]+)/.exec(proof.name);
      expect(match, proof.name).not.toBeNull();
      const compose = readFileSync(join(ROOT, 'test/e2e/stacks', match![1]!, 'compose.yaml'), 'utf8');
      expect(compose).toMatch(new RegExp(`^  ${match![2]}:`, 'm'));
    } else {
      expect(readFileSync(file, 'utf8')).toContain(proof.name);
    }
  });

  it('a proof must point at a fact of the entry, in the suite', () => {
    const problems = validateFamilyFile({ family: 'x', entries: [{ ...imageIndex().entries.find((e) => e.entry.id === 'redis')!.entry, proven: { '/user/nope': [{ test: 'test/e2e/stacks.e2e.ts', name: 'n', ran: 'r' }], '/user/nonRoot': [{ test: 'elsewhere.ts', name: 'n', ran: 'r' }] } }] });
    expect(problems.join('\n')).toMatch(/\/user\/nope is not a fact of this entry/);
    expect(problems.join('\n')).toMatch(/proven\[\/user\/nonRoot\]\[0\]\.test/);
  });
});
