import type { Report, Rule } from './types.js';

export const cgroupParent: Rule = {
  meta: {
    id: 'cgroup-parent',
    title: 'Container cgroup is not the default',
    severity: 'warning',
    fix: 'manual',
    cis: ['5.25'],
    refs: { kics: ['4d9f44c6'], semgrep: [], composeLint: [] },
    rationale:
      "Docker puts each container in a cgroup of its own under its parent, where its limits are accounted. `cgroup_parent` moves it under another parent (sharing that parent's limits, or none), and `cgroup: host` runs it in the host's cgroup namespace, where it sees the host's whole cgroup tree.",
    remedy:
      'Remove `cgroup_parent` and `cgroup: host` unless the host is set up for them (a systemd slice with its own limits, a monitoring agent that must read every cgroup). Reported only.',
    owns: [],
    examples: {
      bad: 'services:\n  app:\n    image: example/app:1.0\n    cgroup_parent: m-executor-abcd\n',
      good: 'services:\n  app:\n    image: example/app:1.0\n',
    },
  },
  check(service) {
    const e = service.effective;
    const out: Report[] = [];
    const parent = e.cgroup_parent;
    if (parent !== undefined && parent !== null && String(parent).trim() !== '') {
      out.push({
        message: `service "${service.name}" runs under the cgroup parent "${String(parent)}" instead of Docker's own: its limits are accounted there`,
        node: service.locate('cgroup_parent'),
      });
    }
    if (typeof e.cgroup === 'string' && e.cgroup.trim() === 'host') {
      out.push({
        message: `service "${service.name}" runs in the host's cgroup namespace (cgroup: host): it sees the host's whole cgroup tree`,
        node: service.locate('cgroup'),
      });
    }
    return out;
  },
};
