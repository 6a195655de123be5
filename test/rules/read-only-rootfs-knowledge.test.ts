import { readOnlyRootfs } from '../../src/rules/read-only-rootfs.js';
import { testRule } from '../helpers/rule-tester.js';

const yaml = (...lines: string[]) => `${lines.join('\n')}\n`;

// Knowledge-driven cases: images that cannot run read-only, and tmpfs paths that must allow exec.
testRule(readOnlyRootfs, {
  valid: [],
  invalid: [
    {
      name: 'an image that cannot run read-only is reported, not broken (pihole)',
      code: yaml('services:', '  dns:', '    image: pihole/pihole:2025.03.0'),
      output: null,
      errors: [{ line: 2, column: 3, message: 'cannot run read-only: start.sh setcaps /usr/bin/pihole-FTL' }],
    },
    {
      name: 'vault cannot run read-only unless SKIP_SETCAP is set: reported with what to set',
      code: yaml('services:', '  vault:', '    image: hashicorp/vault:1.18'),
      output: null,
      errors: [{ line: 2, column: 3, message: /cannot run read-only: .*; set SKIP_SETCAP and run fix again$/ }],
    },
    {
      name: 'vault with SKIP_SETCAP set is fixed',
      code: yaml('services:', '  vault:', '    image: hashicorp/vault:1.18', '    environment:', '      - SKIP_SETCAP=true'),
      output: yaml(
        'services:',
        '  vault:',
        '    image: hashicorp/vault:1.18',
        '    environment:',
        '      - SKIP_SETCAP=true',
        '    read_only: true',
        '    tmpfs:',
        '      - /tmp  # temporary files',
        '      - /vault/config:size=1m  # VAULT_LOCAL_CONFIG is written to /vault/config/local.json at start',
      ),
      errors: [{ line: 2, column: 3 }],
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
