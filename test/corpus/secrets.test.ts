import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { composeTags } from '../../src/core/compose-tags.js';
import { cli, tempDir } from '../helpers/cli.js';
import { CORPUS, corpusFiles, hasShared, skipMessage } from '../helpers/shared.js';

/**
 * Issue 5's acceptance on the real corpus: after `fix`, no literal credential that was in `environment:`
 * is left in the compose file; each is in a secret file under a 0700 `secrets/` beside it, never writable
 * by group or others, and git-ignored; every application still sees the same environment (through
 * `_FILE` variables and the env files); and no output of any command, in any format, shows a value.
 */

/** Credential-shaped keys, as the catalogue defines them (an independent copy of the rule's reading). */
const CREDENTIAL =
  /PASSWORD|PASSWD|PASSPHRASE|_PASS$|^PASS$|_PWD$|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|_DSN$|^DSN$|CREDENTIAL|AUTH_KEY|(^|_)(ENCRYPTION|ENCRYPT|CRYPT|CIPHER|SIGNING|MASTER|HMAC|JWT|NONCE|LOGGED_IN)_?KEYS?$|^APP_KEY$|_KEY_BASE$|(^|_)SALTS?$/i;
/** Keys about where a credential is or whom it is for: never a credential. */
const STRUCTURAL = /_FILE$|_PATH$|_DIR$|POLICY|ALGORITHM|REALM|ISSUER|AUDIENCE|SCOPE|HEADER|_TYPE$|_METHOD$|_URL$|_URI$|_HOST$|_PORT$|_NAME$|_SERVICE$|_USER(NAME)?$|CERT(IFICATE)?(_?BUNDLE)?$|_CRT$|RANDOM_ROOT_PASSWORD|ALLOW_EMPTY|SKIP_/i;
/** Settings about a credential (`TOKEN_TTL`, `OPENAI_MAX_TOKENS`): a credential only when the value does not read as a setting. */
const SETTING =
  /EXPIR|LENGTH|TIMEOUT|LIFETIME|INTERVAL|RETENTION|VALIDITY|THROTTLE|THREAD|REQUIREMENT|BONUS|ROTATION|ENABLE|DISABLE|LIMIT|SIZE|MINUTE|HOUR|DURATION|ATTEMPT|RETRIES|RETRY|MAXIMUM|MINIMUM|PERIOD|DELAY|(^|_)(MAX|MIN|TTL|RATE|COUNT|CHARS?|AGE|DAYS?|SECS?|SECONDS?|MS|NUM|LEN|ROUNDS|COST|WINDOW)(_|$)/i;
const SETTING_VALUE = /^[-+]?\d+(\.\d+)?\s*([a-zµ]{1,7})?$|^\d+(\.\d+)?\s*(\/|per)\s*\d*\s*[a-z]+$|^(\d+[a-z]{1,2})+$/i;
const NOT_SECRET = /^(true|false|yes|no|on|off|none|null|0|1)$|^\/run\/secrets\//i;
/** A URL password (the user may be empty) that is not a reference. */
const URL_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:([^@/\s$]+)@/i;

type Env = Record<string, string | null>;

function load(text: string): Record<string, unknown> {
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { merge: true, customTags: composeTags });
  return (doc.toJS({ maxAliasCount: -1 }) ?? {}) as Record<string, unknown>;
}

function services(doc: Record<string, unknown>): Record<string, Record<string, unknown>> {
  return (doc.services ?? {}) as Record<string, Record<string, unknown>>;
}

/** A service's environment as Compose reads it, before interpolation (`$$` stays `$$`). */
function environment(service: Record<string, unknown>): Env {
  const env = service.environment;
  const out: Env = {};
  if (Array.isArray(env)) {
    for (const item of env.map(String)) {
      const eq = item.indexOf('=');
      out[eq === -1 ? item : item.slice(0, eq)] = eq === -1 ? null : item.slice(eq + 1);
    }
  } else if (env && typeof env === 'object') {
    for (const [key, value] of Object.entries(env)) out[key] = value === null || value === undefined ? null : String(value);
  }
  return out;
}

/** Literal credential values: a credential key with a value that Compose does not interpolate, or a URL password. */
function literalCredentials(env: Env): Array<{ key: string; value: string }> {
  const out: Array<{ key: string; value: string }> = [];
  for (const [key, value] of Object.entries(env)) {
    if (value === null || value.trim() === '' || /\$(?!\$)/.test(value.replace(/\$\$/g, ''))) continue;
    const credential = CREDENTIAL.test(key) && !STRUCTURAL.test(key) && !(SETTING.test(key) && SETTING_VALUE.test(value.trim()));
    if (credential && !NOT_SECRET.test(value.trim())) out.push({ key, value: value.replace(/\$\$/g, '$') });
    else if (URL_PASSWORD.test(value)) out.push({ key, value: value.replace(/\$\$/g, '$') });
  }
  return out;
}

/** `KEY=value` lines of an env file, single quotes removed. */
function envFile(text: string): Env {
  const out: Env = {};
  for (const line of text.split('\n')) {
    const match = /^([^=#\s]+)=(.*)$/.exec(line);
    if (match) out[match[1]!] = match[2]!.replace(/^'(.*)'$/, '$1');
  }
  return out;
}

function filesUnder(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).map((name) => join(dir, name)) : [];
}

const files = corpusFiles();
const FORMATS = ['text', 'json', 'sarif', 'github'];

describe.skipIf(!hasShared)('corpus: credentials move into secrets and never show', () => {
  const work = tempDir('compose-harden-secrets-');
  afterAll(() => work.cleanup());
  let moved = 0;

  for (const name of files) {
    const original = readFileSync(join(CORPUS, name), 'utf8');
    const before = services(load(original));
    const credentials = Object.entries(before).flatMap(([service, config]) =>
      literalCredentials(environment(config ?? {})).map((c) => ({ service, ...c })),
    );
    if (credentials.length === 0) continue;

    it(`${name}: ${credentials.length} credential${credentials.length === 1 ? '' : 's'}`, async () => {
      const dir = join(work.dir, name.replace(/\W+/g, '_'));
      mkdirSync(dir);
      copyFileSync(join(CORPUS, name), join(dir, 'compose.yaml'));
      chmodSync(join(dir, 'compose.yaml'), 0o644); // a working copy, writable as a checkout is

      // Every output of every command, before and after fixing.
      const outputs: string[] = [];
      const run = async (...argv: string[]) => {
        const result = await cli(argv, { cwd: dir });
        outputs.push(result.stdout, result.stderr);
        return result;
      };
      for (const format of FORMATS) await run('check', '--format', format, 'compose.yaml');
      for (const format of ['text', 'json']) await run('inspect', '--format', format, 'compose.yaml');
      await run('diff', 'compose.yaml');
      const fixed = await run('fix', 'compose.yaml');
      expect(fixed.code, fixed.stderr).toBe(0);
      for (const format of FORMATS) await run('check', '--format', format, 'compose.yaml');
      await run('diff', 'compose.yaml');

      const text = readFileSync(join(dir, 'compose.yaml'), 'utf8');
      const after = services(load(text));
      const secretsDir = join(dir, 'secrets');
      const stored = new Map(filesUnder(secretsDir).map((path) => [path, readFileSync(path, 'utf8')]));

      // (1) Nothing literal is left in any environment, and each value is stored under secrets/.
      for (const [service, config] of Object.entries(after)) {
        expect(literalCredentials(environment(config ?? {})), `${service}: literal credentials left in environment`).toEqual([]);
      }
      for (const { service, key, value } of credentials) {
        expect([...stored.values()].some((content) => content === value), `${service}.${key}: a secret file holds the value`).toBe(true);
      }
      expect(statSync(secretsDir).mode & 0o777, 'secrets/ is 0700').toBe(0o700);
      for (const path of stored.keys()) expect(statSync(path).mode & 0o022, `${path} is not writable by group or others`).toBe(0);
      expect(readFileSync(join(dir, '.gitignore'), 'utf8').split('\n')).toContain('/secrets/');

      // Each application sees the same values: from the environment, a `_FILE` secret, or the env file.
      const declared = (load(text).secrets ?? {}) as Record<string, { file?: string; environment?: string }>;
      for (const { service, key, value } of credentials) {
        const config = after[service] ?? {};
        const env = environment(config);
        const fromFile = Object.entries(env).find(([k, v]) => k.startsWith(key) && /^_{1,2}FILE$/.test(k.slice(key.length)) && v?.startsWith('/run/secrets/'));
        if (fromFile) {
          const secret = fromFile[1]!.slice('/run/secrets/'.length);
          expect((config.secrets as string[]).map(String), `${service} mounts ${secret}`).toContain(secret);
          expect(readFileSync(join(dir, declared[secret]!.file!), 'utf8'), `${service}.${key} through ${fromFile[0]}`).toBe(value);
          moved++;
          continue;
        }
        const envFiles = ([] as unknown[]).concat(config.env_file ?? []).map(String);
        const seen = Object.assign({}, ...envFiles.filter((p) => p.startsWith('./secrets/')).map((p) => envFile(readFileSync(join(dir, p), 'utf8')))) as Env;
        expect(seen[key], `${service}.${key} from its env file`).toBe(value);
        moved++;
      }

      // (2) No value in any output; (4) a second fix writes nothing.
      const everything = outputs.join('\n');
      for (const { service, key, value } of credentials) {
        if (value.length < 3) continue;
        expect(everything.includes(value), `${service}.${key}: its value appears in an output`).toBe(false);
      }
      const again = await cli(['fix', 'compose.yaml'], { cwd: dir });
      expect(again.stdout).toMatch(/nothing to fix/);
      expect(readFileSync(join(dir, 'compose.yaml'), 'utf8')).toBe(text);
    });
  }

  it('moved credentials in the corpus', () => {
    // Logged for the record; the per-file tests above assert each one.
    console.log(`credentials moved out of environment: across the corpus: ${moved}`);
  });
});

describe.runIf(!hasShared)('corpus secrets', () => {
  it.skip(skipMessage('the corpus secrets suite'), () => {});
});
