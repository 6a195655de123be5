import { RUNTIME_FAMILIES } from './image-entry.js';

/**
 * Checks one `templates/images/*.json` file against the ImageEntry shape and the rule that every fact
 * has a source. Returns human-readable problems (`entries[2].user.source: missing`); empty when valid.
 */
export function validateFamilyFile(data: unknown): string[] {
  const problems: string[] = [];
  const v = new Validator(problems);
  if (!v.object(data, '')) return problems;
  v.string(data.family, 'family', /^[a-z0-9][a-z0-9-]*$/);
  if (!Array.isArray(data.entries) || data.entries.length === 0) {
    problems.push('entries: must be a non-empty array');
    return problems;
  }
  data.entries.forEach((entry, i) => validateEntry(v, entry, `entries[${i}]`));
  return problems;
}

const CAPABILITY = /^[A-Z][A-Z_]*$/;
const SIZE = /^\d+[kmg]?$/;
const MEMORY = /^\d+(\.\d+)?[KMG]$/;
const USER = /^\d+:\d+$/;
const SOURCE = /^(https:\/\/\S+|entrypoint: .+|Dockerfile: .+|measured: .+)$/;

function validateEntry(v: Validator, entry: unknown, at: string): void {
  if (!v.object(entry, at)) return;
  v.string(entry.id, `${at}.id`, /^[a-z0-9][a-z0-9-]*$/);
  v.string(entry.title, `${at}.title`);
  if (v.array(entry.match, `${at}.match`, true)) {
    entry.match.forEach((m, i) => v.string(m, `${at}.match[${i}]`, /^[a-z0-9][a-z0-9._:/-]*(\/\*)?$/));
  }
  if (!RUNTIME_FAMILIES.includes(entry.runtime as never)) v.fail(`${at}.runtime`, `must be one of ${RUNTIME_FAMILIES.join(', ')}`);
  validateUser(v, entry.user, `${at}.user`);
  validateCapabilities(v, entry.capabilities, `${at}.capabilities`);
  validateWritable(v, entry.writable, `${at}.writable`);
  if (entry.readOnly !== undefined && v.object(entry.readOnly, `${at}.readOnly`)) {
    if (entry.readOnly.supported !== false) v.fail(`${at}.readOnly.supported`, 'must be false (leave readOnly out when it is supported)');
    v.string(entry.readOnly.why, `${at}.readOnly.why`);
    if (entry.readOnly.unlessEnv !== undefined) v.string(entry.readOnly.unlessEnv, `${at}.readOnly.unlessEnv`, /^[A-Z][A-Z0-9_]*$/);
    v.source(entry.readOnly.source, `${at}.readOnly.source`);
  }
  if (v.object(entry.secrets, `${at}.secrets`)) {
    if (v.array(entry.secrets.fileVariants, `${at}.secrets.fileVariants`)) {
      entry.secrets.fileVariants.forEach((name, i) => v.string(name, `${at}.secrets.fileVariants[${i}]`, /^[A-Z][A-Z0-9_]*$/));
    }
    if (entry.secrets.fileSuffix !== undefined) v.string(entry.secrets.fileSuffix, `${at}.secrets.fileSuffix`, /^_{1,2}FILE$/);
    v.source(entry.secrets.source, `${at}.secrets.source`);
  }
  if (v.object(entry.egress, `${at}.egress`)) {
    if (typeof entry.egress.needed !== 'boolean') v.fail(`${at}.egress.needed`, 'must be true or false');
    v.string(entry.egress.why, `${at}.egress.why`);
    if (entry.egress.source !== undefined) v.source(entry.egress.source, `${at}.egress.source`);
  }
  if (v.object(entry.limits, `${at}.limits`)) {
    v.string(entry.limits.memory, `${at}.limits.memory`, MEMORY);
    v.string(entry.limits.cpus, `${at}.limits.cpus`, /^\d+(\.\d+)?$/);
    if (!Number.isInteger(entry.limits.pids) || (entry.limits.pids as number) < 16) v.fail(`${at}.limits.pids`, 'must be an integer >= 16');
    v.string(entry.limits.why, `${at}.limits.why`);
  }
  if (entry.healthcheck !== null) {
    if (v.object(entry.healthcheck, `${at}.healthcheck`)) {
      const test = entry.healthcheck.test;
      if (!Array.isArray(test) || !['CMD', 'CMD-SHELL'].includes(test[0] as string) || test.length < 2) {
        v.fail(`${at}.healthcheck.test`, 'must be ["CMD", ...] or ["CMD-SHELL", "..."]');
      }
      v.source(entry.healthcheck.source, `${at}.healthcheck.source`);
    }
  }
  if (v.object(entry.init, `${at}.init`)) {
    if (typeof entry.init.own !== 'boolean') v.fail(`${at}.init.own`, 'must be true or false');
    v.string(entry.init.why, `${at}.init.why`);
  }
  if (entry.verified !== 'docs' && entry.verified !== 'engine') v.fail(`${at}.verified`, 'must be "docs" or "engine"');
  if (v.array(entry.sources, `${at}.sources`, true)) entry.sources.forEach((s, i) => v.source(s, `${at}.sources[${i}]`));
  if (entry.variants !== undefined && v.array(entry.variants, `${at}.variants`)) {
    entry.variants.forEach((variant, i) => {
      const vat = `${at}.variants[${i}]`;
      if (!v.object(variant, vat)) return;
      v.string(variant.tags, `${vat}.tags`);
      try {
        new RegExp(String(variant.tags));
      } catch {
        v.fail(`${vat}.tags`, 'must be a valid regular expression');
      }
      v.string(variant.note, `${vat}.note`);
      if (variant.user !== undefined) validateUser(v, variant.user, `${vat}.user`);
      if (variant.capabilities !== undefined) validateCapabilities(v, variant.capabilities, `${vat}.capabilities`);
      if (variant.writable !== undefined) validateWritable(v, variant.writable, `${vat}.writable`);
    });
  }
  if (entry.proven !== undefined && v.object(entry.proven, `${at}.proven`)) {
    for (const [pointer, proofs] of Object.entries(entry.proven)) {
      if (resolvePointer(entry, pointer) === undefined) v.fail(`${at}.proven`, `${pointer} is not a fact of this entry (a JSON pointer such as /user/nonRoot)`);
      if (!v.array(proofs, `${at}.proven[${pointer}]`)) continue;
      (proofs as unknown[]).forEach((proof, i) => {
        const pat = `${at}.proven[${pointer}][${i}]`;
        if (!v.object(proof, pat)) return;
        v.string(proof.test, `${pat}.test`, /^test\/e2e\/[\w./-]+\.e2e\.ts$/);
        v.string(proof.name, `${pat}.name`);
        v.string(proof.ran, `${pat}.ran`);
        v.noExtraKeys(proof, pat, ['test', 'name', 'ran']);
      });
    }
  }
  v.noExtraKeys(entry, at, [
    'id', 'title', 'match', 'runtime', 'user', 'capabilities', 'readOnly', 'writable', 'secrets', 'egress', 'limits', 'healthcheck', 'init', 'verified', 'proven', 'sources', 'variants',
  ]);
}

function validateUser(v: Validator, user: unknown, at: string): void {
  if (!v.object(user, at)) return;
  v.string(user.default, `${at}.default`, /^(root|\d+(:\d+)?|[a-z_][a-z0-9_-]*(:[a-z_][a-z0-9_-]*)?)$/);
  v.string(user.process, `${at}.process`);
  if (user.nonRoot !== null) v.string(user.nonRoot, `${at}.nonRoot`, USER);
  v.string(user.why, `${at}.why`);
  v.source(user.source, `${at}.source`);
}

function validateCapabilities(v: Validator, caps: unknown, at: string): void {
  if (!v.object(caps, at)) return;
  for (const mode of ['default', 'nonRoot'] as const) {
    if (!v.array(caps[mode], `${at}.${mode}`)) continue;
    caps[mode].forEach((cap, i) => {
      const cat = `${at}.${mode}[${i}]`;
      if (!v.object(cap, cat)) return;
      v.string(cap.name, `${cat}.name`, CAPABILITY);
      if (typeof cap.name === 'string' && cap.name.startsWith('CAP_')) v.fail(`${cat}.name`, 'write it without the CAP_ prefix');
      v.why(cap, cat);
      v.source(cap.source, `${cat}.source`);
    });
  }
}

function validateWritable(v: Validator, writable: unknown, at: string): void {
  if (!v.object(writable, at)) return;
  if (v.array(writable.tmpfs, `${at}.tmpfs`)) {
    writable.tmpfs.forEach((t, i) => {
      const tat = `${at}.tmpfs[${i}]`;
      if (!v.object(t, tat)) return;
      v.string(t.path, `${tat}.path`, /^\/\S*$/);
      for (const id of ['uid', 'gid'] as const) {
        if (t[id] !== undefined && (!Number.isInteger(t[id]) || (t[id] as number) < 0)) v.fail(`${tat}.${id}`, 'must be a non-negative integer');
      }
      if (t.size !== undefined) v.string(t.size, `${tat}.size`, SIZE);
      if (t.owner !== undefined && t.owner !== 'process') v.fail(`${tat}.owner`, 'must be "process" when given');
      if (t.exec !== undefined && typeof t.exec !== 'boolean') v.fail(`${tat}.exec`, 'must be true or false');
      v.why(t, tat);
      v.source(t.source, `${tat}.source`);
    });
  }
  if (v.array(writable.volumes, `${at}.volumes`)) {
    writable.volumes.forEach((vol, i) => {
      const vat = `${at}.volumes[${i}]`;
      if (!v.object(vol, vat)) return;
      v.string(vol.path, `${vat}.path`, /^\/\S*$/);
      v.why(vol, vat);
      v.source(vol.source, `${vat}.source`);
    });
  }
}

class Validator {
  constructor(private readonly problems: string[]) {}

  fail(at: string, message: string): void {
    this.problems.push(`${at || '(root)'}: ${message}`);
  }

  object(value: unknown, at: string): value is Record<string, unknown> {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return true;
    this.fail(at, 'must be an object');
    return false;
  }

  array(value: unknown, at: string, nonEmpty = false): value is unknown[] {
    if (!Array.isArray(value)) {
      this.fail(at, 'must be an array');
      return false;
    }
    if (nonEmpty && value.length === 0) this.fail(at, 'must not be empty');
    return true;
  }

  string(value: unknown, at: string, pattern?: RegExp): void {
    if (typeof value !== 'string' || value.trim() === '') this.fail(at, 'must be a non-empty string');
    else if (pattern && !pattern.test(value)) this.fail(at, `"${value}" does not match ${pattern}`);
  }

  /** A `why` becomes an inline comment in the user's file: one short clause; longer text goes in `detail`. */
  why(fact: Record<string, unknown>, at: string): void {
    this.string(fact.why, `${at}.why`);
    if (typeof fact.why === 'string' && fact.why.length > 80) this.fail(`${at}.why`, `${fact.why.length} characters: keep it to 80 (it is an inline comment) and move the rest to "detail"`);
    if (fact.detail !== undefined) this.string(fact.detail, `${at}.detail`);
  }

  source(value: unknown, at: string): void {
    if (typeof value !== 'string' || !SOURCE.test(value)) {
      this.fail(at, 'must name its source: an https:// URL, or "entrypoint: ...", "Dockerfile: ..." or "measured: ..." with the URL of what it quotes');
    }
  }

  noExtraKeys(value: Record<string, unknown>, at: string, allowed: string[]): void {
    for (const key of Object.keys(value)) if (!allowed.includes(key)) this.fail(`${at}.${key}`, 'unknown key');
  }
}

/** The value at a JSON pointer (`/writable/tmpfs/0`) inside an entry, or undefined. */
function resolvePointer(root: unknown, pointer: string): unknown {
  if (!pointer.startsWith('/')) return undefined;
  let at: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}
