import { describe, expect, it } from 'vitest';
import { parseShortVolume } from '../../src/rules/support/mounts.js';
import { splitColonFields } from '../../src/rules/support/values.js';

describe('splitting short-syntax entries on colons', () => {
  it('keeps ${VAR:-default} whole', () => {
    expect(splitColonFields('${HOST_PORT:-8080}:80')).toEqual(['${HOST_PORT:-8080}', '80']);
    expect(splitColonFields('${IP:-127.0.0.1}:${P:-80}:80/udp')).toEqual(['${IP:-127.0.0.1}', '${P:-80}', '80/udp']);
  });

  it('keeps a Windows drive letter with a volume source, and only there', () => {
    expect(parseShortVolume('C:\\data:/data:ro', 0)).toMatchObject({ type: 'bind', source: 'C:\\data', target: '/data', readOnly: true });
    expect(parseShortVolume('d:/srv:/srv', 0)).toMatchObject({ type: 'bind', source: 'd:/srv', target: '/srv' });
    expect(parseShortVolume('data:/var/lib/x', 0)).toMatchObject({ type: 'volume', source: 'data', target: '/var/lib/x' });
  });
});
