import { portNode, publishedPorts } from './support/ports.js';
import type { Report, Rule } from './types.js';

export const privilegedPorts: Rule = {
  meta: {
    id: 'privileged-ports',
    title: 'Service listens on a privileged port',
    severity: 'info',
    fix: 'manual',
    cis: ['5.8'],
    refs: { kics: ['bc2908f3'], semgrep: [], composeLint: [] },
    rationale:
      'Ports below 1024 are privileged: the process that listens on one needs root or NET_BIND_SERVICE (Docker before 20.10, Podman and hosts that reset ip_unprivileged_port_start), which is one more reason to keep a service root or give it a capability. A service that listens on 8080 needs neither.',
    remedy:
      'Make the service listen on a port of 1024 or above inside the container and publish that (`"80:8080"`: the host side may stay 80). Reported only, as information: with Docker 20.10 or later a container may bind low ports without a capability. Differences: the container port is judged, the port the process binds; KICS also reports a host port below 1024 (`70:8000`), but the host side of the mapping is the host\'s business and is not reported.',
    owns: [],
    examples: {
      bad: 'services:\n  web:\n    image: example/web:1.0\n    ports:\n      - "80:80"\n',
      good: 'services:\n  web:\n    image: example/web:1.0\n    ports:\n      - "80:8080"\n',
    },
  },
  check(service) {
    const reports: Report[] = [];
    for (const port of publishedPorts(service.effective)) {
      const first = Number.parseInt(port.target.split('-')[0] ?? '', 10);
      if (!/^\d+(-\d+)?$/.test(port.target) || !(first < 1024)) continue;
      reports.push({
        message: `service "${service.name}" listens on port ${port.target} in the container, a privileged port: its process needs root or NET_BIND_SERVICE on engines before Docker 20.10; a port of 1024 or above needs neither`,
        // The container port is the finding: a long-syntax entry points at its `target:`.
        node: portNode(service, port, 'target') ?? service.locate('ports'),
      });
    }
    return reports;
  },
};
