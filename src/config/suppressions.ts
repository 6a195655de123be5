import { isMap, isScalar, type Node, type Pair } from 'yaml';
import type { ComposeFile, ServiceNode } from '../core/compose-file.js';
import type { RunScope } from '../core/engine.js';
import { InputError } from '../core/errors.js';
import type { ConfigIgnore } from './config.js';
import { unknownRule } from './suggest.js';

/** Why a finding is not acted on, and where that was said. */
export interface Suppression {
  readonly reason: string;
  /** `x-compose-harden`: the service's extension field (in the compose file); `config`: the config file. */
  readonly source: 'x-compose-harden' | 'config';
}

export const EXTENSION = 'x-compose-harden';

/**
 * The suppressions of one compose file: its services' `x-compose-harden: {ignore: {rule: reason}}` and
 * the config file's `ignore:` entries. The service's own word wins over the config's.
 */
export class Suppressions implements RunScope {
  private readonly byService = new Map<string, Map<string, Suppression>>();

  constructor(
    private readonly ignores: readonly ConfigIgnore[],
    private readonly known: ReadonlySet<string>,
  ) {}

  suppressed(service: ServiceNode, file: ComposeFile): ReadonlySet<string> {
    return new Set(this.forService(service, file).keys());
  }

  /** The suppression of a finding, once its service was seen by a run. */
  lookup(ruleId: string, service: string | null): Suppression | null {
    if (service === null) return null;
    return this.byService.get(service)?.get(ruleId) ?? null;
  }

  private forService(service: ServiceNode, file: ComposeFile): Map<string, Suppression> {
    let found = this.byService.get(service.name);
    if (found) return found;
    found = new Map();
    for (const entry of this.ignores) {
      if (entry.service === null || entry.service === service.name) found.set(entry.rule, { reason: entry.reason, source: 'config' });
    }
    for (const [rule, reason] of readExtension(service, file, this.known)) found.set(rule, { reason, source: 'x-compose-harden' });
    this.byService.set(service.name, found);
    return found;
  }
}

/** `ignore:` of a service's `x-compose-harden`, validated; throws an InputError at the offending node. */
function readExtension(service: ServiceNode, file: ComposeFile, known: ReadonlySet<string>): Array<[string, string]> {
  const ext = service.effective[EXTENSION];
  if (ext === undefined || ext === null) return [];
  // The nodes, when the service writes the field itself (else it is inherited: point at the merge key).
  const own = service.ownPair(EXTENSION)?.value as Node | null | undefined;
  const ignorePair = isMap(own) ? (own.items as Array<Pair<Node, Node | null>>).find((p) => isScalar(p.key) && p.key.value === 'ignore') : undefined;
  const fail = (node: Node | null | undefined, message: string): never => {
    const at = file.position(node?.range?.[0] ?? service.locate(EXTENSION).range?.[0] ?? 0);
    throw new InputError(message, at.line, at.column);
  };
  if (typeof ext !== 'object' || Array.isArray(ext)) {
    return fail(own, `${EXTENSION} on service "${service.name}" must be a mapping (ignore, limits, network, file-variants)`);
  }
  const ignore = (ext as Record<string, unknown>).ignore;
  if (ignore === undefined) return [];
  const ignoreNode = ignorePair?.value ?? ignorePair?.key;
  if (ignore === null || typeof ignore !== 'object' || Array.isArray(ignore)) {
    return fail(ignoreNode, `${EXTENSION}.ignore must map rule ids to the reason each does not apply; for example \`ignore: {read-only-rootfs: "writes /var/cache at runtime"}\``);
  }
  const pairs = isMap(ignorePair?.value) ? (ignorePair.value.items as Array<Pair<Node, Node | null>>) : [];
  const nodeOf = (rule: string) => pairs.find((p) => isScalar(p.key) && String(p.key.value) === rule);
  const out: Array<[string, string]> = [];
  for (const [rule, reason] of Object.entries(ignore as Record<string, unknown>)) {
    const pair = nodeOf(rule);
    if (!known.has(rule)) fail(pair?.key ?? ignoreNode, `${EXTENSION}.ignore: ${unknownRule(rule, known)}`);
    if (typeof reason !== 'string' || reason.trim() === '') {
      fail((reason === null ? pair?.key : pair?.value) ?? pair?.key ?? ignoreNode, `${EXTENSION}.ignore.${rule} needs a reason: write why the rule does not apply to "${service.name}" as its value`);
    }
    out.push([rule, (reason as string).trim()]);
  }
  return out;
}
