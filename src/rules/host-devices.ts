import { isMap, type Node } from 'yaml';
import type { ServiceNode } from '../core/compose-file.js';
import { canonicalHostPath, fieldKey, ownListItem } from './support/mounts.js';
import { interpolatedDefault } from './support/values.js';
import type { Report, Rule, Severity } from './types.js';

/**
 * Devices that give raw access to the host's disks, memory or kernel: host root with ordinary file operations,
 * or with the one capability the kernel asks for before opening them (`needs`).
 */
const HOST_ROOT: ReadonlyArray<{ pattern: RegExp; what: string; needs?: string }> = [
  { pattern: /^\/dev\/(sd|hd|vd|xvd)[a-z]+\d*$/, what: 'a raw disk' },
  { pattern: /^\/dev\/nvme\d+(n\d+(p\d+)?)?$/, what: 'a raw NVMe disk' },
  { pattern: /^\/dev\/mmcblk\d+(p\d+)?$/, what: 'a raw SD/eMMC disk' },
  { pattern: /^\/dev\/(md\d+|md\/.+|dm-\d+|mapper\/.+|disk\/.+|loop\d+|loop-control|rbd\d+|zfs|nbd\d+)$/, what: 'a block device (RAID, device mapper, loop, ZFS, Ceph)' },
  { pattern: /^\/dev\/(mem|kmem|port)$/, what: "the host's physical memory or I/O ports", needs: 'CAP_SYS_RAWIO' },
  { pattern: /^\/dev\/kmsg$/, what: 'the kernel log (readable and writable)' },
  { pattern: /^\/dev\/(cpu\/.*|cpu_dma_latency|mcelog|bpf|autofs|btrfs-control)$/, what: 'a kernel control device' },
  { pattern: /^\/dev$/, what: 'every host device' },
];

/** One `devices:` entry: `HOST[:CONTAINER[:PERMISSIONS]]`, a CDI name (`vendor.com/class=name`), or the long syntax. */
function deviceHostPath(entry: unknown): string | null {
  if (entry !== null && typeof entry === 'object') {
    const source = (entry as Record<string, unknown>).source;
    return typeof source === 'string' ? source : null;
  }
  const text = String(entry).trim();
  if (/^[^/]+=/.test(text) || !text.startsWith('/') && !text.startsWith('$')) return text === '' ? null : text;
  return text.split(':')[0]!;
}

export const hostDevices: Rule = {
  meta: {
    id: 'host-devices',
    title: 'Host device is exposed',
    severity: 'warning',
    fix: 'manual',
    cis: ['5.18'],
    refs: { kics: [], semgrep: [], composeLint: ['CL-0016'] },
    detects:
      "Every entry of `devices:` (short or long syntax, CDI names), as an error when it is a raw disk, block, memory or kernel device; every `device_cgroup_rules:` entry, as an error when it covers every device",
    rationale:
      "A `devices:` entry passes a host device through the container's device cgroup. Raw disks, device-mapper and loop devices, `/dev/mem` and `/dev/kmsg` are the host's storage, memory and kernel: reading and writing them bypasses every file permission, and needs no capability (the disks, the kernel log) or one (`CAP_SYS_RAWIO` for `/dev/mem` and `/dev/port`). `device_cgroup_rules` lets the container use whole classes of devices (`a *:* rwm`: all of them).",
    remedy:
      "Remove the device unless the service needs it; pass the narrowest node (one partition, one serial port, `/dev/dri/renderD128` rather than `/dev/dri`) and drop `m` (mknod) from its permissions. Raw disks, memory, kernel devices and a rule for every device (`a *:* rwm`) are errors; GPUs, serial ports, `/dev/net/tun`, `/dev/fuse` and other devices, and narrower cgroup rules, are warnings. Reported only. Differences: CDI names (`nvidia.com/gpu=all`) are device requests, reported as warnings like other devices; `/dev/net/tun` is reported as a warning (compose-lint treats it as safe): it lets the container create network interfaces; and every device passed is reported, whatever capability its use needs (`/dev/mem` and `/dev/port` open only with CAP_SYS_RAWIO, a FUSE mount through `/dev/fuse` needs CAP_SYS_ADMIN; compose-lint leaves them to its capability rules), because the device is one `cap_add` away from use; a name that is no known device (`/dev/mdadm`) is reported as a device like any other. Devices Docker refuses are reported too, since the file asks for them (`/dev/kmem` and `/dev/raw`, which current kernels no longer have: the service then fails to start).",
    owns: [],
    examples: {
      bad: 'services:\n  backup:\n    image: example/backup:1.0\n    devices:\n      - /dev/sda:/dev/sda\n',
      good: 'services:\n  backup:\n    image: example/backup:1.0\n    volumes:\n      - /srv/backup:/backup\n',
    },
  },
  check(service) {
    const e = service.effective;
    const out: Report[] = [];
    const devices = Array.isArray(e.devices) ? e.devices : e.devices === undefined || e.devices === null ? [] : [e.devices];
    devices.forEach((entry, index) => {
      const written = deviceHostPath(entry);
      if (written === null) return;
      const resolved = interpolatedDefault(written);
      const path = resolved !== null && resolved.startsWith('/') ? canonicalHostPath(resolved) : (resolved ?? written);
      const hit = HOST_ROOT.find((d) => d.pattern.test(path));
      const severity: Severity = hit ? 'error' : 'warning';
      out.push({
        message: hit
          ? `service "${service.name}" is given ${path}, ${hit.what}: ${hit.needs ? `with ${hit.needs} (cap_add or privileged) that is host root` : 'that is host root without any capability'}`
          : `service "${service.name}" is given the host device ${path}: make sure the service needs it, and no more than it`,
        node: item(service, 'devices', index),
        severity,
      });
    });
    const rules = Array.isArray(e.device_cgroup_rules) ? e.device_cgroup_rules : [];
    rules.forEach((rule, index) => {
      const text = String(rule).trim();
      // `TYPE MAJOR:MINOR ACCESS`: `a` (all types) or `*:*` (every device) with `m` opens every device.
      const [type = '', numbers = ''] = text.split(/\s+/);
      const everything = type === 'a' || numbers === '*:*';
      out.push({
        message: everything
          ? `service "${service.name}" may create and use every host device (device_cgroup_rules: "${text}")`
          : `service "${service.name}" may use the host devices matching "${text}" (device_cgroup_rules)`,
        node: item(service, 'device_cgroup_rules', index),
        severity: everything ? 'error' : 'warning',
      });
    });
    return out;
  },
};

/** The entry at `index` of the list at `key`: a short-syntax item itself, a long-syntax device's `source:` key. */
function item(service: ServiceNode, key: string, index: number): Node {
  const node = ownListItem(service, key, index);
  if (!node) return service.locate(key);
  return isMap(node) ? (fieldKey(node, 'source') ?? node) : node;
}
