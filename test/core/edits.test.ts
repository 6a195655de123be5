import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../src/core/edits.js';

describe('applyEdits', () => {
  it('applies edits in position order regardless of the order given', () => {
    expect(applyEdits('abcdef', [{ start: 4, end: 5, text: 'E' }, { start: 1, end: 2, text: 'B' }]).text).toBe('aBcdEf');
  });

  it('keeps the given order for insertions at the same point', () => {
    expect(applyEdits('ab', [{ start: 1, end: 1, text: '1' }, { start: 1, end: 1, text: '2' }]).text).toBe('a12b');
  });

  it('defers an edit that overlaps one already taken', () => {
    const result = applyEdits('abcdef', [{ start: 1, end: 4, text: 'X' }, { start: 2, end: 3, text: 'Y' }]);
    expect(result.text).toBe('aXef');
    expect(result.deferred).toEqual([{ start: 2, end: 3, text: 'Y' }]);
  });

  it('allows an insertion right where a replacement ends', () => {
    expect(applyEdits('abc', [{ start: 0, end: 1, text: 'A' }, { start: 1, end: 1, text: '+' }]).text).toBe('A+bc');
  });
});
