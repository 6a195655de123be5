import { testRule } from '../helpers/rule-tester.js';
import { dockerSocket } from '../../src/rules/docker-socket.js';

const yaml = (...lines: string[]) => lines.join('\n') + '\n';
const crlf = (...lines: string[]) => lines.join('\r\n') + '\r\n';

const withVolumes = (...items: string[]) => yaml('services:', '  proxy:', '    image: traefik', '    volumes:', ...items.map((item) => `      - ${item}`));

testRule(dockerSocket, {
  valid: [
    { name: 'no volumes', code: yaml('services:', '  web:', '    image: nginx') },
    {
      name: 'named volumes, a look-alike file and paths that only resemble socket paths',
      code: yaml(
        'services:',
        '  app:',
        '    image: app',
        '    volumes:',
        '      - data:/data',
        '      - ./docker.sock.bak:/x',
        '      - /var/run/docker.sock.d:/y',
        '      - /srv/run:/run',
        '      - /tmp/docker.socket:/w',
        '      - docker.sock:/z',
        'volumes:',
        '  data:',
        '  docker.sock:',
      ),
    },
    {
      name: 'a named volume with driver_opts that is not a bind',
      code: yaml(
        'version: "3.8"',
        'services:',
        '  app:',
        '    image: app',
        '    volumes:',
        '      - nfs:/data',
        'volumes:',
        '  nfs:',
        '    driver_opts: {type: nfs, o: "addr=10.0.0.1,rw", device: ":/var/run"}',
      ),
    },
    {
      name: 'a bare container path is an anonymous volume there, not the host socket',
      code: withVolumes('/var/run/docker.sock', '/run/docker.sock'),
    },
    {
      name: 'the socket path as a target only (version "2.4")',
      code: yaml('version: "2.4"', 'services:', '  app:', '    image: app', '    volumes:', '      - ./fake.sock:/var/run/docker.sock'),
    },
  ],
  invalid: [
    {
      name: 'short syntax: docker, containerd, podman sockets, /run and /var/run, :ro, quoting, a parent dir, an interpolation default',
      code: yaml(
        'version: "3.8"',
        'services:',
        '  proxy:',
        '    image: traefik',
        '    volumes:',
        '      - ./conf:/etc/traefik:ro',
        '      - /var/run/docker.sock:/var/run/docker.sock:ro',
        '      - /run/docker.sock:/sock',
        '      - "/run/containerd/containerd.sock:/c.sock"',
        '      - /run/user/1000/podman/podman.sock:/p.sock',
        '      - /var/run:/host-run',
        '      - ${DOCKER_SOCK:-/var/run/docker.sock}:/var/run/docker.sock',
      ),
      output: null,
      errors: [
        { line: 7, column: 9, severity: 'error', message: 'read-only does not stop API calls' },
        { line: 8, column: 9, message: 'runtime socket /run/docker.sock' },
        { line: 9, column: 9, message: 'runtime socket /run/containerd/containerd.sock' },
        { line: 10, column: 9, message: 'runtime socket /run/user/1000/podman/podman.sock' },
        { line: 11, column: 9, message: 'mounts /var/run, which contains the container runtime socket' },
        { line: 12, column: 9, message: 'runtime socket /var/run/docker.sock' },
      ],
    },
    {
      name: 'version-less: CRI-O and cri-dockerd sockets, a trailing slash and the host root',
      code: withVolumes('/var/run/crio/crio.sock:/c', '/run/cri-dockerd.sock:/d', '/var/run/:/r', '/:/host:ro'),
      output: null,
      errors: [
        { line: 5, column: 9 },
        { line: 6, column: 9 },
        { line: 7, column: 9, message: 'mounts /var/run,' },
        { line: 8, column: 9, message: 'mounts /,' },
      ],
    },
    {
      name: 'long syntax: reported at the source: key',
      code: yaml(
        'services:',
        '  proxy:',
        '    image: traefik',
        '    volumes:',
        '      - type: bind',
        '        source: /var/run/docker.sock',
        '        target: /var/run/docker.sock',
        '        read_only: true',
        '      - type: bind',
        '        target: /x',
        '        source: /run/podman/podman.sock',
      ),
      output: null,
      errors: [
        { line: 6, column: 9, message: 'read-only does not stop API calls' },
        { line: 11, column: 9 },
      ],
    },
    {
      name: 'long syntax without type: a path source is a bind, a name is a volume',
      code: yaml('services:', '  proxy:', '    image: traefik', '    volumes:', '      - source: /tmp/cache', '      - source: /var/run/docker.sock', '        target: /var/run/docker.sock', '      - source: docker.sock', '        target: /x'),
      output: null,
      errors: [{ line: 6, column: 9 }],
    },
    {
      name: 'a named volume that binds /var/run through driver_opts',
      code: yaml(
        'services:',
        '  proxy:',
        '    image: traefik',
        '    volumes:',
        '      - dockerrun:/host/run',
        'volumes:',
        '  dockerrun:',
        '    driver_opts: {type: none, o: bind, device: /var/run}',
      ),
      output: null,
      errors: [{ line: 5, column: 9, message: 'mounts /var/run' }],
    },
    {
      name: 'a long-syntax named volume that binds the socket through block driver_opts',
      code: yaml(
        'services:',
        '  proxy:',
        '    image: traefik',
        '    volumes:',
        '      - type: volume',
        '        source: sock',
        '        target: /var/run/docker.sock',
        'volumes:',
        '  sock:',
        '    driver: local',
        '    driver_opts:',
        '      type: none',
        '      o: bind',
        '      device: /var/run/docker.sock',
      ),
      output: null,
      errors: [{ line: 6, column: 9 }],
    },
    {
      // The rootless Docker and Podman sockets live under $XDG_RUNTIME_DIR; the directory is interpolated
      // but the file name is literal, so the mount is a runtime socket whatever the variable holds.
      name: 'a socket under an interpolated directory (rootless Docker/Podman)',
      code: withVolumes('${XDG_RUNTIME_DIR}/docker.sock:/var/run/docker.sock', '$XDG_RUNTIME_DIR/podman/podman.sock:/p.sock'),
      output: null,
      errors: [
        { line: 5, column: 9 },
        { line: 6, column: 9 },
      ],
    },
    {
      name: 'inherited through a merge key, an aliased service, and a flow-mapping service',
      code: yaml(
        'x-base: &base',
        '  volumes:',
        '    - /var/run/docker.sock:/var/run/docker.sock',
        'services:',
        '  a:',
        '    <<: *base',
        '    image: x',
        '  b: *base',
        '  c: {image: x, volumes: [/run/docker.sock:/s]}',
      ),
      output: null,
      errors: [
        { line: 6, column: 5 },
        { line: 8, column: 6 },
        { line: 9, column: 27 },
      ],
    },
    {
      name: 'inherited through a merge list <<: [*a, *b]',
      code: yaml('x-a: &a', '  image: x', 'x-b: &b', '  volumes: ["/var/run/docker.sock:/var/run/docker.sock"]', 'services:', '  web:', '    <<: [*a, *b]'),
      output: null,
      errors: [{ line: 7, column: 5 }],
    },
    {
      // Caret fixtures cannot annotate the first line of a multi-line value: these are checked here.
      name: 'multi-line items point at their first line: a double-quoted continuation, a folded scalar, a plain continuation',
      code: yaml(
        'services:',
        '  proxy:',
        '    image: traefik',
        '    volumes:',
        '      - "/var/run/docker.sock:\\',
        '        /var/run/docker.sock"',
        '      - >-',
        '        /run/docker.sock:/s',
        '      - /run/containerd/containerd.sock:/c.sock:ro,',
        '        rslave',
      ),
      output: null,
      errors: [
        { line: 5, column: 9, message: 'runtime socket /var/run/docker.sock' },
        { line: 7, column: 9, message: 'runtime socket /run/docker.sock' },
        { line: 9, column: 9, message: 'runtime socket /run/containerd/containerd.sock' },
      ],
    },
    {
      name: 'CRLF and 4-space indentation',
      code: crlf('services:', '    proxy:', '        image: traefik', '        volumes:', '            - ./conf:/conf', '            - /var/run/docker.sock:/var/run/docker.sock'),
      output: null,
      errors: [{ line: 6, column: 15 }],
    },
  ],
});

testRule(dockerSocket, {
  valid: [],
  invalid: [
    {
      name: 'the host root and /run spelled with . and ..',
      code: 'services:\n  a:\n    image: example/app:1\n    volumes:\n      - /.:/host\n      - /..:/h2:ro\n      - /etc/..:/h3:ro\n      - /run/.:/hostrun\n',
      output: null,
      errors: [
        { line: 5, column: 9, message: 'mounts /, which contains the container runtime socket' },
        { line: 6, column: 9, message: 'mounts /, which contains' },
        { line: 7, column: 9, message: 'mounts /, which contains' },
        { line: 8, column: 9, message: 'mounts /run, which contains' },
      ],
    },
  ],
});
