import { describe, expect, it } from 'vitest';
import { Commented, renderBlockPair, renderFlow, renderScalar } from '../../src/core/render.js';

describe('render', () => {
  it('quotes what YAML 1.1 or 1.2 would read as something other than the string', () => {
    expect(['yes', 'on', 'no', '0755', '22:22', 'null', '~', '1e3', 'true', ''].map((s) => renderScalar(s))).toEqual([
      '"yes"', '"on"', '"no"', '"0755"', '"22:22"', '"null"', '"~"', '"1e3"', '"true"', '""',
    ]);
  });

  it('keeps ordinary strings plain', () => {
    expect(['/tmp', 'ALL', 'no-new-privileges:true', 'size=64m'].map((s) => renderScalar(s))).toEqual([
      '/tmp', 'ALL', 'no-new-privileges:true', 'size=64m',
    ]);
  });

  it('quotes colons and flow indicators inside flow collections', () => {
    expect(renderFlow(['ALL', 'no-new-privileges:true', 'a,b'])).toBe('[ALL, "no-new-privileges:true", "a,b"]');
  });

  it('renders block pairs with the file style and inline comments', () => {
    const style = { indent: 4, seqIndent: 0, flowSequences: false };
    expect(renderBlockPair('cap_add', [new Commented('CHOWN', 'entrypoint chowns the data dir')], 4, style)).toEqual([
      '    cap_add:',
      '    - CHOWN  # entrypoint chowns the data dir',
    ]);
    expect(renderBlockPair('deploy', { resources: { limits: { memory: '256M' } } }, 2, style)).toEqual([
      '  deploy:',
      '      resources:',
      '          limits:',
      '              memory: 256M',
    ]);
  });

  it('writes short lists in flow style when the file prefers it', () => {
    expect(renderBlockPair('cap_drop', ['ALL'], 2, { indent: 2, seqIndent: 2, flowSequences: true })).toEqual(['  cap_drop: [ALL]']);
  });
});
