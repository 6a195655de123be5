import { describe, expect, it } from 'vitest';
import { excerpt, firstSentence, shortRemedy } from '../../src/format/excerpt.js';

describe('excerpt', () => {
  const text = 'services:\n  web:\n    privileged: true\n    environment:\n      - DB_PASSWORD=s3cr3t-value\n      URL: postgres://u:pw@db/x\r\n';
  it('marks the token at the column: a key without its colon', () => {
    expect(excerpt(text, 2, 3)).toEqual({ line: '  web:', marker: '  ^^^' });
    expect(excerpt(text, 3, 5)).toEqual({ line: '    privileged: true', marker: '    ^^^^^^^^^^' });
  });
  it('never marks past `=`, `:` or `@`, so that the marker does not tell the length of a value', () => {
    expect(excerpt(text, 5, 9)!.marker).toBe('        ^^^^^^^^^^^');
    expect(excerpt(text, 6, 12)).toEqual({ line: '      URL: postgres://u:pw@db/x', marker: '           ^^^^^^^^' });
  });
  it('is null for a position outside the text', () => {
    expect(excerpt(text, 40, 1)).toBeNull();
  });
});

describe('firstSentence and shortRemedy', () => {
  it('stop at the end of the first sentence, outside parentheses and code', () => {
    expect(firstSentence('Sets `a.b` (see x. Y) here. Then more.')).toBe('Sets `a.b` (see x. Y) here.');
    expect(shortRemedy('Remove `privileged: true` and add only the capabilities (`cap_add`) and devices (`devices`) the service needs. Reported only.')).toBe(
      'Remove `privileged: true` and add only the capabilities and devices the service needs.',
    );
  });
});
