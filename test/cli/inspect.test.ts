import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { useTempDir, write } from './support.js';

const STACK =
  'services:\n' +
  '  db:\n' +
  '    image: postgres:16\n' +
  '  web:\n' +
  '    image: docker.io/library/nginx:1.27-alpine\n' +
  '  app:\n' +
  '    build: ./app\n' +
  '    image: registry.example.com:5000/team/app:${TAG:-dev}\n';

describe('inspect', () => {
  const tmp = useTempDir();

  it('reports the parsed image, the entry matched and each planned change with its reason and source', async () => {
    write(tmp.dir, 'compose.yaml', STACK);
    const r = await cli(['inspect', '--format', 'json'], { cwd: tmp.dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as {
      files: Array<{ path: string; error: null; services: Array<{ name: string; image: Record<string, unknown>; changes: Array<Record<string, unknown>> }> }>;
    };
    const [file] = report.files;
    expect(file!.path).toBe('compose.yaml');
    const byName = Object.fromEntries(file!.services.map((s) => [s.name, s]));

    expect(byName.db!.image).toEqual({
      ref: 'postgres:16',
      registry: 'docker.io',
      repository: 'library/postgres',
      tag: '16',
      digest: null,
      built: false,
      entry: 'postgres',
      knowledge: 'templates/images/postgres.json#postgres',
      variant: null,
    });
    const dbChange = (key: string) => byName.db!.changes.find((c) => c.key === key);
    expect(dbChange('user')).toMatchObject({ ruleId: 'non-root-user', op: 'set', value: '999:999' });
    expect(dbChange('user')!.source).toMatch(/^https:\/\//);
    expect(dbChange('tmpfs')).toMatchObject({ ruleId: 'read-only-rootfs', op: 'add', value: ['/tmp', '/var/run/postgresql:uid=999,gid=999'] });
    // Run as 999:999, postgres needs no capability back.
    expect(dbChange('cap_add')).toBeUndefined();
    expect(dbChange('cap_drop')).toMatchObject({ value: ['ALL'], source: 'templates/images/postgres.json#postgres' });

    expect(byName.web!.image).toMatchObject({ entry: 'nginx', tag: '1.27-alpine', registry: 'docker.io' });

    expect(byName.app!.image).toMatchObject({ built: true, entry: null, registry: 'registry.example.com:5000', repository: 'team/app', tag: 'dev' });
    expect(byName.app!.changes.find((c) => c.key === 'cap_add')).toMatchObject({
      value: ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'SETGID', 'SETUID', 'NET_BIND_SERVICE', 'KILL'],
      source: 'templates/defaults.json#unknownImage',
    });
    for (const service of file!.services) {
      for (const change of service.changes) {
        expect(Object.keys(change)).toEqual(['ruleId', 'reason', 'source', 'op', 'key', 'value']);
        expect(String(change.reason).length).toBeGreaterThan(0);
      }
    }
  });

  it('text output names the entry and each change', async () => {
    write(tmp.dir, 'compose.yaml', STACK);
    const r = await cli(['inspect'], { cwd: tmp.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  db  postgres:16 -> postgres (templates/images/postgres.json#postgres)\n');
    expect(r.stdout).toContain('    + user: "999:999"  [non-root-user]');
    expect(r.stdout).toContain('  app  built locally as registry.example.com:5000/team/app:${TAG:-dev}: no knowledge applies\n');
  });

  it('reports unusable files like the other commands', async () => {
    write(tmp.dir, 'bad.yml', 'services: [web]\n');
    write(tmp.dir, 'good.yml', 'services:\n  web:\n    image: nginx:1.27\n');
    const r = await cli(['inspect', '--format', 'json', 'bad.yml', 'good.yml'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('bad.yml:1:11: `services` must be a mapping of service names to their settings\n');
    const report = JSON.parse(r.stdout) as { files: Array<{ path: string; error: unknown; services: unknown[] }> };
    expect(report.files.map((f) => [f.path, f.error === null, f.services.length])).toEqual([
      ['bad.yml', false, 0],
      ['good.yml', true, 1],
    ]);
  });
});
