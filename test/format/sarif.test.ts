import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import ajvDraft04 from 'ajv-draft-04';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseComposeFile } from '../../src/core/compose-file.js';
import { applyEdits, type Edit } from '../../src/core/edits.js';
import { findingEdits, fixSource } from '../../src/core/engine.js';
import { fromString } from '../../src/core/source.js';
import { allRules } from '../../src/rules/index.js';
import { cli } from '../helpers/cli.js';
import { CORPUS, corpusFiles, hasShared, skipMessage } from '../helpers/shared.js';
import { useTempDir, write } from '../cli/support.js';

const require = createRequire(import.meta.url);
/** The SARIF 2.1.0 schema as the npm package @microsoft/jest-sarif ships it (draft-04). */
const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object;
// The schema's language-tag pattern is not a valid Unicode regular expression: compile patterns without the u flag.
const Ajv = ajvDraft04.default;
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
ajv.addFormat('uri', (value: string) => URL.canParse(value));
ajv.addFormat('uri-reference', (value: string) => URL.canParse(value, 'file:///base/'));
ajv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)));
const validate = ajv.compile(schema);

interface Replacement {
  deletedRegion: { startLine: number; startColumn: number; endLine: number; endColumn: number; charOffset: number; charLength: number };
  insertedContent: { text: string };
}
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn: number } } }>;
  fixes?: Array<{ artifactChanges: Array<{ artifactLocation: { uri: string }; replacements: Replacement[] }> }>;
  suppressions?: Array<{ kind: string; justification: string; status: string }>;
}
interface SarifLog {
  version: string;
  runs: Array<{ tool: { driver: { name: string; version: string; informationUri: string; rules: Array<Record<string, any>> } }; results: SarifResult[] }>;
}

function expectValid(log: unknown): void {
  const ok = validate(log);
  expect(ok ? [] : validate.errors?.slice(0, 5)).toEqual([]);
}

/** The offset of a 1-based line and column in `text`. */
function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let n = 1; n < line; n++) offset = text.indexOf('\n', offset) + 1;
  return offset + column - 1;
}

function applyReplacements(text: string, replacements: readonly Replacement[]): string {
  const edits: Edit[] = replacements.map((r) => {
    const start = offsetOf(text, r.deletedRegion.startLine, r.deletedRegion.startColumn);
    const end = offsetOf(text, r.deletedRegion.endLine, r.deletedRegion.endColumn);
    // The region is given twice; both forms must agree.
    expect([r.deletedRegion.charOffset, r.deletedRegion.charLength]).toEqual([start, end - start]);
    return { start, end, text: r.insertedContent.text };
  });
  const applied = applyEdits(text, edits);
  expect(applied.deferred).toEqual([]);
  return applied.text;
}

/**
 * What Compose sees, for comparing two fixed files whatever the order their keys and list items were
 * written in (a fix applied first puts its keys and items first).
 */
function effective(text: string): unknown {
  const doc = parseDocument(text, { merge: true, customTags: [{ tag: '!reset', resolve: () => null }, { tag: '!override', resolve: (v: string) => v }] });
  return unordered(doc.toJS({ maxAliasCount: -1 }));
}

function unordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unordered).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unordered(v)]));
  return value;
}

const tmp = useTempDir();

describe('check --format sarif', () => {
  it('describes the tool and every rule of the catalogue, and reports a finding with its location and fix', async () => {
    write(tmp.dir, 'compose.yaml', 'services:\n  web:\n    image: nginxinc/nginx-unprivileged:1.27\n    init: true\n');
    const r = await cli(['check', '--format', 'sarif', '--only', 'read-only-rootfs'], { cwd: tmp.dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout) as SarifLog;
    expectValid(log);
    const driver = log.runs[0]!.tool.driver;
    expect(driver.name).toBe('compose-harden');
    expect(driver.rules.map((rule) => rule.id)).toEqual(allRules.map((rule) => rule.meta.id));
    const rule = driver.rules.find((x) => x.id === 'read-only-rootfs')!;
    expect(rule.shortDescription).toEqual({ text: 'Root filesystem is writable' });
    expect(rule.defaultConfiguration).toEqual({ level: 'warning' });
    expect(rule.properties.cis).toBe('CIS-Docker-1.6.0 5.13');
    expect(rule.properties.semgrep).toEqual(['writable-filesystem-service']);
    expect(rule.properties.composeLint).toEqual(['CL-0007']);
    expect(rule.help.markdown).toContain('### `read-only-rootfs`'.slice(1));
    const [result, ...rest] = log.runs[0]!.results;
    expect(rest).toEqual([]);
    expect(result!.ruleId).toBe('read-only-rootfs');
    expect(driver.rules[result!.ruleIndex]!.id).toBe('read-only-rootfs');
    expect(result!.level).toBe('warning');
    expect(result!.locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'compose.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 2, startColumn: 3 } });
    expect(result!.fixes![0]!.artifactChanges[0]!.replacements).toEqual([
      {
        deletedRegion: { startLine: 4, startColumn: 15, endLine: 4, endColumn: 15, charOffset: 75, charLength: 0 },
        insertedContent: { text: '\n    read_only: true\n    tmpfs:\n      - /tmp:uid=101,gid=101  # temp paths and nginx.pid' },
      },
    ]);
  });

  it('marks suppressed findings: inSource for x-compose-harden, external for the config file, without fixes', async () => {
    write(
      tmp.dir,
      'compose.yaml',
      'services:\n  web:\n    image: nginx:1.27\n    x-compose-harden:\n      ignore:\n        read-only-rootfs: writes /var/cache/nginx\n  db:\n    image: postgres:16\n',
    );
    write(tmp.dir, '.compose-harden.yml', 'ignore:\n  - rule: read-only-rootfs\n    service: db\n    reason: runs initdb scripts that write /docker-entrypoint-initdb.d\n');
    const r = await cli(['check', '--format', 'sarif', '--only', 'read-only-rootfs'], { cwd: tmp.dir });
    expect(r.code).toBe(0);
    const log = JSON.parse(r.stdout) as SarifLog;
    expectValid(log);
    expect(log.runs[0]!.results.map((x) => [x.ruleId, x.suppressions, x.fixes])).toEqual([
      ['read-only-rootfs', [{ kind: 'inSource', status: 'accepted', justification: 'writes /var/cache/nginx' }], undefined],
      ['read-only-rootfs', [{ kind: 'external', status: 'accepted', justification: 'runs initdb scripts that write /docker-entrypoint-initdb.d' }], undefined],
    ]);
  });

  it('is valid for a file that cannot be parsed (a notification, no result)', async () => {
    write(tmp.dir, 'compose.yaml', 'services:\n  web:\n    image: a\n    image: b\n');
    const r = await cli(['check', '--format', 'sarif'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    const log = JSON.parse(r.stdout) as SarifLog & { runs: Array<{ invocations: unknown[] }> };
    expectValid(log);
    expect(log.runs[0]!.results).toEqual([]);
    expect(log.runs[0]!.invocations).toMatchObject([{ executionSuccessful: false }]);
  });
});

describe.skipIf(!hasShared)('SARIF of the corpus', () => {
  if (!hasShared) console.log(skipMessage('the SARIF corpus suite'));
  const files = corpusFiles();

  it.each(files)('%s: valid SARIF 2.1.0, one result per finding', async (name) => {
    const r = await cli(['check', '--format', 'sarif', '--fail-on', 'never', join(CORPUS, name)], { cwd: CORPUS });
    expect(r.stderr).toBe('');
    const log = JSON.parse(r.stdout) as SarifLog;
    expectValid(log);
    const json = JSON.parse((await cli(['check', '--format', 'json', '--fail-on', 'never', name], { cwd: CORPUS })).stdout) as { files: Array<{ findings: unknown[] }> };
    expect(log.runs[0]!.results.length).toBe(json.files[0]!.findings.length);
  }, 60_000);

  // Every fix is applied and parsed; the full fix after it (the costly part) runs for the first fix of each rule.
  it.each(files)('%s: each fix applied alone parses, and fixing after it gives what fix gives', (name) => {
    const source = fromString(readFileSync(join(CORPUS, name), 'utf8'));
    const file = parseComposeFile(source);
    const fixed = effective(fixSource(source, allRules).text);
    const converged = new Set<string>();
    for (const { finding, edits } of findingEdits(file, allRules)) {
      if (edits.length === 0) continue;
      const once = applyEdits(source.text, edits);
      expect(once.deferred, finding.ruleId).toEqual([]);
      expect(once.text, `${finding.ruleId} ${finding.service}`).not.toBe(source.text);
      const after = fromString(once.text);
      expect(() => parseComposeFile(after), `${finding.ruleId} ${finding.service}`).not.toThrow();
      if (converged.has(finding.ruleId)) continue;
      converged.add(finding.ruleId);
      expect(effective(fixSource(after, allRules).text), `${finding.ruleId} ${finding.service}`).toEqual(fixed);
    }
  }, 120_000);

  it('most corpus files have findings with fixes', () => {
    const withFixes = files.filter((name) => findingEdits(parseComposeFile(fromString(readFileSync(join(CORPUS, name), 'utf8'))), allRules).some((p) => p.edits.length > 0));
    expect(withFixes.length).toBeGreaterThan(files.length / 2);
  }, 120_000);

  it('the SARIF replacements are the engine edits, applied to the original text', async () => {
    const name = files[0]!;
    const text = readFileSync(join(CORPUS, name), 'utf8');
    const log = JSON.parse((await cli(['check', '--format', 'sarif', '--fail-on', 'never', name], { cwd: CORPUS })).stdout) as SarifLog;
    const planned = findingEdits(parseComposeFile(fromString(text)), allRules);
    const results = log.runs[0]!.results;
    expect(results.length).toBe(planned.length);
    results.forEach((result, i) => {
      const edits = planned[i]!.edits;
      const replacements = result.fixes?.[0]?.artifactChanges[0]?.replacements ?? [];
      expect(replacements.length).toBe(edits.length);
      if (edits.length > 0) expect(applyReplacements(text.replace(/^\uFEFF/, ''), replacements)).toBe(applyEdits(text.replace(/^\uFEFF/, ''), edits).text);
    });
  });
});
