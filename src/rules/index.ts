import { capDropAll } from './cap-drop-all.js';
import { dangerousCapabilities } from './dangerous-capabilities.js';
import { dockerSocket } from './docker-socket.js';
import { noHostNamespaces } from './no-host-namespaces.js';
import { noNewPrivileges } from './no-new-privileges.js';
import { noPrivileged } from './no-privileged.js';
import { nonRootUser } from './non-root-user.js';
import { readOnlyRootfs } from './read-only-rootfs.js';
import { securityProfileDisabled } from './security-profile-disabled.js';
import { unknownImage } from './unknown-image.js';
import { resourceLimits } from './resource-limits.js';
import { pidsLimit } from './pids-limit.js';
import { loggingLimits } from './logging-limits.js';
import { initProcess } from './init-process.js';
import { internalNetwork } from './internal-network.js';
import { envSecrets } from './env-secrets.js';
import { seccompProfile } from './seccomp-profile.js';
import { privilegedPorts } from './privileged-ports.js';
import { healthcheck } from './healthcheck.js';
import { portsBindLocalhost } from './ports-bind-localhost.js';
import { sensitiveMounts } from './sensitive-mounts.js';
import { imagePinned } from './image-pinned.js';
import { restartPolicy } from './restart-policy.js';
import { hostDevices } from './host-devices.js';
import { mountPropagation } from './mount-propagation.js';
import { cgroupParent } from './cgroup-parent.js';
import { tmpfsOptions } from './tmpfs-options.js';
import { sharedVolumes } from './shared-volumes.js';
import type { Rule } from './types.js';

/** Every rule, in the order their fixes are written into a service. */
export const allRules: readonly Rule[] = [
  nonRootUser,
  readOnlyRootfs,
  capDropAll,
  noNewPrivileges,
  securityProfileDisabled,
  seccompProfile,
  resourceLimits,
  pidsLimit,
  loggingLimits,
  initProcess,
  healthcheck,
  internalNetwork,
  portsBindLocalhost,
  envSecrets,
  sensitiveMounts,
  noPrivileged,
  noHostNamespaces,
  dockerSocket,
  dangerousCapabilities,
  imagePinned,
  restartPolicy,
  hostDevices,
  mountPropagation,
  cgroupParent,
  tmpfsOptions,
  privilegedPorts,
  sharedVolumes,
  unknownImage,
];
