import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { decodeSource, encodeSource, fromString } from '../../src/core/source.js';

const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

describe('decodeSource', () => {
  it('strips and restores a BOM, and detects CRLF', () => {
    const source = decodeSource(bytes([0xef, 0xbb, 0xbf], 'a: 1\r\nb: 2\r\n'));
    expect(source).toEqual({ text: 'a: 1\r\nb: 2\r\n', bom: true, eol: '\r\n' });
    expect(encodeSource(source, source.text)).toBe('\uFEFFa: 1\r\nb: 2\r\n');
  });

  it('defaults to LF', () => {
    expect(fromString('a: 1').eol).toBe('\n');
  });

  it('refuses binary data at the NUL byte position', () => {
    expect(() => decodeSource(bytes('a: 1\nbé', [0], 'c'))).toThrow(InputError);
    try {
      decodeSource(bytes('a: 1\nbé', [0], 'c'));
    } catch (error) {
      expect({ line: (error as InputError).line, column: (error as InputError).column }).toEqual({ line: 2, column: 3 });
      expect((error as Error).message).toMatch(/binary/);
    }
  });

  it('refuses invalid UTF-8 at the first bad byte', () => {
    try {
      decodeSource(bytes('services:\n  x', [0xff], ': 1\n'));
      throw new Error('expected an error');
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect({ line: (error as InputError).line, column: (error as InputError).column }).toEqual({ line: 2, column: 4 });
      expect((error as Error).message).toMatch(/UTF-8/);
    }
  });
});
