import { serviceProfile } from '../knowledge/service-profile.js';
import { neededTmpfs } from './support/knowledge.js';
import { normalizePath, ownListItem } from './support/mounts.js';
import type { Report, Rule } from './types.js';

/** Options that take back one of Docker's tmpfs defaults (noexec, nosuid, nodev), and what each allows. */
const LOOSENING: Readonly<Record<string, string>> = {
  exec: 'programs to run from it',
  suid: 'setuid programs to gain privileges from it',
  dev: 'device nodes on it',
};

export const tmpfsOptions: Rule = {
  meta: {
    id: 'tmpfs-options',
    title: 'tmpfs allows exec, suid or devices',
    severity: 'warning',
    fix: 'manual',
    cis: [],
    refs: { kics: [], semgrep: [], composeLint: ['CL-0022'] },
    rationale:
      "Docker mounts every tmpfs `noexec,nosuid,nodev`. On a read-only root filesystem the tmpfs is the only place an attacker can write, so `exec` there re-opens the download-and-run path that `read_only: true` closed; `suid` and `dev` re-open setuid binaries and device nodes.",
    remedy:
      "Remove `exec`, `suid` and `dev` from the tmpfs options unless the image runs programs from that path. Reported only. `exec` on a path where the image's knowledge entry says it runs programs (s6-overlay's /run, a JVM's native libraries in /tmp) is not reported: read-only-rootfs writes exactly that option for those images, and reporting it would leave every hardened file with a finding nobody can act on. An `exec` the knowledge does not justify is a warning, as are `suid` and `dev` everywhere. Differences: the long syntax (`type: tmpfs` under `volumes:`) cannot express these options and is never reported.",
    owns: [],
    examples: {
      bad: 'services:\n  app:\n    image: example/app:1.0\n    read_only: true\n    tmpfs:\n      - /tmp:exec\n',
      good: 'services:\n  app:\n    image: example/app:1.0\n    read_only: true\n    tmpfs:\n      - /tmp\n',
    },
  },
  check(service) {
    const out: Report[] = [];
    const tmpfs = service.effective.tmpfs;
    if (tmpfs === undefined || tmpfs === null) return out;
    // `tmpfs: /run` is one entry; the list's indexes are kept, so each finding points at its own item.
    const entries = Array.isArray(tmpfs) ? tmpfs : [tmpfs];
    if (entries.length === 0) return out;
    const profile = serviceProfile(service);
    const justified = new Set(neededTmpfs(profile).filter((t) => t.exec).map((t) => normalizePath(t.path)));
    entries.forEach((raw, index) => {
      if (raw === null || raw === undefined) return;
      const entry = String(raw);
      const colon = entry.indexOf(':');
      const path = normalizePath(colon === -1 ? entry : entry.slice(0, colon));
      const options = colon === -1 ? [] : entry.slice(colon + 1).split(',').map((o) => o.trim());
      const loose = options.filter((o) => o in LOOSENING && !(o === 'exec' && justified.has(path)));
      if (loose.length === 0) return;
      out.push({
        message: `service "${service.name}" mounts a tmpfs at ${path} with ${loose.join(', ')}: it allows ${loose.map((o) => LOOSENING[o]).join(', ')}`,
        node: ownListItem(service, 'tmpfs', index) ?? service.locate('tmpfs'),
      });
    });
    return out;
  },
};
