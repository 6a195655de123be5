import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The README's quick start, as written: exactly two commands, the first of which installs and then runs
 * the main job on the bundled example. The install (`npm ci`) is CI's own first step; what follows it is
 * run here through npx, as a user types it, so that the bin npm links must be executable.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

function quickStart(): string[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Quick start'));
  const block = /```sh\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error('the README has no sh block under "## Quick start"');
  return block[1]!.trim().split('\n');
}

describe('the README quick start', () => {
  it('is two commands: install and run on a bundled example, then the tests', () => {
    const commands = quickStart();
    expect(commands).toHaveLength(2);
    expect(commands[0]).toMatch(/^npm ci && npx compose-harden \S+ examples\/\S+$/);
    expect(commands[1]).toBe('npm test');
  });

  it.runIf(existsSync(BIN))('the built bin is executable, as npx runs it directly', () => {
    expect(() => accessSync(BIN, constants.X_OK)).not.toThrow();
  });

  it.runIf(existsSync(BIN))('its first command prints the hardening diff of the example', () => {
    const [, ...argv] = quickStart()[0]!.replace(/^npm ci && /, '').split(' ');
    const r = spawnSync('npx', ['--no-install', ...argv], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.stderr).not.toMatch(/Permission denied|not found/);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^--- a\/examples\//m);
    expect(r.stdout).toMatch(/^\+\s+read_only: true/m);
    expect(r.stdout).toMatch(/^\+\s+- ALL/m);
  });
});
