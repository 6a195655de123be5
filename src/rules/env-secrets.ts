import { isNode, isScalar, isSeq, type Node } from 'yaml';
import type { ServiceNode } from '../core/compose-file.js';
import type { Intent } from '../core/intents.js';
import type { YamlValue } from '../core/render.js';
import { SECRET_FILE_MODE, SECRETS_DIR, SECRETS_DIR_MODE } from '../core/side-files.js';
import { classifyEntry, urlWithPassword } from './support/credentials.js';
import { credentialMoves, serviceCredentials, type CredentialMove, type SecretSource } from './support/secret-plan.js';
import { TOP_LEVEL, type Report, type Rule, type RuleContext } from './types.js';

export const envSecrets: Rule = {
  meta: {
    id: 'env-secrets',
    title: 'Credential in environment',
    severity: 'warning',
    fix: 'review',
    cis: ['4.10'],
    refs: { kics: [], semgrep: [], composeLint: ['CL-0020', 'CL-0021'] },
    detects:
      'Credential-shaped keys in `environment:` (map or list form) with a literal value: `*PASSWORD*`, `*PASSPHRASE*`, `*_PASS`, `*_PWD`, `*SECRET*`, `*TOKEN*`, `*API_KEY*`, `*ACCESS_KEY*`, private, encryption, signing and master keys, `*_SALT`, `*_DSN`, `*CREDENTIAL*`; a `scheme://user:password@` URL in any variable (the user may be empty: `redis://:password@redis`); a `${VAR}` value of such a key (information); and credentials in the files of `env_file:` (information). A placeholder such as `changeme` is a literal (and weak) credential too. Not credentials: booleans and `0`/`1`, `/run/secrets/...` paths, keys about where a credential is or whom it is for (`*_FILE`, `*_URL`, `*_USER`, `*_REALM`, `*_SERVICE`), the public certificate that checks one (`*_CERT`, `*CERTBUNDLE`, `*_CRT`), and settings about one (`TOKEN_TTL`, `PASSWORD_MIN_LENGTH`, `OPENAI_MAX_TOKENS`, `ENABLE_TOKEN`) whose value reads as a setting: a number, a duration (`30m`), a size, a rate (`5/hour`) or a switch.',
    rationale:
      'Environment variables are visible to anyone who can run `docker inspect`, end up in logs and crash reports, are inherited by every child process, and a literal one sits in the compose file that gets committed. Compose secrets are files mounted at /run/secrets, readable only inside the container.',
    remedy:
      'Move the value into a compose secret: a file under `secrets/` (git-ignored) declared in the top-level `secrets:` and listed in the service\'s `secrets:`, or `environment:` as the source for a `${VAR}` value; then use the image\'s `NAME_FILE` variable (postgres, mysql, mariadb, wordpress, ... in the image knowledge) or make the application read /run/secrets/<name>. `fix` does this: literals go to `secrets/<name>` (directory 0700, files 0444, git-ignored); where the image has no `_FILE` variant the variable keeps reaching the application from a git-ignored `secrets/<service>.env` until it reads the secret. Values are never printed: `diff` masks them. Differences: a password passed through from the environment (`${VAR}`, `$VAR`, also after an escaped `$$`) is reported as information, since a compose secret keeps it out of `docker inspect` (compose-lint CL-0020 does not report it); a setting about a credential whose value is a rate (`PASSWORD_RESET_REQUEST_THROTTLE_RATE: 5/hour`) is not reported, like one whose value is a number or a duration (compose-lint reports a rate).',
    owns: ['environment', 'env_file', 'secrets'],
    ownsTopLevel: ['secrets'],
    examples: {
      bad: 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: s3cr3t\n',
      good:
        'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD_FILE: /run/secrets/postgres_password\n    secrets:\n      - postgres_password\nsecrets:\n  postgres_password:\n    file: ./secrets/postgres_password\n',
    },
  },
  check(service, file, context) {
    const reports: Report[] = [];
    const credentials = serviceCredentials(service);
    // The file-wide plan (names shared across services) is made only once a service has a credential.
    const moves = credentials.length > 0 ? credentialMoves(file, service) : undefined;
    for (const credential of credentials) {
      const { entry } = credential;
      const move = moves?.get(entry.key);
      const problem =
        credential.kind === 'literal'
          ? `service "${service.name}" sets ${entry.key} to a literal credential in environment`
          : credential.kind === 'url'
            ? `service "${service.name}" has a URL with a literal password in ${entry.key}`
            : `service "${service.name}" passes ${entry.key} through environment${credential.variable ? ` from \${${credential.variable}}` : ''}`;
      if (!move) {
        // An interpolated value the image cannot read from a file: the value is not in the file, only in the environment.
        reports.push({ message: `${problem}: a compose secret keeps it out of \`docker inspect\`, once the application reads /run/secrets/<name>`, node: entry.node, severity: 'info' });
        continue;
      }
      if (move.action === 'report') {
        reports.push({ message: `${problem}: move it into a compose secret by hand (${move.why})`, node: entry.node, severity: credential.kind === 'interpolated' ? 'info' : undefined });
        continue;
      }
      reports.push({
        message: `${problem}: ${describeMove(move)}`,
        node: entry.node,
        severity: credential.kind === 'interpolated' ? 'info' : undefined,
        fix: () => moveIntents(move, service.name),
        related: [{ target: TOP_LEVEL, intents: [declareSecret(move.secret, move.source)] }],
      });
    }
    for (const reported of envFileCredentials(service, context)) reports.push(reported);
    return reports;
  },
};

function describeMove(move: Exclude<CredentialMove, { action: 'report' }>): string {
  const where = move.source.kind === 'file' ? `secret "${move.secret}" (${SECRETS_DIR}/${move.secret}, git-ignored)` : `secret "${move.secret}" from the variable ${move.source.variable}`;
  if (move.action === 'file-variant') return `fix moves it into ${where}, read by the image through ${move.variable}`;
  return `fix moves it into ${where}, mounted at /run/secrets/${move.secret}; the image has no ${move.entry.key}_FILE variant, so ${move.entry.key} stays in the environment from ./${move.envFile}: make the application read /run/secrets/${move.secret}`;
}

const REASON = 'credential moved out of the compose file into a compose secret';

function moveIntents(move: Exclude<CredentialMove, { action: 'report' }>, serviceName: string): Intent[] {
  const { entry, secret } = move;
  const intents: Intent[] = [];
  const path = `/run/secrets/${secret}`;
  if (move.action === 'file-variant') {
    if (entry.form === 'map') intents.push({ kind: 'rename', path: ['environment', entry.key], to: move.variable, value: path, reason: REASON, secret: true });
    else {
      intents.push({ kind: 'remove-items', key: 'environment', values: [entry.item], reason: REASON, secret: true });
      intents.push({ kind: 'add-items', key: 'environment', items: [`${move.variable}=${path}`], reason: REASON });
    }
  } else {
    if (entry.form === 'map') intents.push({ kind: 'unset', path: ['environment', entry.key], reason: REASON, secret: true });
    else intents.push({ kind: 'remove-items', key: 'environment', values: [entry.item], reason: REASON, secret: true });
    intents.push({ kind: 'add-items', key: 'env_file', items: [`./${move.envFile}`], reason: `${entry.key} still reaches ${serviceName} as an environment variable, from a git-ignored file` });
    intents.push({ kind: 'write-file', file: { path: move.envFile, content: `${move.envLine}\n`, mode: SECRET_FILE_MODE, kind: 'env', dirMode: SECRETS_DIR_MODE } });
  }
  intents.push({ kind: 'add-items', key: 'secrets', items: [secret], reason: REASON });
  if (move.source.kind === 'file') {
    intents.push({ kind: 'write-file', file: { path: `${SECRETS_DIR}/${secret}`, content: move.source.value, mode: SECRET_FILE_MODE, kind: 'secret', dirMode: SECRETS_DIR_MODE } });
    intents.push({ kind: 'write-file', file: { path: '.gitignore', content: `/${SECRETS_DIR}/\n`, mode: 0o644, kind: 'ignore' } });
  }
  return intents;
}

function declareSecret(name: string, source: SecretSource): Intent {
  const value: YamlValue = source.kind === 'file' ? { file: `./${SECRETS_DIR}/${name}` } : { environment: source.variable };
  return { kind: 'set', path: ['secrets', name], value, reason: REASON };
}

/**
 * Credential-shaped keys in the service's `env_file:` files, when the run can read them (reported, never
 * rewritten). A finding points at the item that names the file (the file's own lines are in another file).
 */
function envFileCredentials(service: ServiceNode, context: RuleContext): Report[] {
  const read = context.options.readFile;
  if (!read) return [];
  const reports: Report[] = [];
  for (const { path, node } of envFiles(service)) {
    const text = read(path);
    if (text === null) continue;
    for (const line of text.split(/\r?\n/)) {
      const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
      if (!match) continue;
      const value = match[2]!.replace(/^(['"])(.*)\1$/, '$2');
      const credential = classifyEntry(match[1]!, value).kind === 'literal' || urlWithPassword(value);
      if (!credential) continue;
      reports.push({
        message: `service "${service.name}" gets ${match[1]}, a credential, from env file ${path} into its environment: prefer a compose secret the application reads from /run/secrets`,
        node,
        severity: 'info',
      });
    }
  }
  return reports;
}

/**
 * The files of the service's `env_file:` (a path, a list of paths, or `- path: x` items), each with the
 * node a finding about it points at: its own item (the value of `env_file: x`), else the `env_file:`
 * key, merge key or alias it comes through.
 */
function envFiles(service: ServiceNode): Array<{ path: string; node: Node }> {
  const value = service.effective.env_file;
  const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  const own = service.ownPair('env_file')?.value;
  const ownItems: readonly unknown[] = isSeq(own) ? own.items : isScalar(own) ? [own] : [];
  const fallback = service.locate('env_file');
  return items.flatMap((item: unknown, i) => {
    const path = typeof item === 'string' ? item : item && typeof item === 'object' ? (item as { path?: unknown }).path : undefined;
    if (typeof path !== 'string') return [];
    const node = ownItems[i];
    return [{ path, node: isNode(node) ? node : fallback }];
  });
}
