import { isMap, type Node } from 'yaml';
import type { ServiceNode } from '../core/compose-file.js';
import { fieldKey, ownListItem, volumeMounts } from './support/mounts.js';
import type { Report, Rule } from './types.js';

/** Propagation modes that carry mounts from the host into the container, and (shared) back out. */
const PROPAGATING: Readonly<Record<string, string>> = {
  shared: 'both ways: mounts made in the container appear on the host',
  rshared: 'both ways, recursively: mounts made in the container appear on the host',
  slave: 'from the host into the container',
  rslave: 'from the host into the container, recursively',
};

export const mountPropagation: Rule = {
  meta: {
    id: 'mount-propagation',
    title: 'Mount propagation is shared',
    severity: 'warning',
    fix: 'manual',
    cis: ['5.20'],
    refs: { kics: ['baa452f0'], semgrep: [], composeLint: ['CL-0017'] },
    rationale:
      "Docker's default propagation is `rprivate`: mounts under a bind stay on their side. `shared`/`rshared` join the container's mount to the host's peer group, so a mount the container makes (with SYS_ADMIN) appears on the host and host mounts appear inside; `slave`/`rslave` bring every later host mount under that path into the container.",
    remedy:
      'Remove the propagation option (short syntax `:rshared`, long syntax `bind.propagation`) unless the service manages mounts for the host (a storage or CSI driver); `rslave` is the narrower choice for a service that must see host mounts appear. `shared` and `rshared` are warnings, `slave` and `rslave` info. Reported only. Differences: `slave`/`rslave` are reported too (as info), since they still carry host mounts into the container; propagation on a named volume is ignored by Docker and not reported.',
    owns: [],
    examples: {
      bad: 'services:\n  agent:\n    image: example/agent:1.0\n    volumes:\n      - /mnt:/mnt:rshared\n',
      good: 'services:\n  agent:\n    image: example/agent:1.0\n    volumes:\n      - /mnt:/mnt:ro\n',
    },
  },
  check(service, file) {
    const declared = file.topLevel('volumes');
    const topLevel = declared && typeof declared === 'object' ? (declared as Record<string, unknown>) : {};
    const out: Report[] = [];
    for (const mount of volumeMounts(service.effective, topLevel)) {
      const mode = mount.propagation;
      if (!mode || !(mode in PROPAGATING)) continue;
      // Propagation is a property of bind mounts; Docker refuses or ignores it elsewhere.
      if (mount.type !== 'bind' || mount.namedBind) continue;
      out.push({
        message: `service "${service.name}" mounts ${mount.source ?? mount.sourceText ?? 'a path'} with ${mode} propagation: mounts propagate ${PROPAGATING[mode]}`,
        node: propagationNode(service, mount.index) ?? service.locate('volumes'),
        severity: mode.endsWith('shared') ? 'warning' : 'info',
      });
    }
    return out;
  },
};

/** A short-syntax item itself (the mode is part of it); in the long syntax, the `propagation:` key under `bind:`. */
function propagationNode(service: ServiceNode, index: number): Node | undefined {
  const item = ownListItem(service, 'volumes', index);
  return item && isMap(item) ? (fieldKey(item, 'bind', 'propagation') ?? item) : item;
}
