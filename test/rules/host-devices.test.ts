import { testRule } from '../helpers/rule-tester.js';
import { hostDevices } from '../../src/rules/host-devices.js';

const yaml = (...lines: string[]) => lines.join('\n') + '\n';

testRule(hostDevices, {
  valid: [
    { name: 'no devices', code: yaml('services:', '  a:', '    image: x') },
    { name: 'an empty list (version "2.4")', code: yaml('version: "2.4"', 'services:', '  a:', '    image: x', '    devices: []', '    device_cgroup_rules: []') },
  ],
  invalid: [
    {
      name: 'raw disks, memory, the kernel log, odd spellings; ordinary devices; CDI; the long syntax',
      code: yaml(
        'services:',
        '  a:',
        '    image: x',
        '    devices:',
        '      - /dev/sda:/dev/sda',
        '      - "/dev/nvme0n1:/dev/disk0:rwm"',
        '      - /dev/mem',
        '      - //dev/./kmsg:/dev/kmsg',
        '      - /dev/mapper/vg0-root',
        '      - /dev/ttyUSB0:/dev/ttyUSB0',
        '      - /dev/net/tun',
        '      - nvidia.com/gpu=all',
        '      - source: /dev/xvda',
        '        target: /dev/xvda',
        '        permissions: r',
      ),
      output: null,
      errors: [
        { line: 5, column: 9, severity: 'error', message: '/dev/sda, a raw disk: that is host root without any capability' },
        { line: 6, column: 9, severity: 'error', message: 'NVMe' },
        { line: 7, column: 9, severity: 'error', message: "/dev/mem, the host's physical memory or I/O ports: with CAP_SYS_RAWIO (cap_add or privileged) that is host root" },
        { line: 8, column: 9, severity: 'error', message: '/dev/kmsg, the kernel log' },
        { line: 9, column: 9, severity: 'error' },
        { line: 10, column: 9, severity: 'warning', message: 'host device /dev/ttyUSB0' },
        { line: 11, column: 9, severity: 'warning' },
        { line: 12, column: 9, severity: 'warning', message: 'nvidia.com/gpu=all' },
        { line: 13, column: 9, severity: 'error' },
      ],
    },
    {
      // compose-lint leaves the first three to its capability rules and does not report the others (Docker refuses
      // /dev/kmem and /dev/raw on current kernels; /dev/mdadm is no RAID array): every device passed is reported.
      name: 'devices whose use needs a capability, devices Docker refuses, a name that is no known device: all reported',
      code: yaml(
        'services:',
        '  a:',
        '    image: x',
        '    devices:',
        '      - /dev/mem:/dev/mem',
        '      - /dev/port:/dev/port',
        '      - /dev/fuse:/dev/fuse',
        '      - /dev/kmem:/dev/kmem',
        '      - /dev/raw:/dev/raw',
        '    cap_add: [SYS_RAWIO]',
        '  b:',
        '    image: x',
        '    devices: ["/dev/mdadm:/dev/mdadm"]',
      ),
      output: null,
      errors: [
        { line: 5, column: 9, severity: 'error', message: 'with CAP_SYS_RAWIO' },
        { line: 6, column: 9, severity: 'error', message: '/dev/port, the host' },
        { line: 7, column: 9, severity: 'warning', message: 'host device /dev/fuse' },
        { line: 8, column: 9, severity: 'error', message: '/dev/kmem, the host' },
        { line: 9, column: 9, severity: 'warning', message: 'host device /dev/raw' },
        { line: 13, column: 15, severity: 'warning', message: 'host device /dev/mdadm' },
      ],
    },
    {
      name: 'device_cgroup_rules: every device is an error, a narrow rule a warning',
      code: yaml('services:', '  a:', '    image: x', '    device_cgroup_rules:', "      - 'a *:* rwm'", "      - 'c 188:* rmw'"),
      output: null,
      errors: [
        { line: 5, column: 9, severity: 'error', message: 'every host device' },
        { line: 6, column: 9, severity: 'warning', message: '"c 188:* rmw"' },
      ],
    },
    {
      name: 'inherited through a merge key',
      code: yaml('x-d: &d', '  devices: [/dev/sdb]', 'services:', '  a:', '    <<: *d', '    image: x'),
      output: null,
      errors: [{ line: 5, column: 5, severity: 'error' }],
    },
  ],
});
