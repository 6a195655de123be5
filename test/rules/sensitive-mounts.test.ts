import { testRule } from '../helpers/rule-tester.js';
import { sensitiveMounts } from '../../src/rules/sensitive-mounts.js';

const yaml = (...lines: string[]) => lines.join('\n') + '\n';
const crlf = (...lines: string[]) => lines.join('\r\n') + '\r\n';
const withVolumes = (...items: string[]) => yaml('services:', '  app:', '    image: example/app:1.0', '    volumes:', ...items.map((item) => `      - ${item}`));

testRule(sensitiveMounts, {
  valid: [
    {
      name: 'project directories, named volumes, read-only time zone files, inert devices, deep paths under /home',
      code: withVolumes(
        './etc:/etc/app',
        'data:/var/lib/postgresql/data',
        '/etc/localtime:/etc/localtime:ro',
        '/etc/timezone:/etc/timezone:ro',
        '/dev/null:/app/config.local',
        '/home/alice/projects/app/data:/data',
        '/var/lib/mysql:/var/lib/mysql',
        '/srv/etc:/etc/x',
        '/etcetera:/x',
        'etc:/y',
        '/var/lib/backup/data:/backup/data',
        '/usr/src/app/node_modules',
      ),
    },
    {
      name: 'the runtime socket and the host root are docker-socket\'s (reported once, there)',
      code: withVolumes('/var/run/docker.sock:/var/run/docker.sock', '/:/host:ro', '/var/run:/r', '/run/containerd/containerd.sock:/c.sock'),
    },
    {
      name: "systemd's private socket, the D-Bus system bus and the directories holding them are docker-socket's too",
      code: withVolumes('/run/systemd/private:/mnt', '/run/systemd:/x', '/var/run/dbus:/var/run/dbus', '/run/dbus/system_bus_socket:/run/dbus/system_bus_socket:ro'),
    },
    {
      name: 'projects below the home directory, a home-like variable that is not HOME, a path that climbs out of the home',
      code: withVolumes('~/data:/data', '"~/projects/app:/app"', '${HOME}/stacks/blog:/blog', '$HOMEDIR/data:/k', '${DATA_DIR}:/data2', '~/../shared:/shared', '~someone/projects:/p'),
    },
    {
      name: 'a named volume of another driver is not a bind of its device',
      code: yaml('services:', '  app:', '    image: x', '    volumes:', '      - hostetc:/host/etc', 'volumes:', '  hostetc:', '    driver: rexray/ebs', '    driver_opts: {type: none, o: bind, device: /etc}'),
    },
    {
      name: 'a tmpfs and a named volume in the long syntax (version "3.8")',
      code: yaml('version: "3.8"', 'services:', '  app:', '    image: x', '    volumes:', '      - type: tmpfs', '        target: /etc/cache', '      - type: volume', '        source: etc', '        target: /etc', 'volumes:', '  etc:'),
    },
  ],
  invalid: [
    {
      name: 'writable host configuration becomes read-only: no mode, rw, an SELinux label',
      code: withVolumes('/etc/nginx/conf.d:/etc/nginx/conf.d  # site config', '/etc/wireguard:/etc/wireguard:rw', '"/etc/ssl/certs:/certs:z"', '/etc/localtime:/etc/localtime'),
      output: withVolumes('/etc/nginx/conf.d:/etc/nginx/conf.d:ro  # site config', '/etc/wireguard:/etc/wireguard:ro', '"/etc/ssl/certs:/certs:z,ro"', '/etc/localtime:/etc/localtime:ro'),
      errors: [
        { line: 5, column: 9, severity: 'error', message: 'mounts /etc/nginx/conf.d writable' },
        { line: 6, column: 9, severity: 'error' },
        { line: 7, column: 9, severity: 'error' },
        { line: 8, column: 9, severity: 'warning', message: "host's time zone setting" },
      ],
    },
    {
      name: 'a flow-mapping long-syntax bind gets read_only: true',
      code: withVolumes('{type: bind, source: /etc/wireguard, target: /etc/wireguard}'),
      output: withVolumes('{type: bind, source: /etc/wireguard, target: /etc/wireguard, read_only: true}'),
      errors: [{ line: 5, column: 22 }],
    },
    {
      name: 'a writable /etc becomes read-only and stays a warning (it still discloses the host secrets)',
      code: withVolumes('/etc:/host/etc', '/etc/ssl/certs:/etc/ssl/certs:ro'),
      output: withVolumes('/etc:/host/etc:ro', '/etc/ssl/certs:/etc/ssl/certs:ro'),
      errors: [{ line: 5, column: 9, severity: 'error', message: 'mounts /etc writable' }],
      remaining: [{ line: 5, column: 9, message: 'mounts /etc read-only' }],
    },
    {
      name: 'read-only secrets below /etc are warnings, reported only',
      code: withVolumes('/etc/ssh:/etc/ssh:ro', '/etc/shadow:/etc/shadow:ro', '/etc/passwd:/etc/passwd:ro'),
      output: null,
      errors: [
        { line: 5, column: 9, severity: 'warning', message: 'mounts /etc/ssh read-only' },
        { line: 6, column: 9, severity: 'warning' },
        { line: 7, column: 9, severity: 'warning' },
      ],
    },
    {
      name: 'root-equivalent and disclosing paths are reported only, in both syntaxes',
      code: yaml(
        'services:',
        '  agent:',
        '    image: example/agent:1.0',
        '    volumes:',
        '      - /proc:/host/proc:ro',
        '      - /sys:/host/sys:ro',
        '      - /root:/root',
        '      - /var/lib/docker/:/var/lib/docker:ro',
        '      - //boot/./:/boot',
        '      - /dev:/dev',
        '      - /var/lib:/host/var-lib',
        '      - /home/alice:/home/alice',
        '      - ~/.ssh:/root/.ssh:ro',
        '      - ${HOME}/.aws:/root/.aws',
        '      - /run/udev:/run/udev',
        '      - /lib/modules:/lib/modules:ro',
        '      - type: bind',
        '        source: /etc',
        '        target: /host/etc',
        '      - type: bind',
        '        source: /proc',
        '        target: /host/proc',
        '        read_only: true',
      ),
      output: null,
      errors: [
        { line: 5, column: 9, severity: 'warning', message: 'mounts /proc read-only' },
        { line: 6, column: 9, severity: 'warning', message: 'kernel, device and cgroup interfaces' },
        { line: 7, column: 9, severity: 'error', message: "root's home" },
        { line: 8, column: 9, severity: 'warning', message: 'mounts /var/lib/docker read-only' },
        { line: 9, column: 9, severity: 'error', message: 'mounts /boot writable' },
        { line: 10, column: 9, severity: 'warning', message: 'device nodes' },
        { line: 11, column: 9, severity: 'error', message: 'container store' },
        { line: 12, column: 9, severity: 'warning', message: 'home directories' },
        { line: 13, column: 9, severity: 'warning', message: 'credentials' },
        { line: 14, column: 9, severity: 'error', message: 'credentials' },
        { line: 15, column: 9, severity: 'warning', message: "mounts /run/udev writable: it exposes host runtime state (udev, utmp, other daemons' sockets)" },
        { line: 16, column: 9, severity: 'warning', message: 'kernel modules' },
        { line: 18, column: 9, severity: 'error', message: 'add `read_only: true` to this entry' },
        { line: 21, column: 9, severity: 'warning' },
      ],
    },
    {
      name: 'the home directory of the user running Compose: ~, ~/, $HOME and ${HOME}, writable an error, read-only a warning',
      code: withVolumes('"~:/probe"', '~/:/home-ro:ro', '${HOME}:/h', '$HOME/./:/h2:ro', '{type: bind, source: "~", target: /h3}'),
      output: null,
      errors: [
        { line: 5, column: 9, severity: 'error', message: 'mounts ~ writable: it exposes the home directory of the user running Compose' },
        { line: 6, column: 9, severity: 'warning', message: 'mounts ~ read-only: it exposes the home directory' },
        { line: 7, column: 9, severity: 'error', message: 'mounts ${HOME} writable: it exposes the home directory' },
        { line: 8, column: 9, severity: 'warning', message: 'mounts $HOME/./ read-only' },
        { line: 9, column: 22, severity: 'error', message: 'mounts ~ writable' },
      ],
    },
    {
      // Compose joins what follows `~` to the home of the user running it (compose-go paths.ExpandUser).
      name: '~someone/.ssh is what Compose mounts, ~/someone/.ssh: a credential directory, named as Compose reads it',
      code: withVolumes('"~someone/.ssh:/keys"', '~/./.ssh/:/k:ro', '~/.config/gcloud:/g'),
      output: null,
      errors: [
        { line: 5, column: 9, severity: 'error', message: 'mounts ~someone/.ssh (Compose reads it as ~/someone/.ssh) writable: it exposes credentials' },
        { line: 6, column: 9, severity: 'warning', message: 'mounts ~/.ssh read-only: it exposes credentials' },
        { line: 7, column: 9, severity: 'error', message: 'mounts ~/.config/gcloud writable' },
      ],
    },
    {
      name: 'long syntax without type: a path source is a bind',
      code: yaml('services:', '  certbot:', '    image: certbot/certbot:v2.11.0', '    volumes:', '      - source: /etc/letsencrypt', '        target: /etc/letsencrypt'),
      output: null,
      errors: [{ line: 5, column: 9, severity: 'error', message: 'add `read_only: true` to this entry' }],
    },
    {
      name: 'a named volume that binds /etc through driver_opts is reported, not rewritten',
      code: yaml('services:', '  app:', '    image: x', '    volumes:', '      - hostetc:/host/etc', 'volumes:', '  hostetc:', '    driver_opts: {type: none, o: bind, device: /etc}'),
      output: null,
      errors: [{ line: 5, column: 9, severity: 'error', message: 'through the named volume "hostetc"' }],
    },
    {
      name: 'inherited through a merge key: reported at the merge key, the fix written in the service',
      code: yaml('x-base: &base', '  volumes:', '    - /etc/app:/etc/app', 'services:', '  a:', '    <<: *base', '    image: x'),
      output: yaml('x-base: &base', '  volumes:', '    - /etc/app:/etc/app', 'services:', '  a:', '    <<: *base', '    image: x', '    volumes:', '      - /etc/app:/etc/app:ro'),
      errors: [{ line: 6, column: 5 }],
    },
    {
      name: 'CRLF and 4-space indentation',
      code: crlf('services:', '    app:', '        image: x', '        volumes:', '            - /etc/app:/etc/app'),
      output: crlf('services:', '    app:', '        image: x', '        volumes:', '            - /etc/app:/etc/app:ro'),
      errors: [{ line: 5, column: 15 }],
    },
  ],
});
