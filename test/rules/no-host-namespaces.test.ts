import { testRule } from '../helpers/rule-tester.js';
import { noHostNamespaces } from '../../src/rules/no-host-namespaces.js';

const yaml = (...lines: string[]) => lines.join('\n') + '\n';
const crlf = (...lines: string[]) => lines.join('\r\n') + '\r\n';

testRule(noHostNamespaces, {
  valid: [
    { name: 'no namespace keys', code: yaml('services:', '  web:', '    image: nginx') },
    {
      name: 'network_mode bridge, none, service:x and container:x; pid/ipc shared with a service',
      code: yaml(
        'services:',
        '  web:',
        '    image: nginx',
        '    network_mode: bridge',
        '  sidecar:',
        '    image: envoy',
        '    network_mode: service:web',
        '    pid: service:web',
        '    ipc: "service:web"',
        '  other:',
        '    image: x',
        '    network_mode: "container:abc"',
        '    ipc: shareable',
        '  isolated:',
        '    image: y',
        '    network_mode: none',
      ),
    },
    {
      name: 'a build-time network is not the service namespace (version "3.8")',
      code: yaml('version: "3.8"', 'services:', '  web:', '    build:', '      context: .', '      network: host'),
    },
    {
      name: "an own value overrides the merged anchor's host",
      code: yaml('x-base: &base', '  pid: host', 'services:', '  web:', '    <<: *base', '    image: nginx', '    pid: service:db'),
    },
  ],
  invalid: [
    {
      name: 'version "2.4": each host namespace is its own finding with its own severity',
      code: yaml(
        'version: "2.4"',
        'services:',
        '  web:',
        '    image: nginx',
        '    network_mode: host',
        '    pid: host',
        '    ipc: host',
        '    uts: host',
        '    userns_mode: host',
      ),
      output: null,
      errors: [
        { line: 5, column: 5, severity: 'warning', message: '(network_mode: host)' },
        { line: 6, column: 5, severity: 'error', message: '(pid: host)' },
        { line: 7, column: 5, severity: 'error', message: '(ipc: host)' },
        { line: 8, column: 5, severity: 'warning', message: '(uts: host)' },
        { line: 9, column: 5, severity: 'warning', message: '(userns_mode: host)' },
      ],
    },
    {
      name: 'version-less, quoted values',
      code: yaml('services:', '  web:', '    image: nginx', "    network_mode: 'host'", '    pid: "host"'),
      output: null,
      errors: [
        { line: 4, column: 5, message: 'network_mode' },
        { line: 5, column: 5, message: 'pid' },
      ],
    },
    {
      name: 'version "3.8", network_mode: host only',
      code: yaml('version: "3.8"', 'services:', '  exporter:', '    image: prom/node-exporter', '    network_mode: host'),
      output: null,
      errors: [{ line: 5, column: 5, message: "shares the host's network stack" }],
    },
    {
      name: 'inherited through a merge key: reported at the merge key; own keys at themselves',
      code: yaml('x-base: &base', '  network_mode: host', '  pid: host', 'services:', '  web:', '    <<: *base', '    image: nginx', '    ipc: host'),
      output: null,
      errors: [
        { line: 6, column: 5, message: 'network_mode' },
        { line: 6, column: 5, message: 'pid' },
        { line: 8, column: 5, message: 'ipc' },
      ],
    },
    {
      name: 'inherited through a merge list <<: [*a, *b]',
      code: yaml('x-a: &a', '  image: nginx', 'x-b: &b', '  uts: host', 'services:', '  web:', '    <<: [*a, *b]', '    userns_mode: host'),
      output: null,
      errors: [
        { line: 7, column: 5, message: 'uts' },
        { line: 8, column: 5, message: 'userns_mode' },
      ],
    },
    {
      name: 'an aliased service',
      code: yaml('x-svc: &svc', '  pid: host', 'services:', '  web: *svc'),
      output: null,
      errors: [{ line: 4, column: 8 }],
    },
    {
      name: 'a flow-mapping service',
      code: yaml('services:', '  web: {image: nginx, pid: host, ipc: private}'),
      output: null,
      errors: [{ line: 2, column: 23 }],
    },
    {
      name: 'CRLF and 4-space indentation',
      code: crlf('services:', '    web:', '        image: nginx', '        # monitoring', '        network_mode: host'),
      output: null,
      errors: [{ line: 5, column: 9 }],
    },
  ],
});
