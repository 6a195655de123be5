import { parse } from 'yaml';

/** A value to write into a compose file. */
export type YamlValue = string | number | boolean | null | readonly YamlValue[] | { readonly [key: string]: YamlValue } | Commented;

/** A value with an inline comment (`value  # comment`) explaining why compose-harden chose it. */
export class Commented {
  constructor(
    readonly value: YamlValue,
    readonly comment: string,
  ) {}
}

export interface BlockStyle {
  readonly indent: number;
  readonly seqIndent: number;
  readonly flowSequences: boolean;
}

const PLAIN_SAFE = /^[A-Za-z0-9_./$~+=][A-Za-z0-9_./$~+=@:,() -]*$/;
const FLOW_INDICATORS = /[,[\]{}:#]/;

/** Renders a scalar so that YAML 1.1 (PyYAML, docker-compose v1) and 1.2 readers both read back the same value. */
export function renderScalar(value: string | number | boolean | null, flow = false): string {
  if (value === null) return 'null';
  if (typeof value !== 'string') return String(value);
  if (isPlainSafe(value, flow)) return value;
  return JSON.stringify(value);
}

function isPlainSafe(value: string, flow: boolean): boolean {
  if (!PLAIN_SAFE.test(value) || value.endsWith(' ') || value.includes(': ') || value.includes(' #')) return false;
  if (value.endsWith(':')) return false;
  if (flow && FLOW_INDICATORS.test(value)) return false;
  for (const version of ['1.1', '1.2'] as const) {
    let read: unknown;
    try {
      read = parse(value, { version });
    } catch {
      return false;
    }
    if (read !== value) return false;
  }
  return true;
}

/** Renders a value on one line, in flow style (for flow collections and for replacing a scalar). */
export function renderFlow(value: YamlValue): string {
  if (value instanceof Commented) return renderFlow(value.value);
  if (Array.isArray(value)) return `[${value.map(renderFlow).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, YamlValue>);
    return `{${entries.map(([k, v]) => `${renderScalar(k, true)}: ${renderFlow(v)}`).join(', ')}}`;
  }
  return renderScalar(value as string | number | boolean | null, true);
}

/** Renders `key: value` as block lines (without line endings) starting at `column`. */
export function renderBlockPair(key: string, value: YamlValue, column: number, style: BlockStyle): string[] {
  const pad = ' '.repeat(column);
  const comment = value instanceof Commented ? `  # ${value.comment}` : '';
  const inner = value instanceof Commented ? value.value : value;
  const head = `${pad}${renderScalar(key)}:`;
  if (Array.isArray(inner)) {
    const items = inner as readonly YamlValue[];
    const anyComment = items.some((item) => item instanceof Commented);
    const simple = items.every((item) => !isCollection(item instanceof Commented ? item.value : item));
    if (items.length === 0 || (style.flowSequences && simple && !anyComment)) {
      return [`${head} ${renderFlow(items)}${comment}`];
    }
    const lines = [`${head}${comment}`];
    for (const item of items) lines.push(...renderBlockItem(item, column + style.seqIndent, style));
    return lines;
  }
  if (inner !== null && typeof inner === 'object') {
    const entries = Object.entries(inner as Record<string, YamlValue>);
    if (entries.length === 0) return [`${head} {}${comment}`];
    const lines = [`${head}${comment}`];
    for (const [k, v] of entries) lines.push(...renderBlockPair(k, v, column + style.indent, style));
    return lines;
  }
  return [`${head} ${renderScalar(inner as string | number | boolean | null)}${comment}`];
}

/** Renders one block sequence item (`- value`) at `column`. */
export function renderBlockItem(item: YamlValue, column: number, style: BlockStyle): string[] {
  const pad = ' '.repeat(column);
  const comment = item instanceof Commented ? `  # ${item.comment}` : '';
  const inner = item instanceof Commented ? item.value : item;
  if (isCollection(inner)) {
    if (Array.isArray(inner)) return [`${pad}- ${renderFlow(inner)}${comment}`];
    const entries = Object.entries(inner as Record<string, YamlValue>);
    const lines: string[] = [];
    entries.forEach(([k, v], i) => {
      const rendered = renderBlockPair(k, v, column + 2, style);
      if (i === 0) rendered[0] = `${pad}- ${rendered[0]!.slice(column + 2)}`;
      lines.push(...rendered);
    });
    if (lines.length === 0) lines.push(`${pad}- {}`);
    if (comment) lines[0] += comment;
    return lines;
  }
  return [`${pad}- ${renderScalar(inner as string | number | boolean | null)}${comment}`];
}

function isCollection(value: YamlValue): boolean {
  return value !== null && typeof value === 'object' && !(value instanceof Commented);
}
