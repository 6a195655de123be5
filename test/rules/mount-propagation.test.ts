import { testRule } from '../helpers/rule-tester.js';
import { mountPropagation } from '../../src/rules/mount-propagation.js';

const yaml = (...lines: string[]) => lines.join('\n') + '\n';

testRule(mountPropagation, {
  valid: [
    {
      name: 'no propagation, private modes, a named volume with a propagation suffix (ignored by Docker)',
      code: yaml(
        'services:',
        '  a:',
        '    image: x',
        '    volumes:',
        '      - /srv:/srv:ro',
        '      - /mnt:/mnt:rprivate',
        '      - data:/data:rshared',
        '      - type: bind',
        '        source: /opt',
        '        target: /opt',
        '        bind: {propagation: private}',
        'volumes:',
        '  data:',
      ),
    },
  ],
  invalid: [
    {
      name: 'short syntax options and the long syntax bind.propagation (version "3.8")',
      code: yaml(
        'version: "3.8"',
        'services:',
        '  a:',
        '    image: x',
        '    volumes:',
        '      - /mnt:/mnt:rshared',
        '      - "/var/lib/k:/k:ro,shared"',
        '      - /media:/media:rslave',
        '      - type: bind',
        '        source: /data',
        '        target: /data',
        '        bind:',
        '          propagation: shared',
        '      - {type: bind, source: /x, target: /x, bind: {propagation: slave}}',
      ),
      output: null,
      errors: [
        { line: 6, column: 9, severity: 'warning', message: 'rshared propagation' },
        { line: 7, column: 9, severity: 'warning', message: 'shared propagation' },
        { line: 8, column: 9, severity: 'info', message: 'from the host into the container' },
        { line: 13, column: 11, severity: 'warning' },
        { line: 14, column: 53, severity: 'info' },
      ],
    },
    {
      name: 'inherited through a merge key',
      code: yaml('x-v: &v', '  volumes: ["/mnt:/mnt:rshared"]', 'services:', '  a:', '    <<: *v', '    image: x'),
      output: null,
      errors: [{ line: 5, column: 5 }],
    },
  ],
});
