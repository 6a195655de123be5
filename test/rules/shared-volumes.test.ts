import { testRule } from '../helpers/rule-tester.js';
import { sharedVolumes } from '../../src/rules/shared-volumes.js';

const yaml = (...lines: string[]) => lines.join('\n') + '\n';

testRule(sharedVolumes, {
  valid: [
    {
      name: 'each service has its own volume',
      code: yaml('services:', '  a:', '    image: x', '    volumes: [a-data:/data]', '  b:', '    image: y', '    volumes: [b-data:/data]', 'volumes:', '  a-data:', '  b-data:'),
    },
    {
      name: 'different host directories side by side',
      code: yaml('services:', '  frontend:', '    build: frontend', '    volumes:', '      - ./logic:/app', '  backend:', '    build: backend', '    volumes:', '      - ./bin:/app'),
    },
    {
      name: 'a directory every service mounts read-only (short :ro and long read_only)',
      code: yaml(
        'services:',
        '  a:',
        '    image: x',
        '    volumes:',
        '      - ./conf:/etc/app:ro',
        '  b:',
        '    image: y',
        '    volumes:',
        '      - type: bind',
        '        source: ./conf',
        '        target: /etc/app',
        '        read_only: true',
      ),
    },
    {
      name: 'system paths and runtime sockets are other rules\' business',
      code: yaml(
        'services:',
        '  a:',
        '    image: x',
        '    volumes: [/var/run/docker.sock:/var/run/docker.sock, /etc/localtime:/etc/localtime, /proc:/host/proc]',
        '  b:',
        '    image: y',
        '    volumes: [/var/run/docker.sock:/var/run/docker.sock, /etc/localtime:/etc/localtime, /proc:/host/proc]',
      ),
    },
    {
      name: 'anonymous volumes and tmpfs are never shared',
      code: yaml('services:', '  a:', '    image: x', '    volumes: [/data]', '    tmpfs: [/tmp]', '  b:', '    image: y', '    volumes: [/data]', '    tmpfs: [/tmp]'),
    },
    { name: 'one service mounting a volume twice', code: yaml('services:', '  a:', '    image: x', '    volumes: [d:/a, d:/b]', 'volumes:', '  d:') },
  ],
  invalid: [
    {
      name: 'the same host directory in two services (version 3)',
      code: yaml('version: "3"', 'services:', '  frontend:', '    build: frontend', '    volumes:', '      - ./logic:/app', '  backend:', '    build: backend', '    volumes:', '      - ./logic/:/app'),
      output: null,
      errors: [
        { line: 6, column: 9, severity: 'info', message: 'service "frontend" shares ./logic with backend (writable here and by backend)' },
        { line: 10, column: 9, message: 'service "backend" shares ./logic/ with frontend (writable here and by frontend)' },
      ],
    },
    {
      name: 'a named volume written by one service and read by another',
      code: yaml(
        'services:',
        '  app:',
        '    build: app',
        '    volumes:',
        '      - uploads:/app/uploads',
        '  web:',
        '    image: nginx:1.27',
        '    volumes:',
        '      - type: volume',
        '        source: uploads',
        '        target: /usr/share/nginx/html',
        '        read_only: true',
        'volumes:',
        '  uploads:',
      ),
      output: null,
      errors: [
        { line: 5, column: 9, message: 'shares volume uploads with web (writable here, read by the others)' },
        { line: 10, column: 9, message: 'shares volume uploads with app (read-only here, written by app)' },
      ],
    },
    {
      name: 'a directory and a directory inside it',
      code: yaml('services:', '  a:', '    image: x', '    volumes: [/srv/data:/data]', '  b:', '    image: y', '    volumes: ["/srv/data/uploads:/uploads:ro"]'),
      output: null,
      errors: [
        { line: 4, column: 15, message: 'shares /srv/data with b' },
        { line: 7, column: 15, message: 'shares /srv/data/uploads with a (read-only here, written by a)' },
      ],
    },
    {
      name: 'a named volume that is a bind of a shared directory',
      code: yaml(
        'services:',
        '  a:',
        '    image: x',
        '    volumes: [shared:/data]',
        '  b:',
        '    image: y',
        '    volumes: [/srv/shared:/data]',
        'volumes:',
        '  shared:',
        '    driver_opts: {type: none, o: bind, device: /srv/shared}',
      ),
      output: null,
      errors: [
        { line: 4, column: 15, message: 'with b' },
        { line: 7, column: 15, message: 'with a' },
      ],
    },
    {
      name: 'volumes_from, short and with a mode',
      code: yaml('services:', '  data:', '    image: x', '  app:', '    image: y', '    volumes_from:', '      - data:ro', '      - container:legacy'),
      output: null,
      errors: [
        { line: 7, column: 9, message: 'mounts every volume of service data (volumes_from)' },
        { line: 8, column: 9, message: 'mounts every volume of container legacy' },
      ],
    },
    {
      name: 'inherited through a merge key: reported at the merge key',
      code: yaml('x-vols: &vols', '  volumes: [cache:/cache]', 'services:', '  a:', '    <<: *vols', '    image: x', '  b:', '    <<: *vols', '    image: y', 'volumes:', '  cache:'),
      output: null,
      errors: [
        { line: 5, column: 5, message: 'with b' },
        { line: 8, column: 5, message: 'with a' },
      ],
    },
  ],
});
