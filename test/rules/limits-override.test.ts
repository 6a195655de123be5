import { pidsLimit } from '../../src/rules/pids-limit.js';
import { resourceLimits } from '../../src/rules/resource-limits.js';
import { testRule } from '../helpers/rule-tester.js';

const yaml = (...lines: string[]) => `${lines.join('\n')}\n`;
const OVERRIDE = ['    x-compose-harden:', '      limits: {memory: 2g, cpus: 2, pids: 4096}'];
const NOTE = '  # from x-compose-harden on this service';

// A service's own `x-compose-harden: {limits: ...}` replaces the values the knowledge or the defaults give.
testRule(resourceLimits, {
  valid: [],
  invalid: [
    {
      name: 'x-compose-harden limits override the knowledge (postgres would get 512M and 1 CPU)',
      code: yaml('services:', '  db:', '    image: postgres:16', ...OVERRIDE),
      output: yaml('services:', '  db:', '    image: postgres:16', ...OVERRIDE, `    mem_limit: 2G${NOTE}`, `    mem_reservation: 512M${NOTE}`, `    cpus: "2.0"${NOTE}`),
      errors: [{ line: 2, column: 3 }],
    },
  ],
});

testRule(pidsLimit, {
  valid: [],
  invalid: [
    {
      name: 'x-compose-harden pids override the default',
      code: yaml('services:', '  app:', '    build: .', ...OVERRIDE),
      output: yaml('services:', '  app:', '    build: .', ...OVERRIDE, `    pids_limit: 4096${NOTE}`),
      errors: [{ line: 2, column: 3 }],
    },
  ],
});
