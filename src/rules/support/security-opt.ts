import { stringList } from './values.js';

/** One `security_opt` item, split the way Docker splits it (`name:value` or `name=value`, or a bare name). */
export interface SecurityOpt {
  readonly raw: string;
  readonly name: string;
  readonly value: string | undefined;
}

export function parseSecurityOpt(raw: string): SecurityOpt {
  const match = /^([^:=]+)[:=](.*)$/.exec(raw);
  return match ? { raw, name: match[1]!.trim(), value: match[2]! } : { raw, name: raw.trim(), value: undefined };
}

export function securityOpts(effective: Record<string, unknown>): SecurityOpt[] {
  return stringList(effective.security_opt).map(parseSecurityOpt);
}

/** Go's strconv.ParseBool, which Docker uses for `no-new-privileges:<value>`. */
export function parseGoBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}
