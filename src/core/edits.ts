/** A change to the original text: replace [start, end) with text. An insertion has start === end. */
export interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface AppliedEdits {
  readonly text: string;
  /** Edits that overlapped an earlier one; they get another chance in the next pass. */
  readonly deferred: readonly Edit[];
}

/**
 * Applies edits in order of position. Insertions at the same point keep the order they were given in;
 * an edit that overlaps one already taken is deferred rather than guessed at.
 */
export function applyEdits(text: string, edits: readonly Edit[]): AppliedEdits {
  const ordered = edits
    .map((edit, index) => ({ edit, index }))
    .sort((a, b) => a.edit.start - b.edit.start || a.edit.end - b.edit.end || a.index - b.index)
    .map(({ edit }) => edit);
  const parts: string[] = [];
  const deferred: Edit[] = [];
  let cursor = 0;
  for (const edit of ordered) {
    if (edit.start < cursor || edit.end < edit.start || edit.end > text.length) {
      deferred.push(edit);
      continue;
    }
    parts.push(text.slice(cursor, edit.start), edit.text);
    cursor = edit.end;
  }
  parts.push(text.slice(cursor));
  return { text: parts.join(''), deferred };
}
