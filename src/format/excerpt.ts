/** The source line of a position and a marker under the token that starts there (`^^^`), for text output. */
export interface Excerpt {
  readonly line: string;
  /** Spaces to the column, then one caret per character of the token. */
  readonly marker: string;
}

const MAX = 160;

export function excerpt(text: string, line: number, column: number): Excerpt | null {
  const start = lineStart(text, line);
  if (start === -1) return null;
  let end = text.indexOf('\n', start);
  if (end === -1) end = text.length;
  let source = text.slice(start, end).replace(/\r$/, '');
  const at = Math.max(0, column - 1);
  if (at > source.length) return null;
  // The token at the column, up to `=`, `:` or `@`: a key without its colon, never a value's length.
  const token = /^[^\s#,=:@]+/.exec(source.slice(at))?.[0] ?? '';
  if (source.length > MAX) source = `${source.slice(0, MAX)}…`;
  const width = Math.max(1, Math.min(token.length, MAX - at));
  // Tabs stay tabs in the marker so that the caret lines up in a terminal.
  const pad = source.slice(0, at).replace(/[^\t]/g, ' ');
  return { line: source, marker: `${pad}${'^'.repeat(width)}` };
}

function lineStart(text: string, line: number): number {
  let offset = 0;
  for (let n = 1; n < line; n++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) return -1;
    offset = next + 1;
  }
  return offset;
}

/**
 * The first sentence of a catalogue text (what the fix does, in short): up to the first full stop that
 * ends a sentence outside parentheses and code.
 */
export function firstSentence(text: string): string {
  let depth = 0;
  let code = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '`') code = !code;
    else if (code) continue;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === '.' && depth === 0 && (i + 1 === text.length || (text[i + 1] === ' ' && /[A-Z]/.test(text[i + 2] ?? '')))) {
      return text.slice(0, i + 1);
    }
  }
  return text;
}

/** What a fix does, in a line: the first sentence without its parentheses, cut at its first clause when still long. */
export function shortRemedy(text: string, max = 100): string {
  const sentence = withoutParentheses(firstSentence(text));
  if (sentence.length <= max) return sentence;
  let code = false;
  for (let i = 30; i < sentence.length; i++) {
    const c = sentence[i];
    if (c === '`') code = !code;
    else if (!code && (c === ';' || c === ':' || c === ',') && sentence[i + 1] === ' ') return sentence.slice(0, i);
  }
  return sentence;
}

/** Removes ` (...)` groups outside code spans. */
function withoutParentheses(text: string): string {
  let out = '';
  let depth = 0;
  let code = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '`' && depth === 0) code = !code;
    if (!code && c === '(') {
      if (depth === 0 && out.endsWith(' ')) out = out.slice(0, -1);
      depth++;
      continue;
    }
    if (!code && c === ')' && depth > 0) {
      depth--;
      continue;
    }
    if (depth === 0) out += c;
  }
  return out;
}
