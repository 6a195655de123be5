import { isScalar, type Node } from 'yaml';
import { parseComposeFile, type ComposeFile, type ServiceNode } from './compose-file.js';
import { applyEdits, type Edit } from './edits.js';
import type { Intent } from './intents.js';
import { planEdits } from './planner.js';
import { mergeSideFiles, type SideFile } from './side-files.js';
import type { SourceText } from './source.js';
import { DEFAULT_RUN_OPTIONS, TOP_LEVEL, formatCis, type FixSafety, type Rule, type RunOptions, type Severity } from '../rules/types.js';

/** One finding, as every output format reports it. */
export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly service: string | null;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly fix: FixSafety;
  readonly cis: string;
}

/**
 * What a run may leave out beyond the rule list: rules suppressed for one service (an `ignore` of the
 * config file or of the service's `x-compose-harden`). Their findings are still reported, but never
 * fixed, and the other rules see them as disabled for that service.
 */
export interface RunScope {
  /** The ids of the rules suppressed on this service; may throw an InputError for a malformed setting. */
  suppressed(service: ServiceNode, file: ComposeFile): ReadonlySet<string>;
}

/** A finding together with the change that fixes it, inside the engine. */
interface PlannedFinding extends Finding {
  readonly serviceNode: ServiceNode;
  /** Reported, never fixed (see RunScope). */
  readonly suppressed: boolean;
  /** Changes this finding's fix makes to other services or to the top level. */
  readonly related: ReadonlyArray<{ readonly target: ServiceNode; readonly intents: readonly Intent[] }>;
  /** The fix's intents, built on first use. */
  /** The rule's place in the rule list: a service's new keys are written in this order. */
  readonly order: number;
  readonly intents: readonly Intent[];
}

/** The fix was abandoned: nothing may be written for this file. */
export class FixError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FixError';
  }
}

export const MAX_PASSES = 10;

/** Runs the rules over a parsed file. */
export function checkFile(file: ComposeFile, rules: readonly Rule[], options: RunOptions = DEFAULT_RUN_OPTIONS, scope?: RunScope): Finding[] {
  return runRules(file, rules, options, scope).map(publicFinding);
}

/** A finding with the changes that would fix it (first pass), for `inspect`. */
export interface PlannedChange {
  readonly finding: Finding;
  readonly service: ServiceNode;
  readonly intents: readonly Intent[];
}

export function planFile(file: ComposeFile, rules: readonly Rule[], options: RunOptions = DEFAULT_RUN_OPTIONS, scope?: RunScope): PlannedChange[] {
  return runRules(file, rules, options, scope).map((f) => ({ finding: publicFinding(f), service: f.serviceNode, intents: f.suppressed ? [] : f.intents }));
}

/** One finding and the edits of its own fix on the original text (SARIF `fixes[]`). */
export interface FindingEdits {
  readonly finding: Finding;
  /**
   * The byte-range edits of this finding's fix alone, planned on the original text (without its byte
   * order mark), sorted by position; applied alone they give a file that parses. Empty when the finding
   * has no fix, is suppressed, or its fix also writes files beside the compose file (secrets, profiles):
   * those only `fix` can apply.
   */
  readonly edits: readonly Edit[];
}

/**
 * Per finding, the first-pass edits of its fix, each planned as if it were the only finding. A fix
 * that needs a later pass (a service inheriting from one that is edited) or that writes a side file
 * has no edits here.
 */
export function findingEdits(file: ComposeFile, rules: readonly Rule[], options: RunOptions = DEFAULT_RUN_OPTIONS, scope?: RunScope): FindingEdits[] {
  return runRules(file, rules, options, scope).map((f) => {
    const finding = publicFinding(f);
    if (f.suppressed) return { finding, edits: [] };
    const work = groupByService([f]);
    const intents = [...work.values()].flat();
    if (intents.length === 0 || intents.some((intent) => intent.kind === 'write-file')) return { finding, edits: [] };
    const edits = [...planEdits(file, work)].sort((a, b) => a.start - b.start || a.end - b.end);
    return { finding, edits: applyEdits(file.source.text, edits).deferred.length === 0 ? edits : [] };
  });
}

export interface FixResult {
  /** The fixed text, without the byte order mark (see encodeSource). */
  readonly text: string;
  readonly changed: boolean;
  /** What the rules found in the original text. */
  readonly findings: readonly Finding[];
  /** What is still reported after fixing (manual findings, and fixes that could not be applied). */
  readonly remaining: readonly Finding[];
  readonly passes: number;
  /** The parse of the input. */
  readonly original: ComposeFile;
  /** Files the fixes write beside the compose file (secrets, env files, profiles), relative to its directory. */
  readonly sideFiles: readonly SideFile[];
}

/**
 * Fixes a file to a fixed point: each pass parses once, runs every rule on that parse, turns the
 * fixes into byte-range edits and applies the ones that do not overlap. Stops when no rule has an
 * edit left, refuses output that does not parse, loops, or changes what the rules do not own.
 */
export function fixSource(source: SourceText, rules: readonly Rule[], options: RunOptions = DEFAULT_RUN_OPTIONS, scope?: RunScope): FixResult {
  const original = parseComposeFile(source);
  let file = original;
  let planned = runRules(file, rules, options, scope);
  const findings = planned.map(publicFinding);
  const seen = new Set([source.text]);
  let text = source.text;
  let passes = 0;
  const sideFiles: SideFile[] = [];
  for (;;) {
    const work = groupByService(planned);
    if (work.size === 0) break;
    const edits = planEdits(file, work);
    const next = applyEdits(text, edits).text;
    if (next === text) break;
    passes++;
    for (const intents of work.values()) for (const intent of intents) if (intent.kind === 'write-file') sideFiles.push(intent.file);
    if (seen.has(next)) throw new FixError(`the fixes do not converge (pass ${passes} repeats an earlier result); nothing was written`);
    if (passes > MAX_PASSES) throw new FixError(`the fixes did not settle within ${MAX_PASSES} passes; nothing was written`);
    seen.add(next);
    try {
      file = parseComposeFile({ ...source, text: next });
    } catch (error) {
      const rulesInPass = [...new Set(planned.filter((f) => f.intents.length > 0).map((f) => f.ruleId))].join(', ');
      const reason = error instanceof Error ? error.message : String(error);
      throw new FixError(`pass ${passes} (${rulesInPass}) produced a file that does not parse (${reason}); nothing was written`);
    }
    text = next;
    planned = runRules(file, rules, options, scope);
  }
  if (text !== source.text) assertOnlyOwnedKeysChanged(original, file, rules);
  const merged = mergeSideFiles(sideFiles);
  if (merged.conflicts.length > 0) {
    throw new FixError(`the fixes would write different contents to ${merged.conflicts.join(', ')}; nothing was written (please report this file)`);
  }
  return { text, changed: text !== source.text, findings, remaining: planned.map(publicFinding), passes, original, sideFiles: merged.files };
}

function runRules(file: ComposeFile, rules: readonly Rule[], options: RunOptions, scope?: RunScope): PlannedFinding[] {
  const out: PlannedFinding[] = [];
  const enabled = new Set(rules.map((rule) => rule.meta.id));
  const runContext = { enabled, options };
  const byName = new Map(file.services.map((s) => [s.name, s]));
  const cis = new Map<readonly string[], string>();
  for (const service of file.services) {
    const suppressed = scope?.suppressed(service, file) ?? NO_RULES;
    // A rule suppressed here is disabled for this service in the eyes of the others (cap_add without a user change).
    const context = suppressed.size === 0 ? runContext : { enabled: new Set([...enabled].filter((id) => !suppressed.has(id))), options };
    for (let order = 0; order < rules.length; order++) {
      const rule = rules[order]!;
      for (const report of rule.check(service, file, context)) {
        const node: Node = report.node ?? service.key;
        const at = file.position(node.range?.[0] ?? service.key.range![0]);
        const related =
          report.related === undefined
            ? NONE
            : report.related.flatMap(({ target, intents: more }) => {
                const node = target === TOP_LEVEL ? file.top : byName.get(target);
                return node && more.length > 0 ? [{ target: node, intents: more }] : [];
              });
        const fixable = (report.fix !== undefined && (typeof report.fix === 'function' || report.fix.length > 0)) || related.length > 0;
        const sections = report.cis ?? rule.meta.cis;
        let cisText = cis.get(sections);
        if (cisText === undefined) cis.set(sections, (cisText = formatCis(sections)));
        out.push(
          new Planned(
            rule.meta.id,
            report.severity ?? rule.meta.severity,
            service.name,
            at.line,
            at.column,
            report.message,
            fixable ? rule.meta.fix : (report.safety ?? 'manual'),
            cisText,
            service,
            suppressed.has(rule.meta.id),
            related,
            order,
            report.fix,
          ),
        );
      }
    }
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
}

const NONE: PlannedFinding['related'] = [];
const NO_RULES: ReadonlySet<string> = new Set();

/** A finding as the engine keeps it: the public fields, and the fix built only when asked for. */
class Planned implements PlannedFinding {
  private built: readonly Intent[] | undefined;

  constructor(
    readonly ruleId: string,
    readonly severity: Severity,
    readonly service: string,
    readonly line: number,
    readonly column: number,
    readonly message: string,
    readonly fix: FixSafety,
    readonly cis: string,
    readonly serviceNode: ServiceNode,
    readonly suppressed: boolean,
    readonly related: PlannedFinding['related'],
    readonly order: number,
    private readonly makeFix: readonly Intent[] | (() => readonly Intent[]) | undefined,
  ) {}

  get intents(): readonly Intent[] {
    this.built ??= typeof this.makeFix === 'function' ? this.makeFix() : (this.makeFix ?? []);
    return this.built;
  }
}

function groupByService(findings: readonly PlannedFinding[]): Map<ServiceNode, Intent[]> {
  const work = new Map<ServiceNode, Intent[]>();
  const add = (target: ServiceNode, intents: readonly Intent[]) => {
    if (intents.length === 0) return;
    const list = work.get(target) ?? [];
    list.push(...intents);
    work.set(target, list);
  };
  for (const finding of [...findings].sort((a, b) => a.order - b.order)) {
    if (finding.suppressed) continue;
    add(finding.serviceNode, finding.intents);
    for (const { target, intents } of finding.related) add(target, intents);
  }
  // A service that inherits from another service edited in this pass waits for the next pass: it may
  // need nothing once the service it inherits from is fixed (`web2: *web` then stays an alias).
  const edited = new Set<unknown>([...work.keys()].map((service) => service.map).filter(Boolean));
  for (const service of [...work.keys()]) {
    if (service.inherits.some((node) => edited.has(node))) work.delete(service);
  }
  // Keep the services' file order, so that edits and diffs read top to bottom. Top-level additions come
  // last: when `services:` ends the file, they share their insertion point with the last service's lines.
  const order = (service: ServiceNode) => service.key.range?.[0] ?? Number.POSITIVE_INFINITY;
  return new Map([...work].sort((a, b) => order(a[0]) - order(b[0])));
}

/** Exactly the fields of the public finding contract, in contract order (`check --format json`). */
export function publicFinding(f: Finding): Finding {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    service: f.service,
    line: f.line,
    column: f.column,
    message: f.message,
    fix: f.fix,
    cis: f.cis,
  };
}

/**
 * The last line of defence: outside the service keys the rules own, Compose must see exactly the
 * same configuration before and after. A difference means a bug in compose-harden, so nothing is written.
 */
function assertOnlyOwnedKeysChanged(before: ComposeFile, after: ComposeFile, rules: readonly Rule[]): void {
  const owned = new Set(rules.flatMap((rule) => rule.meta.owns));
  const ownedTop = new Set(rules.flatMap((rule) => rule.meta.ownsTopLevel ?? []));
  const a = comparable(before, owned, ownedTop);
  const b = comparable(after, owned, ownedTop);
  if (a !== b) {
    throw new FixError('internal check failed: the rewrite would change settings that no rule owns; nothing was written (please report this file)');
  }
}

function comparable(file: ComposeFile, owned: ReadonlySet<string>, ownedTop: ReadonlySet<string>): string {
  const top: Record<string, unknown> = {};
  for (const pair of file.root.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    if (key === 'services' || ownedTop.has(key)) continue;
    top[key] = file.topLevel(key);
  }
  const services: Record<string, unknown> = {};
  for (const service of file.services) {
    const view: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(service.effective)) if (!owned.has(key)) view[key] = value;
    services[service.name] = view;
  }
  return stableStringify({ top, services });
}

function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );
}
