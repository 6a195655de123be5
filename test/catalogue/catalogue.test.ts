import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogueJson, catalogueMarkdown } from '../../src/format/catalogue.js';
import { ruleReferenceMarkdown } from '../../src/format/explain.js';
import { withGeneratedParts, withRulesTable } from '../../src/format/readme.js';
import { allRules } from '../../src/rules/index.js';
import { CIS_VERSION } from '../../src/rules/types.js';

const README = new URL('../../README.md', import.meta.url);
const metas = allRules.map((rule) => rule.meta);

describe('the catalogue is the single source', () => {
  it('the README rules table and rule reference equal the generated ones (set UPDATE_README=1 to regenerate)', () => {
    if (process.env.UPDATE_README === '1') writeFileSync(README, withGeneratedParts(readFileSync(README, 'utf8'), metas));
    const readme = readFileSync(README, 'utf8');
    expect(readme).toBe(withGeneratedParts(readme, metas));
    expect(readme).toBe(withRulesTable(readme, metas));
    expect(readme).toContain(catalogueMarkdown(metas));
    expect(readme).toContain(ruleReferenceMarkdown(metas));
    // One section per rule, each with the content of `explain`.
    for (const meta of metas) expect(readme).toContain(`### \`${meta.id}\`: ${meta.title}\n`);
  });

  it('every rule has complete metadata', () => {
    const ids = metas.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const meta of metas) {
      expect(meta.id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
      expect(meta.title.length).toBeGreaterThan(5);
      expect(meta.rationale.length).toBeGreaterThan(40);
      expect(meta.remedy.length).toBeGreaterThan(20);
      expect(['error', 'warning', 'info']).toContain(meta.severity);
      expect(['safe', 'review', 'manual']).toContain(meta.fix);
      for (const cis of meta.cis) expect(cis).toMatch(/^\d+\.\d+$/);
      for (const kics of meta.refs.kics) expect(kics).toMatch(/^[0-9a-f]{8}$/);
      for (const cl of meta.refs.composeLint) expect(cl).toMatch(/^CL-\d{4}$/);
      expect(meta.examples.bad).not.toBe(meta.examples.good);
      // A rule that writes keys owns them and is not manual; a manual rule writes nothing.
      if (meta.owns.length > 0) expect(meta.fix).not.toBe('manual');
      if (meta.fix === 'manual') expect(meta.owns).toEqual([]);
    }
  });

  it('rules --format json carries the CIS version with the id', () => {
    const list = JSON.parse(catalogueJson(metas)) as Array<{ id: string; cis: string }>;
    expect(list.map((r) => r.id)).toEqual(metas.map((m) => m.id));
    list.forEach((rule, i) => {
      if (metas[i]!.cis.length === 0) expect(rule.cis).toBe('');
      else expect(rule.cis.startsWith(`${CIS_VERSION} `)).toBe(true);
    });
  });
});
