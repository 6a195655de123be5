import { lstatSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect } from 'vitest';
import { tempDir } from '../helpers/cli.js';

/** A real temporary directory per test, removed afterwards. */
export function useTempDir(prefix = 'compose-harden-cli-'): { readonly dir: string } {
  let current: { dir: string; cleanup(): void } | undefined;
  beforeEach(() => {
    current = tempDir(prefix);
  });
  afterEach(() => {
    current?.cleanup();
    current = undefined;
  });
  return {
    get dir() {
      if (!current) throw new Error('useTempDir: no directory outside a test');
      return current.dir;
    },
  };
}

/** An old, fixed modification time: a rewrite with the same bytes still shows in mtime. */
export const OLD_TIME = new Date('2020-01-02T03:04:05Z');

/** Writes a fixture file (text or bytes), with an optional mode and an old mtime. */
export function write(dir: string, name: string, content: string | Uint8Array, mode?: number): string {
  const path = join(dir, name);
  writeFileSync(path, content, mode === undefined ? undefined : { mode });
  utimesSync(path, OLD_TIME, OLD_TIME);
  return path;
}

export function read(dir: string, name: string): string {
  return readFileSync(join(dir, name), 'utf8');
}

/** What must not change when a file is not written: its bytes, mtime, mode and inode. */
export interface FileState {
  readonly bytes: Buffer;
  readonly mtimeMs: number;
  readonly mode: number;
  readonly ino: number;
}

export function fileState(path: string): FileState {
  const info = lstatSync(path);
  return { bytes: readFileSync(path), mtimeMs: info.mtimeMs, mode: info.mode & 0o7777, ino: info.ino };
}

export function expectUnchanged(path: string, before: FileState): void {
  const after = fileState(path);
  expect(after.bytes.equals(before.bytes), `${path}: bytes changed`).toBe(true);
  expect(after.mtimeMs, `${path}: mtime changed`).toBe(before.mtimeMs);
  expect(after.mode, `${path}: mode changed`).toBe(before.mode);
  expect(after.ino, `${path}: replaced`).toBe(before.ino);
}

/**
 * The directory's entries, sorted (temporary files would show here), without the `seccomp/` directory of
 * profiles that fix writes on purpose beside a hardened file (the side-file suites test it).
 */
export function entries(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name !== 'seccomp')
    .sort();
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
export const ESC = '\u001b[';
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

export function parseJson<T = unknown>(stdout: string): T {
  expect(stdout.endsWith('\n'), 'JSON output ends with a newline').toBe(true);
  return JSON.parse(stdout) as T;
}

export interface JsonFinding {
  ruleId: string;
  severity: string;
  service: string | null;
  line: number;
  column: number;
  message: string;
  fix: string;
  cis: string;
  suppressed: { reason: string; source: 'x-compose-harden' | 'config' } | null;
}
export interface JsonFile {
  path: string;
  error: { message: string; line: number; column: number } | null;
  findings: JsonFinding[];
}
export interface JsonReport {
  files: JsonFile[];
}

export const FINDING_KEYS = ['ruleId', 'severity', 'service', 'line', 'column', 'message', 'fix', 'cis', 'suppressed'];
export const SUPPRESSED_KEYS = ['reason', 'source'];
export const FILE_KEYS = ['path', 'error', 'findings'];
export const ERROR_KEYS = ['message', 'line', 'column'];

// ---------------------------------------------------------------------------------------------
// Fixtures

/** One service with none of the hardening: three warnings, all fixable. */
/**
 * Settings the later rules (networks, limits, pids, logging, init, ports, healthcheck) look for, so that these fixtures
 * exercise the core three; with IMAGE (pinned by digest), nothing else is reported.
 */
export const BASELINE = '    ports:\n      - "127.0.0.1:8080:8080"\n    healthcheck: {test: nginx -t}\n    init: true\n    pids_limit: 64\n    mem_limit: 128m\n    cpus: 0.5\n    logging: {driver: local}\n';

/** The image of these fixtures, pinned by digest so that image-pinned has nothing to say. */
export const IMAGE = 'nginxinc/nginx-unprivileged:1.27@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

export const PLAIN = `services:\n  web:\n    image: ${IMAGE}\n` + BASELINE;

/** PLAIN after `fix` with every rule. */
export const PLAIN_FIXED =
  'services:\n' +
  '  web:\n' +
  `    image: ${IMAGE}\n` +
  BASELINE +
  '    read_only: true\n' +
  '    tmpfs:\n' +
  '      - /tmp:uid=101,gid=101  # temp paths and nginx.pid\n' +
  '    cap_drop:\n' +
  '      - ALL\n' +
  '    security_opt:\n' +
  '      - no-new-privileges:true\n' +
  '      - seccomp=./seccomp/nginx.json\n';

/** `diff` of PLAIN, without the two header lines. */
export const PLAIN_HUNK =
  '@@ -9,3 +9,11 @@\n' +
  BASELINE.split('\n').filter(Boolean).slice(-3).map((line) => ` ${line}\n`).join('') +
  '+    read_only: true\n' +
  '+    tmpfs:\n' +
  '+      - /tmp:uid=101,gid=101  # temp paths and nginx.pid\n' +
  '+    cap_drop:\n' +
  '+      - ALL\n' +
  '+    security_opt:\n' +
  '+      - no-new-privileges:true\n' +
  '+      - seccomp=./seccomp/nginx.json\n';

/** The comment `diff` prints before PLAIN's diff: the profile fix writes beside it. */
export const PLAIN_PREAMBLE = '# compose-harden fix also writes, beside the compose file:\n#   seccomp/nginx.json (generated file, mode 0644)\n';

export function plainDiff(path: string): string {
  return `${PLAIN_PREAMBLE}--- a/${path}\n+++ b/${path}\n${PLAIN_HUNK}`;
}

/** Nothing to report or fix. */
export const HARDENED =
  'services:\n' +
  '  web:\n' +
  `    image: ${IMAGE}\n` +
  BASELINE +
  '    read_only: true\n' +
  '    tmpfs:\n' +
  '      - /tmp:uid=101,gid=101  # temp paths and nginx.pid\n' +
  '    cap_drop:\n' +
  '      - ALL\n' +
  '    security_opt:\n' +
  '      - no-new-privileges:true\n' +
  '      - seccomp=./seccomp/nginx.json\n';

/** Hardened except `privileged: true` (line 20, column 5): one error, manual. */
export const PRIVILEGED =
  'services:\n' +
  '  agent:\n' +
  `    image: ${IMAGE}\n` +
  BASELINE +
  '    read_only: true\n' +
  '    tmpfs:\n' +
  '      - /tmp\n' +
  '    cap_drop:\n' +
  '      - ALL\n' +
  '    security_opt:\n' +
  '      - no-new-privileges:true\n' +
  '      - seccomp=./seccomp/nginx.json\n' +
  '    privileged: true\n';

/** Only read-only-rootfs is missing, on service "web" at line 12, column 3 (the example). */
export const ONLY_READ_ONLY_MISSING =
  'services:  # the issue example: web at line 12, column 3\n' +
  '  db:\n' +
  `    image: ${IMAGE}\n` +
  '    read_only: true\n' +
  '    cap_drop: [ALL]\n' +
  '    security_opt: [no-new-privileges:true, seccomp=./seccomp/nginx.json]\n' +
  '    init: true\n' +
  '    ports: ["127.0.0.1:8081:8080"]\n' +
  '    healthcheck: {test: nginx -t}\n' +
  '    deploy: {resources: {limits: {memory: 128m, cpus: "0.5", pids: 64}}}\n' +
  '    logging: {driver: local}\n' +
  '  web:\n' +
  `    image: ${IMAGE}\n` +
  '    cap_drop: [ALL]\n' +
  '    security_opt: [no-new-privileges:true, seccomp=./seccomp/nginx.json]\n' +
  BASELINE;
