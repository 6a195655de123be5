import type { Node } from 'yaml';
import type { ServiceNode } from '../../core/compose-file.js';
import { listItemNodes } from './security-opt.js';
import { stringList } from './values.js';

/** `cap_sys_admin`, `CAP_SYS_ADMIN` and `SYS_ADMIN` all name the same capability. */
export function normalizeCapability(name: string): string {
  return name.trim().toUpperCase().replace(/^CAP_/, '');
}

/**
 * `CAP_ALL` (any case): no capability at all. Docker upper-cases an item and takes `ALL` for every capability
 * before it adds the `CAP_` prefix, so `CAP_ALL` reaches its capability table and is refused as unknown
 * (`unknown capability: "CAP_ALL"`): the container is not created.
 */
export function isPrefixedAll(raw: string): boolean {
  return normalizeCapability(raw) === 'ALL' && raw.trim().toUpperCase() !== 'ALL';
}

/** One item of `cap_add` or `cap_drop`: as written, normalised, and the node a finding about it points at. */
export interface LocatedCapability {
  readonly raw: string;
  readonly name: string;
  readonly node: Node;
}

/** The service's effective `cap_add` or `cap_drop` items, each with the node a finding about it points at (see listItemNodes). */
export function locatedCapabilities(service: ServiceNode, key: 'cap_add' | 'cap_drop'): LocatedCapability[] {
  const nodes = listItemNodes(service, key);
  return stringList(service.effective[key]).map((raw, i) => ({ raw, name: normalizeCapability(raw), node: nodes[i]! }));
}
