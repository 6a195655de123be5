import { describe, expect, it } from 'vitest';
import { parseImageRef } from '../../src/knowledge/image-ref.js';

const pick = (raw: string) => {
  const ref = parseImageRef(raw);
  return ref && { registry: ref.registry, repository: ref.repository, tag: ref.tag, digest: ref.digest, key: ref.key, problems: ref.problems };
};
const DIGEST = 'sha256:' + 'a'.repeat(64);

describe('parseImageRef', () => {
  it.each([
    ['postgres', { registry: 'docker.io', repository: 'library/postgres', tag: null, digest: null, key: 'postgres', problems: [] }],
    ['postgres:16-alpine', { registry: 'docker.io', repository: 'library/postgres', tag: '16-alpine', digest: null, key: 'postgres', problems: [] }],
    ['library/redis:7', { registry: 'docker.io', repository: 'library/redis', tag: '7', digest: null, key: 'redis', problems: [] }],
    ['docker.io/library/nginx:1.27', { registry: 'docker.io', repository: 'library/nginx', tag: '1.27', digest: null, key: 'nginx', problems: [] }],
    ['docker.io/bitnami/postgresql:16', { registry: 'docker.io', repository: 'bitnami/postgresql', tag: '16', digest: null, key: 'bitnami/postgresql', problems: [] }],
    ['index.docker.io/grafana/grafana', { registry: 'docker.io', repository: 'grafana/grafana', tag: null, digest: null, key: 'grafana/grafana', problems: [] }],
    ['quay.io/prometheus/node-exporter:v1.8.2', { registry: 'quay.io', repository: 'prometheus/node-exporter', tag: 'v1.8.2', digest: null, key: 'quay.io/prometheus/node-exporter', problems: [] }],
    [`registry:5000/ns/name:tag@${DIGEST}`, { registry: 'registry:5000', repository: 'ns/name', tag: 'tag', digest: DIGEST, key: 'registry:5000/ns/name', problems: [] }],
    ['localhost/app', { registry: 'localhost', repository: 'app', tag: null, digest: null, key: 'localhost/app', problems: [] }],
    [`nginx@${DIGEST}`, { registry: 'docker.io', repository: 'library/nginx', tag: null, digest: DIGEST, key: 'nginx', problems: [] }],
    ['Nginx:latest', { registry: 'docker.io', repository: 'library/Nginx', tag: 'latest', digest: null, key: 'nginx', problems: ['repository names must be lower case'] }],
    ['REGISTRY.example.com/App', { registry: 'registry.example.com', repository: 'App', tag: null, digest: null, key: 'registry.example.com/app', problems: ['repository names must be lower case'] }],
  ])('%s', (raw, expected) => {
    expect(pick(raw)).toEqual(expected);
  });

  it('takes interpolation defaults and leaves other variables unknown', () => {
    const ref = parseImageRef('${REGISTRY}/app:${TAG:-latest}')!;
    expect({ registry: ref.registry, key: ref.key, tag: ref.tag, interpolated: ref.interpolated }).toEqual({
      registry: null,
      key: 'app',
      tag: 'latest',
      interpolated: true,
    });
    expect(parseImageRef('postgres:${PG_VERSION:-16}')!.tag).toBe('16');
    expect(parseImageRef('postgres:${PG_VERSION}')!.tag).toBeNull();
    expect(parseImageRef('${IMAGE}')).toBeNull();
    expect(parseImageRef('${IMAGE:-redis:7}')!.key).toBe('redis');
  });

  it('reports malformed tags and digests', () => {
    expect(parseImageRef('nginx:-bad')!.problems).toEqual(['invalid tag "-bad"']);
    expect(parseImageRef('nginx@sha256:xyz')!.problems).toEqual(['invalid digest "sha256:xyz"']);
  });
});
