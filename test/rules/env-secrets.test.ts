import { envSecrets } from '../../src/rules/env-secrets.js';
import { testRule } from '../helpers/rule-tester.js';

const yaml = (...lines: string[]) => `${lines.join('\n')}\n`;

testRule(envSecrets, {
  valid: [
    { name: 'a _FILE variable pointing at a secret', code: yaml('services:', '  db:', '    image: postgres:16', '    environment:', '      POSTGRES_PASSWORD_FILE: /run/secrets/db_password') },
    { name: 'settings about credentials are not credentials', code: yaml('services:', '  app:', '    build: .', '    environment:', '      TOKEN_TTL: "3600"', '      PASSWORD_MIN_LENGTH: "12"', '      REGISTRY_AUTH_TOKEN_REALM: https://auth.example.com/token') },
    { name: 'an empty value and a boolean', code: yaml('services:', '  app:', '    build: .', '    environment:', '      - SMTP_PASSWORD', '      - SECRET_SCANNING=false') },
    { name: 'a URL whose password is interpolated', code: yaml('services:', '  app:', '    build: .', '    environment:', '      DATABASE_URL: postgres://app:${DB_PASSWORD}@db:5432/app') },
    { name: 'a URL without a password', code: yaml('services:', '  app:', '    build: .', '    environment:', '      CACHE_URL: redis://cache:6379/0') },
  ],
  invalid: [
    {
      name: 'a literal password in map form, reported at its key without the value',
      code: yaml('services:', '  db:', '    image: postgres:16', '    environment:', '      POSTGRES_DB: app', '      POSTGRES_PASSWORD: "s3cr3t"  # change me'),
      output: null,
      errors: [{ line: 6, column: 7, severity: 'warning', message: /^service "db" sets POSTGRES_PASSWORD to a literal credential in environment: move it into a compose secret$/ }],
    },
    {
      name: 'list form, reported at the item',
      code: yaml('services:', '  db:', '    image: mysql:8.4', '    environment:', '      - MYSQL_DATABASE=app', '      - MYSQL_ROOT_PASSWORD=hunter2'),
      output: null,
      errors: [{ line: 6, column: 9, message: 'MYSQL_ROOT_PASSWORD to a literal credential' }],
    },
    {
      name: 'an interpolated credential is an info finding naming the variable',
      code: yaml('services:', '  db:', '    image: postgres:16', '    environment:', '      POSTGRES_PASSWORD: ${DB_PASSWORD:?set it}'),
      output: null,
      errors: [{ line: 5, column: 7, severity: 'info', message: 'from ${DB_PASSWORD}' }],
    },
    {
      name: 'a URL with a literal password in any variable',
      code: yaml('services:', '  app:', '    build: .', '    environment:', '      DATABASE_URL: postgres://app:pw123@db:5432/app'),
      output: null,
      errors: [{ line: 5, column: 7, message: 'has a URL with a literal password in DATABASE_URL' }],
    },
    {
      name: 'inherited through a merge key: reported at the merge key',
      code: yaml('x-env: &env', '  environment:', '    API_TOKEN: abc123', 'services:', '  app:', '    <<: *env', '    build: .'),
      output: null,
      errors: [{ line: 6, column: 5, message: 'API_TOKEN' }],
    },
  ],
});
