import { isAlias, isMap, isScalar, isSeq, type Alias, type Document, type Node, type Scalar } from 'yaml';
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
  return isScalar(key) && (key as Scalar).source === '<<' && (key.type === undefined || key.type === 'PLAIN');
}
