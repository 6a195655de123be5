import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateFamilyFile } from '../../src/knowledge/validate-entry.js';
import type { ImageFamilyFile } from '../../src/knowledge/image-entry.js';

const DIR = fileURLToPath(new URL('../../templates/images/', import.meta.url));
const files = readdirSync(DIR).filter((name) => name.endsWith('.json')).sort();
const load = (name: string) => JSON.parse(readFileSync(join(DIR, name), 'utf8')) as ImageFamilyFile;

describe('templates/images: every entry follows the schema and names its sources', () => {
  for (const name of files) {
    it(name, () => {
      const data = load(name);
      expect(validateFamilyFile(data)).toEqual([]);
      expect(`${data.family}.json`).toBe(name);
    });
  }

  it('ids are unique and no two entries claim the same image', () => {
    const ids = new Map<string, string>();
    const keys = new Map<string, string>();
    for (const name of files) {
      for (const entry of load(name).entries) {
        expect(ids.get(entry.id), `id ${entry.id} in ${name} and ${ids.get(entry.id)}`).toBeUndefined();
        ids.set(entry.id, name);
        for (const key of entry.match) {
          expect(keys.get(key), `${key} claimed by ${entry.id} and ${keys.get(key)}`).toBeUndefined();
          keys.set(key, entry.id);
        }
      }
    }
  });

  it('the validator rejects a fact without a source', () => {
    const data = load('nginx.json');
    const broken = JSON.parse(JSON.stringify(data)) as { entries: Array<{ user: { source?: string } }> };
    delete broken.entries[0]!.user.source;
    expect(validateFamilyFile(broken)).toEqual([expect.stringMatching(/^entries\[0\]\.user\.source: must name its source/)]);
  });
});
