import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import {
  ERROR_KEYS,
  PLAIN,
  PLAIN_FIXED,
  entries,
  expectUnchanged,
  fileState,
  parseJson,
  plainDiff,
  read,
  useTempDir,
  write,
  type FileState,
  type JsonReport,
} from './support.js';

const tmp = useTempDir();

interface BadInput {
  readonly what: string;
  /** The file's bytes; null for a path that does not exist, 'dir' for a directory. */
  readonly content: string | Uint8Array | null | 'dir';
  readonly line: number;
  readonly column: number;
  /** Every pattern must match the message. */
  readonly message: RegExp[];
}

const BAD_INPUTS: BadInput[] = [
  {
    what: 'invalid YAML',
    content: 'services:\n  web:\n    image: nginx: latest\n',
    line: 3,
    column: 12,
    message: [/invalid YAML/i],
  },
  {
    what: 'duplicate keys',
    content: 'services:\n  web:\n    image: nginx\n    image: redis\n',
    line: 4,
    column: 5,
    message: [/duplicate key/i],
  },
  {
    what: 'a top level that is a list',
    content: '# not a mapping\n- web\n- db\n',
    line: 2,
    column: 1,
    message: [/sequence|list/i, /mapping/i],
  },
  {
    what: 'a top level that is a scalar',
    content: '# not a mapping\nhello\n',
    line: 2,
    column: 1,
    message: [/scalar|string/i, /mapping/i],
  },
  {
    what: 'no services: key',
    content: '# no services\n\nversion: "3.8"\nvolumes:\n  data: {}\n',
    line: 3,
    column: 1,
    message: [/`?services:?`?/, /no .*services/i],
  },
  {
    what: 'a legacy v1 file',
    content: '# legacy v1\nweb:\n  image: nginx\n  ports:\n    - "80:80"\ndb:\n  image: postgres\n',
    line: 2,
    column: 1,
    message: [/legacy/i, /v1/i, /services/],
  },
  {
    what: 'an empty file',
    content: '',
    line: 1,
    column: 1,
    message: [/empty|no (YAML )?content/i],
  },
  {
    what: 'a file with only comments',
    content: '# nothing here yet\n\n   # still nothing\n',
    line: 1,
    column: 1,
    message: [/empty|only comments|no (YAML )?content/i],
  },
  {
    what: 'a binary file (NUL bytes)',
    content: Buffer.from('services:\n  web:\n    image: ng\u0000inx\n', 'latin1'),
    line: 3,
    column: 14,
    message: [/binary|NUL/i],
  },
  {
    what: 'invalid UTF-8',
    content: Buffer.concat([Buffer.from('services:\n  web:\n    image: caf'), Buffer.from([0xe9]), Buffer.from('\n')]),
    line: 3,
    column: 15,
    message: [/UTF-8/i],
  },
  {
    what: 'a missing path',
    content: null,
    line: 1,
    column: 1,
    message: [/no such file|not found|does not exist/i],
  },
  {
    what: 'a directory',
    content: 'dir',
    line: 1,
    column: 1,
    message: [/directory/i],
  },
  {
    what: 'a service that is a string',
    content: 'services:\n  web: nginx\n',
    line: 2,
    column: 8,
    message: [/"web"|\bweb\b/, /mapping/i],
  },
];

const BAD = 'bad.yml';

function setUp(input: BadInput): { check(): void } {
  const path = join(tmp.dir, BAD);
  write(tmp.dir, 'good.yml', PLAIN);
  if (input.content === null) return { check: () => expect(existsSync(path)).toBe(false) };
  if (input.content === 'dir') {
    mkdirSync(path);
    write(tmp.dir, `${BAD}/compose.yaml`, PLAIN);
    const inside = fileState(join(path, 'compose.yaml'));
    return {
      check: () => {
        expect(statSync(path).isDirectory()).toBe(true);
        expect(entries(path)).toEqual(['compose.yaml']);
        expectUnchanged(join(path, 'compose.yaml'), inside);
      },
    };
  }
  write(tmp.dir, BAD, input.content);
  const before: FileState = fileState(path);
  return { check: () => expectUnchanged(path, before) };
}

/** stderr must be exactly one `bad.yml:line:column: message` line; returns the message. */
function expectReported(stderr: string, input: BadInput): string {
  const match = /^bad\.yml:(\d+):(\d+): (.+)\n$/.exec(stderr);
  expect(match, `stderr: ${JSON.stringify(stderr)}`).not.toBeNull();
  expect([Number(match![1]), Number(match![2])]).toEqual([input.line, input.column]);
  const message = match![3]!;
  for (const pattern of input.message) expect(message).toMatch(pattern);
  return message;
}

describe.each(BAD_INPUTS)('bad input: $what', (input) => {
  it('check prints path:line:column: message on stderr and exits 2', async () => {
    const state = setUp(input);
    const r = await cli(['check', BAD], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expectReported(r.stderr, input);
    state.check();
  });

  it('check --format json has an error entry and still reports the good file', async () => {
    const state = setUp(input);
    const r = await cli(['check', '--format', 'json', BAD, 'good.yml'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    const message = expectReported(r.stderr, input);
    const report = parseJson<JsonReport>(r.stdout);
    expect(report.files).toHaveLength(2);
    const [bad, good] = report.files;
    expect(bad).toStrictEqual({ path: BAD, error: { message, line: input.line, column: input.column }, findings: [] });
    expect(Object.keys(bad!.error!)).toEqual(ERROR_KEYS);
    expect(good!.path).toBe('good.yml');
    expect(good!.error).toBeNull();
    expect(good!.findings.map((f) => f.ruleId)).toEqual(['cap-drop-all', 'no-new-privileges', 'read-only-rootfs', 'seccomp-profile']);
    state.check();
  });

  it('check (text) still reports the good file', async () => {
    const state = setUp(input);
    const r = await cli(['check', 'good.yml', BAD], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expectReported(r.stderr, input);
    expect(r.stdout).toMatch(/^good\.yml\n/);
    expect(r.stdout).toContain('read-only-rootfs');
    expect(r.stdout).not.toContain(BAD);
    state.check();
  });

  it('diff reports it, exits 2, and still prints the diff of the good file', async () => {
    const state = setUp(input);
    const r = await cli(['diff', 'good.yml', BAD], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expectReported(r.stderr, input);
    expect(r.stdout).toBe(plainDiff('good.yml'));
    state.check();
  });

  it('fix leaves it untouched, exits 2, and still fixes the good file', async () => {
    const state = setUp(input);
    const r = await cli(['fix', BAD, 'good.yml'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expectReported(r.stderr, input);
    expect(read(tmp.dir, 'good.yml')).toBe(PLAIN_FIXED);
    state.check();
    const expected = input.content === null ? ['good.yml'] : [BAD, 'good.yml'];
    expect(entries(tmp.dir)).toEqual(expected);
  });
});

describe('invalid UTF-8: the position is that of the first invalid byte', () => {
  // Sequences that have the right shape (a lead byte and continuation bytes) but that UTF-8 forbids.
  const prefix = Buffer.from('services:\n  web:\n    image: ab');
  const cases: Array<[string, number[], number]> = [
    ['a lone lead byte', [0xe9, 0x0a], 14],
    ['a truncated sequence at the end of the file', [0xc3], 14],
    ['an encoded UTF-16 surrogate (ED A0 80)', [0xed, 0xa0, 0x80, 0x0a], 14],
    ['an overlong encoding (E0 80 80)', [0xe0, 0x80, 0x80, 0x0a], 14],
    ['an overlong encoding (F0 80 80 80)', [0xf0, 0x80, 0x80, 0x80, 0x0a], 14],
    ['a code point above U+10FFFF (F4 90 80 80)', [0xf4, 0x90, 0x80, 0x80, 0x0a], 14],
    ['after multi-byte characters on the same line', [0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xff, 0x0a], 16],
  ];
  for (const [what, bytes, column] of cases) {
    it(what, async () => {
      const path = write(tmp.dir, BAD, Buffer.concat([prefix, Buffer.from(bytes)]));
      const before = fileState(path);
      const r = await cli(['fix', BAD], { cwd: tmp.dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^bad\\.yml:3:${column}: .*UTF-8.*\\n$`));
      expectUnchanged(path, before);
    });
  }
});

describe('standard input gets the same checks as a file', () => {
  it('binary data (a NUL byte) on stdin is refused with its position', async () => {
    const stdin = 'services:\n  web:\n    image: ng\u0000inx\n';
    for (const argv of [['check', '-'], ['diff', '-']]) {
      const r = await cli(argv, { cwd: tmp.dir, stdin });
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stdout, argv.join(' ')).toBe('');
      expect(r.stderr, argv.join(' ')).toMatch(/^\S+:3:14: .*(binary|NUL)/i);
    }
    const fix = await cli(['fix', '-', '--output', 'out.yml'], { cwd: tmp.dir, stdin });
    expect(fix.code).toBe(2);
    expect(entries(tmp.dir)).toEqual([]);
  });
});

describe('several bad files', () => {
  it('reports each one, in argument order', async () => {
    write(tmp.dir, 'a.yml', 'services:\n  web: nginx\n');
    write(tmp.dir, 'b.yml', '');
    write(tmp.dir, 'good.yml', PLAIN);
    const r = await cli(['fix', 'a.yml', 'good.yml', 'b.yml', 'c.yml'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    const lines = r.stderr.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((line) => /^([^:]+:\d+:\d+): /.exec(line)?.[1])).toEqual(['a.yml:2:8', 'b.yml:1:1', 'c.yml:1:1']);
    expect(read(tmp.dir, 'good.yml')).toBe(PLAIN_FIXED);
  });

  it('the error positions are the same in every command', async () => {
    write(tmp.dir, BAD, 'services:\n  web:\n    image: nginx\n    image: redis\n');
    const outputs = await Promise.all(
      [['check', BAD], ['check', '--format', 'json', BAD], ['diff', BAD], ['fix', BAD]].map((argv) => cli(argv, { cwd: tmp.dir })),
    );
    for (const r of outputs) expect(r.stderr).toBe(outputs[0]!.stderr);
    expect(outputs[0]!.stderr).toMatch(/^bad\.yml:4:5: /);
  });

  it('a bad file keeps its bytes even when given twice with a good one', async () => {
    const path = write(tmp.dir, BAD, Buffer.from([0x73, 0x00, 0x0a]));
    write(tmp.dir, 'good.yml', PLAIN);
    const before = fileState(path);
    const r = await cli(['fix', BAD, 'good.yml', BAD], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expectUnchanged(path, before);
    expect(readFileSync(join(tmp.dir, 'good.yml'), 'utf8')).toBe(PLAIN_FIXED);
  });
});

describe('command line errors', () => {
  it('an unknown command exits 2', async () => {
    const r = await cli(['lint', 'compose.yaml'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('lint');
  });

  for (const command of ['check', 'diff', 'fix', 'rules']) {
    it(`an unknown option of ${command} exits 2 and writes nothing`, async () => {
      const path = write(tmp.dir, 'compose.yaml', PLAIN);
      const before = fileState(path);
      const r = await cli([command, '--frobnicate'], { cwd: tmp.dir });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('--frobnicate');
      expectUnchanged(path, before);
    });
  }

  it('an unknown global option exits 2', async () => {
    const r = await cli(['--frobnicate', 'check'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--frobnicate');
  });

  it('an option without its value exits 2', async () => {
    write(tmp.dir, 'compose.yaml', PLAIN);
    for (const argv of [['check', '--format'], ['check', '--fail-on'], ['fix', '--output'], ['diff', '--only']]) {
      const r = await cli(argv, { cwd: tmp.dir });
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stdout, argv.join(' ')).toBe('');
    }
    expect(read(tmp.dir, 'compose.yaml')).toBe(PLAIN);
  });

  it('options of one command are refused by another', async () => {
    write(tmp.dir, 'compose.yaml', PLAIN);
    for (const argv of [['diff', '--format', 'json'], ['check', '--output', 'x.yml'], ['rules', '--only', 'cap-drop-all']]) {
      expect((await cli(argv, { cwd: tmp.dir })).code, argv.join(' ')).toBe(2);
    }
  });
});

describe('--help and --version', () => {
  for (const argv of [['--help'], ['-h'], ['help']]) {
    it(`${argv.join(' ')} prints the usage on stdout and exits 0`, async () => {
      const r = await cli(argv, { cwd: tmp.dir });
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^Usage: compose-harden /);
      for (const command of ['check', 'diff', 'fix', 'rules']) expect(r.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    });
  }

  for (const command of ['check', 'diff', 'fix', 'rules']) {
    it(`${command} --help prints the command's usage and exits 0`, async () => {
      write(tmp.dir, 'compose.yaml', PLAIN);
      const r = await cli([command, '--help'], { cwd: tmp.dir });
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(new RegExp(`^Usage: compose-harden ${command} `));
      expect(read(tmp.dir, 'compose.yaml')).toBe(PLAIN);
    });
  }

  for (const flag of ['--version', '-V']) {
    it(`${flag} prints the package version and exits 0`, async () => {
      const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
      expect(await cli([flag], { cwd: tmp.dir })).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    });
  }
});
