import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';

/**
 * Hostile inputs, each run as a user runs it (`node dist/cli.js check FILE`, built by `npm test` first)
 * and measured from outside the process: under 2 s of wall time and 300 MB of peak memory, with a clear
 * message and exit code 2, or a correct result. Never a hang, never a stack trace.
 */
const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const MEASURE = fileURLToPath(new URL('./measure.py', import.meta.url));
const hasPython = spawnSync('python3', ['--version']).status === 0;

const TIME_LIMIT_S = 2;
const MEMORY_LIMIT_MIB = 300;

interface Measured {
  code: number;
  seconds: number;
  peakMiB: number;
  stdout: string;
  stderr: string;
}

const work = tempDir('compose-harden-hostile-');
afterAll(() => work.cleanup());

function run(name: string, content: string | Uint8Array, ...args: string[]): Measured {
  const path = join(work.dir, name);
  writeFileSync(path, content);
  const child = spawnSync('python3', [MEASURE, process.execPath, CLI, 'check', ...args, path], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  expect(child.status, child.stderr).toBe(0);
  const measured = JSON.parse(child.stdout) as Measured;
  expect(measured.seconds, `${name}: wall time`).toBeLessThan(TIME_LIMIT_S);
  expect(measured.peakMiB, `${name}: peak memory`).toBeLessThan(MEMORY_LIMIT_MIB);
  expect(measured.stderr, `${name}: no stack trace`).not.toMatch(/\n\s+at \S+ \(|internal error/);
  return measured;
}

function refused(measured: Measured, message: RegExp): void {
  expect(measured.code).toBe(2);
  expect(measured.stdout).toBe('');
  expect(measured.stderr).toMatch(message);
}

describe.runIf(hasPython)('hostile inputs, bounded in time and memory from outside the process', () => {
  it('an alias bomb ("billion laughs") is refused before it expands', () => {
    let text = 'x-0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n';
    for (let i = 1; i <= 12; i++) text += `x-${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
    text += 'services:\n  app:\n    image: busybox:1.36\n    command: *a12\n';
    refused(run('bomb.yml', text), /^.*bomb\.yml:17:14: aliases expand far beyond the size of the document \(an "alias bomb"\); refusing to expand them\n$/);
  });

  it('a 50 MB file is refused with its size', () => {
    const line = `      KEY: ${'v'.repeat(70)}\n`;
    const text = `services:\n  app:\n    image: busybox:1.36\n    labels:\n${line.repeat(Math.ceil((50 * 1024 * 1024) / line.length))}`;
    refused(run('big.yml', text), /big\.yml:1:1: the file is 50\.0 MB, more than the 4 MB compose-harden reads: is it the compose file\?/);
  });

  it('5,000 services are all checked', () => {
    let text = 'services:\n';
    for (let i = 0; i < 5000; i++) text += `  svc${i}:\n    image: nginx:1.27\n    ports: ["${8000 + (i % 1000)}:80"]\n`;
    const measured = run('many.yml', text, '--format', 'json');
    expect(measured.code).toBe(1);
    const report = JSON.parse(measured.stdout) as { files: Array<{ findings: Array<{ service: string }> }> };
    expect(new Set(report.files[0]!.findings.map((f) => f.service)).size).toBe(5000);
  });

  it('collections nested thousands of levels deep are refused', () => {
    const text = `services:\n  app:\n    image: busybox:1.36\n    command: ${'['.repeat(20000)}${']'.repeat(20000)}\n`;
    refused(run('deep.yml', text), /deep\.yml:\d+:\d+: the YAML nests collections too deeply to be read \(thousands of levels\); a compose file nests a few levels: check that this is the right file\n$/);
  });

  it('a block mapping nested a thousand levels deep is read', () => {
    let text = 'services:\n  app:\n    image: busybox:1.36\n    labels:\n';
    let indent = '      ';
    for (let i = 0; i < 1000; i++) {
      text += `${indent}k${i}:\n`;
      indent += ' ';
    }
    text += `${indent}v: 1\n`;
    const measured = run('deep-block.yml', text);
    expect([1, 2]).toContain(measured.code);
    if (measured.code === 2) expect(measured.stderr).toMatch(/deep-block\.yml:\d+:\d+: /);
    else expect(measured.stdout).toMatch(/app/);
  });

  it('a 3 MB line is read', () => {
    const measured = run('long-line.yml', `services:\n  app:\n    image: busybox:1.36\n    command: "${'y'.repeat(3 * 1024 * 1024)}"\n`);
    expect(measured.code).toBe(1);
    expect(measured.stdout).toMatch(/service "app"/);
  });

  it('NUL bytes are binary data', () => {
    refused(run('nul.yml', Buffer.from('services:\n  app:\n    image: busy\u0000box\n', 'utf8')), /nul\.yml:3:16: binary data \(a NUL byte\): this is not a text file; give the path of a compose YAML file\n$/);
  });

  it('invalid UTF-8 is refused at the first bad byte', () => {
    const bytes = Buffer.concat([Buffer.from('services:\n  app:\n    image: caf', 'utf8'), Buffer.from([0xc3, 0x28]), Buffer.from('\n', 'utf8')]);
    refused(run('latin.yml', bytes), /latin\.yml:3:15: invalid UTF-8: save the file as UTF-8 and try again\n$/);
  });

  it('tabs used as indentation', () => {
    refused(run('tabs.yml', 'services:\n\tapp:\n\t\timage: busybox:1.36\n'), /tabs\.yml:2:1: invalid YAML: tabs are not allowed as indentation; indent with spaces, not tabs\n$/);
  });

  it('several YAML documents in one file', () => {
    refused(
      run('multi.yml', 'services:\n  a:\n    image: busybox:1.36\n---\nservices:\n  b:\n    image: busybox:1.36\n'),
      /multi\.yml:4:1: a second YAML document starts here; a compose file holds one document; split the documents into separate files\n$/,
    );
  });

  it('valid YAML that is not a compose file', () => {
    refused(run('list.yml', '- just\n- a list\n'), /list\.yml:1:1: the top level is a sequence, not a mapping: a compose file is a mapping with a `services:` key\n$/);
    refused(run('k8s.yml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n'), /k8s\.yml:1:1: no `services:` key: a compose file lists its containers under `services:`\n$/);
  });
});

describe.runIf(!hasPython)('hostile inputs', () => {
  it.skip('skipped: python3 (used to measure time and memory from outside) is not installed', () => {});
});
