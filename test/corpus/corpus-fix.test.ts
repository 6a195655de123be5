import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { composeTags } from '../../src/core/compose-tags.js';
import { allRules } from '../../src/rules/index.js';
import { cli, tempDir } from '../helpers/cli.js';
import { CORPUS, corpusFiles, hasShared, skipMessage } from '../helpers/shared.js';

/** Keys the rules may change (from their catalogue metadata); everything else must read the same before and after. */
const OWNED = new Set(allRules.flatMap((rule) => rule.meta.owns));
const OWNED_TOP = new Set(allRules.flatMap((rule) => rule.meta.ownsTopLevel ?? []));

/** An independent reading of a compose file (not the tool's own): YAML with merge keys, as Compose sees it. */
function effective(text: string): Record<string, unknown> {
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { merge: true, customTags: composeTags });
  expect(doc.errors.map((e) => e.message)).toEqual([]);
  return (doc.toJS({ maxAliasCount: -1 }) ?? {}) as Record<string, unknown>;
}

function services(doc: Record<string, unknown>): Record<string, Record<string, unknown>> {
  return (doc.services ?? {}) as Record<string, Record<string, unknown>>;
}

function withoutOwned(doc: Record<string, unknown>): unknown {
  const copy = { ...Object.fromEntries(Object.entries(doc).filter(([key]) => !OWNED_TOP.has(key))), services: {} as Record<string, unknown> };
  for (const [name, service] of Object.entries(services(doc))) {
    copy.services[name] = Object.fromEntries(Object.entries(service ?? {}).filter(([key]) => !OWNED.has(key)));
  }
  return copy;
}

/** Lines of `after` that are not in `before` (the fix inserts whole lines). */
function addedLines(before: string, after: string): string[] {
  const old = new Set(before.split(/\r?\n/));
  return after.split(/\r?\n/).filter((line) => !old.has(line));
}

const files = corpusFiles();

describe.skipIf(!hasShared)('corpus: fix on every real compose file', () => {
  const work = tempDir('compose-harden-corpus-');
  const single = join(work.dir, 'single');
  const batch = join(work.dir, 'batch');

  // Each file in a directory of its own, as in its project: side files (secrets/) live beside it.
  const home = (root: string, name: string) => join(root, name.replace(/\W+/g, '_'));
  beforeAll(async () => {
    const fs = await import('node:fs');
    for (const root of [single, batch]) {
      for (const name of files) {
        fs.mkdirSync(home(root, name), { recursive: true });
        copyFileSync(join(CORPUS, name), join(home(root, name), name));
        fs.chmodSync(join(home(root, name), name), 0o644); // a working copy, writable as a checkout is
      }
    }
  });
  afterAll(() => work.cleanup());

  it('has the corpus', () => {
    expect(files.length).toBeGreaterThanOrEqual(77);
  });

  for (const name of files) {
    it(name, async () => {
      const original = readFileSync(join(CORPUS, name), 'utf8');
      const dir = home(single, name);
      const diff = await cli(['diff', name], { cwd: dir });
      expect([0, 1], diff.stderr).toContain(diff.code);
      expect(diff.stderr).toBe('');

      const fixed = await cli(['fix', name, '--output', `${name}.fixed`], { cwd: dir });
      expect(fixed.code, fixed.stderr).toBe(0);
      const output = readFileSync(join(dir, `${name}.fixed`), 'utf8');

      // (a) parses, (c) same effective configuration outside the owned keys.
      const before = effective(original);
      const after = effective(output);
      expect(withoutOwned(after)).toEqual(withoutOwned(before));

      // (d) every service hardened in the merged view.
      for (const [service, config] of Object.entries(services(after))) {
        expect(config?.read_only, `${service}.read_only`).toBe(true);
        expect((config?.cap_drop as string[] | undefined)?.map((c) => c.toUpperCase()), `${service}.cap_drop`).toContain('ALL');
        const opts = ((config?.security_opt ?? []) as string[]).map(String);
        expect(opts.some((o) => /^no-new-privileges([:=](true|1|t|T|TRUE|True))?$/.test(o)), `${service}.security_opt`).toBe(true);
      }

      // Seccomp: every service that is not privileged references a profile that resolves from the file's
      // directory and is valid Docker format.
      for (const [service, config] of Object.entries(services(after))) {
        if (config?.privileged === true) continue;
        const opts = ((config?.security_opt ?? []) as string[]).map(String).filter((o) => /^seccomp[:=]/.test(o));
        expect(opts.length, `${service}: a seccomp profile`).toBeGreaterThan(0);
        for (const opt of opts) {
          const path = opt.slice('seccomp='.length);
          if (path === 'unconfined' || !path.startsWith('./seccomp/')) continue;
          const profile = JSON.parse(readFileSync(join(dir, path), 'utf8')) as { defaultAction?: string; archMap?: unknown[]; syscalls?: Array<{ names?: string[]; action?: string }> };
          expect(profile.defaultAction, `${service}: ${path}`).toBe('SCMP_ACT_ERRNO');
          expect(Array.isArray(profile.archMap) && profile.archMap.length > 0).toBe(true);
          expect(profile.syscalls?.every((rule) => Array.isArray(rule.names) && typeof rule.action === 'string')).toBe(true);
        }
      }

      // Limits in the form the file's version supports, and a comment on every value compose-harden chose.
      const legacyFile = /^2(\.\d+)?$/.test(String(before.version ?? '').trim());
      for (const [service, config] of Object.entries(services(after))) {
        const limits = ((config?.deploy as { resources?: { limits?: Record<string, unknown> } } | undefined)?.resources?.limits ?? {}) as Record<string, unknown>;
        const memory = limits.memory ?? config?.mem_limit;
        const cpu = limits.cpus ?? config?.cpus ?? config?.cpu_quota;
        const pids = config?.pids_limit ?? limits.pids;
        expect(memory, `${service}: memory limit`).toBeTruthy();
        expect(cpu, `${service}: CPU limit`).toBeTruthy();
        expect(Number(pids), `${service}: pids limit`).toBeGreaterThan(0);
        if (legacyFile && limits.memory === undefined) expect(config?.mem_limit, `${service}: a version 2 file gets mem_limit`).toBeTruthy();
      }
      for (const line of addedLines(original, output)) {
        if (/^\s*(memory|cpus|mem_limit|mem_reservation|pids_limit|cpu_quota):/.test(line)) expect(line, 'a chosen limit carries its comment').toMatch(/ # \S/);
      }

      // (b) a second fix changes nothing.
      const second = await cli(['diff', `${name}.fixed`], { cwd: dir });
      expect(second.code, second.stdout).toBe(0);
      expect(second.stdout).toBe('');

      // The diff printed before fixing is exactly the change fix made.
      expect(diff.code).toBe(output === original ? 0 : 1);
    });
  }

  it('(e) one in-place fix of every file gives the same result as fixing each alone', async () => {
    const paths = files.map((name) => join(home(batch, name), name));
    const result = await cli(['fix', ...paths], { cwd: batch });
    expect(result.code, result.stderr).toBe(0);
    for (const name of files) {
      expect(readFileSync(join(home(batch, name), name), 'utf8'), name).toBe(readFileSync(join(home(single, name), `${name}.fixed`), 'utf8'));
    }
  });
});

describe.runIf(!hasShared)('corpus', () => {
  it.skip(skipMessage('the corpus acceptance suite'), () => {});
});
