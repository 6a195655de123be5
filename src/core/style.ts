import { isMap, isScalar, isSeq, visit, type Document, type Node } from 'yaml';

/** How the file writes its YAML, so that inserted snippets look like the user's own. */
export interface FileStyle {
  /** Spaces per nesting level in block mappings. */
  readonly indent: number;
  /** Spaces between a key's column and its block sequence's `-` (0 for the compact style). */
  readonly seqIndent: number;
  /** Whether short lists are written as flow sequences (`[a, b]`) rather than block sequences. */
  readonly flowSequences: boolean;
}

const DEFAULT_INDENT = 2;

/** Detects indentation, sequence style and flow preference from the file's own block collections. */
export function detectStyle(text: string, doc: Document.Parsed, position: (offset: number) => { column: number }): FileStyle {
  const column = (offset: number) => position(offset).column - 1;
  const indents = new Map<number, number>();
  const seqIndents = new Map<number, number>();
  let flowSeqs = 0;
  let blockSeqs = 0;
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key as Node | null;
      const value = pair.value as Node | null;
      if (!isScalar(key) || !key.range || !value?.range) return;
      const keyColumn = column(key.range[0]);
      if (isMap(value) && !value.flow) {
        const first = value.items[0]?.key as Node | undefined;
        if (first?.range) count(indents, column(first.range[0]) - keyColumn);
      } else if (isSeq(value)) {
        if (value.flow) flowSeqs++;
        else {
          blockSeqs++;
          const dash = value.range[0];
          if (text[dash] === '-') count(seqIndents, column(dash) - keyColumn);
        }
      }
    },
  });
  const indent = mostCommon(indents, (n) => n > 0 && n <= 8) ?? DEFAULT_INDENT;
  const seqIndent = mostCommon(seqIndents, (n) => n >= 0 && n <= 8) ?? indent;
  return { indent, seqIndent, flowSequences: flowSeqs > blockSeqs };
}

function count(map: Map<number, number>, n: number): void {
  map.set(n, (map.get(n) ?? 0) + 1);
}

function mostCommon(map: Map<number, number>, accept: (n: number) => boolean): number | undefined {
  let best: number | undefined;
  let bestCount = 0;
  for (const [n, c] of map) {
    if (!accept(n)) continue;
    if (c > bestCount || (c === bestCount && best !== undefined && n < best)) {
      best = n;
      bestCount = c;
    }
  }
  return best;
}
