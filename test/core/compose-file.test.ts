import { describe, expect, it } from 'vitest';
import { parseComposeFile } from '../../src/core/compose-file.js';
import { InputError } from '../../src/core/errors.js';
import { fromString } from '../../src/core/source.js';

const parse = (text: string) => parseComposeFile(fromString(text));

function errorOf(text: string): { message: string; line: number; column: number } {
  try {
    parse(text);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    const e = error as InputError;
    return { message: e.message, line: e.line, column: e.column };
  }
  throw new Error('expected an InputError');
}

describe('parseComposeFile: effective services', () => {
  it('applies merge keys, own keys winning, earlier merge sources winning over later ones', () => {
    const file = parse(
      [
        'x-a: &a {image: a, restart: always, user: "1"}',
        'x-b: &b {image: b, init: true, user: "2"}',
        'services:',
        '  web:',
        '    <<: [*a, *b]',
        '    user: "3"',
        '',
      ].join('\n'),
    );
    expect(file.services[0]!.effective).toEqual({ image: 'a', restart: 'always', init: true, user: '3' });
  });

  it('reads an aliased service through its anchor and keeps the alias', () => {
    const file = parse('services:\n  web: &web\n    image: nginx\n  copy: *web\n');
    const copy = file.services[1]!;
    expect(copy.alias?.source).toBe('web');
    expect(copy.map).toBeNull();
    expect(copy.effective).toEqual({ image: 'nginx' });
  });

  it('resolves an alias to the last anchor of that name defined before it', () => {
    const file = parse('x-1: &d {image: one}\nx-2: &d {image: two}\nservices:\n  web:\n    <<: *d\n');
    expect(file.services[0]!.effective).toEqual({ image: 'two' });
  });

  it('drops !reset values and keeps !override values', () => {
    const file = parse('services:\n  web:\n    image: x\n    cap_add: !reset []\n    ports: !override ["80:80"]\n    user: !reset null\n');
    expect(file.services[0]!.effective).toEqual({ image: 'x', ports: ['80:80'] });
  });

  it('treats empty services and x- extension fields correctly', () => {
    const file = parse('x-svc: {image: not-a-service}\nservices:\n  empty:\n  tilde: ~\n  braces: {}\n');
    expect(file.services.map((s) => s.name)).toEqual(['empty', 'tilde', 'braces']);
    expect(file.services.map((s) => s.effective)).toEqual([{}, {}, {}]);
  });

  it('accepts an include-only file as a file with no services', () => {
    expect(parse('include:\n  - other.yaml\n').services).toEqual([]);
  });

  it('reads the legacy version', () => {
    expect(parse('version: "2.4"\nservices: {}\n').version).toBe('2.4');
    expect(parse('services: {}\n').version).toBeNull();
  });

  it('locates a finding at the own key, else the merge key it is inherited through, else the service name', () => {
    const text = 'x-d: &d {privileged: true}\nservices:\n  web:\n    <<: *d\n    image: x\n';
    const web = parse(text).services[0]!;
    const at = (key: string) => web.locate(key).range![0];
    expect(text.slice(at('image'), at('image') + 5)).toBe('image');
    expect(text.slice(at('privileged'), at('privileged') + 2)).toBe('<<');
    expect(text.slice(at('read_only'), at('read_only') + 3)).toBe('web');
  });
});

describe('parseComposeFile: input errors with positions', () => {
  it.each([
    ['invalid YAML', 'services:\n  web:\n    image: "x\n', { line: 4, column: 1, message: /invalid YAML/ }],
    ['a duplicate key', 'services:\n  a:\n    image: x\n    image: y\n', { line: 4, column: 5, message: /duplicate key "image"/ }],
    ['a list at the top level', '- a\n', { line: 1, column: 1, message: /top level is a sequence/ }],
    ['a scalar at the top level', 'hello\n', { line: 1, column: 1, message: /top level is a scalar/ }],
    ['no services key', 'version: "3"\nvolumes: {}\n', { line: 1, column: 1, message: /no `services:` key/ }],
    ['a legacy v1 file', '# v1\nweb:\n  image: nginx\n', { line: 2, column: 1, message: /legacy Compose v1/ }],
    ['an empty file', '', { line: 1, column: 1, message: /no YAML content/ }],
    ['a comment-only file', '# nothing\n', { line: 1, column: 1, message: /no YAML content/ }],
    ['services as a list', 'services:\n  - web\n', { line: 2, column: 3, message: /`services` must be a mapping/ }],
    ['a service that is a string', 'services:\n  web: nginx\n', { line: 2, column: 8, message: /service "web" is a scalar value/ }],
    ['tabs as indentation', 'services:\n\tweb: {}\n', { line: 2, column: 1, message: /tabs/ }],
    ['two documents', 'services: {}\n---\nservices: {}\n', { line: 2, column: 1, message: /second YAML document/ }],
    ['an alias without anchor', 'services:\n  web: *nowhere\n', { line: 2, column: 8, message: /nowhere/ }],
  ])('%s', (_name, text, expected) => {
    const error = errorOf(text);
    expect({ line: error.line, column: error.column }).toEqual({ line: expected.line, column: expected.column });
    expect(error.message).toMatch(expected.message);
  });

  it('refuses an alias bomb quickly instead of expanding it', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      lines.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    }
    lines.push('services:', '  web:', '    image: x', '    command: *l');
    const error = errorOf(`${lines.join('\n')}\n`);
    expect(error.message).toMatch(/alias bomb/);
    expect(error.line).toBe(16);
  });
});

describe('duplicate keys in a large file (found in one pass, not by the YAML library)', () => {
  const many = (extra: string) => {
    let text = 'services:\n';
    for (let i = 0; i < 4000; i++) text += `  svc${i}:\n    image: nginx:1.27\n`;
    return text + extra;
  };

  it('reports the first repeated key with the same message and position as for a small file', () => {
    const text = many('  svc7:\n    image: redis:7\n');
    expect(text.length).toBeGreaterThan(100_000);
    const error = (() => {
      try {
        parseComposeFile(fromString(text));
      } catch (e) {
        return e as InputError;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(InputError);
    expect(error!.message).toBe('duplicate key "svc7": each key may appear only once in a mapping; keep one of the entries');
    expect([error!.line, error!.column]).toEqual([8002, 3]);
  });

  it('merge keys may repeat, and a large file without duplicates parses', () => {
    expect(parseComposeFile(fromString(many('x-a: &a {init: true}\nx-b:\n  <<: *a\n  <<: *a\n'))).services).toHaveLength(4000);
  });
});
