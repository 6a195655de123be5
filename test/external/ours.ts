/**
 * Our side of the comparison: the engine run in process on one text, and the mapping from another
 * scanner's rule to ours, taken from our rules' `refs` metadata only.
 */
import { parseComposeFile } from '../../src/core/compose-file.js';
import { checkFile, type Finding } from '../../src/core/engine.js';
import { fromString } from '../../src/core/source.js';
import { allRules } from '../../src/rules/index.js';
import type { Rule } from '../../src/rules/types.js';

export type Tool = 'kics' | 'semgrep' | 'composeLint';

/** Our rules whose refs name the other tool's rule (a KICS id is matched by its 8-hex prefix). */
export function ourRulesFor(tool: Tool, theirId: string): Rule[] {
  return allRules.filter((r) =>
    r.meta.refs[tool].some((ref) => (tool === 'kics' ? theirId.toLowerCase().startsWith(ref.toLowerCase()) : ref === theirId)),
  );
}

/** Every id of the other tool that some rule of ours refers to. */
export function referencedIds(tool: Tool): Set<string> {
  return new Set(allRules.flatMap((r) => r.meta.refs[tool]));
}

export interface ServiceSpan {
  readonly name: string;
  readonly start: number;
  /** The last line of the service (inclusive). */
  readonly end: number;
}

export interface OurRun {
  readonly findings: readonly Finding[];
  readonly services: readonly ServiceSpan[];
  /** Set when our parser rejects the text. */
  readonly error?: string;
}

const cache = new Map<string, OurRun>();

/** Runs every rule of ours on the text, as `check` does. */
export function runOurs(text: string): OurRun {
  const hit = cache.get(text);
  if (hit) return hit;
  let run: OurRun;
  try {
    const file = parseComposeFile(fromString(text));
    const starts = file.services
      .map((s) => ({ name: s.name, start: file.position(s.key.range![0]).line }))
      .sort((a, b) => a.start - b.start);
    const mapEnd = file.servicesMap?.range ? file.position(Math.max(0, file.servicesMap.range[1] - 1)).line : Number.MAX_SAFE_INTEGER;
    const services = starts.map((s, i) => ({ ...s, end: i + 1 < starts.length ? starts[i + 1]!.start - 1 : mapEnd }));
    run = { findings: checkFile(file, allRules), services };
  } catch (e) {
    run = { findings: [], services: [], error: e instanceof Error ? e.message : String(e) };
  }
  cache.set(text, run);
  return run;
}

/** The service a line belongs to: the one whose span holds it, else null (a top-level section). */
export function serviceAt(run: OurRun, line: number): ServiceSpan | null {
  return run.services.find((s) => line >= s.start && line <= s.end) ?? null;
}

export function describeFindings(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'nothing';
  return findings.map((f) => `${f.ruleId}@${f.line}:${f.column}${f.service ? ` [${f.service}]` : ''} (${f.severity}) ${f.message}`).join('; ');
}
