import { readOnlyRootfs } from '../../src/rules/read-only-rootfs.js';
import { testRule } from '../helpers/rule-tester.js';

const yaml = (...lines: string[]) => `${lines.join('\n')}\n`;

// Knowledge-driven cases: images known to fail read-only (the core hardening is still applied, with a
// warning that stays visible after fixing), and tmpfs paths that must allow exec.
testRule(readOnlyRootfs, {
  valid: [
    { name: 'vault with SKIP_SETCAP and read_only: true', code: yaml('services:', '  vault:', '    image: hashicorp/vault:1.18', '    read_only: true', '    environment: [SKIP_SETCAP=1]') },
  ],
  invalid: [
    {
      name: 'pihole: read_only is applied with a warning that names the breakage and the opt-out',
      code: yaml('services:', '  dns:', '    image: pihole/pihole:2025.03.0'),
      output: yaml(
        'services:',
        '  dns:',
        '    image: pihole/pihole:2025.03.0',
        '    read_only: true',
        '    tmpfs:',
        '      - /tmp  # gravity updates and scripts use temporary files; keeps its 1777 mode',
        '      - /run:size=4m  # FTL\'s pid file (files.pid, created by prestart)',
        '      - /var/log/pihole  # FTL.log, pihole.log and webserver.log (prestart creates and chowns them)',
      ),
      errors: [{ line: 2, column: 3, message: /; warning: .* is known to fail with a read-only root: start\.sh setcaps .*run fix with --skip read-only-rootfs$/ }],
      remaining: [{ line: 4, column: 5, message: /has read_only: true, but .* is known to fail with a read-only root/ }],
    },
    {
      name: 'vault without SKIP_SETCAP: the warning says what to set',
      code: yaml('services:', '  vault:', '    image: hashicorp/vault:1.18', '    read_only: true'),
      output: null,
      errors: [{ line: 4, column: 5, message: /has read_only: true, but .*; set SKIP_SETCAP in its environment, or remove read_only/ }],
    },
    {
      name: 's6-overlay images get an executable /run (linuxserver)',
      code: yaml('services:', '  sonarr:', '    image: lscr.io/linuxserver/sonarr:latest'),
      output: yaml(
        'services:',
        '  sonarr:',
        '    image: lscr.io/linuxserver/sonarr:latest',
        '    read_only: true',
        '    tmpfs:',
        '      - /tmp  # conservative: pidfiles, lockfiles and sockets of the applications',
        '      - /run:exec  # s6 writes its service files to /run',
      ),
      errors: [{ line: 2, column: 3 }],
    },
  ],
});
