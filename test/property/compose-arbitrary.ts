/**
 * Random compose documents for the property suite, written as text by hand (not by a YAML library) so
 * that every style a person writes appears: plain and quoted scalars, block and flow collections,
 * comments, blank lines, anchors and merge keys, 2- or 4-space indentation, indented or compact
 * sequences, LF or CRLF, a byte order mark, a missing final newline.
 */
import fc from 'fast-check';

export interface Style {
  readonly indent: 2 | 4;
  /** `-` indented under its key, or at the key's column. */
  readonly seqIndented: boolean;
  readonly crlf: boolean;
  readonly bom: boolean;
  readonly finalNewline: boolean;
}

type Quote = 'plain' | 'single' | 'double';

export interface Setting {
  readonly key: string;
  /** Lines relative to the key's column: the first is `key: ...`. */
  render(style: Style, quote: Quote, flow: boolean): string[];
  /** The setting is itself a problem a fix replaces (a line is rewritten, not only inserted). */
  readonly replaced: boolean;
}

export interface ServiceModel {
  readonly name: string;
  readonly settings: readonly Setting[];
  readonly quote: Quote;
  readonly flow: boolean;
  readonly merge: boolean;
  readonly comment: string | null;
  /** A comment at the end of each setting's first line. */
  readonly trailing: boolean;
}

export interface DocumentModel {
  readonly style: Style;
  readonly anchor: boolean;
  readonly services: readonly ServiceModel[];
  readonly headerComment: boolean;
  readonly blankLines: boolean;
  /** Credentials written in `environment:`: the values no output may show. */
  readonly secrets: readonly string[];
}

const q = (text: string, quote: Quote): string => (quote === 'single' ? `'${text.replace(/'/g, "''")}'` : quote === 'double' ? `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : text);

function list(key: string, items: readonly string[], style: Style, flow: boolean): string[] {
  if (flow) return [`${key}: [${items.join(', ')}]`];
  const pad = style.seqIndented ? ' '.repeat(style.indent) : '';
  return [`${key}:`, ...items.map((item) => `${pad}- ${item}`)];
}

function map(key: string, pairs: ReadonlyArray<readonly [string, string]>, style: Style, flow: boolean): string[] {
  if (flow) return [`${key}: {${pairs.map(([k, v]) => `${k}: ${v}`).join(', ')}}`];
  return [`${key}:`, ...pairs.map(([k, v]) => `${' '.repeat(style.indent)}${k}: ${v}`)];
}

const IMAGES = ['nginx:1.27', 'postgres:16', 'redis:7-alpine', 'node:22', 'python:3.12-slim', 'traefik:v3.1', 'example/app:1.4', 'ghcr.io/acme/worker:2', 'mysql:8.4'];

const setting = (key: string, render: Setting['render'], replaced = false): Setting => ({ key, render, replaced });

const secretValue = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.@%+-]{7,23}$/);

/** One service's settings: each key at most once, in a random order. */
function settings(secret: string): fc.Arbitrary<Setting[]> {
  const options: Array<fc.Arbitrary<Setting>> = [
    fc.constantFrom(...IMAGES).map((image) => setting('image', (_s, quote) => [`image: ${q(image, quote)}`])),
    fc.constant(setting('build', () => ['build: .'])),
    fc.constantFrom('80', '8080:80', '127.0.0.1:5432:5432', '9000-9001:9000-9001').map((port) =>
      setting('ports', (style, _quote, flow) => list('ports', [`"${port}"`], style, flow)),
    ),
    fc.boolean().map((asList) =>
      setting('environment', (style, quote, flow) =>
        asList
          ? list('environment', [q('TZ=UTC', quote), q(`APP_PASSWORD=${secret}`, quote)], style, flow)
          : map('environment', [['TZ', q('UTC', quote)], ['APP_PASSWORD', q(secret, quote)]], style, flow),
      ),
    ),
    fc.constant(setting('volumes', (style, _q, flow) => list('volumes', ['data:/var/lib/data', './conf:/etc/app:ro'], style, flow))),
    fc.constant(setting('command', (_s, quote) => [`command: ${q('serve --port 8080', quote)}`])),
    fc.boolean().map((value) => setting('read_only', () => [`read_only: ${value}`], !value)),
    fc.constant(setting('cap_drop', (style, _q, flow) => list('cap_drop', ['NET_RAW'], style, flow))),
    fc.constant(setting('security_opt', (style, quote, flow) => list('security_opt', [q('label:type:app_t', quote)], style, flow))),
    fc.constant(setting('restart', () => ['restart: unless-stopped'])),
    fc.constant(setting('labels', (style, quote, flow) => map('labels', [['com.example.team', q('platform', quote)]], style, flow))),
    fc.constant(setting('tmpfs', (style, _q, flow) => list('tmpfs', ['/tmp'], style, flow))),
    fc.constant(setting('init', () => ['init: true'])),
    fc.constant(setting('mem_limit', () => ['mem_limit: 256m'])),
  ];
  return fc.subarray(options, { minLength: 0, maxLength: options.length }).chain((picked) =>
    (picked.length === 0 ? fc.constant([] as Setting[]) : fc.tuple(...picked)).chain((chosen) => fc.shuffledSubarray(chosen as Setting[], { minLength: chosen.length, maxLength: chosen.length })),
  ).map((chosen) => {
    // image and build may both appear (a built image with a name); keep at most one of each key.
    const seen = new Set<string>();
    return chosen.filter((s) => !seen.has(s.key) && seen.add(s.key));
  });
}

const NAMES = ['web', 'db', 'api', 'cache', 'worker', 'proxy', 'queue', 'svc-2', 'admin_ui'];

export const composeDocument: fc.Arbitrary<DocumentModel> = fc
  .record({
    style: fc.record({
      indent: fc.constantFrom(2 as const, 4 as const),
      seqIndented: fc.boolean(),
      crlf: fc.boolean(),
      bom: fc.boolean(),
      finalNewline: fc.boolean(),
    }),
    anchor: fc.boolean(),
    headerComment: fc.boolean(),
    blankLines: fc.boolean(),
    names: fc.uniqueArray(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 4 }),
    secret: secretValue,
  })
  .chain(({ names, secret, ...rest }) =>
    fc
      .tuple(
        ...names.map((name) =>
          fc.record({
            name: fc.constant(name),
            settings: settings(secret),
            quote: fc.constantFrom<Quote>('plain', 'single', 'double'),
            flow: fc.boolean(),
            merge: fc.boolean(),
            comment: fc.option(fc.constantFrom('keep me', 'TODO: harden', 'from upstream'), { nil: null }),
            trailing: fc.boolean(),
          }),
        ),
      )
      .map((services) => ({ ...rest, services, secrets: services.some((s) => s.settings.some((x) => x.key === 'environment')) ? [secret] : [] })),
  );

/** The document as text, exactly as a person might have written it. */
export function renderDocument(model: DocumentModel): string {
  const { style } = model;
  const unit = ' '.repeat(style.indent);
  const lines: string[] = [];
  if (model.headerComment) lines.push('# generated for the property suite', '');
  if (model.anchor) lines.push('x-common: &common', `${unit}restart: unless-stopped`, `${unit}logging:`, `${unit}${unit}driver: local`, '');
  lines.push('services:');
  model.services.forEach((service, index) => {
    if (index > 0 && model.blankLines) lines.push('');
    if (service.comment) lines.push(`${unit}# ${service.comment}`);
    const body: string[] = [];
    if (service.merge && model.anchor) body.push('<<: *common');
    for (const s of service.settings) {
      if (service.merge && model.anchor && s.key === 'restart') continue;
      const rendered = s.render(style, service.quote, service.flow);
      body.push(...rendered.map((line, i) => (i === 0 && service.trailing ? `${line}  # ${s.key} as upstream has it` : line)));
    }
    if (body.length === 0) body.push('image: busybox:1.36');
    lines.push(`${unit}${service.name}:`, ...body.map((line) => `${unit}${unit}${line}`));
  });
  const eol = style.crlf ? '\r\n' : '\n';
  const text = lines.join(eol) + (style.finalNewline ? eol : '');
  return (style.bom ? '\uFEFF' : '') + text;
}

/** The fix can only insert lines: block style throughout and no value that is itself the problem. */
export function insertOnly(model: DocumentModel): boolean {
  return model.services.every((s) => !s.flow && s.settings.every((x) => !x.replaced && x.key !== 'environment'));
}
