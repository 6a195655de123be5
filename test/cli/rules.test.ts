import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { PLAIN, parseJson, useTempDir, write } from './support.js';

const tmp = useTempDir();

interface CatalogueEntry {
  id: string;
  title: string;
  severity: string;
  fix: string;
  cis: string;
  refs: { kics: string[]; semgrep: string[]; composeLint: string[] };
}

async function catalogue(): Promise<CatalogueEntry[]> {
  const r = await cli(['rules', '--format', 'json'], { cwd: tmp.dir });
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('');
  const list = parseJson<CatalogueEntry[]>(r.stdout);
  expect(Array.isArray(list)).toBe(true);
  return list;
}

describe('rules --format json', () => {
  it('lists rules with exactly the documented keys, in order', async () => {
    const list = await catalogue();
    expect(list.length).toBeGreaterThan(0);
    for (const rule of list) {
      expect(Object.keys(rule)).toEqual(['id', 'title', 'severity', 'fix', 'cis', 'refs']);
      expect(Object.keys(rule.refs)).toEqual(['kics', 'semgrep', 'composeLint']);
      for (const refs of Object.values(rule.refs)) {
        expect(Array.isArray(refs)).toBe(true);
        for (const ref of refs) expect(typeof ref === 'string' && ref.length > 0).toBe(true);
      }
      expect(typeof rule.title === 'string' && rule.title.length > 0).toBe(true);
      expect(['error', 'warning', 'info']).toContain(rule.severity);
      expect(['safe', 'review', 'manual']).toContain(rule.fix);
      expect(rule.cis).toMatch(/^(CIS-Docker-1\.6\.0 \d+\.\d+(, \d+\.\d+)*)?$/);
    }
  });

  it('has unique ids of the form ^[a-z][a-z0-9-]+$', async () => {
    const ids = (await catalogue()).map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9-]+$/);
  });

  it('lists the rules that findings are reported under', async () => {
    const ids = (await catalogue()).map((rule) => rule.id);
    expect(ids).toEqual(expect.arrayContaining(['read-only-rootfs', 'cap-drop-all', 'no-new-privileges', 'no-privileged', 'docker-socket']));
  });

  it('agrees with the findings of check (severity, fix safety, CIS id)', async () => {
    const byId = new Map((await catalogue()).map((rule) => [rule.id, rule]));
    write(tmp.dir, 'compose.yaml', PLAIN);
    const report = parseJson<{ files: Array<{ findings: Array<{ ruleId: string; severity: string; fix: string; cis: string }> }> }>(
      (await cli(['check', '--format', 'json'], { cwd: tmp.dir })).stdout,
    );
    const findings = report.files[0]!.findings;
    expect(findings.length).toBe(4);
    for (const finding of findings) {
      const rule = byId.get(finding.ruleId);
      expect(rule, finding.ruleId).toBeDefined();
      expect([finding.severity, finding.fix, finding.cis]).toEqual([rule!.severity, rule!.fix, rule!.cis]);
    }
  });

  it('every listed id is accepted by --only and --skip', async () => {
    write(tmp.dir, 'compose.yaml', PLAIN);
    const ids = (await catalogue()).map((rule) => rule.id);
    for (const flag of ['--only', '--skip']) {
      const r = await cli(['check', flag, ids.join(',')], { cwd: tmp.dir });
      expect(r.stderr, flag).toBe('');
      expect(r.code, flag).not.toBe(2);
    }
  });
});

describe('rules --format text and markdown', () => {
  it('text is the default and has one line per rule, starting with its id, in catalogue order', async () => {
    const ids = (await catalogue()).map((rule) => rule.id);
    const r = await cli(['rules'], { cwd: tmp.dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(await cli(['rules', '--format', 'text'], { cwd: tmp.dir })).toEqual(r);
    const lines = r.stdout.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((line) => line.split(/\s+/)[0])).toEqual(ids);
  });

  it('markdown is a table with a header and one row per rule', async () => {
    const ids = (await catalogue()).map((rule) => rule.id);
    const r = await cli(['rules', '--format', 'markdown'], { cwd: tmp.dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines[0]).toMatch(/^\|.*\|$/);
    expect(lines[1]).toMatch(/^\|(-+\|)+$/);
    const columns = lines[0]!.split('|').length;
    const rows = lines.slice(2);
    expect(rows.map((row) => /^\| `([^`]+)` \|/.exec(row)?.[1])).toEqual(ids);
    for (const row of rows) expect(row.replace(/\\\|/g, '').split('|').length).toBe(columns);
  });

  it('is deterministic', async () => {
    for (const format of ['text', 'json', 'markdown']) {
      const first = await cli(['rules', '--format', format], { cwd: tmp.dir });
      expect(await cli(['rules', '--format', format], { cwd: tmp.dir })).toEqual(first);
    }
  });

  it('rejects an unknown format with exit 2', async () => {
    const r = await cli(['rules', '--format', 'yaml'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('yaml');
  });

  it('takes no file arguments', async () => {
    const r = await cli(['rules', 'compose.yaml'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });
});
