import { isAlias, isMap, isScalar, isSeq, type Alias, type Document, type Node, type Scalar, type YAMLMap } from 'yaml';
import { InputError } from './errors.js';

/** Alias expansion allowed beyond the document's own size, against "billion laughs" documents. */
const EXPANSION_ALLOWANCE = 10_000;
const EXPANSION_FACTOR = 20;

/**
 * Reads nodes as plain data the way Compose sees them: aliases resolved and merge keys (`<<`) applied.
 * Anchors are indexed once per document, so resolving an alias costs the size of its target, not a walk
 * of the whole document; the total expansion is bounded by the document's size.
 */
export class EffectiveReader {
  private anchors: Map<string, Array<{ offset: number; node: Node }>> | undefined;
  private aliases: Alias[] = [];
  private readonly sizes = new Map<Node, number>();
  private expanded = 0;
  private budget = 0;

  constructor(
    private readonly doc: Document.Parsed,
    private readonly position: (offset: number) => { line: number; column: number },
  ) {}

  toJS(node: Node | null | undefined): unknown {
    return this.read(node ?? null, 0);
  }

  /**
   * Checks every alias of the document without reading anything: each must follow its anchor, and all of
   * them together must not expand far beyond the document (an "alias bomb"). Memoised sizes make this
   * linear in the document, so a bomb is refused before any of it is expanded.
   */
  validateAliases(): void {
    this.index();
    let total = 0;
    for (const alias of this.aliases) {
      const target = this.target(alias);
      if (!target) throw this.error(alias, `alias *${alias.source} has no anchor before it: define &${alias.source} earlier in the file`);
      total += this.sizeOf(target);
      if (total > this.budget) {
        throw this.error(alias, 'aliases expand far beyond the size of the document (an "alias bomb"); refusing to expand them');
      }
    }
  }

  /**
   * A mapping read lazily: its keys (own first, then those merged in through `<<`) are known at once, and
   * each value is read on first access. Rules read a dozen keys of a service; the rest (labels, long
   * environment blocks) is only read when something asks for it.
   */
  lazyMap(node: YAMLMap): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, valueNode] of this.entries(node, 0)) {
      Object.defineProperty(out, name, {
        enumerable: true,
        configurable: true,
        get: () => {
          const value = this.read(valueNode, 1);
          Object.defineProperty(out, name, { value, enumerable: true, configurable: true, writable: true });
          return value;
        },
      });
    }
    return out;
  }

  /** The key/value nodes of a mapping as Compose sees them: own keys first, then merged ones not already there. */
  private entries(node: YAMLMap, depth: number): Map<string, Node | null> {
    if (depth > 100) throw this.error(node, 'merge keys nest deeper than 100 levels');
    const out = new Map<string, Node | null>();
    let merges: Node[] | undefined;
    for (const pair of node.items) {
      const key = pair.key as Node | null;
      if (isMergeKey(key)) {
        (merges ??= []).push(pair.value as Node);
        continue;
      }
      const name = isScalar(key) ? String(key.value) : JSON.stringify(this.read(key, depth + 1));
      out.set(name, pair.value as Node | null);
    }
    for (const merge of merges ?? []) {
      for (let source of isSeq(merge) ? (merge.items as Node[]) : [merge]) {
        if (isAlias(source)) {
          const target = this.target(source);
          if (!target) throw this.error(source, `alias *${source.source} has no anchor before it: define &${source.source} earlier in the file`);
          this.expanded += this.sizeOf(target);
          if (this.expanded > this.budget) {
            throw this.error(source, 'aliases expand far beyond the size of the document (an "alias bomb"); refusing to expand them');
          }
          source = target;
        }
        if (!isMap(source)) continue;
        for (const [name, value] of this.entries(source, depth + 1)) if (!out.has(name)) out.set(name, value);
      }
    }
    return out;
  }

  /** The node an alias points at: the last anchor of that name defined before it. */
  target(alias: Alias): Node | undefined {
    const defs = this.index().get(alias.source);
    if (!defs) return undefined;
    const at = alias.range?.[0] ?? Number.POSITIVE_INFINITY;
    let found: Node | undefined;
    for (const def of defs) if (def.offset < at) found = def.node;
    return found;
  }

  private read(node: Node | null, depth: number): unknown {
    if (node === null) return null;
    if (depth > 1000) throw this.error(node, 'the document nests deeper than 1,000 levels');
    if (isScalar(node)) return node.value;
    if (isAlias(node)) {
      const target = this.target(node);
      if (!target) throw this.error(node, `alias *${node.source} has no anchor before it: define &${node.source} earlier in the file`);
      this.expanded += this.sizeOf(target);
      if (this.expanded > this.budget) {
        throw this.error(node, 'aliases expand far beyond the size of the document (an "alias bomb"); refusing to expand them');
      }
      return this.read(target, depth + 1);
    }
    if (isSeq(node)) return node.items.map((item) => this.read(item as Node | null, depth + 1));
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      let merges: Node[] | undefined;
      for (const pair of node.items) {
        const key = pair.key as Node | null;
        if (isMergeKey(key)) {
          (merges ??= []).push(pair.value as Node);
          continue;
        }
        const name = isScalar(key) ? String(key.value) : JSON.stringify(this.read(key, depth + 1));
        out[name] = this.read(pair.value as Node | null, depth + 1);
      }
      for (const merge of merges ?? []) {
        const sources = isSeq(merge) ? (merge.items as Node[]) : [merge];
        for (const source of sources) {
          const value = this.read(source, depth + 1);
          if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
          for (const [k, v] of Object.entries(value)) if (!(k in out)) out[k] = v;
        }
      }
      return out;
    }
    return null;
  }

  private index(): Map<string, Array<{ offset: number; node: Node }>> {
    if (!this.anchors) {
      const anchors = new Map<string, Array<{ offset: number; node: Node }>>();
      let nodes = 0;
      // A plain walk of the document (yaml's generic visitor is several times slower here).
      const stack: unknown[] = [this.doc.contents];
      while (stack.length > 0) {
        const node = stack.pop() as Node | null | undefined;
        if (!node || typeof node !== 'object') continue;
        nodes++;
        const anchor = (node as { anchor?: string }).anchor;
        if (anchor) {
          const list = anchors.get(anchor) ?? [];
          list.push({ offset: node.range?.[0] ?? 0, node });
          anchors.set(anchor, list);
        }
        if (isAlias(node)) this.aliases.push(node);
        if (isMap(node)) for (const pair of node.items) stack.push(pair.key, pair.value);
        else if (isSeq(node)) for (const item of node.items) stack.push(item);
      }
      for (const list of anchors.values()) list.sort((a, b) => a.offset - b.offset);
      this.anchors = anchors;
      this.budget = EXPANSION_ALLOWANCE + EXPANSION_FACTOR * nodes;
    }
    return this.anchors;
  }

  /** Nodes in a subtree, counting what its own aliases expand to (memoised per node). */
  private sizeOf(node: Node, depth = 0): number {
    const known = this.sizes.get(node);
    if (known !== undefined) return known;
    if (depth > 1000) throw this.error(node, 'the document nests deeper than 1,000 levels');
    let size = 1;
    if (isAlias(node)) {
      const target = this.target(node);
      size += target ? this.sizeOf(target, depth + 1) : 0;
    } else if (isSeq(node)) {
      for (const item of node.items) if (item) size += this.sizeOf(item as Node, depth + 1);
    } else if (isMap(node)) {
      for (const pair of node.items) {
        if (pair.key) size += this.sizeOf(pair.key as Node, depth + 1);
        if (pair.value) size += this.sizeOf(pair.value as Node, depth + 1);
      }
    }
    if (size > 1e12) size = 1e12;
    this.sizes.set(node, size);
    return size;
  }

  private error(node: Node, message: string): InputError {
    const at = this.position(node.range?.[0] ?? 0);
    return new InputError(message, at.line, at.column);
  }
}

/** A plain `<<` key (a quoted "<<" is an ordinary key). */
export function isMergeKey(key: unknown): boolean {
  // `source` first: it rules out almost every key without the type checks.
  return (key as Scalar | null)?.source === '<<' && isScalar(key) && (key.type === undefined || key.type === 'PLAIN');
}
