import { testRule } from '../helpers/rule-tester.js';
import { noPrivileged } from '../../src/rules/no-privileged.js';

const yaml = (...lines: string[]) => lines.join('\n') + '\n';
const crlf = (...lines: string[]) => lines.join('\r\n') + '\r\n';

testRule(noPrivileged, {
  valid: [
    { name: 'no privileged key', code: yaml('services:', '  web:', '    image: nginx') },
    { name: 'privileged: false', code: yaml('version: "2.4"', 'services:', '  web:', '    image: nginx', '    privileged: false') },
    { name: 'privileged: "false"', code: yaml('version: "3.8"', 'services:', '  web:', '    image: nginx', '    privileged: "false"') },
    {
      name: "an own privileged: false overrides the merged anchor's true",
      code: yaml('x-base: &base', '  privileged: true', 'services:', '  web:', '    <<: *base', '    image: nginx', '    privileged: false'),
    },
    { name: 'an empty service', code: yaml('services:', '  web:') },
    {
      name: 'x-* extension fields are not services',
      code: yaml('x-debug:', '  privileged: true', 'services:', '  web:', '    image: nginx'),
    },
  ],
  invalid: [
    {
      name: 'privileged: true (version-less), reported only',
      code: yaml('services:', '  web:', '    image: nginx', '    privileged: true'),
      output: null,
      errors: [{ line: 4, column: 5, severity: 'error', message: 'runs privileged' }],
    },
    {
      name: 'privileged: "true" (quoted) in a version "3.8" file',
      code: yaml('version: "3.8"', 'services:', '  web:', '    image: nginx', '    privileged: "true"'),
      output: null,
      errors: [{ line: 5, column: 5 }],
    },
    {
      name: 'version "2.4", two services',
      code: yaml('version: "2.4"', 'services:', '  a:', '    image: x', '    privileged: true', '  b:', '    privileged: true', '    image: y'),
      output: null,
      errors: [
        { line: 5, column: 5 },
        { line: 7, column: 5 },
      ],
    },
    {
      name: 'inherited through a merge key: reported at the merge key',
      code: yaml('x-base: &base', '  privileged: true', 'services:', '  web:', '    <<: *base', '    image: nginx'),
      output: null,
      errors: [{ line: 5, column: 5 }],
    },
    {
      name: 'inherited through a merge list <<: [*a, *b]',
      code: yaml('x-a: &a', '  image: nginx', 'x-b: &b', '  privileged: true', 'services:', '  web:', '    <<: [*a, *b]'),
      output: null,
      errors: [{ line: 7, column: 5 }],
    },
    {
      name: 'an aliased service: reported at the alias',
      code: yaml('x-svc: &svc', '  privileged: true', 'services:', '  web: *svc'),
      output: null,
      errors: [{ line: 4, column: 8 }],
    },
    {
      name: 'a flow-mapping service',
      code: yaml('services:', '  web: {image: nginx, privileged: true}'),
      output: null,
      errors: [{ line: 2, column: 23 }],
    },
    {
      name: 'CRLF and 4-space indentation',
      code: crlf('services:', '    web:', '        image: nginx', '        privileged: true  # needs /dev'),
      output: null,
      errors: [{ line: 4, column: 9 }],
    },
  ],
});
