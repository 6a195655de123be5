/** Environment keys that name a credential (`POSTGRES_PASSWORD`, `API_TOKEN`, `SENTRY_DSN`, `TLS_PRIVATE_KEY`). */
const CREDENTIAL_KEY = /PASSWORD|PASSWD|_PASS$|^PASS$|_PWD$|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|_DSN$|^DSN$|CREDENTIAL|AUTH_KEY/i;

/** Keys that mention a credential but hold a setting about it (`TOKEN_TTL`, `PASSWORD_MIN_LENGTH`, `SECRET_FILE`, `MYSQL_RANDOM_ROOT_PASSWORD`). */
const SETTING_KEY = /_FILE$|_PATH$|_DIR$|TTL|EXPIR|LENGTH|TIMEOUT|LIFETIME|ENABLED|POLICY|ALGORITHM|REALM|ISSUER|AUDIENCE|SCOPE|HEADER|_TYPE$|_METHOD$|_URL$|_URI$|_HOST$|_PORT$|_NAME$|_USER(NAME)?$|RANDOM_ROOT_PASSWORD|ALLOW_EMPTY|SKIP_/i;

/** Values that are not secrets whatever their key: booleans, and references to files and secrets. */
const NOT_A_SECRET = /^(true|false|yes|no|on|off|none|null|changeme)$|^\/run\/secrets\//i;

export function isCredentialKey(key: string): boolean {
  return CREDENTIAL_KEY.test(key) && !SETTING_KEY.test(key);
}

export type SecretValue = { kind: 'literal' } | { kind: 'interpolated'; variable: string } | { kind: 'none' };

/** What a credential-keyed value is: a literal to move into a secret file, `${VAR}` to take from the environment, or nothing. */
export function classifyValue(value: unknown): SecretValue {
  if (value === null || value === undefined) return { kind: 'none' };
  const text = String(value);
  if (text.trim() === '' || NOT_A_SECRET.test(text.trim())) return { kind: 'none' };
  const whole = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)(?:[:?-][^}]*)?\}?$/.exec(text.trim());
  if (whole) return { kind: 'interpolated', variable: whole[1]! };
  if (text.includes('${')) return { kind: 'interpolated', variable: '' };
  return { kind: 'literal' };
}

/** A `scheme://user:password@host` URL with a literal password, anywhere in a value. */
export function urlWithPassword(value: string): boolean {
  if (!value.includes('://')) return false;
  const match = /[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:([^@/\s]+)@/i.exec(value);
  return match !== null && !match[1]!.startsWith('$');
}
