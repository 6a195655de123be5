import { privilegedPorts } from '../../src/rules/privileged-ports.js';
import { testRule } from '../helpers/rule-tester.js';

const yaml = (...lines: string[]) => `${lines.join('\n')}\n`;

testRule(privilegedPorts, {
  valid: [
    { name: 'unprivileged container ports, whatever the host side', code: yaml('services:', '  web:', '    image: example/web:1', '    ports:', '      - "80:8080"', '      - "127.0.0.1:443:8443"', '      - 9000') },
    { name: 'a port decided by a variable', code: yaml('services:', '  web:', '    image: example/web:1', '    ports:', '      - "8080:${PORT}"') },
    { name: 'no ports', code: yaml('services:', '  worker:', '    image: example/worker:1') },
  ],
  invalid: [
    {
      name: 'short syntax: a mapping, a bare port, a random host port on one address, a range; reported at each item',
      code: yaml('services:', '  web:', '    image: example/web:1', '    ports:', '      - "7000:80"', '      - "80"', '      - "127.0.0.1::50"', '      - "8000-8001:1000-1001/udp"'),
      output: null,
      errors: [
        { line: 5, column: 9, severity: 'info', message: /^service "web" listens on port 80 in the container, a privileged port: / },
        { line: 6, column: 9, message: 'port 80 in the container' },
        { line: 7, column: 9, message: 'port 50 in the container' },
        { line: 8, column: 9, message: 'port 1000-1001 in the container' },
      ],
    },
    {
      // Caret fixtures cannot annotate the first line of a multi-line value: these are checked here.
      name: 'multi-line items point at their first line',
      code: yaml('services:', '  web:', '    image: example/web:1', '    ports:', '      - "8080:\\', '        80"', '      - >-', '        8443:443'),
      output: null,
      errors: [
        { line: 5, column: 9, message: 'port 80 in the container' },
        { line: 7, column: 9, message: 'port 443 in the container' },
      ],
    },
    {
      name: 'long syntax',
      code: yaml('services:', '  web:', '    image: example/web:1', '    ports:', '      - target: 443', '        published: "8443"', '        protocol: tcp'),
      output: null,
      errors: [{ line: 5, column: 9, message: 'port 443 in the container' }],
    },
  ],
});
