import { canonicalHostPath, ownVolumeItem, volumeMounts, type Mount } from './support/mounts.js';
import type { Rule } from './types.js';

const RUNTIME = 'the container runtime socket';
const SYSTEMD = "systemd's private socket";
const DBUS = 'the D-Bus system bus socket';

/**
 * Sockets whose API controls the host, matched on the host path: a container runtime's (docker, containerd,
 * CRI-O, Podman, cri-dockerd), and the two through which root starts host services as systemd units.
 */
const SOCKETS: ReadonlyArray<{ pattern: RegExp; what: string }> = [
  // Matched by name wherever it is: an unresolved directory (`${XDG_RUNTIME_DIR}/docker.sock`) still names it.
  { pattern: /(^|\/)(docker|containerd|crio|podman|cri-dockerd)\.sock$/, what: RUNTIME },
  // Only the system manager's and the system bus: a user manager's (`/run/user/<uid>/systemd/private`) and a
  // session bus command one user's units.
  { pattern: /^\/(var\/)?run\/systemd\/private$/, what: SYSTEMD },
  { pattern: /^\/(var\/)?run\/dbus\/system_bus_socket$/, what: DBUS },
];
/** Directories that contain one of these sockets on common hosts, so mounting them exposes it. */
const SOCKET_PARENTS = new Map<string, string>([
  ['/', RUNTIME],
  ['/var', RUNTIME],
  ['/run', RUNTIME],
  ['/var/run', RUNTIME],
  ['/run/docker', RUNTIME],
  ['/var/run/docker', RUNTIME],
  ['/run/containerd', RUNTIME],
  ['/var/run/containerd', RUNTIME],
  ['/run/crio', RUNTIME],
  ['/var/run/crio', RUNTIME],
  ['/run/podman', RUNTIME],
  ['/var/run/podman', RUNTIME],
  ['/run/systemd', SYSTEMD],
  ['/var/run/systemd', SYSTEMD],
  ['/run/dbus', DBUS],
  ['/var/run/dbus', DBUS],
]);
const USER_RUNTIME_DIR = /^\/run\/user\/\d+(\/podman|\/docker)?$/;

export const dockerSocket: Rule = {
  meta: {
    id: 'docker-socket',
    title: 'Container runtime or host service socket is mounted',
    severity: 'error',
    fix: 'manual',
    cis: ['5.32'],
    refs: { kics: ['d6355c88'], semgrep: ['exposing-docker-socket-volume'], composeLint: ['CL-0001'] },
    detects:
      "A bind mount (short or long syntax, or a named volume the local driver binds) of a socket that controls the host: a container runtime's (`docker.sock`, `containerd.sock`, `crio.sock`, `podman.sock`, `cri-dockerd.sock`, wherever it is), systemd's private socket (`/run/systemd/private`) or the D-Bus system bus (`/run/dbus/system_bus_socket`); or of a directory that holds one (`/`, `/var`, `/run`, `/var/run`, `/run/docker`, `/run/containerd`, `/run/crio`, `/run/podman`, `/run/systemd`, `/run/dbus`, `/run/user/<uid>`), in either mode",
    rationale:
      "Whoever can talk to the Docker (or containerd, CRI-O, Podman) socket can start a privileged container that mounts the host root: the socket is root on the host. systemd's private socket (`/run/systemd/private`) and the D-Bus system bus (`/run/dbus/system_bus_socket`) are the same for root in the container: systemd takes its uid 0 for the host's root and runs any command it is given as a host unit (`systemd-run`). A `:ro` mount does not help, because API calls are not file writes.",
    remedy:
      "Remove the mount, or put a socket proxy in front of it that allows only the API sections the service needs (for example read-only container listing for a reverse proxy); a service that only listens for D-Bus signals still holds the whole bus. Reported only. A directory that holds one of these sockets counts as the socket: `/`, `/var`, `/run`, `/var/run`, the runtime directories (`/run/containerd`, ...), `/run/systemd` and `/run/dbus`. A long-syntax entry without `type:` whose source is a path counts as the bind its author meant, and a named volume counts as a bind of its `device` when the local driver binds it (`driver_opts` with `o: bind`). Differences: a bare container path (`- /var/run/docker.sock`) is an anonymous volume created at that path inside the container, not the host socket, and is not reported. `/run/user/<uid>` counts as a directory holding a runtime socket (a rootless engine puts its socket there). The D-Bus system bus (`/run/dbus`, `/var/run/dbus`) is reported here as a socket that controls the host, not as host runtime state (compose-lint's CL-0013): root on the bus starts host units through systemd.",
    owns: [],
    examples: {
      bad: 'services:\n  proxy:\n    image: traefik:v3.1\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n',
      good: 'services:\n  proxy:\n    image: traefik:v3.1\n    environment:\n      DOCKER_HOST: tcp://socket-proxy:2375\n',
    },
  },
  check(service, file) {
    const declared = file.topLevel('volumes');
    const topLevel = declared && typeof declared === 'object' ? (declared as Record<string, unknown>) : {};
    return volumeMounts(service.effective, topLevel).flatMap((mount) => {
      const exposed = exposesControlSocket(mount);
      if (!exposed) return [];
      const { source, direct, what } = exposed;
      return [
        {
          message: direct
            ? `service "${service.name}" mounts ${what} ${source}: control of this container is control of the host${mount.readOnly ? ' (read-only does not stop API calls)' : ''}`
            : `service "${service.name}" mounts ${source}, which contains ${what}: control of this container is control of the host`,
          node: ownVolumeItem(service, mount.index) ?? service.locate('volumes'),
        },
      ];
    });
  },
};

/**
 * Whether a mount exposes a socket that controls the host: the socket itself, or a directory that holds one.
 * sensitive-mounts leaves these mounts to this rule, so that each mount is reported once.
 */
export function exposesControlSocket(mount: Mount): { source: string; direct: boolean; what: string } | null {
  if (mount.type !== 'bind' || !mount.sourceText) return null;
  const source = hostPath(mount.source ?? mount.sourceText);
  const socket = SOCKETS.find((s) => s.pattern.test(source));
  if (socket) return { source, direct: true, what: socket.what };
  if (!mount.source) return null;
  const parent = SOCKET_PARENTS.get(source) ?? (USER_RUNTIME_DIR.test(source) ? RUNTIME : undefined);
  return parent ? { source, direct: false, what: parent } : null;
}

/**
 * A host path without trailing slashes, `.` and `..` resolved (`/.`, `/etc/..` and `/run/.` are the root
 * and /run); `/var/run` is kept as written, since the host's own /var/run may not be a link to /run.
 */
function hostPath(path: string): string {
  const trimmed = path.trim();
  const resolved = trimmed.startsWith('/') ? canonicalHostPath(trimmed) : trimmed.replace(/\/+$/, '');
  return resolved === '' ? '/' : resolved;
}
