import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { familyProfile, seccompProfileFor, serializeProfile, flattenProfile } from '../../src/seccomp/index.js';
import { nodeFileSystem, WriteError, type FileSystem } from '../../src/io/file-system.js';
import { cli } from '../helpers/cli.js';
import { useTempDir } from '../cli/support.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/seccomp/python-subprocess.strace', import.meta.url));
const COMPOSE = `services:
  db:
    image: postgres:16
    cap_add: [SYS_ADMIN]
  web:
    image: node:20
  app:
    build: .
`;

describe('compose-harden seccomp', () => {
  const temp = useTempDir('compose-harden-seccomp-cli-');

  test('--list shows every family with its count, and Docker default', async () => {
    const result = await cli(['seccomp', '--list'], { cwd: temp.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^family\s+allowed on x86_64\n/);
    expect(result.stdout).toMatch(/\nnode\s+\d+\n/);
    expect(result.stdout).toMatch(/\ngeneric\s+\d+\n/);
    expect(result.stdout).toMatch(/\ndocker-default\s+367\n$/);
  });

  test('--runtime prints the Docker-format profile', async () => {
    const result = await cli(['seccomp', '--runtime', 'node'], { cwd: temp.dir });
    expect(result).toEqual({ code: 0, stdout: seccompProfileFor('node').json, stderr: '' });
  });

  test('--format oci --caps flattens for those capabilities', async () => {
    const result = await cli(['seccomp', '--runtime', 'redis', '--format', 'oci', '--caps', 'SYS_PTRACE,net_admin'], { cwd: temp.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(serializeProfile(flattenProfile(familyProfile('redis'), ['CAP_SYS_PTRACE'], 'x86_64')));
    expect(result.stdout).toContain('"ptrace"');
    expect(result.stdout).not.toContain('includes');
    const arm = await cli(['seccomp', '--runtime', 'redis', '--format', 'oci', '--arch', 'aarch64'], { cwd: temp.dir });
    expect(JSON.parse(arm.stdout).architectures).toEqual(['SCMP_ARCH_AARCH64']);
  });

  test('--service takes the family from the image and the capabilities from cap_add', async () => {
    writeFileSync(join(temp.dir, 'compose.yaml'), COMPOSE);
    const docker = await cli(['seccomp', '--service', 'db'], { cwd: temp.dir });
    expect(docker.code).toBe(0);
    expect(docker.stdout).toBe(seccompProfileFor('postgres').json);
    expect(docker.stderr).toBe('service db: postgres template, cap_add CAP_SYS_ADMIN\n');
    const oci = await cli(['seccomp', '--service', 'db', 'compose.yaml', '--format', 'oci'], { cwd: temp.dir });
    expect(JSON.parse(oci.stdout).syscalls.flatMap((rule: { names: string[] }) => rule.names)).toContain('mount');
    const built = await cli(['seccomp', '--service', 'app'], { cwd: temp.dir });
    expect(built.stdout).toBe(seccompProfileFor('generic').json);
  });

  test('--from-strace builds a profile from a recorded trace', async () => {
    const result = await cli(['seccomp', '--from-strace', FIXTURE, '--format', 'oci'], { cwd: temp.dir });
    expect(result.code).toBe(0);
    const names = JSON.parse(result.stdout).syscalls.flatMap((rule: { names: string[] }) => rule.names);
    expect(names).toEqual(expect.arrayContaining(['vfork', 'wait4', 'rt_sigreturn']));
  });

  test('--output writes the file atomically and says what it wrote', async () => {
    const result = await cli(['seccomp', '--runtime', 'python', '-o', 'seccomp-python.json'], { cwd: temp.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^wrote seccomp-python\.json \(\d+ system calls allowed on x86_64\)\n$/);
    expect(readFileSync(join(temp.dir, 'seccomp-python.json'), 'utf8')).toBe(seccompProfileFor('python').json);
    const failing: FileSystem = { ...nodeFileSystem, writeFileAtomic: async (path) => { throw new WriteError(path, 'cannot write: permission denied'); } };
    const denied = await cli(['seccomp', '--runtime', 'python', '-o', 'x.json'], { cwd: temp.dir, fs: failing });
    expect(denied.code).toBe(2);
    expect(denied.stderr).toBe('compose-harden seccomp: x.json: cannot write: permission denied\n');
  });

  test.each([
    [['seccomp'], 'give exactly one of --runtime FAMILY, --service NAME, --from-strace FILE or --list'],
    [['seccomp', '--runtime', 'node', '--list'], 'give exactly one of'],
    [['seccomp', '--runtime', 'cobol'], 'unknown runtime family "cobol": use one of node, python, jvm, go, nginx, postgres, redis, mysql, php, ruby, dotnet, rust, generic'],
    [['seccomp', '--runtime', 'node', 'compose.yaml'], 'a compose file argument goes with --service NAME only'],
    [['seccomp', '--from-strace', 'missing.txt'], 'cannot read the trace missing.txt: no such file'],
    [['seccomp', '--service', 'nope'], 'no service "nope" in compose.yaml: services are db, web, app'],
  ])('%j is a usage error', async (argv, message) => {
    writeFileSync(join(temp.dir, 'compose.yaml'), COMPOSE);
    const result = await cli(argv, { cwd: temp.dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
  });

  test('unknown names in a trace are named', async () => {
    writeFileSync(join(temp.dir, 'trace.txt'), '12 read(0, "", 1) = 0\n12 frobnicate(3) = 0\n');
    const result = await cli(['seccomp', '--from-strace', 'trace.txt'], { cwd: temp.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('compose-harden seccomp: unknown system call name in trace.txt: frobnicate (not in the x86_64 or aarch64 tables)\n');
  });

  test('an unknown --format is refused by the option parser', async () => {
    const result = await cli(['seccomp', '--runtime', 'node', '--format', 'yaml'], { cwd: temp.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Allowed choices are docker, oci/);
  });
});
