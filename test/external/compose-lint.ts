/**
 * Reads compose-lint's test suite (tests/test_*.py with tests/compose_files/*.yml) from a checkout and
 * turns what its assertions say about each rule into cases: a compose text, the service checked, the
 * CL rule and whether the rule must fire (positive) or stay silent (negative).
 *
 * Its tests express a case in one of these ways, all read here by running the test functions through the
 * small Python reader (python-reader.ts):
 *   - `rule.check(name, data["services"][name], data, lines)` on a text from `loads(...)` or
 *     `load_compose(FIXTURES / "x.yml")` (or a `tmp_path` file written just before), followed by
 *     `assert len(findings) == N`, `assert findings == []`, `assert not findings`, `assert findings`,
 *     or a use of `findings[0]` (which fails unless the rule fired);
 *   - `rule.check(name, {...service mapping...}, {}, {})` with a literal service;
 *   - `run_rules(data, lines)` filtered by `f.service == ...` and `f.rule_id == ...`, or collected as
 *     `{f.rule_id for f in run_rules(...) if f.rule_id in {...}}` and compared with a set of rule ids.
 * Helpers, loops, f-strings and `pytest.mark.parametrize` are followed. A test whose code goes beyond
 * this is read up to that point; the rest of it is counted as unread.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Evaluator,
  PySyntaxError,
  Scope,
  UNKNOWN,
  Unsupported,
  dedent,
  list,
  parseModule,
  type Expr,
  type Host,
  type HostValue,
  type PyObject,
  type PyValue,
  type Stmt,
} from './python-reader.js';

export interface ComposeLintCase {
  readonly cl: string;
  /** The test file, relative to the checkout. */
  readonly file: string;
  /** `Class::test[param]` within the file. */
  readonly test: string;
  /** Line of the call that checked the text, in the test file. */
  readonly line: number;
  readonly text: string;
  /** Where the text came from: a fixture file under tests/compose_files, or the test itself. */
  readonly origin: string;
  /** The service the rule was run on; null for a whole-file check. */
  readonly service: string | null;
  readonly expected: 'positive' | 'negative';
  /** The exact number of findings the test asserts, when it says. */
  readonly count?: number;
}

export interface ComposeLintReading {
  readonly cases: ComposeLintCase[];
  /** Tests stopped early, with the reason (information: a case they hold is not read). */
  readonly stopped: Array<{ file: string; test: string; reason: string }>;
  /** Checks whose text or outcome could not be read (a text built by a fix, an unasserted call). */
  readonly unasserted: number;
  readonly filesRead: number;
}

interface Event {
  cl: string;
  text: string | null;
  origin: string;
  service: string | null;
  line: number;
  test: string;
  expected?: 'positive' | 'negative';
  count?: number;
  conflict?: boolean;
}

type FindingsMode = 'exact' | 'emptiness';

const TESTS_ROOT = '<tests>';
const TMP_ROOT = '<tmp>';

function hv(kind: string, fields: Record<string, unknown> = {}): HostValue {
  return { t: 'host', kind, ...fields };
}

function asHost(v: PyValue, kind?: string): HostValue | null {
  if (typeof v === 'object' && v !== null && v.t === 'host' && (kind === undefined || v.kind === kind)) return v;
  return null;
}

function clOf(module: string): string | null {
  const m = /(?:^|\.)CL(\d{4})(?:_|$)/.exec(module);
  return m ? `CL-${m[1]}` : null;
}

/** A Python literal (dict, list, str, number, bool, None) as YAML flow text; null when any part is unknown. */
function toYaml(v: PyValue): string | null {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (v.t === 'list' || v.t === 'tuple') {
    const parts = v.items.map(toYaml);
    return parts.includes(null) ? null : `[${parts.join(', ')}]`;
  }
  if (v.t === 'dict') {
    const parts = v.keys.map((k, i) => {
      const key = typeof k === 'string' || typeof k === 'number' ? JSON.stringify(String(k)) : null;
      const val = toYaml(v.values[i]!);
      return key === null || val === null ? null : `${key}: ${val}`;
    });
    return parts.includes(null) ? null : `{${parts.join(', ')}}`;
  }
  return null;
}

/** Symbolic constraints of a comprehension filter over findings: `f.service == X and f.rule_id == Y`. */
interface Filter {
  service?: string;
  ruleId?: string;
  ruleIn?: string[];
}

class ComposeLintHost implements Host {
  events: Event[] = [];
  vfs = new Map<string, string>();
  test = '';

  private readonly modules = new Map<string, Scope | null>();

  constructor(
    private readonly testsDir: string,
    private readonly srcDir: string,
  ) {}

  /**
   * A constant a test imports from compose-lint itself (a rule's member list it loops over): the
   * module's top-level assignments are read the same way as the tests; anything else stays unknown.
   */
  private moduleScope(module: string): Scope | null {
    if (this.modules.has(module)) return this.modules.get(module)!;
    this.modules.set(module, null);
    const path = join(this.srcDir, ...module.split('.')) + '.py';
    if (!existsSync(path)) return null;
    let body: Stmt[];
    try {
      body = parseModule(readFileSync(path, 'utf8'));
    } catch {
      return null;
    }
    const scope = new Scope(null);
    const ev = new Evaluator(this);
    for (const s of body) {
      if (s.k !== 'assign' && s.k !== 'annassign' && s.k !== 'import') continue;
      try {
        ev.exec([s], scope);
      } catch {
        // left unknown
      }
    }
    this.modules.set(module, scope);
    return scope;
  }

  private readPath(p: string): string | null {
    if (this.vfs.has(p)) return this.vfs.get(p)!;
    if (p.startsWith(TESTS_ROOT + '/')) {
      const real = join(this.testsDir, p.slice(TESTS_ROOT.length + 1));
      if (existsSync(real)) return readFileSync(real, 'utf8');
    }
    return null;
  }

  private origin(p: string): string {
    return p.startsWith(TESTS_ROOT + '/') ? `tests/${p.slice(TESTS_ROOT.length + 1)}` : 'test';
  }

  private loaded(text: string | null, origin: string): PyValue {
    return list([hv('data', { text, origin }), hv('lines')], 'tuple');
  }

  importName(module: string, name: string | null): PyValue | undefined {
    if (name === null) {
      if (module === 'pytest') return hv('pytest');
      if (module === 'textwrap') return hv('textwrap');
      return undefined;
    }
    if (module === 'pathlib' && name === 'Path') return hv('PathClass');
    if (module === 'textwrap' && name === 'dedent') return hv('dedent');
    if (/(^|\.)parser$/.test(module) && (name === 'loads' || name === 'load_compose')) return hv(name);
    if (/(^|\.)engine$/.test(module) && name === 'run_rules') return hv('run_rules');
    const cl = clOf(module);
    if (cl && /Rule$/.test(name)) return hv('ruleClass', { cl });
    if (module.startsWith('compose_lint.') && /^[A-Z][A-Z0-9_]*$/.test(name)) {
      const v = this.moduleScope(module)?.get(name);
      return v === undefined ? undefined : v;
    }
    return undefined;
  }

  attr(v: HostValue, name: string): PyValue | undefined {
    switch (v.kind) {
      case 'pytest':
        if (name === 'mark') return hv('mark');
        if (name === 'raises' || name === 'warns') return hv('raises');
        if (name === 'param') return hv('param');
        return undefined;
      case 'mark':
        return name === 'parametrize' ? hv('parametrize') : hv('otherMark');
      case 'textwrap':
        return name === 'dedent' ? hv('dedent') : undefined;
      case 'path': {
        const p = v.path as string;
        if (name === 'parent') return hv('path', { path: p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : p });
        if (name === 'name') return p.slice(p.lastIndexOf('/') + 1);
        return hv('pathMethod', { path: p, method: name });
      }
      case 'data':
        return name === 'get' ? hv('dataGet', { of: v }) : undefined;
      case 'services':
        return name === 'get' ? hv('servicesGet', { of: v }) : undefined;
      case 'rule':
        if (name === 'check') return hv('check', { cl: v.cl });
        return undefined;
      default:
        return undefined;
    }
  }

  call(v: HostValue, args: PyValue[], kwargs: Map<string, PyValue>, ev: Evaluator, line: number): PyValue {
    switch (v.kind) {
      case 'PathClass': {
        const a = args[0];
        return typeof a === 'string' ? hv('path', { path: a }) : asHost(a ?? null, 'path') ?? UNKNOWN;
      }
      case 'pathMethod': {
        const p = v.path as string;
        if (v.method === 'write_text') {
          if (typeof args[0] === 'string') this.vfs.set(p, args[0]);
          else this.vfs.delete(p);
          return UNKNOWN;
        }
        if (v.method === 'read_text') return this.readPath(p) ?? UNKNOWN;
        if (v.method === 'mkdir' || v.method === 'touch') return null;
        return UNKNOWN;
      }
      case 'dedent':
        return typeof args[0] === 'string' ? dedent(args[0]) : UNKNOWN;
      case 'loads': {
        if (args.length !== 1 || kwargs.size > 0) return this.loaded(null, 'test');
        return this.loaded(typeof args[0] === 'string' ? args[0] : null, 'test');
      }
      case 'load_compose': {
        const p = asHost(args[0] ?? null, 'path');
        if (!p || args.length !== 1 || kwargs.size > 0) return this.loaded(null, 'test');
        return this.loaded(this.readPath(p.path as string), this.origin(p.path as string));
      }
      case 'dataGet':
        return this.subscript(v.of as HostValue, args[0] ?? null);
      case 'servicesGet':
        return this.subscript(v.of as HostValue, args[0] ?? null);
      case 'ruleClass':
        return hv('rule', { cl: v.cl });
      case 'check': {
        const [nameArg, svc] = args;
        let text: string | null = null;
        let origin = 'test';
        let service: string | null = typeof nameArg === 'string' ? nameArg : null;
        const s = asHost(svc ?? null, 'service');
        if (s) {
          text = s.text as string | null;
          origin = s.origin as string;
          service = s.name as string;
        } else if (typeof svc === 'object' && svc !== null && svc.t === 'dict' && service !== null) {
          const body = toYaml(svc);
          text = body === null ? null : `services:\n  ${JSON.stringify(service)}: ${body}\n`;
        }
        const event: Event = { cl: v.cl as string, text, origin, service, line: ev.outerLine || line, test: this.test };
        this.events.push(event);
        return hv('findings', { ev: event, mode: 'exact' as FindingsMode });
      }
      case 'run_rules': {
        const d = asHost(args[0] ?? null, 'data');
        if (!d || args.length !== 2 || kwargs.size > 0) return UNKNOWN;
        return hv('all', { text: d.text, origin: d.origin, line: ev.outerLine || line });
      }
      case 'parametrize':
        return hv('paramDecorator', { args, kwargs });
      case 'param':
        return list(args, 'tuple');
      case 'raises':
        return { t: 'object', cls: 'raises', attrs: new Map() } satisfies PyObject;
      default:
        return UNKNOWN;
    }
  }

  subscript(v: HostValue, index: PyValue): PyValue {
    switch (v.kind) {
      case 'data':
        return index === 'services' ? hv('services', { text: v.text, origin: v.origin }) : UNKNOWN;
      case 'services':
        return typeof index === 'string' ? hv('service', { text: v.text, origin: v.origin, name: index }) : UNKNOWN;
      case 'findings': {
        // `findings[0]` fails unless the rule fired: the test says it fires.
        if (typeof index === 'number' && index >= 0) this.claim(v, { atLeast: index + 1 });
        else if (typeof index === 'number' && index < 0) this.claim(v, { atLeast: -index });
        return UNKNOWN;
      }
      default:
        return UNKNOWN;
    }
  }

  binary(op: string, l: PyValue, r: PyValue): PyValue | undefined {
    const lp = asHost(l, 'path');
    if (op === '/' && lp && typeof r === 'string') return hv('path', { path: `${lp.path as string}/${r}` });
    return undefined;
  }

  truth(): boolean | undefined {
    return undefined;
  }

  len(v: HostValue): PyValue {
    if (v.kind === 'findings') return hv('count', { of: v });
    return UNKNOWN;
  }

  iterate(): PyValue[] | null {
    return null;
  }

  comprehension(e: Extract<Expr, { k: 'comp' }>, ev: Evaluator, scope: Scope): PyValue | undefined {
    if (e.gens.length !== 1) return undefined;
    const g = e.gens[0]!;
    const source = ev.eval(g.iter, scope);
    const host = asHost(source);
    if (!host || (host.kind !== 'findings' && host.kind !== 'all')) return undefined;
    if (g.target.k !== 'name') return UNKNOWN;
    const v = g.target.id;
    if (host.kind === 'findings') {
      if (g.ifs.length > 0 || e.kind === 'dict') return UNKNOWN;
      const mode: FindingsMode = e.kind === 'set' ? 'emptiness' : (host.mode as FindingsMode);
      return hv('findings', { ev: host.ev, mode });
    }
    // over every rule's findings: read the filter
    const filter: Filter = {};
    for (const cond of g.ifs) if (!this.readFilter(cond, v, ev, scope, filter)) return UNKNOWN;
    const elt = e.elt;
    const eltIsRuleId = elt.k === 'attr' && elt.obj.k === 'name' && elt.obj.id === v && elt.name === 'rule_id';
    if (filter.ruleId !== undefined) {
      const event: Event = {
        cl: filter.ruleId,
        text: host.text as string | null,
        origin: host.origin as string,
        service: filter.service ?? null,
        line: host.line as number,
        test: this.test,
      };
      this.events.push(event);
      return hv('findings', { ev: event, mode: e.kind === 'set' ? 'emptiness' : 'exact' });
    }
    if (e.kind === 'set' && eltIsRuleId) {
      return hv('ruleIds', { text: host.text, origin: host.origin, line: host.line, service: filter.service ?? null, among: filter.ruleIn ?? null });
    }
    return UNKNOWN;
  }

  private readFilter(cond: Expr, v: string, ev: Evaluator, scope: Scope, filter: Filter): boolean {
    if (cond.k === 'bool' && cond.op === 'and') return cond.values.every((c) => this.readFilter(c, v, ev, scope, filter));
    if (cond.k !== 'cmp' || cond.ops.length !== 1) return false;
    const field = (x: Expr): string | null => (x.k === 'attr' && x.obj.k === 'name' && x.obj.id === v ? x.name : null);
    const op = cond.ops[0]!;
    let name = field(cond.first);
    let other = cond.rest[0]!;
    if (name === null && op === '==') {
      name = field(cond.rest[0]!);
      other = cond.first;
    }
    if (name === null) return false;
    const value = ev.eval(other, scope);
    if (op === '==' && typeof value === 'string') {
      if (name === 'service') filter.service = value;
      else if (name === 'rule_id') filter.ruleId = value;
      else return false;
      return true;
    }
    if (op === 'in' && name === 'rule_id') {
      const it = ev.iterate(value);
      if (!it || !it.every((x) => typeof x === 'string')) return false;
      filter.ruleIn = it as string[];
      return true;
    }
    return false;
  }

  /** Records what an assertion says about a check. */
  private claim(f: HostValue, what: { count?: number; atLeast?: number; empty?: boolean }): void {
    const event = f.ev as Event;
    const mode = f.mode as FindingsMode;
    let expected: 'positive' | 'negative' | undefined;
    let count: number | undefined;
    if (what.empty !== undefined) expected = what.empty ? 'negative' : 'positive';
    else if (what.count !== undefined) {
      expected = what.count > 0 ? 'positive' : 'negative';
      if (mode === 'exact') count = what.count;
    } else if (what.atLeast !== undefined && what.atLeast > 0) expected = 'positive';
    if (!expected) return;
    if (event.expected && event.expected !== expected) event.conflict = true;
    event.expected ??= expected;
    if (count !== undefined) event.count ??= count;
  }

  assertion(test: Expr, ev: Evaluator, scope: Scope): boolean {
    this.assertExpr(test, ev, scope);
    return true;
  }

  private assertExpr(test: Expr, ev: Evaluator, scope: Scope): void {
    if (test.k === 'bool' && test.op === 'and') {
      for (const x of test.values) this.assertExpr(x, ev, scope);
      return;
    }
    if (test.k === 'unary' && test.op === 'not') {
      const v = asHost(ev.eval(test.e, scope));
      if (v?.kind === 'findings') this.claim(v, { empty: true });
      if (v?.kind === 'count') this.claim(v.of as HostValue, { count: 0 });
      return;
    }
    if (test.k === 'cmp' && test.ops.length === 1) {
      const l = ev.eval(test.first, scope);
      const r = ev.eval(test.rest[0]!, scope);
      this.compareClaim(test.ops[0]!, l, r);
      return;
    }
    const v = asHost(ev.eval(test, scope));
    if (v?.kind === 'findings') this.claim(v, { empty: false });
    if (v?.kind === 'count') this.claim(v.of as HostValue, { atLeast: 1 });
  }

  private compareClaim(op: string, l: PyValue, r: PyValue): void {
    let a = asHost(l);
    let b: PyValue = r;
    let flipped = false;
    if (!a || (a.kind !== 'count' && a.kind !== 'findings' && a.kind !== 'ruleIds')) {
      a = asHost(r);
      b = l;
      flipped = true;
    }
    if (!a) return;
    if (a.kind === 'count' && typeof b === 'number') {
      const n = b;
      const o = flipped ? ({ '<': '>', '>': '<', '<=': '>=', '>=': '<=' } as Record<string, string>)[op] ?? op : op;
      const f = a.of as HostValue;
      if (o === '==') this.claim(f, { count: n });
      else if (o === '!=' && n === 0) this.claim(f, { empty: false });
      else if (o === '>=' && n >= 1) this.claim(f, { atLeast: n });
      else if (o === '>' && n >= 0) this.claim(f, { atLeast: n + 1 });
      else if ((o === '<' && n <= 1) || (o === '<=' && n <= 0)) this.claim(f, { empty: true });
      return;
    }
    if (a.kind === 'findings' && typeof b === 'object' && b !== null && (b.t === 'list' || b.t === 'tuple' || b.t === 'set')) {
      if (op === '==') {
        if ((a.mode as FindingsMode) === 'exact' && b.t !== 'set') this.claim(a, { count: b.items.length });
        else this.claim(a, { empty: b.items.length === 0 });
      } else if (op === '!=' && b.items.length === 0) this.claim(a, { empty: false });
      return;
    }
    if (a.kind === 'ruleIds' && op === '==' && typeof b === 'object' && b !== null && (b.t === 'set' || b.t === 'list')) {
      const expected = b.items.filter((x): x is string => typeof x === 'string');
      if (expected.length !== b.items.length) return;
      const among = (a.among as string[] | null) ?? expected;
      for (const cl of among) {
        const event: Event = {
          cl,
          text: a.text as string | null,
          origin: a.origin as string,
          service: a.service as string | null,
          line: a.line as number,
          test: this.test,
          expected: expected.includes(cl) ? 'positive' : 'negative',
        };
        this.events.push(event);
      }
    }
  }
}

/** Every value of a parametrize decorator, as argument bindings; null when they cannot be read. */
function parametrizations(ev: Evaluator, decorators: Expr[], scope: Scope): Array<Map<string, PyValue>> | null {
  let sets: Array<Map<string, PyValue>> = [new Map()];
  for (const d of decorators) {
    let v: PyValue;
    try {
      v = ev.eval(d, scope);
    } catch {
      return null;
    }
    const h = asHost(v);
    if (!h || h.kind !== 'paramDecorator') continue;
    const args = h.args as PyValue[];
    const kwargs = h.kwargs as Map<string, PyValue>;
    const namesArg = args[0] ?? kwargs.get('argnames') ?? null;
    const valuesArg = args[1] ?? kwargs.get('argvalues') ?? null;
    const names =
      typeof namesArg === 'string'
        ? namesArg.split(',').map((s) => s.trim()).filter(Boolean)
        : (ev.iterate(namesArg) ?? []).filter((x): x is string => typeof x === 'string');
    const values = ev.iterate(valuesArg);
    if (names.length === 0 || !values) return null;
    const next: Array<Map<string, PyValue>> = [];
    for (const base of sets) {
      for (const value of values) {
        const m = new Map(base);
        if (names.length === 1) m.set(names[0]!, value);
        else {
          const parts = ev.iterate(value);
          if (!parts || parts.length !== names.length) return null;
          names.forEach((n, i) => m.set(n, parts[i]!));
        }
        next.push(m);
      }
    }
    sets = next;
  }
  return sets;
}

/** How many statements one test may run before it is given up (a fuzz loop). */
const STATEMENT_BUDGET = 200_000;

function runTest(
  host: ComposeLintHost,
  ev: Evaluator,
  fn: Extract<Stmt, { k: 'def' }>,
  scope: Scope,
  self: PyObject | null,
  testName: string,
  stopped: ComposeLintReading['stopped'],
  file: string,
  events: Array<Event & { file: string }>,
): void {
  const params = parametrizations(ev, fn.decorators, scope);
  if (params === null) {
    stopped.push({ file, test: testName, reason: 'parametrize values not readable' });
    return;
  }
  params.forEach((bindings, idx) => {
    const values = [...bindings.values()];
    const id = values.every((v) => typeof v === 'string' || typeof v === 'number') ? values.join('-') : String(idx);
    const name = params.length > 1 || bindings.size > 0 ? `${testName}[${id.length > 60 ? idx : id}]` : testName;
    host.events = [];
    host.vfs = new Map();
    host.test = name;
    try {
      if (self) {
        const setup = self.attrs.get('setup_method');
        if (setup && typeof setup === 'object' && setup !== null && setup.t === 'func') ev.callFunction(setup, setup.params.length > 1 ? [UNKNOWN] : []);
      }
      const args: PyValue[] = [];
      const own = self ? fn.params.slice(1) : fn.params;
      for (const p of own) {
        if (p.star) continue;
        if (bindings.has(p.name)) args.push(bindings.get(p.name)!);
        else if (p.name === 'tmp_path') args.push(hv('path', { path: TMP_ROOT }));
        else if (p.default) args.push(ev.eval(p.default, scope));
        else args.push(UNKNOWN);
      }
      const f = { t: 'func' as const, name: fn.name, params: fn.params, body: fn.body, scope, self: self ?? undefined };
      ev.callFunction(f, args);
    } catch (e) {
      if (e instanceof Unsupported || e instanceof PySyntaxError || e instanceof RangeError) stopped.push({ file, test: name, reason: e.message });
      else if (e instanceof Error) stopped.push({ file, test: name, reason: `${e.constructor.name}: ${e.message}` });
      else stopped.push({ file, test: name, reason: 'control flow outside a function' });
    }
    events.push(...host.events.map((e) => ({ ...e, file })));
  });
}

/** Reads the suite under `dir` (a compose-lint checkout). */
export function readComposeLintSuite(dir: string): ComposeLintReading {
  const testsDir = join(dir, 'tests');
  const files = readdirSync(testsDir)
    .filter((f) => /^test_.*\.py$/.test(f))
    .sort();
  const stopped: ComposeLintReading['stopped'] = [];
  const events: Array<Event & { file: string }> = [];
  for (const f of files) {
    const file = `tests/${f}`;
    let body: Stmt[];
    try {
      body = parseModule(readFileSync(join(testsDir, f), 'utf8'));
    } catch (e) {
      stopped.push({ file, test: '<module>', reason: `not parsed: ${(e as Error).message}` });
      continue;
    }
    const host = new ComposeLintHost(testsDir, join(dir, 'src'));
    let budget = 0;
    const ev = new (class extends Evaluator {
      override exec(stmts: Stmt[], scope: Scope): void {
        budget += stmts.length;
        if (budget > STATEMENT_BUDGET) throw new Unsupported('statement budget exceeded');
        super.exec(stmts, scope);
      }
    })(host);
    const moduleScope = new Scope(null);
    moduleScope.set('__file__', `${TESTS_ROOT}/${f}`);
    moduleScope.set('__name__', f.replace(/\.py$/, ''));
    const tests: Array<{ fn: Extract<Stmt, { k: 'def' }>; cls: Extract<Stmt, { k: 'class' }> | null }> = [];
    for (const s of body) {
      if (s.k === 'class') {
        if (/^Test/.test(s.name)) for (const m of s.body) if (m.k === 'def' && /^test/.test(m.name)) tests.push({ fn: m, cls: s });
        continue;
      }
      if (s.k === 'def' && /^test/.test(s.name)) {
        tests.push({ fn: s, cls: null });
        continue;
      }
      budget = 0;
      try {
        ev.exec([s], moduleScope);
      } catch {
        // a module-level statement the reader cannot run leaves its names unknown
      }
    }
    for (const { fn, cls } of tests) {
      budget = 0;
      let self: PyObject | null = null;
      const scope = moduleScope;
      if (cls) {
        self = { t: 'object', cls: cls.name, attrs: new Map() };
        const classScope = new Scope(moduleScope);
        for (const m of cls.body) {
          if (m.k === 'def') self.attrs.set(m.name, { t: 'func', name: m.name, params: m.params, body: m.body, scope: moduleScope, self });
          else if (m.k === 'assign' || m.k === 'annassign') {
            try {
              ev.exec([m], classScope);
            } catch {
              // left unknown
            }
          }
        }
        for (const [k, v] of classScope.vars) if (!self.attrs.has(k)) self.attrs.set(k, v);
      }
      const testName = cls ? `${cls.name}::${fn.name}` : fn.name;
      runTest(host, ev, fn, scope, self, testName, stopped, file, events);
    }
  }
  const cases: ComposeLintCase[] = [];
  let unasserted = 0;
  for (const e of events) {
    if (e.text === null || !e.expected || e.conflict) {
      unasserted++;
      continue;
    }
    const c: ComposeLintCase = {
      cl: e.cl,
      file: e.file,
      test: e.test,
      line: e.line,
      text: e.text,
      origin: e.origin,
      service: e.service,
      expected: e.expected,
      ...(e.count !== undefined ? { count: e.count } : {}),
    };
    cases.push(c);
  }
  return { cases, stopped, unasserted, filesRead: files.length };
}
