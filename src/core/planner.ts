import { isMap, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { ComposeFile, ServiceNode } from './compose-file.js';
import { RESET_TAG, OVERRIDE_TAG } from './compose-tags.js';
import type { Edit } from './edits.js';
import { isMergeKey } from './effective.js';
import type { Intent } from './intents.js';
import { Commented, renderBlockItem, renderBlockPair, renderFlow, renderScalar, type YamlValue } from './render.js';

/** The merged wish of all intents for one key. */
interface KeyPatch {
  set?: { value: YamlValue; replace: boolean };
  children?: Map<string, KeyPatch>;
  add?: YamlValue[];
  remove?: unknown[];
  /** Take the key out of the mapping. */
  unset?: boolean;
  /** Replace the key by another key and value, in place. */
  rename?: { to: string; value: YamlValue };
}

/** Turns the intents for each service into byte-range edits on the file's text. */
export function planEdits(file: ComposeFile, work: ReadonlyMap<ServiceNode, readonly Intent[]>): Edit[] {
  const edits: Edit[] = [];
  for (const [service, intents] of work) {
    if (intents.length > 0) edits.push(...new ServicePlanner(file, service).plan(buildPatch(intents)));
  }
  return settleInsertions(edits, file.source.text, file.source.eol);
}

function buildPatch(intents: readonly Intent[]): Map<string, KeyPatch> {
  const root = new Map<string, KeyPatch>();
  const at = (path: readonly string[]): KeyPatch => {
    let level = root;
    let patch: KeyPatch | undefined;
    path.forEach((key, i) => {
      patch = level.get(key);
      if (!patch) level.set(key, (patch = {}));
      if (i < path.length - 1) level = patch.children ??= new Map();
    });
    return patch!;
  };
  for (const intent of intents) {
    if (intent.kind === 'set') at(intent.path).set = { value: intent.value, replace: intent.replace ?? false };
    else if (intent.kind === 'add-items') {
      const patch = at([intent.key]);
      patch.add = [...(patch.add ?? []), ...intent.items.filter((item) => !(patch.add ?? []).some((a) => same(a, item)))];
    } else if (intent.kind === 'remove-items') {
      const patch = at([intent.key]);
      patch.remove = [...(patch.remove ?? []), ...intent.values];
    } else if (intent.kind === 'unset') at(intent.path).unset = true;
    else if (intent.kind === 'rename') at(intent.path).rename = { to: intent.to, value: intent.value };
    // `write-file` intents are side files: the engine collects them, they are no edit of the compose file.
  }
  return root;
}

class ServicePlanner {
  private readonly edits: Edit[] = [];
  private readonly text: string;
  private readonly eol: string;

  constructor(
    private readonly file: ComposeFile,
    private readonly service: ServiceNode,
  ) {
    this.text = file.source.text;
    this.eol = file.source.eol;
  }

  plan(patch: Map<string, KeyPatch>): Edit[] {
    const { service } = this;
    if (service.map) {
      this.patchMap(service.map, service.effective, patch);
    } else {
      // An empty or aliased service: write a mapping in its place, keeping the alias as a merge key.
      const pairs: Array<[string, YamlValue]> = [];
      for (const [key, keyPatch] of patch) {
        const value = materialize(service.effective[key], keyPatch);
        if (value !== undefined) pairs.push([key, value]);
      }
      const column = this.column(service.key.range![0]) + this.file.style.indent;
      const prefix = service.alias ? [`${' '.repeat(column)}<<: ${service.alias.source ? `*${service.alias.source}` : ''}`] : [];
      const valueNode = (service.alias ?? (service.pair.value as Node | null)) as Node | null;
      this.fillEmptyValue(service.key, valueNode, [...prefix, ...this.blockPairs(pairs, column)]);
    }
    // End-of-line comments go before any lines inserted at the same point (insertions keep their order).
    const comments = [...this.lineComments].map(([at, set]) => ({ start: at, end: at, text: `  # ${joinComments([...set])}` }));
    return [...comments, ...this.edits];
  }
  private patchMap(map: YAMLMap, effective: unknown, patch: Map<string, KeyPatch>): void {
    const newPairs: Array<[string, YamlValue]> = [];
    const eff = isRecord(effective) ? effective : {};
    for (const [key, keyPatch] of patch) {
      const pair = ownPair(map, key);
      if (keyPatch.unset || keyPatch.rename) {
        // Only a key written in this mapping is removed or renamed: an inherited one stays with its anchor.
        if (!pair) continue;
        if (keyPatch.unset) this.removePair(map, pair);
        else this.renamePair(pair, keyPatch.rename!.to, keyPatch.rename!.value);
        continue;
      }
      if (!pair) {
        const value = materialize(eff[key], keyPatch);
        if (value !== undefined) newPairs.push([key, value]);
        continue;
      }
      const value = pair.value as Node | null;
      if (keyPatch.children) {
        if (isMap(value) && !isReset(value) && removesEveryPair(value, keyPatch.children)) this.removePair(map, pair);
        else if (isMap(value) && !isReset(value)) this.patchMap(value, eff[key], keyPatch.children);
        else if (isEmpty(value)) {
          const filled = materialize(undefined, keyPatch);
          if (isRecord(filled)) this.fillEmptyValue(pair.key, value, this.blockPairs(Object.entries(filled), this.column(pair.key.range![0]) + this.file.style.indent));
        }
        continue;
      }
      if (keyPatch.set) {
        // An empty value (`init:`) counts as absent: it is filled in; a set value is kept unless the intent replaces it.
        if (!keyPatch.set.replace && !isEmpty(value)) continue;
        const current = this.file.toJS(value);
        if (same(current, keyPatch.set.value) && !isReset(value)) continue;
        if (!map.flow && (isMap(value) || isSeq(value)) && !value.flow && !isReset(value)) this.replacePairBlock(pair, keyPatch.set.value);
        else {
          this.replaceValue(pair, this.inlineValue(map, pair, keyPatch.set.value));
          if (map.flow) this.commentLine(map, [keyPatch.set.value]);
        }
        continue;
      }
      this.patchSequence(map, pair, eff[key], keyPatch);
    }
    if (newPairs.length > 0) this.insertPairs(map, newPairs);
  }

  private patchSequence(map: YAMLMap, pair: Pair<Scalar, unknown>, effective: unknown, patch: KeyPatch): void {
    const value = pair.value as Node | null;
    const removes = patch.remove ?? [];
    if (isSeq(value) && !isReset(value)) {
      const items = value.items as Node[];
      const values = items.map((item) => this.file.toJS(item));
      const removed = items.filter((_, i) => removes.some((r) => same(r, values[i])));
      const kept = values.filter((_, i) => !removed.includes(items[i]!));
      const added = (patch.add ?? []).filter((item) => !kept.some((k) => same(k, plain(item))));
      if (removed.length === 0 && added.length === 0) return;
      if (removed.length === items.length && added.length === 0) {
        this.removePair(map, pair);
        return;
      }
      // An item that is removed while another is added is replaced in place: same line, same neighbours.
      const replaced = Math.min(removed.length, added.length);
      for (let i = 0; i < replaced; i++) {
        const item = removed[i]!;
        const next = plain(added[i]!) as YamlValue;
        this.edits.push({ start: item.range![0], end: item.range![1], text: sameQuotes(item, next) ?? (value.flow ? renderFlow(next) : renderInline(next)) });
      }
      for (const item of removed.slice(replaced)) this.removeItem(value, item);
      if (added.length > replaced) this.appendItems(value, added.slice(replaced));
      return;
    }
    // A scalar, an empty value or a `!reset` where a list belongs: write the whole list in flow style.
    const current = isReset(value) ? [] : toList(effective);
    const next = materialize(current, patch) as YamlValue[];
    if (same(current, next.map(plain)) && !isReset(value)) return;
    if (next.length === 0) {
      this.removePair(map, pair);
      return;
    }
    const keepSource = isScalar(value) && value.value !== null && !isReset(value) && next.some((item) => same(plain(item), value.value));
    const rendered = keepSource
      ? `[${next.map((item) => (same(plain(item), (value as Scalar).value) ? (value as Scalar).source ?? renderFlow(item) : renderFlow(item))).join(', ')}]`
      : renderFlow(next);
    this.replaceValue(pair, isReset(value) ? `${OVERRIDE_TAG} ${rendered}` : rendered);
  }

  /**
   * A value written in place of another on the key's line: a plain scalar with its comment in a block
   * mapping (when the line has no comment yet), flow style otherwise.
   */
  private inlineValue(map: YAMLMap, pair: Pair<Scalar, unknown>, value: YamlValue): string {
    const inner = plain(value) as YamlValue;
    if (map.flow || (inner !== null && typeof inner === 'object')) return renderFlow(inner);
    const lineEnd = lineEndExclusive(this.text, pair.key.range![1]);
    const hasComment = this.text.slice(pair.key.range![1], lineEnd).includes(' #');
    const comment = value instanceof Commented && !hasComment ? `  # ${value.comment}` : '';
    return renderScalar(inner as string | number | boolean | null) + comment;
  }

  // --- edit primitives -------------------------------------------------------------------------

  private insertPairs(map: YAMLMap, pairs: Array<[string, YamlValue]>): void {
    if (map.flow) {
      const body = pairs.map(([k, v]) => `${renderFlow(k)}: ${renderFlow(v)}`).join(', ');
      this.insertIntoFlow(map, body, pairs.map(([, v]) => v));
      return;
    }
    const firstKey = map.items[0]?.key as Node | undefined;
    const column = this.column(firstKey!.range![0]);
    this.insertLinesAfter(lastContentEnd(map, this.text), this.blockPairs(pairs, column), column);
  }

  private appendItems(seq: YAMLSeq, items: YamlValue[]): void {
    if (seq.flow) {
      this.insertIntoFlow(seq, items.map((item) => renderFlow(item)).join(', '), items);
      return;
    }
    const column = this.column(seq.range![0]);
    const style = this.file.style;
    const lines = items.flatMap((item) => renderBlockItem(item, column, style));
    this.insertLinesAfter(lastContentEnd(seq, this.text), lines, column);
  }

  private removeItem(seq: YAMLSeq, item: Node): void {
    const [start, end] = item.range!;
    if (seq.flow) {
      const items = seq.items as Node[];
      const index = items.indexOf(item);
      const next = items[index + 1];
      const previous = items[index - 1];
      if (next) this.edits.push({ start, end: next.range![0], text: '' });
      else if (previous) this.edits.push({ start: previous.range![1], end, text: '' });
      else this.edits.push({ start, end, text: '' });
      return;
    }
    this.edits.push({ start: lineStart(this.text, start), end: lineEndInclusive(this.text, end), text: '' });
  }

  private removePair(map: YAMLMap, pair: Pair<Scalar, unknown>): void {
    const value = pair.value as Node | null;
    if (map.flow) {
      // Take the pair out with one of its separating commas.
      const pairs = map.items as Array<Pair<Node, Node | null>>;
      const index = pairs.indexOf(pair as unknown as Pair<Node, Node | null>);
      const end = value?.range ? value.range[1] : pair.key.range![1];
      const next = pairs[index + 1];
      const previous = pairs[index - 1];
      if (next) this.edits.push({ start: pair.key.range![0], end: next.key.range![0], text: '' });
      else if (previous) {
        const previousEnd = previous.value?.range ? previous.value.range[1] : previous.key.range![1];
        this.edits.push({ start: previousEnd, end, text: '' });
      } else this.edits.push({ start: pair.key.range![0], end, text: '' });
      return;
    }
    const end = value?.range ? contentEnd(this.text, value.range[1]) : pair.key.range![1];
    this.edits.push({ start: lineStart(this.text, pair.key.range![0]), end: lineEndInclusive(this.text, end), text: '' });
  }

  private replaceValue(pair: Pair<Scalar, unknown>, text: string): void {
    const value = pair.value as Node | null;
    if (!value?.range || (isScalar(value) && value.range[0] === value.range[1])) {
      // `key:` with nothing after the colon.
      const colon = this.text.indexOf(':', pair.key.range![1]);
      this.edits.push({ start: colon + 1, end: colon + 1, text: ` ${text}` });
      return;
    }
    let start = value.range[0];
    const tag = (value as { tag?: string }).tag;
    if (tag === RESET_TAG || tag === OVERRIDE_TAG) {
      const tagStart = this.text.lastIndexOf(tag, start);
      if (tagStart !== -1 && tagStart > pair.key.range![1]) start = tagStart;
    }
    this.edits.push({ start, end: value.range[1], text });
  }

  /** Writes `to: value` over a pair, keeping its place, its indentation and a comment after it. */
  private renamePair(pair: Pair<Scalar, unknown>, to: string, value: YamlValue): void {
    const node = pair.value as Node | null;
    const end = node?.range ? contentEnd(this.text, node.range[1]) : pair.key.range![1];
    this.edits.push({ start: pair.key.range![0], end, text: `${renderScalar(to)}: ${renderInline(plain(value) as YamlValue)}` });
  }

  /** Rewrites a pair whose value is a block collection, in block style, keeping the lines around it. */
  private replacePairBlock(pair: Pair<Scalar, unknown>, value: YamlValue): void {
    const node = pair.value as YAMLMap | YAMLSeq;
    const start = lineStart(this.text, pair.key.range![0]);
    const end = lineEndExclusive(this.text, contentEnd(this.text, lastContentEnd(node, this.text).offset));
    const lines = renderBlockPair(String(pair.key.value), value, this.column(pair.key.range![0]), this.file.style);
    this.edits.push({ start, end, text: lines.join(this.eol) });
  }

  /** Writes block lines under `key` whose value is empty (`key:`, `key: ~`) or an alias being expanded. */
  private fillEmptyValue(key: Scalar, value: Node | null, lines: string[]): void {
    let after = key.range![1];
    if (value?.range && value.range[1] > value.range[0]) {
      let start = value.range[0];
      while (start > after && (this.text[start - 1] === ' ' || this.text[start - 1] === '\t')) start--;
      this.edits.push({ start, end: value.range[1], text: '' });
      after = value.range[1];
    }
    // Comments at or left of the key's column belong to what follows the key: the new lines go above them.
    this.insertLinesAfter({ offset: after, keep: false }, lines, this.column(key.range![0]));
  }

  private insertIntoFlow(collection: YAMLMap | YAMLSeq, body: string, values: readonly YamlValue[]): void {
    const close = this.text.lastIndexOf(isMap(collection) ? '}' : ']', collection.range![1] - 1);
    let prev = close - 1;
    while (prev >= 0 && /\s/.test(this.text[prev]!)) prev--;
    const opener = this.text[prev];
    const text = opener === '{' || opener === '[' ? body : opener === ',' ? ` ${body}` : `, ${body}`;
    this.edits.push({ start: prev + 1, end: prev + 1, text });
    this.commentLine(collection, values);
  }

  /** A flow collection cannot hold a comment per value: the explanations go at the end of its line. */
  private commentLine(collection: YAMLMap | YAMLSeq, values: readonly YamlValue[]): void {
    const comments = values.flatMap(commentsOf);
    if (comments.length === 0) return;
    const close = this.text.lastIndexOf(isMap(collection) ? '}' : ']', collection.range![1] - 1);
    const lineEnd = lineEndExclusive(this.text, close);
    if (this.text.slice(close, lineEnd).includes('#')) return;
    const set = this.lineComments.get(lineEnd) ?? new Set<string>();
    for (const comment of comments) set.add(comment);
    this.lineComments.set(lineEnd, set);
  }

  /** Comments for the ends of lines that hold flow collections, written once per line. */
  private readonly lineComments = new Map<number, Set<string>>();

  /**
   * Inserts whole lines after the line that holds the content ending at `end.offset`, and after the
   * comment lines indented deeper than `column` that follow it (they belong to the value above). After a
   * keep-chomping block scalar, whose blank lines are part of its value, the lines go after those.
   */
  private insertLinesAfter(end: ContentEnd, lines: string[], column = -1): void {
    const { text } = this;
    if (end.keep && end.offset > 0 && text[end.offset - 1] === '\n') {
      this.edits.push({ start: end.offset, end: end.offset, text: lines.map((line) => line + this.eol).join('') });
      return;
    }
    let at = lineEndExclusive(text, contentEnd(text, end.offset));
    for (;;) {
      const next = text.indexOf('\n', at);
      if (next === -1) break;
      const line = text.slice(next + 1, lineEndExclusive(text, next + 1));
      const indent = line.length - line.trimStart().length;
      if (!line.trimStart().startsWith('#') || indent <= column) break;
      at = lineEndExclusive(text, next + 1);
    }
    this.edits.push({ start: at, end: at, text: lines.map((line) => this.eol + line).join('') });
  }

  private blockPairs(pairs: Array<[string, YamlValue]>, column: number): string[] {
    return pairs.flatMap(([k, v]) => renderBlockPair(k, v, column, this.file.style));
  }

  private column(offset: number): number {
    return this.file.position(offset).column - 1;
  }
}

// --- helpers -----------------------------------------------------------------------------------

function ownPair(map: YAMLMap, key: string): Pair<Scalar, unknown> | undefined {
  return map.items.find((p): p is Pair<Scalar, unknown> => isScalar(p.key) && p.key.value === key && !isMergeKey(p.key));
}

/** The patch takes every pair out of the mapping and adds none: the key goes too (`environment:` left empty means null). */
function removesEveryPair(map: YAMLMap, children: Map<string, KeyPatch>): boolean {
  if (map.items.length === 0 || ![...children.values()].every((child) => child.unset)) return false;
  return map.items.every((p) => isScalar(p.key) && !isMergeKey(p.key) && children.get(String(p.key.value))?.unset === true);
}

/** The value a key gets when it is written into the service: the inherited value with the patch applied. */
function materialize(effective: unknown, patch: KeyPatch): YamlValue | undefined {
  if (patch.set) return patch.set.value;
  if (patch.children) {
    const base: Record<string, YamlValue> = isRecord(effective) ? { ...(effective as Record<string, YamlValue>) } : {};
    for (const [key, child] of patch.children) {
      if (child.unset || child.rename) {
        delete base[key];
        if (child.rename) base[child.rename.to] = child.rename.value;
        continue;
      }
      const value = materialize(base[key], child);
      if (value !== undefined) base[key] = value;
    }
    return base;
  }
  const removes = patch.remove ?? [];
  const kept = toList(effective).filter((item) => !removes.some((r) => same(r, item))) as YamlValue[];
  const added = (patch.add ?? []).filter((item) => !kept.some((k) => same(k, plain(item))));
  const next = [...kept, ...added];
  return next.length === 0 && effective === undefined ? undefined : next;
}

/** A string written over a quoted scalar keeps its quotes (`"5432:5432"` becomes `"127.0.0.1:5432:5432"`). */
function sameQuotes(item: Node, next: YamlValue): string | null {
  if (!isScalar(item) || typeof next !== 'string') return null;
  if (item.type === 'QUOTE_DOUBLE') return JSON.stringify(next);
  if (item.type === 'QUOTE_SINGLE') return `'${next.replace(/'/g, "''")}'`;
  return null;
}

/** A value written in block context where it fits on the line (a scalar), else in flow style. */
function renderInline(value: YamlValue): string {
  return value !== null && typeof value === 'object' ? renderFlow(value) : renderScalar(value);
}

/** `unverified default: a; unverified default: b` reads as `unverified default: a; b`. */
function joinComments(comments: readonly string[]): string {
  const out: string[] = [];
  let previous: string | null = null;
  for (const comment of comments) {
    const match = /^([^:;]{3,40}): (.+)$/.exec(comment);
    if (match && match[1] === previous) out.push(match[2]!);
    else out.push(comment);
    previous = match ? match[1]! : null;
  }
  return out.join('; ');
}

/** The comments carried by a value and everything inside it. */
function commentsOf(value: YamlValue): string[] {
  if (value instanceof Commented) return [value.comment, ...commentsOf(value.value)];
  if (Array.isArray(value)) return (value as YamlValue[]).flatMap(commentsOf);
  if (value !== null && typeof value === 'object') return Object.values(value as Record<string, YamlValue>).flatMap(commentsOf);
  return [];
}

function toList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function plain(value: YamlValue): unknown {
  return value instanceof Commented ? value.value : value;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(plain(a as YamlValue)) === JSON.stringify(plain(b as YamlValue));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isReset(node: Node | null | undefined): boolean {
  return (node as { tag?: string } | null)?.tag === RESET_TAG;
}

function isEmpty(node: Node | null): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

interface ContentEnd {
  readonly offset: number;
  /** The content is a keep-chomping block scalar: `offset` is after its kept blank lines. */
  readonly keep: boolean;
}

/** Where the last entry of a block collection ends (its value, or its key when the value is empty). */
function lastContentEnd(collection: YAMLMap | YAMLSeq, text: string): ContentEnd {
  let node: Node = collection;
  for (;;) {
    if (isMap(node) && node.items.length > 0) {
      const last = node.items[node.items.length - 1]!;
      const value = last.value as Node | null;
      if (!value?.range || value.range[1] <= value.range[0]) return { offset: (last.key as Node).range![1], keep: false };
      node = value;
    } else if (isSeq(node) && node.items.length > 0) {
      node = node.items[node.items.length - 1] as Node;
    } else return { offset: node.range![1], keep: isKeepChomping(node, text) };
  }
}

/** Block scalars with keep chomping (`|+`, `>+`): their trailing blank lines are part of the value. */
function isKeepChomping(node: Node, text: string): boolean {
  return isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') && /^[|>](?:\d?\+|\+\d?)/.test(text.slice(node.range![0], node.range![0] + 3));
}

/** Steps back from `end` over trailing whitespace to just after the last content character. */
function contentEnd(text: string, end: number): number {
  let i = end;
  while (i > 0 && /\s/.test(text[i - 1]!)) i--;
  return i;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset of the line terminator (`\r\n` or `\n`) of the line holding `offset`, or the end of the text. */
function lineEndExclusive(text: string, offset: number): number {
  const lf = text.indexOf('\n', offset);
  if (lf === -1) return text.length;
  return lf > 0 && text[lf - 1] === '\r' ? lf - 1 : lf;
}

/** The offset just after the line terminator of the line holding `offset`. */
function lineEndInclusive(text: string, offset: number): number {
  const lf = text.indexOf('\n', offset);
  return lf === -1 ? text.length : lf + 1;
}

/**
 * Lines inserted after the last content of a mapping go before the lines a removal takes away at its end
 * (the last environment entry moved into a secret, then the service's or the file's new keys): otherwise
 * the edits would overlap, and the insertion would wait for a pass in which its reason is gone.
 */
function settleInsertions(edits: Edit[], text: string, eol: string): Edit[] {
  const removals = edits.filter((e) => e.text === '' && e.end > e.start);
  if (removals.length === 0) return edits;
  return edits.map((edit) => {
    if (edit.start !== edit.end || !edit.text.startsWith(eol)) return edit;
    let at = edit.start;
    for (let moved = true; moved; ) {
      moved = false;
      for (const r of removals) {
        if (r.start < at && at < r.end && r.start >= eol.length && text.slice(r.start - eol.length, r.start) === eol) {
          at = r.start - eol.length;
          moved = true;
        }
      }
    }
    return at === edit.start ? edit : { ...edit, start: at, end: at };
  });
}
