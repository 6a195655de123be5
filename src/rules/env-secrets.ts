import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { ServiceNode } from '../core/compose-file.js';
import { classifyValue, isCredentialKey, urlWithPassword } from './support/credentials.js';
import type { Report, Rule } from './types.js';

export const envSecrets: Rule = {
  meta: {
    id: 'env-secrets',
    title: 'Credential in environment',
    severity: 'warning',
    fix: 'manual',
    cis: ['4.10'],
    refs: { kics: [], semgrep: [], composeLint: ['CL-0020', 'CL-0021'] },
    rationale:
      'Environment variables are visible to anyone who can run `docker inspect`, end up in logs and crash reports, are inherited by every child process, and a literal one sits in the compose file that gets committed. Compose secrets are files mounted at /run/secrets, readable only inside the container.',
    remedy:
      'Move the value into a compose secret: a file under `secrets/` (git-ignored) declared in the top-level `secrets:` and listed in the service\'s `secrets:`, or `environment:` as the source for a `${VAR}` value; then use the image\'s `NAME_FILE` variable (postgres, mysql, mariadb, wordpress, ... in the image knowledge) or make the application read /run/secrets/<name>. Reported only for now; the value itself is never printed.',
    owns: [],
    examples: {
      bad: 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: s3cr3t\n',
      good:
        'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD_FILE: /run/secrets/postgres_password\n    secrets:\n      - postgres_password\nsecrets:\n  postgres_password:\n    file: ./secrets/postgres_password\n',
    },
  },
  check(service) {
    const reports: Report[] = [];
    for (const { key, value, node } of environmentEntries(service)) {
      const text = value === null || value === undefined ? '' : String(value);
      if (isCredentialKey(key)) {
        const kind = classifyValue(value);
        if (kind.kind === 'literal') {
          reports.push({ message: `service "${service.name}" sets ${key} to a literal credential in environment: move it into a compose secret`, node });
          continue;
        }
        if (kind.kind === 'interpolated') {
          reports.push({
            message: `service "${service.name}" passes ${key} through environment${kind.variable ? ` from \${${kind.variable}}` : ''}: a compose secret keeps it out of \`docker inspect\``,
            node,
            severity: 'info',
          });
          continue;
        }
      }
      if (urlWithPassword(text)) {
        reports.push({ message: `service "${service.name}" has a URL with a literal password in ${key}: move the password into a compose secret`, node });
      }
    }
    return reports;
  },
};

interface EnvEntry {
  readonly key: string;
  readonly value: unknown;
  /** The key (map form) or the item (list form) in the service's own mapping, when it is written there. */
  readonly node: Node | undefined;
}

/** The effective environment of a service, map or `KEY=value` list form, with the node of each entry. */
function environmentEntries(service: ServiceNode): EnvEntry[] {
  const env = service.effective.environment;
  const own = service.ownPair('environment')?.value as Node | null | undefined;
  const fallback = service.locate('environment');
  if (Array.isArray(env)) {
    const items = isSeq(own) ? (own.items as Node[]) : [];
    return env.map((item, i) => {
      const text = String(item);
      const eq = text.indexOf('=');
      return { key: eq === -1 ? text : text.slice(0, eq), value: eq === -1 ? null : text.slice(eq + 1), node: items[i] ?? fallback };
    });
  }
  if (env === null || typeof env !== 'object') return [];
  return Object.entries(env as Record<string, unknown>).map(([key, value]) => {
    const pair = isMap(own) ? own.items.find((p) => isScalar(p.key) && String(p.key.value) === key) : undefined;
    return { key, value, node: (pair?.key as Node | undefined) ?? fallback };
  });
}
