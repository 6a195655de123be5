/**
 * Reads KICS's Docker Compose query tests from a checkout: for each query under
 * assets/queries/dockerCompose, its metadata.json id, the positive*.yaml / negative*.yaml files beside
 * the query in test/, and positive_expected_result.json, which names a file and a line per result.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const KICS_QUERIES = 'assets/queries/dockerCompose';

export interface KicsQuery {
  readonly folder: string;
  readonly id: string;
  readonly name: string;
}

export interface KicsCase {
  readonly query: KicsQuery;
  /** The case file, relative to the checkout. */
  readonly file: string;
  readonly text: string;
  readonly expected: 'positive' | 'negative';
  /** For a positive: the line KICS reports. */
  readonly line?: number;
}

export interface KicsReading {
  readonly queries: KicsQuery[];
  readonly cases: KicsCase[];
  /** Expected results naming a file that is not in the checkout (information). */
  readonly missing: Array<{ query: string; file: string; line: number }>;
  /** Positive files no expected result names (information: KICS would fail on them too). */
  readonly unexpected: string[];
}

export function readKicsSuite(dir: string): KicsReading {
  const root = join(dir, KICS_QUERIES);
  const queries: KicsQuery[] = [];
  const cases: KicsCase[] = [];
  const missing: KicsReading['missing'] = [];
  const unexpected: string[] = [];
  for (const folder of readdirSync(root).sort()) {
    const metaPath = join(root, folder, 'metadata.json');
    if (!existsSync(metaPath)) continue;
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as { id: string; queryName?: string };
    const query: KicsQuery = { folder, id: meta.id, name: meta.queryName ?? folder };
    queries.push(query);
    const testDir = join(root, folder, 'test');
    if (!existsSync(testDir)) continue;
    const rel = (f: string): string => `${KICS_QUERIES}/${folder}/test/${f}`;
    const files = readdirSync(testDir).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    const expectedPath = join(testDir, 'positive_expected_result.json');
    const expected = existsSync(expectedPath)
      ? (JSON.parse(readFileSync(expectedPath, 'utf8')) as Array<{ filename?: string; fileName?: string; line: number }>)
      : [];
    const named = new Set<string>();
    for (const r of expected) {
      const name = r.filename ?? r.fileName;
      if (!name) continue;
      named.add(name);
      const path = join(testDir, name);
      if (!existsSync(path)) {
        missing.push({ query: folder, file: rel(name), line: r.line });
        continue;
      }
      cases.push({ query, file: rel(name), text: readFileSync(path, 'utf8'), expected: 'positive', line: r.line });
    }
    for (const f of files) {
      if (/^negative.*\.ya?ml$/.test(f)) cases.push({ query, file: rel(f), text: readFileSync(join(testDir, f), 'utf8'), expected: 'negative' });
      else if (/^positive.*\.ya?ml$/.test(f) && !named.has(f)) unexpected.push(rel(f));
    }
  }
  return { queries, cases, missing, unexpected };
}
