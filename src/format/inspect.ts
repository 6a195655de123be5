import type { PlannedChange } from '../core/engine.js';
import type { ComposeFile } from '../core/compose-file.js';
import type { Intent } from '../core/intents.js';
import { Commented, renderFlow, type YamlValue } from '../core/render.js';
import { serviceProfile } from '../knowledge/service-profile.js';
import { citeEntry } from '../knowledge/images.js';
import type { Palette } from './colors.js';

export interface InspectedChange {
  readonly ruleId: string;
  readonly op: 'set' | 'add' | 'remove' | 'rename' | 'write';
  readonly key: string;
  readonly value: unknown;
  readonly reason: string;
  readonly source: string;
}

export interface InspectedService {
  readonly name: string;
  readonly image: {
    readonly ref: string | null;
    readonly registry: string | null;
    readonly repository: string | null;
    readonly tag: string | null;
    readonly digest: string | null;
    readonly built: boolean;
    readonly entry: string | null;
    readonly knowledge: string | null;
    readonly variant: string | null;
  };
  readonly changes: readonly InspectedChange[];
}

export interface InspectedFile {
  readonly path: string;
  readonly error: { readonly message: string; readonly line: number; readonly column: number } | null;
  readonly services: readonly InspectedService[];
}

/** Per service: the parsed image reference, the knowledge entry matched, and each planned change with its reason and source. */
export function inspectFile(file: ComposeFile, planned: readonly PlannedChange[]): InspectedService[] {
  return file.services.map((service) => {
    const profile = serviceProfile(service);
    const ref = profile.image;
    const changes = planned
      .filter((p) => p.service === service)
      .flatMap((p) => p.intents.map((intent) => describeChange(p.finding.ruleId, intent, p.finding.message)));
    return {
      name: service.name,
      image: {
        ref: typeof service.effective.image === 'string' ? service.effective.image : null,
        registry: ref?.registry ?? null,
        repository: ref?.repository ?? null,
        tag: ref?.tag ?? null,
        digest: ref?.digest ?? null,
        built: profile.built,
        entry: profile.match?.entry.id ?? null,
        knowledge: profile.match ? citeEntry(profile.match) : null,
        variant: profile.match?.variant ?? null,
      },
      changes,
    };
  });
}

function describeChange(ruleId: string, intent: Intent, message: string): InspectedChange {
  const base = { ruleId, reason: intent.reason ?? message, source: intent.source ?? `rule ${ruleId}` };
  switch (intent.kind) {
    case 'set':
      return { ...base, op: 'set', key: intent.path.join('.'), value: plain(intent.value) };
    case 'add-items':
      return { ...base, op: 'add', key: intent.key, value: intent.items.map(plain) };
    case 'remove-items':
      return { ...base, op: 'remove', key: intent.key, value: intent.secret ? intent.values.map(keyOnly) : [...intent.values] };
    case 'unset':
      return { ...base, op: 'remove', key: intent.path.join('.'), value: null };
    case 'rename':
      return { ...base, op: 'rename', key: intent.path.join('.'), value: { [intent.to]: plain(intent.value) } };
    case 'write-file':
      // A side file's content is never shown: it may be a secret.
      return { ...base, op: 'write', key: intent.file.path, value: `${intent.file.kind} file, mode ${intent.file.mode.toString(8).padStart(4, '0')}` };
  }
}

/** `KEY=value` shown as `KEY=****`. */
function keyOnly(item: unknown): string {
  const text = String(item);
  const eq = text.indexOf('=');
  return eq === -1 ? text : `${text.slice(0, eq)}=****`;
}

function plain(value: YamlValue): unknown {
  if (value instanceof Commented) return plain(value.value);
  if (Array.isArray(value)) return value.map(plain);
  return value;
}

export function formatInspectJson(files: readonly InspectedFile[]): string {
  return `${JSON.stringify({ files }, null, 2)}\n`;
}

export function formatInspectText(files: readonly InspectedFile[], paint: Palette): string {
  const out: string[] = [];
  for (const file of files) {
    if (file.error) continue;
    out.push(paint.bold(file.path));
    for (const service of file.services) {
      const { image } = service;
      const what = image.built
        ? `built locally${image.ref ? ` as ${image.ref}` : ''}: no knowledge applies`
        : image.ref === null
          ? 'no image'
          : image.entry
            ? `${image.ref} -> ${image.entry} (${image.knowledge}${image.variant ? `; ${image.variant}` : ''})`
            : `${image.ref} -> no knowledge entry (compatibility defaults)`;
      out.push(`  ${paint.cyan(service.name)}  ${what}`);
      for (const change of service.changes) {
        const sign = change.op === 'remove' ? paint.red('-') : paint.green('+');
        out.push(`    ${sign} ${change.key}: ${renderFlow(change.value as YamlValue)}  ${paint.dim(`[${change.ruleId}] ${change.reason} (${change.source})`)}`);
      }
      if (service.changes.length === 0) out.push(`    ${paint.dim('no changes')}`);
    }
    out.push('');
  }
  return out.length > 0 ? `${out.join('\n')}` : '';
}
