import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { allowedNames, flattenProfile, parseStrace, profileFromTrace, SeccompInputError } from '../../src/seccomp/index.js';

const FIXTURE = new URL('../fixtures/seccomp/python-subprocess.strace', import.meta.url);

describe('parseStrace', () => {
  test('a real trace of python with a thread and a subprocess', () => {
    const trace = parseStrace(readFileSync(FIXTURE, 'utf8'));
    expect(trace.unrecognized).toEqual([]);
    expect(trace.calls).toBeGreaterThan(500);
    expect(trace.names).toEqual(expect.arrayContaining(['execve', 'clone3', 'vfork', 'wait4', 'futex', 'exit', 'exit_group', 'clock_nanosleep', 'openat', 'mmap']));
    expect(trace.names).toEqual([...trace.names].sort());
    expect(trace.names.filter((name) => !/^[a-z0-9_]+$/.test(name))).toEqual([]);
  });

  test('every line shape strace writes', () => {
    const trace = parseStrace(
      [
        '1234 openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 3',
        'read(3, "\\177ELF"..., 832) = 832',
        '[pid  1235] write(1, "x", 1 <unfinished ...>',
        '1236 12:01:02.123456 getpid() = 1236',
        '1237 1700000000.123456 gettid() = 1237',
        '1234 <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 1235',
        '1234 <unfinished ...>',
        '1235 +++ exited with 0 +++',
        '1234 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=1235} ---',
        '1238 +++ killed by SIGKILL +++',
        'strace: Process 1239 attached',
        '',
        '1240 exit_group(0)                     = ?',
      ].join('\n'),
    );
    expect(trace.names).toEqual(['exit_group', 'getpid', 'gettid', 'openat', 'read', 'wait4', 'write']);
    expect(trace.unrecognized).toEqual([]);
  });

  test('lines it cannot read are reported with their number, never guessed', () => {
    expect(parseStrace('read(0, "", 1) = 0\nsomething else\n').unrecognized).toEqual([{ line: 2, text: 'something else' }]);
  });
});

describe('profileFromTrace', () => {
  test('the traced calls plus the runtime baseline and the never-block list', () => {
    const trace = profileFromTrace(readFileSync(FIXTURE, 'utf8'), 'python-subprocess.strace');
    const allowed = allowedNames(flattenProfile(trace.profile, [], 'x86_64'));
    expect(allowed).toEqual(expect.arrayContaining(['vfork', 'wait4', 'rt_sigreturn', 'capset', 'fstatfs', 'restart_syscall', 'clone']));
    expect(allowed).not.toContain('clone3');
    expect(trace.notes).toEqual([]);
    expect(trace.json.endsWith('\n')).toBe(true);
    expect(trace.allowed).toBe(allowed.length);
  });

  test('unknown names are an error naming each', () => {
    const text = '1 read(0, "", 1) = 0\n1 frobnicate(1) = 0\n1 syscall_0x1c3(0) = -1 ENOSYS\n';
    expect(() => profileFromTrace(text, 't.txt')).toThrow(new SeccompInputError('unknown system call names in t.txt: frobnicate, syscall_0x1c3 (not in the x86_64 or aarch64 tables)'));
  });

  test('never-allowed and capability-gated calls are reported, not allowed', () => {
    const trace = profileFromTrace('1 read(0, "", 1) = 0\n1 keyctl(0) = 0\n1 mount("a", "b") = 0\n', 't.txt');
    expect(trace.notes).toEqual(['never allowed, left denied: keyctl', 'allowed only with a capability: mount (CAP_SYS_ADMIN)']);
    const allowed = allowedNames(flattenProfile(trace.profile, [], 'x86_64'));
    expect(allowed).not.toContain('keyctl');
    expect(allowed).not.toContain('mount');
  });

  test('a file without any call is an input error', () => {
    expect(() => profileFromTrace('hello\n', 'notes.txt')).toThrow(/no system calls found in notes.txt \(line 1: hello\)/);
  });
});
