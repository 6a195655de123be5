import { testRule } from '../helpers/rule-tester.js';
import { tmpfsOptions } from '../../src/rules/tmpfs-options.js';

const yaml = (...lines: string[]) => lines.join('\n') + '\n';

testRule(tmpfsOptions, {
  valid: [
    {
      name: 'no options, size and mode, noexec, a long-syntax tmpfs',
      code: yaml(
        'services:',
        '  a:',
        '    image: x',
        '    tmpfs:',
        '      - /tmp',
        '      - /run:size=64m,mode=1777',
        '      - /cache:noexec,nosuid,nodev',
        '    volumes:',
        '      - type: tmpfs',
        '        target: /scratch',
        '        tmpfs: {size: 1000000}',
      ),
    },
    {
      name: 'exec where the image knowledge says it runs programs (s6-overlay /run): what read-only-rootfs writes',
      code: yaml('services:', '  sonarr:', '    image: lscr.io/linuxserver/sonarr:4.0.9', '    read_only: true', '    tmpfs:', '      - /run:exec  # s6-overlay runs its scripts from /run'),
    },
    { name: 'a single string (version "2.4")', code: yaml('version: "2.4"', 'services:', '  a:', '    image: x', '    tmpfs: /run') },
  ],
  invalid: [
    {
      name: 'exec, suid and dev, alone and together; exec the knowledge does not justify',
      code: yaml(
        'services:',
        '  a:',
        '    image: x',
        '    tmpfs:',
        '      - /tmp:exec',
        '      - /scratch:exec,suid,size=10m',
        '      - /devs:dev',
        '  sonarr:',
        '    image: lscr.io/linuxserver/sonarr:4.0.9',
        '    tmpfs: ["/run:exec,suid", "/tmp:exec"]',
      ),
      output: null,
      errors: [
        { line: 5, column: 9, severity: 'warning', message: 'tmpfs at /tmp with exec: it allows programs to run from it' },
        { line: 6, column: 9, message: 'exec, suid' },
        { line: 7, column: 9, message: 'device nodes' },
        { line: 10, column: 13, message: 'at /run with suid' },
        { line: 10, column: 31, message: 'at /tmp with exec' },
      ],
    },
    {
      name: 'inherited through a merge key',
      code: yaml('x-t: &t', '  tmpfs: [/tmp:exec]', 'services:', '  a:', '    <<: *t', '    image: x'),
      output: null,
      errors: [{ line: 5, column: 5 }],
    },
  ],
});
