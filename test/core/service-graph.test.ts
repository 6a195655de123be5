import { describe, expect, it } from 'vitest';
import { parseComposeFile } from '../../src/core/compose-file.js';
import { fromString } from '../../src/core/source.js';
import { serviceReferences } from '../../src/rules/support/service-graph.js';

/** The references found from a one-line environment value of `web` to the other services. */
function refsFrom(key: string, value: string): string[] {
  const file = parseComposeFile(
    fromString(
      ['services:', '  web:', '    image: example/web:1', '    environment:', `      ${key}: ${JSON.stringify(value)}`, '  db: {image: postgres:16}', '  cache: {image: redis:7}', '  app: {image: example/app:1}', '  rabbit: {image: rabbitmq:3}', ''].join('\n'),
    ),
  );
  return serviceReferences(file).map((r) => r.to);
}

describe('host names in values', () => {
  it.each([
    ['DATABASE_URL', 'postgres://user:secret@db:5432/app', ['db']],
    ['ANY', 'redis://cache', ['cache']],
    ['ANY', 'cache:6379', ['cache']],
    ['REDIS_HOST', 'cache', ['cache']],
    ['POSTGRES_USER', 'db', []],
    ['ANY', 'http://app/v1?x=1', ['app']],
    ['DATA_DIR', '/app/data', []],
    ['SERVER_CMD', 'app.py --bind 0.0.0.0:8000', []],
    ['BROKER_URL', 'amqp://guest:guest@rabbit:5672,cache:6379', ['cache', 'rabbit']],
  ])('%s=%s', (key, value, refs) => {
    expect(refsFrom(key, value).sort()).toEqual(refs);
  });
});

describe('serviceReferences', () => {
  it('reads depends_on (list and map), links, network_mode and host names in env, command and healthcheck', () => {
    const file = parseComposeFile(
      fromString(
        [
          'services:',
          '  web:',
          '    build: .',
          '    depends_on: [api]',
          '    links: ["cache:redis"]',
          '    environment:',
          '      DATABASE_URL: postgres://app:pw@db:5432/app',
          '      POSTGRES_USER: worker   # a user name, not a host',
          '      SEARCH_HOST: search',
          '  api:',
          '    image: example/api:1',
          '    depends_on:',
          '      db: {condition: service_healthy}',
          '    command: ["serve", "--queue", "amqp://mq:5672"]',
          '    healthcheck: {test: ["CMD", "curl", "-f", "http://localhost:8080/health"]}',
          '  sidecar:',
          '    image: example/sidecar:1',
          '    network_mode: service:api',
          '  worker: {image: example/worker:1}',
          '  db: {image: postgres:16}',
          '  cache: {image: redis:7}',
          '  mq: {image: rabbitmq:3}',
          '  search:',
          '    image: opensearchproject/opensearch:2',
          '    hostname: os',
          '',
        ].join('\n'),
      ),
    );
    expect(serviceReferences(file).map((r) => `${r.from} -${r.kind}-> ${r.to}`)).toEqual([
      'web -depends_on-> api',
      'web -links-> cache',
      'web -hostname-> db',
      'web -hostname-> search',
      'api -depends_on-> db',
      'api -hostname-> mq',
      'sidecar -network_mode-> api',
    ]);
  });
});
