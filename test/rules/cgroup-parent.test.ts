import { testRule } from '../helpers/rule-tester.js';
import { cgroupParent } from '../../src/rules/cgroup-parent.js';

const yaml = (...lines: string[]) => lines.join('\n') + '\n';

testRule(cgroupParent, {
  valid: [
    { name: 'nothing set', code: yaml('services:', '  a:', '    image: x') },
    { name: 'cgroup: private, an empty cgroup_parent (version "2.4")', code: yaml('version: "2.4"', 'services:', '  a:', '    image: x', '    cgroup: private', '    cgroup_parent: ""') },
  ],
  invalid: [
    {
      name: 'cgroup_parent and cgroup: host',
      code: yaml('services:', '  a:', '    image: x', '    cgroup_parent: m-executor-abcd', '    cgroup: host'),
      output: null,
      errors: [
        { line: 4, column: 5, severity: 'warning', message: 'cgroup parent "m-executor-abcd"' },
        { line: 5, column: 5, message: "host's cgroup namespace" },
      ],
    },
    {
      name: 'inherited through a merge key',
      code: yaml('x-c: &c', '  cgroup_parent: /system.slice', 'services:', '  a:', '    <<: *c', '    image: x'),
      output: null,
      errors: [{ line: 5, column: 5 }],
    },
  ],
});
