/** What `strace -f -o FILE` recorded: the distinct system call names, in order of name. */
export interface ParsedTrace {
  readonly names: readonly string[];
  /** Lines that named a call. */
  readonly calls: number;
  /** Non-empty lines that were neither a call, a signal, an exit nor a strace message (reported, never guessed at). */
  readonly unrecognized: readonly { readonly line: number; readonly text: string }[];
}

// `1234 `, `[pid  1234] ` (strace -f without -o), then an optional -t/-tt/-ttt/-r timestamp.
const PREFIX = /^(?:\[pid\s+\d+\]\s+|\d+\s+)?(?:\d{2}:\d{2}:\d{2}(?:\.\d+)?\s+|\d+\.\d+\s+)?/;
const RESUMED = /^<\.\.\.\s+([A-Za-z0-9_]+)\s+resumed>/;
const CALL = /^([A-Za-z_][A-Za-z0-9_]*)\(/;
// `+++ exited with 0 +++`, `--- SIGCHLD {...} ---`, `<unfinished ...>` alone, `strace: Process 12 attached`, `[ Process PID=12 runs in 32 bit mode. ]`.
const NOISE = /^(?:\+\+\+ |--- |<unfinished \.\.\.>|strace: |\[ Process PID=|\?\?\?\()/;

/** Parses strace output (with or without `-f` pid prefixes and timestamps) into the set of calls it shows. */
export function parseStrace(text: string): ParsedTrace {
  const names = new Set<string>();
  const unrecognized: Array<{ line: number; text: string }> = [];
  let calls = 0;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim().replace(PREFIX, '');
    if (line === '' || NOISE.test(line)) return;
    const match = RESUMED.exec(line) ?? CALL.exec(line);
    if (match) {
      names.add(match[1]!);
      calls++;
    } else if (unrecognized.length < 20) {
      unrecognized.push({ line: index + 1, text: raw.length > 80 ? `${raw.slice(0, 77)}...` : raw });
    }
  });
  return { names: [...names].sort(), calls, unrecognized };
}
