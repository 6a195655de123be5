import { canonicalHostPath, ownVolumeItem, volumeMounts, type Mount } from './support/mounts.js';
import type { Rule } from './types.js';

/** A socket of a container runtime: docker, containerd, CRI-O, Podman, cri-dockerd. */
const SOCKET = /(^|\/)(docker|containerd|crio|podman|cri-dockerd)\.sock$/;
/** Directories that contain a runtime socket on common hosts, so mounting them exposes it. */
const SOCKET_PARENTS = new Set([
  '/',
  '/var',
  '/run',
  '/var/run',
  '/run/docker',
  '/var/run/docker',
  '/run/containerd',
  '/var/run/containerd',
  '/run/crio',
  '/var/run/crio',
  '/run/podman',
  '/var/run/podman',
]);
const USER_RUNTIME_DIR = /^\/run\/user\/\d+(\/podman|\/docker)?$/;

export const dockerSocket: Rule = {
  meta: {
    id: 'docker-socket',
    title: 'Container runtime socket is mounted',
    severity: 'error',
    fix: 'manual',
    cis: ['5.32'],
    refs: { kics: ['d6355c88'], semgrep: ['exposing-docker-socket-volume'], composeLint: ['CL-0001'] },
    rationale:
      'Whoever can talk to the Docker (or containerd, CRI-O, Podman) socket can start a privileged container that mounts the host root: the socket is root on the host. A `:ro` mount does not help, because API calls are not file writes.',
    remedy:
      'Remove the mount, or put a socket proxy in front of it that allows only the API sections the service needs (for example read-only container listing for a reverse proxy). Reported only. A long-syntax entry without `type:` whose source is a path counts as the bind its author meant. Differences: a bare container path (`- /var/run/docker.sock`) is an anonymous volume created at that path inside the container, not the host socket, and is not reported. `/run/user/<uid>` counts as a directory holding a runtime socket (a rootless engine puts its socket there).',
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
      const exposed = exposesRuntimeSocket(mount);
      if (!exposed) return [];
      const { source, direct } = exposed;
      return [
        {
          message: direct
            ? `service "${service.name}" mounts the container runtime socket ${source}: control of this container is control of the host${mount.readOnly ? ' (read-only does not stop API calls)' : ''}`
            : `service "${service.name}" mounts ${source}, which contains the container runtime socket: control of this container is control of the host`,
          node: ownVolumeItem(service, mount.index) ?? service.locate('volumes'),
        },
      ];
    });
  },
};

/**
 * Whether a mount exposes a container runtime socket: the socket itself, or a directory that holds one.
 * sensitive-mounts leaves these mounts to this rule, so that each mount is reported once.
 */
export function exposesRuntimeSocket(mount: Mount): { source: string; direct: boolean } | null {
  if (mount.type !== 'bind' || !mount.sourceText) return null;
  // An unresolved variable (`${XDG_RUNTIME_DIR}/docker.sock`, rootless engines) still names the socket.
  const source = hostPath(mount.source ?? mount.sourceText);
  const direct = SOCKET.test(source);
  if (!mount.source && !direct) return null;
  if (!direct && !SOCKET_PARENTS.has(source) && !USER_RUNTIME_DIR.test(source)) return null;
  return { source, direct };
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
