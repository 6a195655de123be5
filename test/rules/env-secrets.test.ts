import { describe, expect, it } from 'vitest';
import { fixSource } from '../../src/core/engine.js';
import { fromString } from '../../src/core/source.js';
import { parseComposeFile } from '../../src/core/compose-file.js';
import { envSecrets } from '../../src/rules/env-secrets.js';
import { isCredentialKey, isSettingKey, settingValue, urlPassword } from '../../src/rules/support/credentials.js';
import { envFileLine, secretName, secretTexts } from '../../src/rules/support/secret-plan.js';
import { testRule } from '../helpers/rule-tester.js';

const yaml = (...lines: string[]) => `${lines.join('\n')}\n`;

testRule(envSecrets, {
  valid: [
    { name: 'a _FILE variable pointing at a secret', code: yaml('services:', '  db:', '    image: postgres:16', '    environment:', '      POSTGRES_PASSWORD_FILE: /run/secrets/db_password') },
    { name: 'settings about credentials are not credentials', code: yaml('services:', '  app:', '    build: .', '    environment:', '      TOKEN_TTL: "3600"', '      PASSWORD_MIN_LENGTH: "12"', '      REGISTRY_AUTH_TOKEN_REALM: https://auth.example.com/token') },
    {
      name: "the service a token is for and the public certificate that checks it are not credentials (docker-gitlab's registry)",
      code: yaml(
        'services:',
        '  registry:',
        '    image: registry:2',
        '    environment:',
        '      - REGISTRY_AUTH_TOKEN_SERVICE=container_registry',
        '      - REGISTRY_AUTH_TOKEN_ROOTCERTBUNDLE=/certs/registry.crt',
        '      - LDAP_CA_CERT=/etc/ssl/ca.pem',
      ),
    },
    { name: 'an empty value and a boolean', code: yaml('services:', '  app:', '    build: .', '    environment:', '      - SMTP_PASSWORD', '      - SECRET_SCANNING=false') },
    { name: 'a URL whose password is interpolated', code: yaml('services:', '  app:', '    build: .', '    environment:', '      DATABASE_URL: postgres://app:${DB_PASSWORD}@db:5432/app') },
    { name: 'a URL without a password', code: yaml('services:', '  app:', '    build: .', '    environment:', '      CACHE_URL: redis://cache:6379/0') },
  ],
  invalid: [
    {
      name: 'a literal password in map form, reported at its key without the value',
      code: yaml('services:', '  db:', '    image: postgres:16', '    environment:', '      POSTGRES_DB: app', '      POSTGRES_PASSWORD: "s3cr3t"  # change me'),
      output: yaml(
        'services:',
        '  db:',
        '    image: postgres:16',
        '    environment:',
        '      POSTGRES_DB: app',
        '      POSTGRES_PASSWORD_FILE: /run/secrets/postgres_password  # change me',
        '    secrets:',
        '      - postgres_password',
        'secrets:',
        '  postgres_password:',
        '    file: ./secrets/postgres_password',
      ),
      errors: [
        {
          line: 6,
          column: 7,
          severity: 'warning',
          message:
            /^service "db" sets POSTGRES_PASSWORD to a literal credential in environment: fix moves it into secret "postgres_password" \(secrets\/postgres_password, git-ignored\), read by the image through POSTGRES_PASSWORD_FILE$/,
        },
      ],
    },
    {
      name: 'list form, reported at the item',
      code: yaml('services:', '  db:', '    image: mysql:8.4', '    environment:', '      - MYSQL_DATABASE=app', '      - MYSQL_ROOT_PASSWORD=hunter2'),
      output: yaml(
        'services:',
        '  db:',
        '    image: mysql:8.4',
        '    environment:',
        '      - MYSQL_DATABASE=app',
        '      - MYSQL_ROOT_PASSWORD_FILE=/run/secrets/mysql_root_password',
        '    secrets:',
        '      - mysql_root_password',
        'secrets:',
        '  mysql_root_password:',
        '    file: ./secrets/mysql_root_password',
      ),
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
      output: yaml(
        'services:',
        '  app:',
        '    build: .',
        '    env_file:',
        '      - ./secrets/app.env',
        '    secrets:',
        '      - database_url',
        'secrets:',
        '  database_url:',
        '    file: ./secrets/database_url',
      ),
      errors: [{ line: 5, column: 7, message: 'has a URL with a literal password in DATABASE_URL: fix moves it into secret "database_url"' }],
    },
    {
      name: 'inherited through a merge key: reported at the merge key',
      code: yaml('x-env: &env', '  environment:', '    API_TOKEN: abc123', 'services:', '  app:', '    <<: *env', '    build: .'),
      output: null,
      errors: [{ line: 6, column: 5, message: 'API_TOKEN to a literal credential in environment: move it into a compose secret by hand (it is inherited through a merge key' }],
      remaining: [{ line: 6, column: 5 }],
    },
    {
      name: 'an interpolated credential of an image with a _FILE variant: a secret from that variable',
      code: yaml('services:', '  db:', '    image: postgres:16', '    environment:', '      POSTGRES_PASSWORD: ${DB_PASSWORD}'),
      output: yaml(
        'services:',
        '  db:',
        '    image: postgres:16',
        '    environment:',
        '      POSTGRES_PASSWORD_FILE: /run/secrets/db_password',
        '    secrets:',
        '      - db_password',
        'secrets:',
        '  db_password:',
        '    environment: DB_PASSWORD',
      ),
      errors: [{ line: 5, column: 7, severity: 'info', message: 'passes POSTGRES_PASSWORD through environment from ${DB_PASSWORD}: fix moves it into secret "db_password" from the variable DB_PASSWORD' }],
    },
    {
      name: 'one value in two services becomes one secret; a name taken at the top level is not reused',
      code: yaml(
        'services:',
        '  db:',
        '    image: mariadb:11',
        '    environment:',
        '      MARIADB_ROOT_PASSWORD: "t0p"',
        '      MARIADB_PASSWORD: "sh4red"',
        '  wp:',
        '    image: wordpress:6',
        '    environment:',
        '      WORDPRESS_DB_PASSWORD: "sh4red"',
        'secrets:',
        '  mariadb_root_password:',
        '    external: true',
      ),
      output: yaml(
        'services:',
        '  db:',
        '    image: mariadb:11',
        '    environment:',
        '      MARIADB_ROOT_PASSWORD_FILE: /run/secrets/db_mariadb_root_password',
        '      MARIADB_PASSWORD_FILE: /run/secrets/mariadb_password',
        '    secrets:',
        '      - db_mariadb_root_password',
        '      - mariadb_password',
        '  wp:',
        '    image: wordpress:6',
        '    environment:',
        '      WORDPRESS_DB_PASSWORD_FILE: /run/secrets/mariadb_password',
        '    secrets:',
        '      - mariadb_password',
        'secrets:',
        '  mariadb_root_password:',
        '    external: true',
        '  db_mariadb_root_password:',
        '    file: ./secrets/db_mariadb_root_password',
        '  mariadb_password:',
        '    file: ./secrets/mariadb_password',
      ),
      errors: [
        { line: 5, column: 7, message: 'secret "db_mariadb_root_password"' },
        { line: 6, column: 7, message: 'secret "mariadb_password"' },
        { line: 10, column: 7, message: 'secret "mariadb_password"' },
      ],
    },
    {
      name: 'a value Compose interpolates is not moved as a literal',
      code: yaml('services:', '  db:', '    image: postgres:16', '    environment:', '      POSTGRES_PASSWORD: pa$word'),
      output: null,
      errors: [{ line: 5, column: 7, message: 'by hand (its value is interpolated by Compose' }],
      remaining: [{ line: 5, column: 7 }],
    },
    {
      name: '$$ is a literal dollar: moved, and the env file carries it quoted',
      code: yaml('services:', '  app:', '    image: example/app:1', '    environment:', '      APP_SECRET: "pa$$word"'),
      output: yaml(
        'services:',
        '  app:',
        '    image: example/app:1',
        '    env_file:',
        '      - ./secrets/app.env',
        '    secrets:',
        '      - app_secret',
        'secrets:',
        '  app_secret:',
        '    file: ./secrets/app_secret',
      ),
      errors: [{ line: 5, column: 7, message: 'APP_SECRET stays in the environment from ./secrets/app.env: make the application read /run/secrets/app_secret' }],
    },
  ],
});

describe('env-secrets: the files a fix writes', () => {
  const sideFiles = (code: string) =>
    fixSource(fromString(code), [envSecrets]).sideFiles.map((f) => ({ path: f.path, kind: f.kind, mode: f.mode.toString(8), content: f.content }));

  it('a literal: the value alone, 0444, and the git-ignore line', () => {
    expect(sideFiles(yaml('services:', '  db:', '    image: postgres:16', '    environment:', '      POSTGRES_PASSWORD: "s3cr3t"'))).toEqual([
      { path: 'secrets/postgres_password', kind: 'secret', mode: '444', content: 's3cr3t' },
      { path: '.gitignore', kind: 'ignore', mode: '644', content: '/secrets/\n' },
    ]);
  });

  it('Compose reads `$$` as `$`: so do the secret and the env file', () => {
    expect(sideFiles(yaml('services:', '  app:', '    image: example/app:1', '    environment:', '      - APP_SECRET=pa$$word', '      - API_TOKEN=abc 123'))).toEqual([
      { path: 'secrets/app.env', kind: 'env', mode: '444', content: "APP_SECRET='pa$word'\nAPI_TOKEN='abc 123'\n" },
      { path: 'secrets/app_secret', kind: 'secret', mode: '444', content: 'pa$word' },
      { path: '.gitignore', kind: 'ignore', mode: '644', content: '/secrets/\n' },
      { path: 'secrets/api_token', kind: 'secret', mode: '444', content: 'abc 123' },
    ]);
  });

  it('a `${VAR}` source writes no file', () => {
    expect(sideFiles(yaml('services:', '  db:', '    image: postgres:16', '    environment:', '      POSTGRES_PASSWORD: ${DB_PASSWORD}'))).toEqual([]);
  });

  it('a number is moved only when Compose reads it as written', () => {
    const code = (value: string) => yaml('services:', '  db:', '    image: postgres:16', '    environment:', `      POSTGRES_PASSWORD: ${value}`);
    expect(sideFiles(code('123456'))[0]).toMatchObject({ content: '123456' });
    expect(sideFiles(code('0123'))).toEqual([]);
    expect(sideFiles(code('1e3'))).toEqual([]);
  });
});

describe('secret names and env-file lines', () => {
  it('names are lower case [a-z0-9_], never a path, never empty', () => {
    expect(secretName('POSTGRES_PASSWORD')).toBe('postgres_password');
    expect(secretName('../../etc/passwd')).toBe('etc_passwd');
    expect(secretName('my-app.DB/Pass')).toBe('my_app_db_pass');
    expect(secretName('$$$')).toBe('secret');
  });

  it('values are carried unchanged, or not at all', () => {
    expect(envFileLine('K', 'plain-Value_1')).toBe('K=plain-Value_1');
    expect(envFileLine('K', 'has space # and $')).toBe("K='has space # and $'");
    expect(envFileLine('K', "it's")).toBeNull();
    expect(envFileLine('K', 'back\\slash')).toBeNull();
  });
});

testRule(envSecrets, {
  valid: [],
  invalid: [
    {
      name: 'a locally built application that declares its _FILE variables',
      code: yaml('services:', '  web:', '    build: ./web', '    x-compose-harden:', '      file-variants: [SECRET_KEY]', '    environment:', '      SECRET_KEY: s3kr1t-key'),
      output: yaml(
        'services:',
        '  web:',
        '    build: ./web',
        '    x-compose-harden:',
        '      file-variants: [SECRET_KEY]',
        '    environment:',
        '      SECRET_KEY_FILE: /run/secrets/secret_key',
        '    secrets: [secret_key]',
        'secrets:',
        '  secret_key:',
        '    file: ./secrets/secret_key',
      ),
      errors: [{ line: 7, column: 7, message: 'read by the image through SECRET_KEY_FILE' }],
    },
  ],
});

// Multi-line values, whose first line cannot carry a caret annotation in test/fixtures/locations (the
// annotation would end the scalar): the finding points at the key, or at the list item where it starts.
// Values with a newline cannot be carried by an env file, so these are reported, not moved.
testRule(envSecrets, {
  valid: [],
  invalid: [
    {
      name: 'a literal block value is reported at its key',
      code: yaml('services:', '  app:', '    image: example/app:1', '    environment:', '      TLS_PRIVATE_KEY: |', '        -----BEGIN PRIVATE KEY-----', '        MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', '      APP_NAME: demo'),
      output: null,
      errors: [{ line: 5, column: 7, message: 'sets TLS_PRIVATE_KEY to a literal credential in environment: move it into a compose secret by hand' }],
    },
    {
      name: 'a folded block value is reported at its key',
      code: yaml('services:', '  app:', '    image: example/app:1', '    environment:', '      APP_NAME: demo', '      SIGNING_SECRET: >', '        folded', '        secret'),
      output: null,
      errors: [{ line: 6, column: 7, message: 'sets SIGNING_SECRET' }],
    },
    {
      name: 'a block list item is reported where the item starts (its indicator), not at the dash',
      code: yaml('services:', '  app:', '    image: example/app:1', '    environment:', '      - APP_NAME=demo', '      - |-', '        TLS_PRIVATE_KEY=-----BEGIN PRIVATE KEY-----', '        MIIEvQIBADANBgkqhkiG9w0BAQEFAASC'),
      output: null,
      errors: [{ line: 6, column: 9, message: 'sets TLS_PRIVATE_KEY' }],
    },
    {
      name: 'a quoted list item over several lines is reported at its opening quote',
      code: yaml('services:', '  app:', '    image: example/app:1', '    environment:', '      - "API_TOKEN=first', '', '        second"'),
      output: null,
      errors: [{ line: 5, column: 9, message: 'sets API_TOKEN' }],
    },
  ],
});

// Which keys name a credential, and when a setting about one holds a credential: compose-lint's CL-0020
// cases (PASSPHRASE, encryption keys, salts; quantity knobs with a setting's value) read our way.
testRule(envSecrets, {
  valid: [
    {
      name: 'settings about a credential with a number, a duration, a size, a rate or a switch',
      code: yaml(
        'services:',
        '  app:',
        '    image: example/app:1',
        '    environment:',
        '      GF_AUTH_TOKEN_ROTATION_INTERVAL_MINUTES: 30',
        '      TOKENVALIDITYMAX: 30',
        '      TOKEN_USAGE_RETENTION: 30',
        '      OPENAI_MAX_TOKENS: 30',
        '      CHATGPT2API_THREAD_TOKENS: 30',
        '      OLLAMA_MODEL_TOKEN_LIMIT: 30',
        '      PASSWORDMINCHAR: 30',
        '      USER_PASSWORD_REQUIREMENTS: 30',
        '      TOKEN_SIGNUP_BONUS: 30',
        '      SECRET_MAX_TEXT_SIZE: 30',
        '      SECRET_FILE_SIZE: 10MB',
        '      TOKEN_TTL: 1h30m',
        '      JWT_ACCESS_TOKEN_EXPIRE_MINUTES: "1.5"',
        '      PASSWORD_RESET_REQUEST_THROTTLE_RATE: "5/hour"',
        '      ENABLE_TOKEN: "1"',
        '      WF_AUTH_TOKEN_TTL_MINUTES: "${WF_TTL:-60}"',
        '      SESSION_TOKEN_TTL: ${SESSION_TTL}',
      ),
    },
    {
      name: 'keys that end in _KEY but are no secret key, and switches named after a secret',
      code: yaml(
        'services:',
        '  app:',
        '    image: example/app:1',
        '    environment:',
        '      LICENSE_KEY: abc-123',
        '      JWT_PUBLIC_KEY: pub-123',
        '      ENCRYPTION_KEY_ID: key-123',
        '      SIGNING_KEY_FILE: /etc/app/signing.pem',
        '      MASTER_KEY_PATH: /etc/app/master.key',
        '      SALT_MASTER: salt.example.com',
        '      SECRETS: "0"',
      ),
    },
    {
      name: 'URL passwords made of references: `:?` and `?` in the user part, an empty user, an escaped `$` before one',
      code: yaml(
        'services:',
        '  app:',
        '    image: example/app:1',
        '    environment:',
        '      DATABASE_URL: "postgresql://${DB_USER:?error}:${DB_PASSWORD:?error}@postgres/db"',
        '      READER_URL: "postgresql://${DB_USER?error}:${DB_PASSWORD+x}@postgres/db"',
        '      CACHE_URL: "redis://:${REDIS_PASSWORD}@redis:6379/0"',
        '      QUEUE_URL: "amqp://u:$$${MQ_PASSWORD}@mq/x"',
      ),
    },
  ],
  invalid: [
    {
      name: 'passphrases, encryption, signing and master keys, salts and key bases are credentials',
      code: yaml(
        'services:',
        '  app:',
        '    image: example/app:1',
        '    environment:',
        '      GPG_PASSPHRASE: hunter2',
        '      N8N_ENCRYPTION_KEY: s3cr3t-key',
        '      SESSION_SALT: somesalt',
        '      MEILI_MASTER_KEY: m4ster',
        '      APP_KEY: base64:abc123',
        '      OTP_KEY_BASE: 0tp-base',
      ),
      output: yaml(
        'services:',
        '  app:',
        '    image: example/app:1',
        '    env_file:',
        '      - ./secrets/app.env',
        '    secrets:',
        '      - gpg_passphrase',
        '      - n8n_encryption_key',
        '      - session_salt',
        '      - meili_master_key',
        '      - app_key',
        '      - otp_key_base',
        'secrets:',
        '  gpg_passphrase:',
        '    file: ./secrets/gpg_passphrase',
        '  n8n_encryption_key:',
        '    file: ./secrets/n8n_encryption_key',
        '  session_salt:',
        '    file: ./secrets/session_salt',
        '  meili_master_key:',
        '    file: ./secrets/meili_master_key',
        '  app_key:',
        '    file: ./secrets/app_key',
        '  otp_key_base:',
        '    file: ./secrets/otp_key_base',
      ),
      errors: [
        { line: 5, column: 7, severity: 'warning', message: 'sets GPG_PASSPHRASE to a literal credential' },
        { line: 6, column: 7, message: 'sets N8N_ENCRYPTION_KEY to a literal credential' },
        { line: 7, column: 7, message: 'sets SESSION_SALT to a literal credential' },
        { line: 8, column: 7, message: 'sets MEILI_MASTER_KEY to a literal credential' },
        { line: 9, column: 7, message: 'sets APP_KEY to a literal credential' },
        { line: 10, column: 7, message: 'sets OTP_KEY_BASE to a literal credential' },
      ],
    },
    {
      name: 'a placeholder is a literal credential too',
      code: yaml('services:', '  db:', '    image: postgres:16', '    environment:', '      POSTGRES_PASSWORD: changeme'),
      output: yaml(
        'services:',
        '  db:',
        '    image: postgres:16',
        '    environment:',
        '      POSTGRES_PASSWORD_FILE: /run/secrets/postgres_password',
        '    secrets:',
        '      - postgres_password',
        'secrets:',
        '  postgres_password:',
        '    file: ./secrets/postgres_password',
      ),
      errors: [{ line: 5, column: 7, severity: 'warning', message: 'sets POSTGRES_PASSWORD to a literal credential' }],
    },
    {
      name: 'a setting about a credential with a value that is no setting, and a number under a credential name',
      code: yaml(
        'services:',
        '  app:',
        '    image: example/app:1',
        '    environment:',
        '      TOKEN_TTL: hunter2',
        '      PASSWORD_MIN_LENGTH: "12"',
        '      ADMIN_PASSWORD: 1234',
        '      MINIO_ROOT_PASSWORD: "12345678"',
      ),
      output: yaml(
        'services:',
        '  app:',
        '    image: example/app:1',
        '    environment:',
        '      PASSWORD_MIN_LENGTH: "12"',
        '    env_file:',
        '      - ./secrets/app.env',
        '    secrets:',
        '      - token_ttl',
        '      - admin_password',
        '      - minio_root_password',
        'secrets:',
        '  token_ttl:',
        '    file: ./secrets/token_ttl',
        '  admin_password:',
        '    file: ./secrets/admin_password',
        '  minio_root_password:',
        '    file: ./secrets/minio_root_password',
      ),
      errors: [
        { line: 5, column: 7, message: 'sets TOKEN_TTL to a literal credential' },
        { line: 7, column: 7, message: 'sets ADMIN_PASSWORD to a literal credential' },
        { line: 8, column: 7, message: 'sets MINIO_ROOT_PASSWORD to a literal credential' },
      ],
    },
    {
      name: 'a setting about a credential that falls back to a value that is no setting is passed through environment',
      code: yaml('services:', '  app:', '    image: example/app:1', '    environment:', '      TOKEN_TTL: ${TTL:-hunter2}'),
      output: null,
      errors: [{ line: 5, column: 7, severity: 'info', message: 'passes TOKEN_TTL through environment from ${TTL}' }],
    },
    {
      name: 'a URL with an empty user and a password',
      code: yaml('services:', '  app:', '    image: example/app:1', '    environment:', '      - REDIS_URL=redis://:supersecret@redis:6379/0', '      - CACHE_URL=redis://:${REDIS_PASSWORD}@redis:6379/1'),
      output: yaml(
        'services:',
        '  app:',
        '    image: example/app:1',
        '    environment:',
        '      - CACHE_URL=redis://:${REDIS_PASSWORD}@redis:6379/1',
        '    env_file:',
        '      - ./secrets/app.env',
        '    secrets:',
        '      - redis_url',
        'secrets:',
        '  redis_url:',
        '    file: ./secrets/redis_url',
      ),
      errors: [{ line: 5, column: 9, severity: 'warning', message: 'has a URL with a literal password in REDIS_URL' }],
    },
    {
      name: 'a literal password behind a `:?` user is a literal, reported for moving by hand',
      code: yaml('services:', '  app:', '    image: example/app:1', '    environment:', '      REPLICA_URL: "postgres://${DB_USER:?err}:hunter2@db/app"'),
      output: null,
      errors: [{ line: 5, column: 7, severity: 'warning', message: 'has a URL with a literal password in REPLICA_URL: move it into a compose secret by hand (its value is interpolated by Compose' }],
    },
    {
      name: 'a URL password after an escaped `$` is a literal',
      code: yaml('services:', '  app:', '    image: example/app:1', '    environment:', '      MIRROR_URL: "postgres://u:$$hunter2@db/x"'),
      output: yaml(
        'services:',
        '  app:',
        '    image: example/app:1',
        '    env_file:',
        '      - ./secrets/app.env',
        '    secrets:',
        '      - mirror_url',
        'secrets:',
        '  mirror_url:',
        '    file: ./secrets/mirror_url',
      ),
      errors: [{ line: 5, column: 7, severity: 'warning', message: 'has a URL with a literal password in MIRROR_URL: fix moves it into secret "mirror_url"' }],
    },
    {
      name: '`$$` is an escaped `$`: a reference after it is passed through environment, a literal after it is a literal',
      code: yaml(
        'services:',
        '  app:',
        '    image: example/app:1',
        '    environment:',
        '      DB_PASSWORD: "$$${DB_PASSWORD}"',
        '      REPLICA_PASSWORD: "$$$REPLICA_PASSWORD"',
        '      CACHE_PASSWORD: "$${CACHE_PASSWORD}"',
      ),
      output: null,
      errors: [
        { line: 5, column: 7, severity: 'info', message: /^service "app" passes DB_PASSWORD through environment: a compose secret keeps it out of `docker inspect`/ },
        { line: 6, column: 7, severity: 'info', message: /^service "app" passes REPLICA_PASSWORD through environment: / },
        { line: 7, column: 7, severity: 'info', message: /^service "app" passes CACHE_PASSWORD through environment: / },
      ],
    },
  ],
});

describe('credential keys, setting values and URL passwords', () => {
  it('a setting key is found by whole words, or by words run into a credential word', () => {
    for (const key of ['OPENAI_MAX_TOKENS', 'TOKENVALIDITYMAX', 'PASSWORDMINCHAR', 'JWT__REFRESHTOKENEXPIRATIONDAYS', 'ENABLE_TOKEN', 'tokenMaxAge']) expect(isSettingKey(key), key).toBe(true);
    for (const key of ['ADMIN_PASSWORD', 'MINIO_ROOT_PASSWORD', 'ACCOUNT_TOKEN', 'CORPORATE_SECRET', 'SECONDARY_PASSWORD', 'STORAGE_TOKEN']) expect(isSettingKey(key), key).toBe(false);
  });

  it('a setting value is a number, a duration, a size, a rate or a switch', () => {
    for (const value of ['30', '1.5', '900s', '500ms', '30m', '24h', '7d', '1h30m', '10MB', '512KiB', '5/hour', '100 per minute', 'true', 'off', '0', '1']) expect(settingValue(value), value).toBe(true);
    for (const value of ['hunter2', 's3cr3t', '5/hunter', 'h1', '30 apples']) expect(settingValue(value), value).toBe(false);
  });

  it('credential keys', () => {
    for (const key of ['GPG_PASSPHRASE', 'ENCRYPTION_KEY', 'DB_ENCRYPTIONKEY', 'SIGNING_KEY', 'HMAC_KEY', 'JWT_KEY', 'SESSION_SALT', 'SALT', 'APP_KEY', 'SECRET_KEY_BASE', 'TLS_PRIVATE_KEY']) expect(isCredentialKey(key), key).toBe(true);
    for (const key of ['LICENSE_KEY', 'PUBLIC_KEY', 'ENCRYPTION_KEY_ID', 'SIGNING_KEY_FILE', 'MASTER_KEY_PATH', 'PUSHER_APP_KEY', 'SALT_MASTER', 'SSL_KEY']) expect(isCredentialKey(key), key).toBe(false);
  });

  it('a URL password as written, when it is literal', () => {
    expect(urlPassword('redis://:supersecret@redis:6379/0')).toBe('supersecret');
    expect(urlPassword('postgres://${DB_USER:?err}:hunter2@db/app')).toBe('hunter2');
    expect(urlPassword('postgres://u:$$hunter2@db/x')).toBe('$$hunter2');
    expect(urlPassword('postgres://u:hunter2$@db/x')).toBe('hunter2$');
    expect(urlPassword('x=http://a@b, y=postgres://app:pw1@db')).toBe('pw1');
    for (const value of ['postgresql://${DB_USER:?error}:${DB_PASSWORD:?error}@postgres/db', 'postgres://u:$$${P}@db', 'redis://:@redis', 'redis://redis:6379/0', 'http://host:8080/a@b'])
      expect(urlPassword(value), value).toBeNull();
  });

  it('the password of a URL with an empty user is masked in every output', () => {
    const file = parseComposeFile(fromString(yaml('services:', '  app:', '    image: example/app:1', '    environment:', '      REDIS_URL: redis://:supersecret@redis:6379/0')));
    expect(secretTexts(file)).toContain('supersecret');
    const escaped = parseComposeFile(fromString(yaml('services:', '  app:', '    image: example/app:1', '    environment:', '      MIRROR_URL: "postgres://u:$$hunter2@db/x"')));
    expect(secretTexts(escaped)).toEqual(expect.arrayContaining(['$$hunter2', '$hunter2']));
  });
});
