import {
  Document,
  Pair,
  Scalar,
  YAMLMap,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  type Alias,
  type Node,
  type YAMLError,
} from 'yaml';
import { RESET_TAG, composeTags } from './compose-tags.js';
import { EffectiveReader, isMergeKey } from './effective.js';
import { LineIndex } from './line-index.js';
import { InputError } from './errors.js';
import type { SourceText } from './source.js';
import { detectStyle, type FileStyle } from './style.js';

export interface Position {
  line: number;
  column: number;
}

/** One entry under `services:`. */
export interface ServiceNode {
  readonly name: string;
  readonly pair: Pair<Scalar, unknown>;
  readonly key: Scalar;
  /** The service's own mapping, or null for an empty (`web:`) or aliased (`web: *base`) service. */
  readonly map: YAMLMap | null;
  /** Set when the whole service is an alias of another node. */
  readonly alias: Alias | null;
  /** What Compose sees: merge keys and aliases resolved, `!reset` values removed. */
  readonly effective: Record<string, unknown>;
  /** The service's own pair for a key (never a merge key), if written in the service. */
  ownPair(key: string): Pair<Scalar, unknown> | undefined;
  /** The node a finding about `key` points at: the own key, else the merge key it is inherited through, else the service name. */
  locate(key?: string): Node;
  /** The nodes the service inherits from: its alias target, or the targets of its merge keys. */
  readonly inherits: readonly Node[];
}

/** A parsed compose file: the document, its effective view and its style, shared by every rule. */
export interface ComposeFile {
  readonly source: SourceText;
  readonly doc: Document.Parsed;
  readonly root: YAMLMap;
  readonly servicesMap: YAMLMap | null;
  readonly services: readonly ServiceNode[];
  readonly style: FileStyle;
  /** The legacy `version:` value, or null for Compose Specification files. */
  readonly version: string | null;
  /** A top-level section (`volumes`, `networks`, `secrets`, ...) as plain data, read once. */
  topLevel(key: string): unknown;
  /** Any node as plain data, aliases and merge keys resolved. */
  toJS(node: Node | null | undefined): unknown;
  /** The top-level mapping as an edit target, for fixes that add top-level entries (`networks`, `secrets`). */
  readonly top: ServiceNode;
  position(offset: number): Position;
}

/** Parses a compose file once; throws InputError with a position for anything that is not a usable compose file. */
export function parseComposeFile(source: SourceText): ComposeFile {
  const { text } = source;
  const lines = new LineIndex(text);
  const doc = parseDocument(text, {
    merge: true,
    // The library's own check compares every key with every other: cheap on files of ordinary size, a
    // second on 5,000 services. Large files get duplicateKey below, which does the same in one pass.
    uniqueKeys: text.length <= LARGE_FILE,
    prettyErrors: false,
    customTags: composeTags,
    keepSourceTokens: false,
  });
  const position = (offset: number): Position => {
    return lines.position(Math.max(0, Math.min(offset, text.length)));
  };
  const firstError = doc.errors[0];
  if (firstError) throw syntaxError(firstError, text, position);
  const duplicate = text.length > LARGE_FILE ? duplicateKey(doc.contents) : null;
  if (duplicate) {
    const at = position(duplicate.range![0]);
    const token = duplicate.source ?? String(duplicate.value);
    const quoted = duplicate.type === 'QUOTE_DOUBLE' || duplicate.type === 'QUOTE_SINGLE' ? text.slice(duplicate.range![0], duplicate.range![1]) : `"${token}"`;
    throw new InputError(`duplicate key ${quoted}: each key may appear only once in a mapping; keep one of the entries`, at.line, at.column);
  }

  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null && root.range[0] === root.range[2])) {
    throw new InputError('the file has no YAML content: a compose file is a mapping with a `services:` key', 1, 1);
  }
  if (!isMap(root)) {
    const at = position(root.range![0]);
    const kind = isSeq(root) ? 'a sequence' : isAlias(root) ? 'an alias' : 'a scalar value';
    throw new InputError(
      `the top level is ${kind}, not a mapping: a compose file is a mapping with a \`services:\` key`,
      at.line,
      at.column,
    );
  }

  const servicesPair = root.items.find((p) => isScalar(p.key) && p.key.value === 'services');
  let servicesMap: YAMLMap | null = null;
  if (!servicesPair) {
    if (!root.items.some((p) => isScalar(p.key) && p.key.value === 'include')) throw missingServices(root, position);
  } else if (isMap(servicesPair.value)) {
    servicesMap = servicesPair.value;
  } else if (!(isScalar(servicesPair.value) && servicesPair.value.value === null)) {
    const node = servicesPair.value as Node;
    const at = position(node?.range?.[0] ?? (servicesPair.key as Node).range![0]);
    throw new InputError('`services` must be a mapping of service names to their settings', at.line, at.column);
  }

  const reader = new EffectiveReader(doc, position);
  const hasResets = text.includes(RESET_TAG);
  const services = servicesMap ? readServices(reader, servicesMap, position, hasResets) : [];
  // Alias problems (no anchor, an alias bomb) surface as input errors of the parse itself.
  if (text.includes('*')) reader.validateAliases();
  let style: FileStyle | undefined;
  const sections = new Map<string, unknown>();
  const versionPair = root.items.find((p) => isScalar(p.key) && p.key.value === 'version');
  const version = versionPair && isScalar(versionPair.value) ? String(versionPair.value.value) : null;
  let top: ServiceNode | undefined;
  return {
    source,
    doc,
    root,
    get top() {
      top ??= makeService(reader, '(top level)', { key: new Scalar('') } as Pair<Scalar, unknown>, new Scalar(''), root, null);
      return top;
    },
    servicesMap,
    services,
    get style() {
      style ??= detectStyle(text, doc, position);
      return style;
    },
    version,
    position,
    toJS: (node) => reader.toJS(node),
    topLevel(key: string) {
      if (!sections.has(key)) {
        const pair = root.items.find((p) => isScalar(p.key) && p.key.value === key);
        const value = pair?.value as Node | null | undefined;
        sections.set(key, value ? reader.toJS(value) : undefined);
      }
      return sections.get(key);
    },
  };
}

function readServices(
  reader: EffectiveReader,
  servicesMap: YAMLMap,
  position: (o: number) => Position,
  hasResets: boolean,
): ServiceNode[] {
  const out: ServiceNode[] = [];
  for (const pair of servicesMap.items as Pair<unknown, unknown>[]) {
    const key = pair.key;
    if (!isScalar(key)) {
      const at = position((key as Node | null)?.range?.[0] ?? servicesMap.range![0]);
      throw new InputError('a service name must be a plain string', at.line, at.column);
    }
    if (isMergeKey(key)) continue; // merge keys at this level are not services
    const name = String(key.value);
    const value = pair.value as Node | null;
    let map: YAMLMap | null = null;
    let alias: Alias | null = null;
    if (isMap(value)) map = value;
    else if (isAlias(value)) {
      alias = value;
      const target = reader.target(value);
      if (!target) {
        const at = position(value.range![0]);
        throw new InputError(`alias *${value.source} has no anchor before it: define &${value.source} earlier in the file`, at.line, at.column);
      }
      if (!isMap(target)) throw serviceNotMapping(name, value, position);
    } else if (!(value === null || (isScalar(value) && value.value === null))) {
      throw serviceNotMapping(name, value, position);
    }
    out.push(makeService(reader, name, pair as Pair<Scalar, unknown>, key, map, alias, hasResets));
  }
  return out;
}

function makeService(
  reader: EffectiveReader,
  name: string,
  pair: Pair<Scalar, unknown>,
  key: Scalar,
  map: YAMLMap | null,
  alias: Alias | null,
  hasResets = true,
): ServiceNode {
  let effective: Record<string, unknown> | undefined;
  let inherits: Node[] | undefined;
  const ownPair = (k: string) =>
    map?.items.find((p): p is Pair<Scalar, unknown> => isScalar(p.key) && p.key.value === k && !isMergeKey(p.key));
  return {
    name,
    pair,
    key,
    map,
    alias,
    get effective() {
      if (!effective) effective = readEffective(reader, map, alias, hasResets);
      return effective;
    },
    ownPair,
    get inherits() {
      inherits ??= inheritedNodes(reader, map, alias);
      return inherits;
    },
    locate(k?: string): Node {
      if (k !== undefined) {
        const own = ownPair(k);
        if (own) return own.key;
        if (map && k in this.effective) {
          const merges = map.items.filter((p) => isMergeKey(p.key));
          // With several `<<` keys in one service, the one whose sources provide the key.
          const merge = merges.length > 1 ? (merges.find((p) => mergeProvides(reader, p.value as Node | null, k)) ?? merges[0]) : merges[0];
          if (merge) return merge.key as Node;
        }
        if (alias && k in this.effective) return alias;
      }
      return key;
    },
  };
}

/** Whether a merge key's value (an alias, or a list of them) brings in `key`. */
function mergeProvides(reader: EffectiveReader, value: Node | null, key: string): boolean {
  const sources = isSeq(value) ? (value.items as Node[]) : value ? [value] : [];
  return sources.some((source) => {
    const target = isAlias(source) ? reader.target(source) : source;
    return isMap(target) && key in reader.lazyMap(target);
  });
}

function inheritedNodes(reader: EffectiveReader, map: YAMLMap | null, alias: Alias | null): Node[] {
  if (alias) {
    const target = reader.target(alias);
    return target ? [target] : [];
  }
  const out: Node[] = [];
  for (const pair of map?.items ?? []) {
    if (!isMergeKey(pair.key)) continue;
    const value = pair.value as Node | null;
    const sources = isSeq(value) ? (value.items as Node[]) : value ? [value] : [];
    for (const source of sources) {
      const target = isAlias(source) ? reader.target(source) : undefined;
      if (target) out.push(target);
    }
  }
  return out;
}

function readEffective(reader: EffectiveReader, map: YAMLMap | null, alias: Alias | null, hasResets: boolean): Record<string, unknown> {
  const target = alias ? reader.target(alias) : map;
  if (!target || !isMap(target)) return {};
  const js = reader.lazyMap(target);
  // Most files have no `!reset` at all: then there is nothing to look for.
  if (hasResets) removeResets(target, js);
  return js;
}

/** Removes the keys whose value is tagged `!reset`, as Compose does. */
function removeResets(map: YAMLMap, js: Record<string, unknown>): void {
  for (const pair of map.items) {
    if (!isScalar(pair.key)) continue;
    const k = String(pair.key.value);
    const value = pair.value as Node | null;
    if (value && (value as { tag?: string }).tag === RESET_TAG) delete js[k];
    else if (isMap(value) && js[k] && typeof js[k] === 'object') removeResets(value, js[k] as Record<string, unknown>);
  }
}

function serviceNotMapping(name: string, value: Node | null, position: (o: number) => Position): InputError {
  const at = position(value?.range?.[0] ?? 0);
  const kind = isSeq(value) ? 'a sequence' : 'a scalar value';
  // A key such as `image:` written straight under `services:` is the common cause: it belongs under a service name.
  return new InputError(
    `service "${name}" is ${kind}, not a mapping of settings: write the service's settings indented under its name (services: {web: {image: nginx}}), or remove the entry`,
    at.line,
    at.column,
  );
}

function missingServices(root: YAMLMap, position: (o: number) => Position): InputError {
  const looksLikeV1 = root.items.find(
    (p) => isMap(p.value) && p.value.items.some((q) => isScalar(q.key) && ['image', 'build'].includes(String(q.key.value))),
  );
  if (looksLikeV1) {
    const at = position((looksLikeV1.key as Node).range![0]);
    return new InputError(
      'no `services:` key: this looks like a legacy Compose v1 file (services at the top level); ' +
        'move the services under a `services:` key, as the Compose Specification requires',
      at.line,
      at.column,
    );
  }
  const at = position(root.range![0]);
  return new InputError('no `services:` key: a compose file lists its containers under `services:`', at.line, at.column);
}

/** Above this many characters, duplicate keys are found by duplicateKey instead of the YAML library. */
const LARGE_FILE = 100_000;

/** The first key, in document order, that repeats an earlier key of the same mapping (merge keys may repeat). */
function duplicateKey(root: Node | null): Scalar | null {
  let first: Scalar | null = null;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const items = node.items;
      // Small mappings (nearly all) compare pairwise without allocating; large ones use a set.
      const seen = items.length > 16 ? new Set<unknown>() : null;
      for (let i = 0; i < items.length; i++) {
        const pair = items[i]!;
        const key = pair.key;
        if (isScalar(key) && !isMergeKey(key)) {
          const id = keyId(key);
          let repeated = false;
          if (seen) {
            repeated = seen.has(id);
            seen.add(id);
          } else {
            for (let j = 0; j < i && !repeated; j++) {
              const other = items[j]!.key;
              repeated = isScalar(other) && !isMergeKey(other) && keyId(other) === id;
            }
          }
          if (repeated && (!first || key.range![0] < first.range![0])) first = key;
        }
        if (isMap(pair.value) || isSeq(pair.value)) stack.push(pair.value);
      }
    } else if (isSeq(node)) for (const item of node.items) if (isMap(item) || isSeq(item)) stack.push(item);
  }
  return first;
}

function keyId(key: Scalar): unknown {
  return typeof key.value === 'object' && key.value !== null ? String(key.value) : key.value;
}

const HINTS: Record<string, string> = {
  DUPLICATE_KEY: 'keep one of the entries',
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  MULTIPLE_DOCS: 'a compose file holds one document; split the documents into separate files',
  BAD_INDENT: 'check the indentation of this line',
  MISSING_CHAR: 'close the quote or bracket',
  BLOCK_AS_IMPLICIT_KEY: 'check the indentation and the colon after the key',
};

function syntaxError(error: YAMLError, text: string, position: (o: number) => Position): InputError {
  const at = position(error.pos[0]);
  const line = text.slice(error.pos[0]).split(/\r?\n/, 1)[0] ?? '';
  const token = /^("[^"]*"|'[^']*'|[^:#]+?)\s*:/.exec(line)?.[1] ?? '';
  const base = error.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim();
  const what =
    error.code === 'DUPLICATE_KEY'
      ? `duplicate key${token ? ` ${token.startsWith('"') || token.startsWith("'") ? token : `"${token}"`}` : ''}: each key may appear only once in a mapping`
      : error.code === 'MULTIPLE_DOCS'
        ? 'a second YAML document starts here'
        : /call stack/i.test(base)
          ? 'the YAML nests collections too deeply to be read (thousands of levels)'
          : `invalid YAML: ${base.charAt(0).toLowerCase()}${base.slice(1)}`;
  const hint = /call stack/i.test(base) ? 'a compose file nests a few levels: check that this is the right file' : (HINTS[error.code] ?? 'fix the YAML syntax');
  return new InputError(`${what}; ${hint}`, at.line, at.column);
}
