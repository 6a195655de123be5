/**
 * Environment keys that name a credential (`POSTGRES_PASSWORD`, `API_TOKEN`, `SENTRY_DSN`, `TLS_PRIVATE_KEY`,
 * `GPG_PASSPHRASE`, `SESSION_SALT`). Keys ending in `_KEY` only count when the word before names a secret
 * key (`ENCRYPTION_KEY`, `SIGNING_KEY`, `MEILI_MASTER_KEY`, Laravel's `APP_KEY`, Rails' `*_KEY_BASE`):
 * `LICENSE_KEY`, `PUBLIC_KEY`, `ENCRYPTION_KEY_ID` or `SSL_KEY` (a path) do not.
 */
const CREDENTIAL_KEY = new RegExp(
  [
    'PASSWORD|PASSWD|PASSPHRASE|_PASS$|^PASS$|_PWD$|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|_DSN$|^DSN$|CREDENTIAL|AUTH_KEY',
    '(?:^|_)(?:ENCRYPTION|ENCRYPT|CRYPT|CIPHER|SIGNING|MASTER|HMAC|JWT|NONCE|LOGGED_IN)_?KEYS?$|^APP_KEY$|_KEY_BASE$',
    '(?:^|_)SALTS?$',
  ].join('|'),
  'i',
);

/**
 * Keys that mention a credential but name something else about it, whatever their value: where it is
 * (`SECRET_FILE`, `TOKEN_URL`), who or what it is for (`DB_USER`, `TOKEN_REALM`), how it is made
 * (`JWT_ALGORITHM`), the public half that checks it (`TOKEN_ROOTCERTBUNDLE`, `AUTH_CA_CERT`), and flags
 * about it (`MYSQL_RANDOM_ROOT_PASSWORD`, `ALLOW_EMPTY_PASSWORD`).
 */
const STRUCTURAL_KEY =
  /_FILE$|_PATH$|_DIR$|POLICY|ALGORITHM|REALM|ISSUER|AUDIENCE|SCOPE|HEADER|_TYPE$|_METHOD$|_URL$|_URI$|_HOST$|_PORT$|_NAME$|_SERVICE$|_USER(NAME)?$|CERT(IFICATE)?(_?BUNDLE)?$|_CRT$|RANDOM_ROOT_PASSWORD|ALLOW_EMPTY|SKIP_/i;

/**
 * Words of a key that make it a setting about a credential (a quantity, a duration, a switch):
 * `TOKEN_TTL`, `PASSWORD_MIN_LENGTH`, `OPENAI_MAX_TOKENS`, `ENABLE_TOKEN`. Such a key is a credential
 * only when its value does not look like a setting (`settingValue`). These are found anywhere in a word.
 */
const SETTING_PART =
  /EXPIR|LENGTH|TIMEOUT|LIFETIME|INTERVAL|RETENTION|VALIDITY|THROTTLE|THREAD|REQUIREMENT|BONUS|ROTATION|ENABLE|DISABLE|LIMIT|SIZE|MINUTE|HOUR|DURATION|ATTEMPT|RETRIES|RETRY|MAXIMUM|MINIMUM|PERIOD|DELAY/;

/** Setting words too short to be found inside another word (`ADMIN` is not `MIN`, `ACCOUNT` not `COUNT`): whole words only. */
const SETTING_WORDS = new Set(['MAX', 'MIN', 'TTL', 'RATE', 'COUNT', 'CHAR', 'CHARS', 'AGE', 'DAY', 'DAYS', 'SEC', 'SECS', 'SECOND', 'SECONDS', 'MS', 'NUM', 'LEN', 'ROUNDS', 'COST', 'WINDOW']);

const SETTING_WORD_LIST = [...SETTING_WORDS];

/** Credential words a key may run into a setting word without a separator (`PASSWORDMINCHAR`, `TOKENVALIDITYMAX`). */
const CREDENTIAL_WORDS = ['PASSWORD', 'PASSWD', 'PASSPHRASE', 'PASS', 'PWD', 'TOKENS', 'TOKEN', 'SECRETS', 'SECRET', 'KEYS', 'KEY', 'API', 'AUTH'];

/** Values that are not secrets whatever their key: booleans and switches, and references to mounted secrets. */
const NOT_A_SECRET = /^(true|false|yes|no|on|off|none|null|0|1)$|^\/run\/secrets\//i;

export function isCredentialKey(key: string): boolean {
  return CREDENTIAL_KEY.test(key) && !STRUCTURAL_KEY.test(key);
}

/** A key whose words name a setting about the credential rather than the credential itself. */
export function isSettingKey(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((w) => w !== '');
  return words.some((word) => SETTING_PART.test(word) || SETTING_WORDS.has(word) || compound(word));
}

/** A word made of credential and setting words run together, with at least one setting word (`PASSWORDMINCHAR`). */
function compound(word: string): boolean {
  // reach[i]: 0 = not reachable, 1 = reachable through credential words only, 2 = through a setting word.
  const reach = new Array<number>(word.length + 1).fill(0);
  reach[0] = 1;
  for (let i = 0; i < word.length; i++) {
    if (reach[i] === 0) continue;
    for (const [parts, setting] of [[CREDENTIAL_WORDS, false], [SETTING_WORD_LIST, true]] as const) {
      for (const part of parts) {
        if (!word.startsWith(part, i)) continue;
        const next = i + part.length;
        reach[next] = Math.max(reach[next]!, setting ? 2 : reach[i]!);
      }
    }
  }
  return reach[word.length] === 2;
}

const NUMBER = String.raw`[-+]?\d+(?:\.\d+)?`;
const TIME_UNIT = String.raw`(?:ns|us|µs|ms|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?|mo|months?|y|years?)`;
const SETTING_VALUES = [
  new RegExp(`^${NUMBER}$`),
  new RegExp(`^(?:${NUMBER}\\s*${TIME_UNIT})+$`, 'i'),
  new RegExp(`^${NUMBER}\\s*(?:[kmgtp]i?b?|bytes?)$`, 'i'),
  new RegExp(`^${NUMBER}\\s*(?:/|per)\\s*(?:\\d+\\s*)?${TIME_UNIT}$`, 'i'),
  NOT_A_SECRET,
];

/**
 * A value that reads as a setting, not a secret: a number (`30`, `1.5`), a duration (`900s`, `30m`,
 * `1h30m`, `7d`), a size (`10MB`), a rate (`5/hour`), or a switch (`true`, `on`, `0`, `1`).
 */
export function settingValue(text: string): boolean {
  const value = text.trim();
  return SETTING_VALUES.some((shape) => shape.test(value));
}

export type SecretValue = { kind: 'literal' } | { kind: 'interpolated'; variable: string } | { kind: 'none' };

/**
 * What a credential-keyed value is: a literal to move into a secret file, `${VAR}` to take from the
 * environment (`variable` names it when the value is that one reference, else ''), or nothing.
 */
export function classifyValue(value: unknown): SecretValue {
  if (value === null || value === undefined) return { kind: 'none' };
  const text = String(value).trim();
  if (text === '' || NOT_A_SECRET.test(text)) return { kind: 'none' };
  const { refs, literal, braced } = interpolation(text);
  // `$${VAR}` passes the text `${VAR}`, for the container to resolve: not a value written in the file.
  if (refs.length === 0) return /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/.test(literal) ? { kind: 'interpolated', variable: '' } : { kind: 'literal' };
  if (refs.length === 1 && refs[0]!.text === text) return { kind: 'interpolated', variable: refs[0]!.name };
  // `$$${DB_PASSWORD}`: an escaped `$` before a reference. A literal with a `$name` in it stays a literal,
  // which the secret plan reports for moving by hand (Compose would empty the `$name` part).
  if (braced || !/[\p{L}\p{N}]/u.test(literal)) return { kind: 'interpolated', variable: '' };
  return { kind: 'literal' };
}

/**
 * What the value of an environment entry is, as a credential: nothing unless the key names one. A key
 * that names a setting about a credential (`TOKEN_TTL`) holds a credential only when its value (or the
 * default it falls back to) does not read as a setting; a reference without a default is unknown, and
 * not reported there.
 */
export function classifyEntry(key: string, value: unknown): SecretValue {
  if (!isCredentialKey(key)) return { kind: 'none' };
  const kind = classifyValue(value);
  if (kind.kind === 'none' || !isSettingKey(key)) return kind;
  const text = String(value).trim();
  if (kind.kind === 'literal') return settingValue(interpolation(text).literal) ? { kind: 'none' } : kind;
  const fallback = defaultValue(text);
  return fallback === null || fallback.trim() === '' || settingValue(fallback) ? { kind: 'none' } : kind;
}

/** One `$NAME` or `${NAME...}` reference of a value, as written. */
interface Reference {
  readonly name: string;
  readonly text: string;
  /** The operator of `${NAME<op>word}` (`:-`, `-`, `:?`, `?`, `:+`, `+`), and its word. */
  readonly op: string | null;
  readonly word: string;
}

/**
 * Compose's reading of `$` in a value: `$$` is a literal `$`, `${...}` (braces may nest) and `$NAME`
 * are references, any other `$` is itself. `literal` is the value without its references, escapes resolved.
 */
export function interpolation(text: string): { refs: Reference[]; literal: string; braced: boolean } {
  const refs: Reference[] = [];
  let literal = '';
  let braced = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c !== '$' || next === undefined) {
      literal += c;
      continue;
    }
    if (next === '$') {
      literal += '$';
      i++;
    } else if (next === '{') {
      let depth = 0;
      let end = i + 1;
      for (; end < text.length; end++) {
        if (text[end] === '{') depth++;
        else if (text[end] === '}' && --depth === 0) break;
      }
      const ref = text.slice(i, end + 1);
      const inner = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/.exec(ref.slice(2, ref.endsWith('}') ? -1 : undefined));
      refs.push({ name: inner?.[1] ?? '', text: ref, op: inner?.[2] ?? null, word: inner?.[3] ?? '' });
      braced = true;
      i = end;
    } else if (/[A-Za-z_]/.test(next)) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1))![0];
      refs.push({ name, text: `$${name}`, op: null, word: '' });
      i += name.length;
    } else literal += c;
  }
  return { refs, literal, braced };
}

/** The value when every reference falls back to its default (`${X:-60}`); null when one has none. */
function defaultValue(text: string): string | null {
  const { refs } = interpolation(text);
  let out = text;
  for (const ref of refs) {
    if (ref.op !== '-' && ref.op !== ':-') return null;
    out = out.replace(ref.text, ref.word);
  }
  return interpolation(out).refs.length > 0 ? null : interpolation(out).literal;
}

/**
 * The password of the first `scheme://user:password@host` URL in a value whose password is literal
 * (the user may be empty: `redis://:password@redis`), as written; null when there is none. References
 * in the user part (`${DB_USER:?error}`) are read whole, so their `:` does not split it; a password made
 * of references (`${DB_PASSWORD}`, `$$${DB_PASSWORD}`) is not literal.
 */
export function urlPassword(value: string): string | null {
  if (!value.includes('://')) return null;
  for (const scheme of value.matchAll(/[a-z][a-z0-9+.-]*:\/\//gi)) {
    const userinfo = authorityUserinfo(value, scheme.index + scheme[0].length);
    if (userinfo === null) continue;
    const colon = outsideReferences(userinfo).indexOf(':');
    if (colon === -1) continue;
    const password = userinfo.slice(colon + 1);
    if (password === '') continue;
    const { refs, literal } = interpolation(password);
    if (refs.length === 0 || /[\p{L}\p{N}]/u.test(literal)) return password;
  }
  return null;
}

/** A `scheme://user:password@host` URL with a literal password, anywhere in a value. */
export function urlWithPassword(value: string): boolean {
  return urlPassword(value) !== null;
}

/** The userinfo of the authority starting at `start` (the text before its `@`), or null without one. */
function authorityUserinfo(value: string, start: number): string | null {
  const masked = outsideReferences(value.slice(start));
  const end = masked.search(/[@/\s]/);
  return end >= 0 && masked[end] === '@' ? value.slice(start, start + end) : null;
}

/** The text with every `${...}` reference blanked out (same length), so separators inside it are not seen. */
function outsideReferences(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '$') {
      out += '$$';
      i++;
      continue;
    }
    if (text[i] === '$' && text[i + 1] === '{') {
      let depth = 0;
      let end = i + 1;
      for (; end < text.length; end++) {
        if (text[end] === '{') depth++;
        else if (text[end] === '}' && --depth === 0) break;
      }
      out += 'x'.repeat(Math.min(end, text.length - 1) - i + 1);
      i = end;
      continue;
    }
    out += text[i];
  }
  return out;
}
