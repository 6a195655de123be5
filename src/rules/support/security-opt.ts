import { isScalar, isSeq, type Node } from 'yaml';
import type { ServiceNode } from '../../core/compose-file.js';
import { stringList } from './values.js';

/** One `security_opt` item, split the way Docker splits it (`name:value` or `name=value`, or a bare name). */
export interface SecurityOpt {
  readonly raw: string;
  readonly name: string;
  readonly value: string | undefined;
}

/** A `security_opt` item with the node a finding about it points at. */
export interface LocatedSecurityOpt extends SecurityOpt {
  readonly node: Node;
}

export function parseSecurityOpt(raw: string): SecurityOpt {
  const match = /^([^:=]+)[:=](.*)$/.exec(raw);
  return match ? { raw, name: match[1]!.trim(), value: match[2]! } : { raw, name: raw.trim(), value: undefined };
}

export function securityOpts(effective: Record<string, unknown>): SecurityOpt[] {
  return stringList(effective.security_opt).map(parseSecurityOpt);
}

/** The service's effective `security_opt` items, each with the node a finding about it points at (see listItemNodes). */
export function locatedSecurityOpts(service: ServiceNode): LocatedSecurityOpt[] {
  const nodes = listItemNodes(service, 'security_opt');
  return securityOpts(service.effective).map((opt, i) => ({ ...opt, node: nodes[i]! }));
}

/**
 * The node a finding about each item of a list setting (`security_opt`, `cap_add`, `cap_drop`) points at,
 * in the order of `stringList(service.effective[key])`. When the list is written in the service, each item
 * points at its own node (by position, so that an item written twice is reported at each place); an
 * inherited list points where `locate` says: the merge key or the alias it comes through, or the own key
 * whose value is an alias of a list written elsewhere.
 */
export function listItemNodes(service: ServiceNode, key: string): Node[] {
  const count = stringList(service.effective[key]).length;
  const value = service.ownPair(key)?.value as Node | null | undefined;
  // stringList drops empty items (`- ` alone), so they have no finding to point at.
  const own = isSeq(value)
    ? (value.items as Node[]).filter((item) => !(isScalar(item) && (item.value === null || item.value === undefined)))
    : isScalar(value)
      ? [value]
      : [];
  if (own.length === count) return own;
  const at = service.locate(key);
  return Array.from({ length: count }, () => at);
}

/** Go's strconv.ParseBool, which Docker uses for `no-new-privileges:<value>`. */
export function parseGoBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}
