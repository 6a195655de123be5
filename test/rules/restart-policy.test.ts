import { testRule } from '../helpers/rule-tester.js';
import { restartPolicy } from '../../src/rules/restart-policy.js';

const yaml = (...lines: string[]) => lines.join('\n') + '\n';

testRule(restartPolicy, {
  valid: [
    {
      name: 'on-failure:5, always, unless-stopped, no, deploy with max_attempts 5 or another condition, a variable',
      code: yaml(
        'services:',
        '  a: {image: x, restart: "on-failure:5"}',
        '  b: {image: x, restart: always}',
        '  c: {image: x, restart: unless-stopped}',
        '  d: {image: x, restart: "no"}',
        '  e:',
        '    image: x',
        '    deploy:',
        '      restart_policy: {condition: on-failure, max_attempts: 5}',
        '  f:',
        '    image: x',
        '    deploy: {restart_policy: {condition: any}}',
        '  g: {image: x, restart: "on-failure:${RETRIES}"}',
      ),
    },
  ],
  invalid: [
    {
      name: 'unlimited and other counts, in restart and in deploy.restart_policy (version "3.8")',
      code: yaml(
        'version: "3.8"',
        'services:',
        '  a:',
        '    image: x',
        '    restart: on-failure',
        '  b:',
        '    image: x',
        '    restart: "on-failure:10"',
        '  c:',
        '    image: x',
        '    deploy:',
        '      restart_policy:',
        '        condition: on-failure',
        '  d:',
        '    image: x',
        '    deploy: {restart_policy: {condition: on-failure, max_attempts: 3}}',
      ),
      output: null,
      errors: [
        { line: 5, column: 5, severity: 'info', message: 'without a limit (restart: on-failure)' },
        { line: 8, column: 5, message: 'retries a failing container 10 times' },
        { line: 12, column: 7, message: 'deploy.restart_policy has no max_attempts' },
        { line: 16, column: 54, message: '3 times' },
      ],
    },
    {
      // Docker reads a count of 0 as no limit (moby restartmanager; swarm's max_attempts likewise).
      name: 'a count of 0 is no limit: at restart:, and at max_attempts:',
      code: yaml(
        'services:',
        '  a:',
        '    image: x',
        '    restart: on-failure:0',
        '  b:',
        '    image: x',
        '    deploy:',
        '      restart_policy:',
        '        condition: on-failure',
        '        max_attempts: 0',
      ),
      output: null,
      errors: [
        { line: 4, column: 5, message: 'service "a" restarts on failure without a limit (restart: on-failure:0): use on-failure:5' },
        { line: 10, column: 9, message: 'service "b" restarts on failure without a limit (deploy.restart_policy.max_attempts: 0 means no limit): use 5' },
      ],
    },
    {
      name: 'inherited through a merge key',
      code: yaml('x-r: &r', '  restart: on-failure:1', 'services:', '  a:', '    <<: *r', '    image: x'),
      output: null,
      errors: [{ line: 5, column: 5 }],
    },
  ],
});
