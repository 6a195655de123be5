import type { Report, Rule, Severity } from './types.js';

/** Each key that can share a host namespace, what sharing it exposes, and its CIS section. */
const NAMESPACES: Array<{ key: string; what: string; cis: string; severity: Severity }> = [
  { key: 'network_mode', what: "the host's network stack (every host port and interface)", cis: '5.10', severity: 'warning' },
  { key: 'pid', what: "the host's process table (it can see and signal host processes)", cis: '5.16', severity: 'error' },
  { key: 'ipc', what: "the host's shared memory and IPC objects", cis: '5.17', severity: 'error' },
  { key: 'uts', what: "the host's hostname and domain name", cis: '5.21', severity: 'warning' },
  { key: 'userns_mode', what: "the host's user namespace (user-namespace remapping is off)", cis: '5.31', severity: 'warning' },
];

export const noHostNamespaces: Rule = {
  meta: {
    id: 'no-host-namespaces',
    title: 'Service shares a host namespace',
    severity: 'error',
    fix: 'manual',
    cis: NAMESPACES.map((n) => n.cis),
    refs: { kics: ['071a71ff', '4f31dd9f', 'baa3890f', '8af7162d'], semgrep: [], composeLint: ['CL-0008', 'CL-0010'] },
    rationale:
      "Namespaces are what separate a container from the host. Sharing the host's network, PID, IPC, UTS or user namespace removes that separation for the shared resource.",
    remedy:
      'Remove the `host` setting and use published ports, a shared network, or a narrower mechanism instead. Reported only: some services need a host namespace (network monitors, node exporters), and only their authors know. Differences: `uts: host` and `userns_mode: host` are reported too (compose-lint no longer reports them; KICS reports a host user namespace): each still shares a host namespace.',
    owns: [],
    examples: {
      bad: 'services:\n  app:\n    image: example/app:1.0\n    pid: host\n',
      good: 'services:\n  app:\n    image: example/app:1.0\n',
    },
  },
  check(service) {
    const reports: Report[] = [];
    for (const ns of NAMESPACES) {
      const value = service.effective[ns.key];
      // Docker compares the mode with "host" exactly; other spellings are not host mode.
      if (value !== 'host') continue;
      reports.push({
        message: `service "${service.name}" shares ${ns.what} (${ns.key}: host)`,
        node: service.locate(ns.key),
        severity: ns.severity,
        cis: [ns.cis],
      });
    }
    return reports;
  },
};
