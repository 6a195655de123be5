import { describe, expect, it } from 'vitest';
import { parseComposeFile } from '../../src/core/compose-file.js';
import { fromString } from '../../src/core/source.js';
import { hostsIn, serviceReferences } from '../../src/rules/support/service-graph.js';

describe('hostsIn', () => {
  it.each([
    ['postgres://user:secret@db:5432/app', [{ name: 'db', explicit: true }]],
    ['redis://cache', [{ name: 'cache', explicit: true }]],
    ['cache:6379', [{ name: 'cache', explicit: true }]],
    ['cache', [{ name: 'cache', explicit: false }]],
    ['http://api/v1?x=1', [{ name: 'api', explicit: true }]],
    ['/app/data', []],
    ['app.py --bind 0.0.0.0:8000', [{ name: 'app.py', explicit: false }]],
    ['amqp://guest:guest@rabbit:5672,redis:6379', [{ name: 'rabbit', explicit: true }, { name: 'redis', explicit: true }]],
  ])('%s', (text, hosts) => {
    expect(hostsIn(text)).toEqual(hosts);
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
