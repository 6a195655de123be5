/**
 * A small reader of Python test modules: a tokenizer, a parser for the statements and expressions that
 * pytest suites use, and an evaluator that runs test functions symbolically. It exists so that
 * compose-lint's test suite can be read at run time, from a checkout, without copying anything of it:
 * the evaluator follows helpers, loops, f-strings and parametrize, and hands every call it cannot model
 * to a host (`Host`) or turns it into an unknown value. Nothing here imports or runs Python.
 */

// ---------------------------------------------------------------- tokens

type TokType = 'name' | 'number' | 'string' | 'op' | 'newline' | 'indent' | 'dedent' | 'eof';

interface Token {
  type: TokType;
  value: string;
  line: number;
  /** For strings: the prefix letters, lower-cased (r, b, f, u or a pair). */
  prefix?: string;
}

const OPS = [
  '**=', '//=', '>>=', '<<=', '...', '->', ':=', '==', '!=', '<=', '>=', '**', '//', '<<', '>>', '+=', '-=', '*=', '/=', '%=',
  '&=', '|=', '^=', '@=', '(', ')', '[', ']', '{', '}', ':', ',', '.', ';', '@', '=', '+', '-', '*', '/', '%', '<', '>', '&',
  '|', '^', '~', '!',
];

export class PySyntaxError extends Error {}

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  const indents = [0];
  let i = 0;
  let line = 1;
  let depth = 0;
  let atLineStart = true;
  const n = src.length;
  while (i < n) {
    if (atLineStart && depth === 0) {
      let col = 0;
      let j = i;
      while (j < n && (src[j] === ' ' || src[j] === '\t' || src[j] === '\f')) {
        col = src[j] === '\t' ? (Math.floor(col / 8) + 1) * 8 : col + 1;
        j++;
      }
      if (j >= n) break;
      const c = src[j];
      if (c === '\n' || c === '#' || c === '\r') {
        // blank or comment-only line: no indentation change
        while (j < n && src[j] !== '\n') j++;
        if (j < n) {
          j++;
          line++;
        }
        i = j;
        continue;
      }
      i = j;
      atLineStart = false;
      const top = indents[indents.length - 1]!;
      if (col > top) {
        indents.push(col);
        out.push({ type: 'indent', value: '', line });
      } else {
        while (col < indents[indents.length - 1]!) {
          indents.pop();
          out.push({ type: 'dedent', value: '', line });
        }
      }
      continue;
    }
    const c = src[i]!;
    if (c === '\n') {
      line++;
      i++;
      if (depth === 0) {
        const last = out[out.length - 1];
        if (last && last.type !== 'newline') out.push({ type: 'newline', value: '', line: line - 1 });
        atLineStart = true;
      }
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < n && src[i] !== '\n') i++;
      continue;
    }
    if (c === '\\' && (src[i + 1] === '\n' || (src[i + 1] === '\r' && src[i + 2] === '\n'))) {
      i += src[i + 1] === '\n' ? 2 : 3;
      line++;
      continue;
    }
    // strings, with an optional prefix
    const pm = /^([rRbBfFuU]{0,2})(['"])/.exec(src.slice(i, i + 4));
    if (pm && (pm[1] === '' || /^[a-zA-Z]+$/.test(pm[1]!))) {
      const prefix = pm[1]!.toLowerCase();
      const q = pm[2]!;
      let j = i + prefix.length;
      const triple = src.startsWith(q.repeat(3), j);
      const delim = triple ? q.repeat(3) : q;
      j += delim.length;
      const start = j;
      const startLine = line;
      for (;;) {
        if (j >= n) throw new PySyntaxError(`unterminated string at line ${startLine}`);
        const ch = src[j]!;
        if (ch === '\\') {
          if (src[j + 1] === '\n') line++;
          j += 2;
          continue;
        }
        if (ch === '\n') {
          if (!triple) throw new PySyntaxError(`newline in string at line ${startLine}`);
          line++;
        }
        if (src.startsWith(delim, j)) break;
        j++;
      }
      out.push({ type: 'string', value: src.slice(start, j), line: startLine, prefix });
      i = j + delim.length;
      continue;
    }
    if (/[A-Za-z_]/.test(c) || c.charCodeAt(0) > 127) {
      let j = i + 1;
      while (j < n && (/[A-Za-z0-9_]/.test(src[j]!) || src.charCodeAt(j) > 127)) j++;
      out.push({ type: 'name', value: src.slice(i, j), line });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(\d[\d_]*)?\.?\d[\d_]*([eE][+-]?\d+)?[jJ]?|\d[\d_]*\.)/.exec(src.slice(i));
      const text = m ? m[0] : c;
      out.push({ type: 'number', value: text, line });
      i += text.length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new PySyntaxError(`unexpected character ${JSON.stringify(c)} at line ${line}`);
    if (op === '(' || op === '[' || op === '{') depth++;
    if (op === ')' || op === ']' || op === '}') depth = Math.max(0, depth - 1);
    out.push({ type: 'op', value: op, line });
    i += op.length;
  }
  const last = out[out.length - 1];
  if (last && last.type !== 'newline') out.push({ type: 'newline', value: '', line });
  while (indents.length > 1) {
    indents.pop();
    out.push({ type: 'dedent', value: '', line });
  }
  out.push({ type: 'eof', value: '', line });
  return out;
}

// ---------------------------------------------------------------- syntax tree

export type Expr =
  | { k: 'name'; id: string; line: number }
  | { k: 'const'; v: PyValue }
  | { k: 'str'; parts: Array<string | FPart>; bytes: boolean }
  | { k: 'attr'; obj: Expr; name: string }
  | { k: 'sub'; obj: Expr; index: Expr }
  | { k: 'slice'; lo: Expr | null; hi: Expr | null; step: Expr | null }
  | { k: 'call'; fn: Expr; args: Arg[]; line: number }
  | { k: 'bin'; op: string; l: Expr; r: Expr }
  | { k: 'unary'; op: string; e: Expr }
  | { k: 'bool'; op: 'and' | 'or'; values: Expr[] }
  | { k: 'cmp'; first: Expr; ops: string[]; rest: Expr[] }
  | { k: 'ifexp'; test: Expr; body: Expr; orelse: Expr }
  | { k: 'list' | 'tuple' | 'set'; items: Expr[] }
  | { k: 'dict'; items: Array<[Expr | null, Expr]> }
  | { k: 'comp'; kind: 'list' | 'set' | 'gen' | 'dict'; elt: Expr; value?: Expr; gens: CompFor[] }
  | { k: 'starred'; e: Expr }
  | { k: 'lambda'; params: Param[]; body: Expr }
  | { k: 'walrus'; target: string; e: Expr };

interface FPart {
  expr: Expr;
  conv: string;
}

interface CompFor {
  target: Expr;
  iter: Expr;
  ifs: Expr[];
}

interface Arg {
  name?: string;
  star?: '*' | '**';
  value: Expr;
}

export interface Param {
  name: string;
  star?: '*' | '**';
  default?: Expr;
}

export type Stmt =
  | { k: 'expr'; e: Expr; line: number }
  | { k: 'assign'; targets: Expr[]; value: Expr; line: number }
  | { k: 'augassign'; target: Expr; op: string; value: Expr; line: number }
  | { k: 'annassign'; target: Expr; value: Expr | null; line: number }
  | { k: 'def'; name: string; params: Param[]; body: Stmt[]; decorators: Expr[]; line: number }
  | { k: 'class'; name: string; body: Stmt[]; decorators: Expr[]; line: number }
  | { k: 'if'; test: Expr; body: Stmt[]; orelse: Stmt[]; line: number }
  | { k: 'for'; target: Expr; iter: Expr; body: Stmt[]; orelse: Stmt[]; line: number }
  | { k: 'while'; line: number }
  | { k: 'with'; items: Array<{ e: Expr; as: Expr | null }>; body: Stmt[]; line: number }
  | { k: 'try'; body: Stmt[]; handlers: Stmt[][]; orelse: Stmt[]; final: Stmt[]; line: number }
  | { k: 'return'; value: Expr | null; line: number }
  | { k: 'assert'; test: Expr; msg: Expr | null; line: number }
  | { k: 'import'; names: Array<{ module: string; name: string | null; as: string }>; line: number }
  | { k: 'raise' | 'pass' | 'break' | 'continue' | 'other'; line: number };

class Parser {
  private pos = 0;
  constructor(private readonly toks: Token[]) {}

  private peek(o = 0): Token {
    return this.toks[Math.min(this.pos + o, this.toks.length - 1)]!;
  }
  private next(): Token {
    const t = this.peek();
    this.pos++;
    return t;
  }
  private isOp(v: string, o = 0): boolean {
    const t = this.peek(o);
    return t.type === 'op' && t.value === v;
  }
  private isName(v: string, o = 0): boolean {
    const t = this.peek(o);
    return t.type === 'name' && t.value === v;
  }
  private eatOp(v: string): boolean {
    if (this.isOp(v)) {
      this.pos++;
      return true;
    }
    return false;
  }
  private eatName(v: string): boolean {
    if (this.isName(v)) {
      this.pos++;
      return true;
    }
    return false;
  }
  private expectOp(v: string): void {
    if (!this.eatOp(v)) throw new PySyntaxError(`expected ${v} at line ${this.peek().line}, found ${this.peek().value || this.peek().type}`);
  }
  private expectName(): string {
    const t = this.next();
    if (t.type !== 'name') throw new PySyntaxError(`expected a name at line ${t.line}`);
    return t.value;
  }

  module(): Stmt[] {
    const body: Stmt[] = [];
    while (this.peek().type !== 'eof') {
      if (this.peek().type === 'newline') {
        this.pos++;
        continue;
      }
      body.push(...this.statement());
    }
    return body;
  }

  private block(): Stmt[] {
    this.expectOp(':');
    if (this.peek().type !== 'newline') return this.simpleStatements();
    this.next();
    if (this.peek().type !== 'indent') throw new PySyntaxError(`expected an indented block at line ${this.peek().line}`);
    this.next();
    const body: Stmt[] = [];
    while (this.peek().type !== 'dedent' && this.peek().type !== 'eof') {
      if (this.peek().type === 'newline') {
        this.pos++;
        continue;
      }
      body.push(...this.statement());
    }
    if (this.peek().type === 'dedent') this.next();
    return body;
  }

  private statement(): Stmt[] {
    const t = this.peek();
    const line = t.line;
    if (t.type === 'op' && t.value === '@') {
      const decorators: Expr[] = [];
      while (this.eatOp('@')) {
        decorators.push(this.test());
        if (this.peek().type === 'newline') this.next();
      }
      const s = this.statement();
      const first = s[0];
      if (first && (first.k === 'def' || first.k === 'class')) first.decorators = decorators;
      return s;
    }
    if (t.type === 'name') {
      switch (t.value) {
        case 'async':
          if (this.isName('def', 1) || this.isName('for', 1) || this.isName('with', 1)) {
            this.next();
            return this.statement();
          }
          break;
        case 'def': {
          this.next();
          const name = this.expectName();
          this.expectOp('(');
          const params = this.params(')');
          this.expectOp(')');
          if (this.eatOp('->')) this.test();
          const body = this.block();
          return [{ k: 'def', name, params, body, decorators: [], line }];
        }
        case 'class': {
          this.next();
          const name = this.expectName();
          if (this.eatOp('(')) {
            if (!this.isOp(')')) this.args();
            this.expectOp(')');
          }
          const body = this.block();
          return [{ k: 'class', name, body, decorators: [], line }];
        }
        case 'if':
          return [this.ifStatement()];
        case 'for': {
          this.next();
          const target = this.targetList();
          if (!this.eatName('in')) throw new PySyntaxError(`expected in at line ${line}`);
          const iter = this.testList();
          const body = this.block();
          let orelse: Stmt[] = [];
          if (this.eatName('else')) orelse = this.block();
          return [{ k: 'for', target, iter, body, orelse, line }];
        }
        case 'while': {
          this.next();
          this.test();
          this.block();
          if (this.eatName('else')) this.block();
          return [{ k: 'while', line }];
        }
        case 'with': {
          this.next();
          const items: Array<{ e: Expr; as: Expr | null }> = [];
          const paren = this.isOp('(') && this.withParenthesized();
          if (paren) this.expectOp('(');
          do {
            if (paren && this.isOp(')')) break;
            const e = this.test();
            const as = this.eatName('as') ? this.target() : null;
            items.push({ e, as });
          } while (this.eatOp(','));
          if (paren) this.expectOp(')');
          const body = this.block();
          return [{ k: 'with', items, body, line }];
        }
        case 'try': {
          this.next();
          const body = this.block();
          const handlers: Stmt[][] = [];
          let orelse: Stmt[] = [];
          let final: Stmt[] = [];
          while (this.isName('except')) {
            this.next();
            this.eatOp('*');
            if (!this.isOp(':')) {
              this.test();
              if (this.eatName('as')) this.expectName();
            }
            handlers.push(this.block());
          }
          if (this.eatName('else')) orelse = this.block();
          if (this.eatName('finally')) final = this.block();
          return [{ k: 'try', body, handlers, orelse, final, line }];
        }
        default:
          break;
      }
    }
    return this.simpleStatements();
  }

  /** `with (a, b):` is either a parenthesized item list or an expression in parentheses. */
  private withParenthesized(): boolean {
    let depth = 0;
    for (let o = 0; ; o++) {
      const t = this.peek(o);
      if (t.type === 'eof' || t.type === 'newline') return false;
      if (t.type === 'op' && (t.value === '(' || t.value === '[' || t.value === '{')) depth++;
      if (t.type === 'op' && (t.value === ')' || t.value === ']' || t.value === '}')) {
        depth--;
        if (depth === 0) return this.peek(o + 1).type === 'op' && this.peek(o + 1).value === ':';
      }
    }
  }

  private ifStatement(): Stmt {
    const line = this.next().line;
    const test = this.namedTest();
    const body = this.block();
    let orelse: Stmt[] = [];
    if (this.isName('elif')) orelse = [this.ifStatement()];
    else if (this.eatName('else')) orelse = this.block();
    return { k: 'if', test, body, orelse, line };
  }

  private simpleStatements(): Stmt[] {
    const out: Stmt[] = [this.smallStatement()];
    while (this.eatOp(';')) {
      if (this.peek().type === 'newline') break;
      out.push(this.smallStatement());
    }
    if (this.peek().type === 'newline') this.next();
    else if (this.peek().type !== 'eof' && this.peek().type !== 'dedent')
      throw new PySyntaxError(`unexpected ${this.peek().value || this.peek().type} at line ${this.peek().line}`);
    return out;
  }

  private smallStatement(): Stmt {
    const t = this.peek();
    const line = t.line;
    if (t.type === 'name') {
      switch (t.value) {
        case 'pass':
        case 'break':
        case 'continue':
          this.next();
          return { k: t.value, line };
        case 'return': {
          this.next();
          const value = this.atStatementEnd() ? null : this.testList();
          return { k: 'return', value, line };
        }
        case 'raise':
          this.next();
          if (!this.atStatementEnd()) {
            this.test();
            if (this.eatName('from')) this.test();
          }
          return { k: 'raise', line };
        case 'assert': {
          this.next();
          const test = this.test();
          const msg = this.eatOp(',') ? this.test() : null;
          return { k: 'assert', test, msg, line };
        }
        case 'yield':
          this.next();
          if (!this.atStatementEnd()) {
            if (this.eatName('from')) this.test();
            else this.testList();
          }
          return { k: 'other', line };
        case 'global':
        case 'nonlocal':
        case 'del':
          this.next();
          while (!this.atStatementEnd()) this.next();
          return { k: 'other', line };
        case 'import': {
          this.next();
          const names: Array<{ module: string; name: string | null; as: string }> = [];
          do {
            const module = this.dotted();
            const as = this.eatName('as') ? this.expectName() : module.split('.')[0]!;
            names.push({ module, name: null, as });
          } while (this.eatOp(','));
          return { k: 'import', names, line };
        }
        case 'from': {
          this.next();
          let module = '';
          while (this.isOp('.') || this.isOp('...')) module += this.next().value;
          if (!this.isName('import')) module += this.dotted();
          if (!this.eatName('import')) throw new PySyntaxError(`expected import at line ${line}`);
          const paren = this.eatOp('(');
          const names: Array<{ module: string; name: string | null; as: string }> = [];
          do {
            if (paren && this.isOp(')')) break;
            if (this.eatOp('*')) continue;
            const name = this.expectName();
            const as = this.eatName('as') ? this.expectName() : name;
            names.push({ module, name, as });
          } while (this.eatOp(','));
          if (paren) this.expectOp(')');
          return { k: 'import', names, line };
        }
        default:
          break;
      }
    }
    const first = this.testListStar();
    if (this.isOp(':') ) {
      this.next();
      this.test();
      const value = this.eatOp('=') ? this.testList() : null;
      return { k: 'annassign', target: first, value, line };
    }
    const aug = this.peek();
    if (aug.type === 'op' && /^(\+|-|\*|\/|\/\/|%|\*\*|>>|<<|&|\||\^|@)=$/.test(aug.value)) {
      this.next();
      const value = this.testList();
      return { k: 'augassign', target: first, op: aug.value.slice(0, -1), value, line };
    }
    if (this.isOp('=')) {
      const targets = [first];
      let value: Expr = first;
      while (this.eatOp('=')) {
        value = this.testListStar();
        targets.push(value);
      }
      targets.pop();
      return { k: 'assign', targets, value, line };
    }
    return { k: 'expr', e: first, line };
  }

  private atStatementEnd(): boolean {
    const t = this.peek();
    return t.type === 'newline' || t.type === 'eof' || (t.type === 'op' && t.value === ';');
  }

  private dotted(): string {
    let s = this.expectName();
    while (this.eatOp('.')) s += '.' + this.expectName();
    return s;
  }

  private params(close: string): Param[] {
    const out: Param[] = [];
    while (!this.isOp(close)) {
      if (this.eatOp('/')) {
        this.eatOp(',');
        continue;
      }
      let star: '*' | '**' | undefined;
      if (this.eatOp('**')) star = '**';
      else if (this.eatOp('*')) star = '*';
      if (star === '*' && (this.isOp(',') || this.isOp(close))) {
        this.eatOp(',');
        continue;
      }
      const name = this.expectName();
      if (close === ')' && this.eatOp(':')) this.test();
      const p: Param = { name };
      if (star) p.star = star;
      if (this.eatOp('=')) p.default = this.test();
      out.push(p);
      if (!this.eatOp(',')) break;
    }
    return out;
  }

  private targetList(): Expr {
    const first = this.target();
    if (!this.isOp(',')) return first;
    const items = [first];
    while (this.eatOp(',')) {
      if (this.isName('in') || this.isOp('=')) break;
      items.push(this.target());
    }
    return { k: 'tuple', items };
  }

  private target(): Expr {
    if (this.eatOp('*')) return { k: 'starred', e: this.bitOr() };
    return this.bitOr();
  }

  testList(): Expr {
    const first = this.test();
    if (!this.isOp(',')) return first;
    const items = [first];
    while (this.eatOp(',')) {
      if (this.exprEnd()) break;
      items.push(this.test());
    }
    return { k: 'tuple', items };
  }

  private testListStar(): Expr {
    const one = (): Expr => (this.eatOp('*') ? { k: 'starred', e: this.bitOr() } : this.test());
    const first = one();
    if (!this.isOp(',')) return first;
    const items = [first];
    while (this.eatOp(',')) {
      if (this.exprEnd() || this.isOp('=')) break;
      items.push(one());
    }
    return { k: 'tuple', items };
  }

  private exprEnd(): boolean {
    const t = this.peek();
    if (t.type === 'newline' || t.type === 'eof') return true;
    return t.type === 'op' && [')', ']', '}', ':', ';', '='].includes(t.value);
  }

  private namedTest(): Expr {
    if (this.peek().type === 'name' && this.isOp(':=', 1)) {
      const target = this.next().value;
      this.next();
      return { k: 'walrus', target, e: this.test() };
    }
    return this.test();
  }

  test(): Expr {
    if (this.isName('lambda')) {
      this.next();
      const params = this.params(':');
      this.expectOp(':');
      return { k: 'lambda', params, body: this.test() };
    }
    const body = this.orTest();
    if (this.isName('if')) {
      // a conditional expression, unless this `if` belongs to a comprehension
      this.next();
      const test = this.orTest();
      if (!this.eatName('else')) throw new PySyntaxError(`expected else at line ${this.peek().line}`);
      const orelse = this.test();
      return { k: 'ifexp', test, body, orelse };
    }
    return body;
  }

  private orTest(): Expr {
    const first = this.andTest();
    if (!this.isName('or')) return first;
    const values = [first];
    while (this.eatName('or')) values.push(this.andTest());
    return { k: 'bool', op: 'or', values };
  }

  private andTest(): Expr {
    const first = this.notTest();
    if (!this.isName('and')) return first;
    const values = [first];
    while (this.eatName('and')) values.push(this.notTest());
    return { k: 'bool', op: 'and', values };
  }

  private notTest(): Expr {
    if (this.eatName('not')) return { k: 'unary', op: 'not', e: this.notTest() };
    return this.comparison();
  }

  private comparison(): Expr {
    const first = this.bitOr();
    const ops: string[] = [];
    const rest: Expr[] = [];
    for (;;) {
      const t = this.peek();
      let op: string | null = null;
      if (t.type === 'op' && ['==', '!=', '<', '>', '<=', '>='].includes(t.value)) {
        op = t.value;
        this.next();
      } else if (this.isName('in')) {
        op = 'in';
        this.next();
      } else if (this.isName('not') && this.isName('in', 1)) {
        op = 'not in';
        this.pos += 2;
      } else if (this.isName('is')) {
        this.next();
        op = this.eatName('not') ? 'is not' : 'is';
      }
      if (!op) break;
      ops.push(op);
      rest.push(this.bitOr());
    }
    return ops.length === 0 ? first : { k: 'cmp', first, ops, rest };
  }

  private binLevel(ops: string[], next: () => Expr): Expr {
    let l = next();
    for (;;) {
      const t = this.peek();
      if (t.type === 'op' && ops.includes(t.value)) {
        this.next();
        l = { k: 'bin', op: t.value, l, r: next() };
      } else return l;
    }
  }
  private bitOr = (): Expr => this.binLevel(['|'], this.bitXor);
  private bitXor = (): Expr => this.binLevel(['^'], this.bitAnd);
  private bitAnd = (): Expr => this.binLevel(['&'], this.shift);
  private shift = (): Expr => this.binLevel(['<<', '>>'], this.arith);
  private arith = (): Expr => this.binLevel(['+', '-'], this.term);
  private term = (): Expr => this.binLevel(['*', '/', '//', '%', '@'], this.factor);

  private factor = (): Expr => {
    const t = this.peek();
    if (t.type === 'op' && (t.value === '-' || t.value === '+' || t.value === '~')) {
      this.next();
      return { k: 'unary', op: t.value, e: this.factor() };
    }
    return this.power();
  };

  private power(): Expr {
    this.eatName('await');
    const base = this.atomExpr();
    if (this.eatOp('**')) return { k: 'bin', op: '**', l: base, r: this.factor() };
    return base;
  }

  private atomExpr(): Expr {
    let e = this.atom();
    for (;;) {
      if (this.isOp('(')) {
        const line = this.next().line;
        const args = this.isOp(')') ? [] : this.args();
        this.expectOp(')');
        e = { k: 'call', fn: e, args, line };
      } else if (this.eatOp('[')) {
        const index = this.subscript();
        this.expectOp(']');
        e = { k: 'sub', obj: e, index };
      } else if (this.eatOp('.')) {
        e = { k: 'attr', obj: e, name: this.expectName() };
      } else return e;
    }
  }

  private subscript(): Expr {
    const one = (): Expr => {
      let lo: Expr | null = null;
      if (!this.isOp(':')) {
        lo = this.test();
        if (!this.isOp(':')) return lo;
      }
      this.expectOp(':');
      const hi = this.isOp(']') || this.isOp(':') || this.isOp(',') ? null : this.test();
      let step: Expr | null = null;
      if (this.eatOp(':') && !this.isOp(']') && !this.isOp(',')) step = this.test();
      return { k: 'slice', lo, hi, step };
    };
    const first = one();
    if (!this.isOp(',')) return first;
    const items = [first];
    while (this.eatOp(',')) {
      if (this.isOp(']')) break;
      items.push(one());
    }
    return { k: 'tuple', items };
  }

  private args(): Arg[] {
    const out: Arg[] = [];
    while (!this.isOp(')')) {
      if (this.eatOp('**')) out.push({ star: '**', value: this.test() });
      else if (this.eatOp('*')) out.push({ star: '*', value: this.test() });
      else if (this.peek().type === 'name' && this.isOp('=', 1)) {
        const name = this.next().value;
        this.next();
        out.push({ name, value: this.test() });
      } else {
        const value = this.namedTest();
        if (this.isName('for') || (this.isName('async') && this.isName('for', 1))) {
          out.push({ value: { k: 'comp', kind: 'gen', elt: value, gens: this.compFor() } });
        } else out.push({ value });
      }
      if (!this.eatOp(',')) break;
    }
    return out;
  }

  private compFor(): CompFor[] {
    const gens: CompFor[] = [];
    while (this.isName('for') || (this.isName('async') && this.isName('for', 1))) {
      this.eatName('async');
      this.next();
      const target = this.targetList();
      if (!this.eatName('in')) throw new PySyntaxError(`expected in at line ${this.peek().line}`);
      const iter = this.orTest();
      const ifs: Expr[] = [];
      while (this.eatName('if')) ifs.push(this.orTestNoCond());
      gens.push({ target, iter, ifs });
    }
    return gens;
  }

  private orTestNoCond(): Expr {
    return this.orTest();
  }

  private atom(): Expr {
    const t = this.next();
    switch (t.type) {
      case 'name':
        if (t.value === 'None') return { k: 'const', v: null };
        if (t.value === 'True') return { k: 'const', v: true };
        if (t.value === 'False') return { k: 'const', v: false };
        return { k: 'name', id: t.value, line: t.line };
      case 'number':
        return { k: 'const', v: parseNumber(t.value) };
      case 'string': {
        const parts: Array<string | FPart> = [];
        let bytes = false;
        let tok: Token = t;
        for (;;) {
          const prefix = tok.prefix ?? '';
          if (prefix.includes('b')) bytes = true;
          if (prefix.includes('f')) parts.push(...parseFString(tok.value, prefix.includes('r'), tok.line));
          else parts.push(prefix.includes('r') ? tok.value : unescape(tok.value));
          if (this.peek().type !== 'string') break;
          tok = this.next();
        }
        return { k: 'str', parts, bytes };
      }
      case 'op':
        if (t.value === '...') return { k: 'const', v: UNKNOWN };
        if (t.value === '(') {
          if (this.eatOp(')')) return { k: 'tuple', items: [] };
          const first = this.isOp('*') ? (this.next(), { k: 'starred' as const, e: this.bitOr() }) : this.namedTest();
          if (this.isName('for')) {
            const gens = this.compFor();
            this.expectOp(')');
            return { k: 'comp', kind: 'gen', elt: first, gens };
          }
          if (this.eatOp(')')) return first;
          const items = [first];
          while (this.eatOp(',')) {
            if (this.isOp(')')) break;
            items.push(this.isOp('*') ? (this.next(), { k: 'starred' as const, e: this.bitOr() }) : this.test());
          }
          this.expectOp(')');
          return { k: 'tuple', items };
        }
        if (t.value === '[') {
          if (this.eatOp(']')) return { k: 'list', items: [] };
          const first = this.isOp('*') ? (this.next(), { k: 'starred' as const, e: this.bitOr() }) : this.namedTest();
          if (this.isName('for')) {
            const gens = this.compFor();
            this.expectOp(']');
            return { k: 'comp', kind: 'list', elt: first, gens };
          }
          const items = [first];
          while (this.eatOp(',')) {
            if (this.isOp(']')) break;
            items.push(this.isOp('*') ? (this.next(), { k: 'starred' as const, e: this.bitOr() }) : this.test());
          }
          this.expectOp(']');
          return { k: 'list', items };
        }
        if (t.value === '{') {
          if (this.eatOp('}')) return { k: 'dict', items: [] };
          if (this.eatOp('**')) {
            const items: Array<[Expr | null, Expr]> = [[null, this.bitOr()]];
            return this.dictRest(items);
          }
          const first = this.isOp('*') ? (this.next(), { k: 'starred' as const, e: this.bitOr() }) : this.test();
          if (this.eatOp(':')) {
            const value = this.test();
            if (this.isName('for')) {
              const gens = this.compFor();
              this.expectOp('}');
              return { k: 'comp', kind: 'dict', elt: first, value, gens };
            }
            return this.dictRest([[first, value]]);
          }
          if (this.isName('for')) {
            const gens = this.compFor();
            this.expectOp('}');
            return { k: 'comp', kind: 'set', elt: first, gens };
          }
          const items = [first];
          while (this.eatOp(',')) {
            if (this.isOp('}')) break;
            items.push(this.test());
          }
          this.expectOp('}');
          return { k: 'set', items };
        }
        break;
      default:
        break;
    }
    throw new PySyntaxError(`unexpected ${t.value || t.type} at line ${t.line}`);
  }

  private dictRest(items: Array<[Expr | null, Expr]>): Expr {
    while (this.eatOp(',')) {
      if (this.isOp('}')) break;
      if (this.eatOp('**')) {
        items.push([null, this.bitOr()]);
        continue;
      }
      const k = this.test();
      this.expectOp(':');
      items.push([k, this.test()]);
    }
    this.expectOp('}');
    return { k: 'dict', items };
  }
}

function parseNumber(text: string): number {
  const t = text.replace(/_/g, '').replace(/[jJ]$/, '');
  if (/^0[xX]/.test(t)) return parseInt(t.slice(2), 16);
  if (/^0[oO]/.test(t)) return parseInt(t.slice(2), 8);
  if (/^0[bB]/.test(t)) return parseInt(t.slice(2), 2);
  return Number(t);
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0' };

function unescape(s: string): string {
  return s.replace(/\\(\n|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|N\{[^}]*\}|[0-7]{1,3}|.)/gs, (m, e: string) => {
    if (e === '\n') return '';
    if (e[0] === 'x' || e[0] === 'u' || e[0] === 'U') return String.fromCodePoint(parseInt(e.slice(1), 16));
    if (/^[0-7]+$/.test(e) && e !== '0') return String.fromCharCode(parseInt(e, 8));
    return SIMPLE_ESCAPES[e] ?? m;
  });
}

function parseFString(body: string, raw: boolean, line: number): Array<string | FPart> {
  const parts: Array<string | FPart> = [];
  let lit = '';
  let i = 0;
  const flush = (): void => {
    if (lit) parts.push(raw ? lit : unescape(lit));
    lit = '';
  };
  while (i < body.length) {
    const c = body[i]!;
    if (c === '{' && body[i + 1] === '{') {
      lit += '{';
      i += 2;
      continue;
    }
    if (c === '}' && body[i + 1] === '}') {
      lit += '}';
      i += 2;
      continue;
    }
    if (c === '\\' && !raw) {
      lit += body.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c !== '{') {
      lit += c;
      i++;
      continue;
    }
    flush();
    // find the end of the replacement field, minding nesting and quotes
    let depth = 0;
    let j = i + 1;
    let quote: string | null = null;
    let exprEnd = -1;
    for (; j < body.length; j++) {
      const d = body[j]!;
      if (quote) {
        if (d === quote) quote = null;
        continue;
      }
      if (d === '"' || d === "'") quote = d;
      else if (d === '(' || d === '[' || d === '{') depth++;
      else if (d === ')' || d === ']') depth--;
      else if (d === '}') {
        if (depth === 0) break;
        depth--;
      } else if (depth === 0 && exprEnd < 0 && (d === '!' || d === ':') && body[j + 1] !== '=') exprEnd = j;
    }
    const field = body.slice(i + 1, j);
    const inner = exprEnd < 0 ? field : body.slice(i + 1, exprEnd);
    let conv = '';
    const rest = exprEnd < 0 ? '' : body.slice(exprEnd, j);
    if (rest.startsWith('!')) conv = rest[1] ?? '';
    const src = inner.endsWith('=') ? inner.slice(0, -1) : inner;
    const toks = tokenize(src.trim() + '\n');
    const expr = new Parser(toks).testList();
    if (inner.endsWith('=')) parts.push(inner);
    parts.push({ expr, conv: conv || (inner.endsWith('=') ? 'r' : '') });
    i = j + 1;
    if (j >= body.length) throw new PySyntaxError(`unterminated f-string field at line ${line}`);
  }
  flush();
  return parts;
}

export function parseModule(src: string): Stmt[] {
  return new Parser(tokenize(src)).module();
}

// ---------------------------------------------------------------- values

export interface Unknown {
  readonly t: 'unknown';
}
export const UNKNOWN: Unknown = { t: 'unknown' };

export interface PyList {
  t: 'list' | 'tuple' | 'set';
  items: PyValue[];
}
export interface PyDict {
  t: 'dict';
  keys: PyValue[];
  values: PyValue[];
}
export interface PyFunc {
  t: 'func';
  name: string;
  params: Param[];
  body: Stmt[] | Expr;
  scope: Scope;
  self: PyValue | undefined;
}
export interface PyBuiltin {
  t: 'builtin';
  name: string;
  call(args: PyValue[], kwargs: Map<string, PyValue>, ev: Evaluator): PyValue;
}
export interface PyObject {
  t: 'object';
  cls: string;
  attrs: Map<string, PyValue>;
}
/** A value the host defines (a path, a parsed file, a rule, a list of findings). */
export interface HostValue {
  t: 'host';
  kind: string;
  [key: string]: unknown;
}

export type PyValue = null | boolean | number | string | Unknown | PyList | PyDict | PyFunc | PyBuiltin | PyObject | HostValue;

export function isUnknown(v: PyValue): v is Unknown {
  return typeof v === 'object' && v !== null && v.t === 'unknown';
}

function isSeq(v: PyValue): v is PyList {
  return typeof v === 'object' && v !== null && (v.t === 'list' || v.t === 'tuple' || v.t === 'set');
}

export function list(items: PyValue[], t: 'list' | 'tuple' | 'set' = 'list'): PyList {
  return { t, items };
}

/** Raised when the evaluator meets something it does not model: the current test stops there. */
export class Unsupported extends Error {}

class ReturnSignal {
  constructor(readonly value: PyValue) {}
}
class BreakSignal {}
class ContinueSignal {}

export class Scope {
  readonly vars = new Map<string, PyValue>();
  constructor(readonly parent: Scope | null) {}
  get(name: string): PyValue | undefined {
    if (this.vars.has(name)) return this.vars.get(name);
    return this.parent?.get(name);
  }
  set(name: string, v: PyValue): void {
    this.vars.set(name, v);
  }
}

/** What the host adds to the evaluator: its own values and how operations on them behave. */
export interface Host {
  /** An imported name, or undefined to leave it unknown. */
  importName(module: string, name: string | null): PyValue | undefined;
  /** Attribute of a host value; undefined for unknown. */
  attr(v: HostValue, name: string, ev: Evaluator): PyValue | undefined;
  /** Call of a host value. */
  call(v: HostValue, args: PyValue[], kwargs: Map<string, PyValue>, ev: Evaluator, line: number): PyValue;
  /** Subscript of a host value. */
  subscript(v: HostValue, index: PyValue, ev: Evaluator): PyValue;
  /** A binary operation with a host value on one side, or undefined for unknown. */
  binary(op: string, l: PyValue, r: PyValue): PyValue | undefined;
  /** The truth of a host value in `if`; undefined when it is not known. */
  truth(v: HostValue): boolean | undefined;
  /** An `assert` statement: the host reads what it claims. Returns true when it handled the statement. */
  assertion(test: Expr, ev: Evaluator, scope: Scope): boolean;
  /** `len()` of a host value. */
  len(v: HostValue): PyValue;
  /** Iteration over a host value; null for unknown. */
  iterate(v: HostValue): PyValue[] | null;
  /** A comprehension the host reads itself (over findings), or undefined to evaluate it normally. */
  comprehension?(e: Extract<Expr, { k: 'comp' }>, ev: Evaluator, scope: Scope): PyValue | undefined;
}

export class Evaluator {
  /** How deep in user-function calls the evaluator is (1: the test function itself). */
  depth = 0;
  /** The line of the statement running in the outermost function: where a test made the call at hand. */
  outerLine = 0;

  constructor(readonly host: Host) {}

  // ------------------------------------------------------------ statements

  exec(body: Stmt[], scope: Scope): void {
    for (const s of body) this.stmt(s, scope);
  }

  private stmt(s: Stmt, scope: Scope): void {
    if (this.depth <= 1) this.outerLine = s.line;
    switch (s.k) {
      case 'expr':
        this.eval(s.e, scope);
        return;
      case 'assign': {
        const v = this.eval(s.value, scope);
        for (const t of s.targets) this.assign(t, v, scope);
        return;
      }
      case 'annassign':
        if (s.value) this.assign(s.target, this.eval(s.value, scope), scope);
        return;
      case 'augassign': {
        const cur = this.eval(s.target, scope);
        const v = this.binary(s.op, cur, this.eval(s.value, scope));
        this.assign(s.target, v, scope);
        return;
      }
      case 'def':
        scope.set(s.name, { t: 'func', name: s.name, params: s.params, body: s.body, scope, self: undefined });
        return;
      case 'class':
        return;
      case 'if': {
        const t = this.truth(this.eval(s.test, scope));
        if (t === undefined) throw new Unsupported(`condition of unknown truth at line ${s.line}`);
        this.exec(t ? s.body : s.orelse, scope);
        return;
      }
      case 'for': {
        const it = this.iterate(this.eval(s.iter, scope));
        if (!it) throw new Unsupported(`loop over an unknown sequence at line ${s.line}`);
        for (const v of it) {
          this.assign(s.target, v, scope);
          try {
            this.exec(s.body, scope);
          } catch (e) {
            if (e instanceof BreakSignal) return;
            if (e instanceof ContinueSignal) continue;
            throw e;
          }
        }
        this.exec(s.orelse, scope);
        return;
      }
      case 'while':
        throw new Unsupported(`while loop at line ${s.line}`);
      case 'with': {
        for (const item of s.items) {
          const v = this.eval(item.e, scope);
          // pytest.raises / pytest.warns: the body is expected to fail; it is not read.
          if (typeof v === 'object' && v !== null && v.t === 'object' && v.cls === 'raises') return;
          if (item.as) this.assign(item.as, UNKNOWN, scope);
        }
        this.exec(s.body, scope);
        return;
      }
      case 'try':
        this.exec(s.body, scope);
        this.exec(s.orelse, scope);
        this.exec(s.final, scope);
        return;
      case 'return':
        throw new ReturnSignal(s.value ? this.eval(s.value, scope) : null);
      case 'assert':
        if (!this.host.assertion(s.test, this, scope)) this.eval(s.test, scope);
        return;
      case 'import':
        for (const n of s.names) {
          const v = this.host.importName(n.module, n.name);
          scope.set(n.as, v ?? UNKNOWN);
        }
        return;
      case 'raise':
        throw new Unsupported(`raise at line ${s.line}`);
      case 'break':
        throw new BreakSignal();
      case 'continue':
        throw new ContinueSignal();
      case 'pass':
      case 'other':
        return;
    }
  }

  assign(target: Expr, v: PyValue, scope: Scope): void {
    switch (target.k) {
      case 'name':
        scope.set(target.id, v);
        return;
      case 'tuple':
      case 'list': {
        const items = this.iterate(v);
        const starAt = target.items.findIndex((t) => t.k === 'starred');
        if (!items) {
          for (const t of target.items) this.assign(t.k === 'starred' ? t.e : t, UNKNOWN, scope);
          return;
        }
        if (starAt < 0) {
          if (items.length !== target.items.length) throw new Unsupported('unpacking of the wrong length');
          target.items.forEach((t, i) => this.assign(t, items[i]!, scope));
          return;
        }
        const after = target.items.length - starAt - 1;
        target.items.slice(0, starAt).forEach((t, i) => this.assign(t, items[i]!, scope));
        const star = target.items[starAt]!;
        this.assign(star.k === 'starred' ? star.e : star, list(items.slice(starAt, items.length - after)), scope);
        target.items.slice(starAt + 1).forEach((t, i) => this.assign(t, items[items.length - after + i]!, scope));
        return;
      }
      case 'attr': {
        const obj = this.eval(target.obj, scope);
        if (typeof obj === 'object' && obj !== null && obj.t === 'object') obj.attrs.set(target.name, v);
        return;
      }
      case 'sub': {
        const obj = this.eval(target.obj, scope);
        const idx = this.eval(target.index, scope);
        if (typeof obj === 'object' && obj !== null && obj.t === 'dict') dictSet(obj, idx, v);
        else if (isSeq(obj) && typeof idx === 'number') obj.items[idx < 0 ? obj.items.length + idx : idx] = v;
        return;
      }
      default:
        return;
    }
  }

  // ------------------------------------------------------------ calls

  callFunction(f: PyValue, args: PyValue[], kwargs: Map<string, PyValue> = new Map(), line = 0): PyValue {
    if (typeof f !== 'object' || f === null) throw new Unsupported(`call of a non-function at line ${line}`);
    switch (f.t) {
      case 'func':
        return this.callUser(f, args, kwargs);
      case 'builtin':
        return f.call(args, kwargs, this);
      case 'host':
        return this.host.call(f, args, kwargs, this, line);
      default:
        return UNKNOWN;
    }
  }

  private callUser(f: PyFunc, args: PyValue[], kwargs: Map<string, PyValue>): PyValue {
    const scope = new Scope(f.scope);
    const all = f.self !== undefined ? [f.self, ...args] : args;
    let i = 0;
    for (const p of f.params) {
      if (p.star === '*') {
        scope.set(p.name, list(all.slice(i), 'tuple'));
        i = all.length;
      } else if (p.star === '**') {
        const d: PyDict = { t: 'dict', keys: [], values: [] };
        for (const [k, v] of kwargs) if (!f.params.some((q) => q.name === k)) dictSet(d, k, v);
        scope.set(p.name, d);
      } else if (i < all.length) scope.set(p.name, all[i++]!);
      else if (kwargs.has(p.name)) scope.set(p.name, kwargs.get(p.name)!);
      else if (p.default) scope.set(p.name, this.eval(p.default, f.scope));
      else scope.set(p.name, UNKNOWN);
    }
    for (const p of f.params) if (kwargs.has(p.name) && !p.star) scope.set(p.name, kwargs.get(p.name)!);
    if (!Array.isArray(f.body)) return this.eval(f.body as Expr, scope);
    this.depth++;
    try {
      this.exec(f.body, scope);
    } catch (e) {
      if (e instanceof ReturnSignal) return e.value;
      throw e;
    } finally {
      this.depth--;
    }
    return null;
  }

  // ------------------------------------------------------------ expressions

  eval(e: Expr, scope: Scope): PyValue {
    switch (e.k) {
      case 'const':
        return e.v;
      case 'name': {
        const v = scope.get(e.id);
        if (v !== undefined) return v;
        const b = BUILTINS.get(e.id);
        return b ?? UNKNOWN;
      }
      case 'str': {
        let s = '';
        for (const p of e.parts) {
          if (typeof p === 'string') s += p;
          else {
            const v = this.eval(p.expr, scope);
            if (isUnknown(v)) return UNKNOWN;
            const text = p.conv === 'r' ? repr(v) : str(v);
            if (text === null) return UNKNOWN;
            s += text;
          }
        }
        return s;
      }
      case 'attr':
        return this.getAttr(this.eval(e.obj, scope), e.name);
      case 'sub':
        return this.subscript(this.eval(e.obj, scope), this.eval(e.index, scope));
      case 'slice': {
        const lo = e.lo ? this.eval(e.lo, scope) : null;
        const hi = e.hi ? this.eval(e.hi, scope) : null;
        const step = e.step ? this.eval(e.step, scope) : null;
        return { t: 'object', cls: 'slice', attrs: new Map<string, PyValue>([['lo', lo], ['hi', hi], ['step', step]]) };
      }
      case 'call': {
        const fn = this.eval(e.fn, scope);
        const args: PyValue[] = [];
        const kwargs = new Map<string, PyValue>();
        for (const a of e.args) {
          const v = this.eval(a.value, scope);
          if (a.star === '*') {
            const it = this.iterate(v);
            if (!it) return UNKNOWN;
            args.push(...it);
          } else if (a.star === '**') {
            if (typeof v === 'object' && v !== null && v.t === 'dict') v.keys.forEach((k, i) => kwargs.set(String(k), v.values[i]!));
            else return UNKNOWN;
          } else if (a.name) kwargs.set(a.name, v);
          else args.push(v);
        }
        if (isUnknown(fn)) return UNKNOWN;
        return this.callFunction(fn, args, kwargs, e.line);
      }
      case 'bin':
        return this.binary(e.op, this.eval(e.l, scope), this.eval(e.r, scope));
      case 'unary': {
        const v = this.eval(e.e, scope);
        if (e.op === 'not') {
          const t = this.truth(v);
          return t === undefined ? UNKNOWN : !t;
        }
        if (typeof v !== 'number') return UNKNOWN;
        return e.op === '-' ? -v : e.op === '~' ? ~v : v;
      }
      case 'bool': {
        let last: PyValue = null;
        for (const x of e.values) {
          last = this.eval(x, scope);
          const t = this.truth(last);
          if (t === undefined) return UNKNOWN;
          if (e.op === 'and' ? !t : t) return last;
        }
        return last;
      }
      case 'cmp': {
        let l = this.eval(e.first, scope);
        let result: PyValue = true;
        for (let i = 0; i < e.ops.length; i++) {
          const r = this.eval(e.rest[i]!, scope);
          const c = this.compare(e.ops[i]!, l, r);
          if (c === undefined) return UNKNOWN;
          if (!c) return false;
          result = c;
          l = r;
        }
        return result;
      }
      case 'ifexp': {
        const t = this.truth(this.eval(e.test, scope));
        if (t === undefined) return UNKNOWN;
        return this.eval(t ? e.body : e.orelse, scope);
      }
      case 'list':
      case 'tuple':
      case 'set': {
        const items: PyValue[] = [];
        for (const x of e.items) {
          if (x.k === 'starred') {
            const it = this.iterate(this.eval(x.e, scope));
            if (!it) return UNKNOWN;
            items.push(...it);
          } else items.push(this.eval(x, scope));
        }
        if (e.k === 'set') return list(dedupe(items), 'set');
        return list(items, e.k);
      }
      case 'dict': {
        const d: PyDict = { t: 'dict', keys: [], values: [] };
        for (const [k, v] of e.items) {
          if (k === null) {
            const src = this.eval(v, scope);
            if (typeof src !== 'object' || src === null || src.t !== 'dict') return UNKNOWN;
            src.keys.forEach((kk, i) => dictSet(d, kk, src.values[i]!));
          } else dictSet(d, this.eval(k, scope), this.eval(v, scope));
        }
        return d;
      }
      case 'comp':
        return this.comprehension(e, scope);
      case 'starred':
        return this.eval(e.e, scope);
      case 'lambda':
        return { t: 'func', name: '<lambda>', params: e.params, body: e.body, scope, self: undefined };
      case 'walrus': {
        const v = this.eval(e.e, scope);
        scope.set(e.target, v);
        return v;
      }
    }
  }

  private comprehension(e: Extract<Expr, { k: 'comp' }>, scope: Scope): PyValue {
    const hostIter = this.host.comprehension?.(e, this, scope);
    if (hostIter !== undefined) return hostIter;
    const out: PyValue[] = [];
    const d: PyDict = { t: 'dict', keys: [], values: [] };
    const inner = new Scope(scope);
    const run = (level: number): boolean => {
      if (level === e.gens.length) {
        if (e.kind === 'dict') dictSet(d, this.eval(e.elt, inner), this.eval(e.value!, inner));
        else out.push(this.eval(e.elt, inner));
        return true;
      }
      const g = e.gens[level]!;
      const it = this.iterate(this.eval(g.iter, inner));
      if (!it) return false;
      for (const v of it) {
        this.assign(g.target, v, inner);
        let keep = true;
        for (const c of g.ifs) {
          const t = this.truth(this.eval(c, inner));
          if (t === undefined) return false;
          if (!t) keep = false;
        }
        if (keep && !run(level + 1)) return false;
      }
      return true;
    };
    if (!run(0)) return UNKNOWN;
    if (e.kind === 'dict') return d;
    if (e.kind === 'set') return list(dedupe(out), 'set');
    return list(out, e.kind === 'gen' ? 'tuple' : 'list');
  }

  getAttr(obj: PyValue, name: string): PyValue {
    if (isUnknown(obj)) return UNKNOWN;
    if (typeof obj === 'string') return stringMethod(obj, name);
    if (typeof obj === 'object' && obj !== null) {
      switch (obj.t) {
        case 'object': {
          const v = obj.attrs.get(name);
          if (v !== undefined) return v;
          const m = obj.attrs.get(`__class__.${name}`);
          if (m && typeof m === 'object' && m.t === 'func') return { ...m, self: obj };
          return UNKNOWN;
        }
        case 'host':
          return this.host.attr(obj, name, this) ?? UNKNOWN;
        case 'dict':
          return dictMethod(obj, name);
        case 'list':
        case 'tuple':
        case 'set':
          return seqMethod(obj, name);
        default:
          return UNKNOWN;
      }
    }
    return UNKNOWN;
  }

  subscript(obj: PyValue, idx: PyValue): PyValue {
    if (isUnknown(obj)) return UNKNOWN;
    if (typeof obj === 'object' && obj !== null && obj.t === 'host') return this.host.subscript(obj, idx, this);
    if (typeof obj === 'object' && obj !== null && obj.t === 'dict') {
      const v = dictGet(obj, idx);
      return v === undefined ? UNKNOWN : v;
    }
    if (typeof obj === 'string' || isSeq(obj)) {
      const items: PyValue[] = typeof obj === 'string' ? [...obj] : obj.items;
      if (typeof idx === 'number') {
        const v = items[idx < 0 ? items.length + idx : idx];
        return v === undefined ? UNKNOWN : v;
      }
      if (typeof idx === 'object' && idx !== null && idx.t === 'object' && idx.cls === 'slice') {
        const lo = idx.attrs.get('lo');
        const hi = idx.attrs.get('hi');
        const step = idx.attrs.get('step');
        if (step !== null && step !== 1) return UNKNOWN;
        const a = typeof lo === 'number' ? lo : 0;
        const b = typeof hi === 'number' ? hi : items.length;
        const sliced = items.slice(a, b);
        return typeof obj === 'string' ? sliced.join('') : list(sliced, obj.t === 'set' ? 'list' : obj.t);
      }
    }
    return UNKNOWN;
  }

  binary(op: string, l: PyValue, r: PyValue): PyValue {
    if ((typeof l === 'object' && l !== null && l.t === 'host') || (typeof r === 'object' && r !== null && r.t === 'host'))
      return this.host.binary(op, l, r) ?? UNKNOWN;
    if (isUnknown(l) || isUnknown(r)) return UNKNOWN;
    if (typeof l === 'number' && typeof r === 'number') {
      switch (op) {
        case '+': return l + r;
        case '-': return l - r;
        case '*': return l * r;
        case '/': return l / r;
        case '//': return Math.floor(l / r);
        case '%': return ((l % r) + r) % r;
        case '**': return l ** r;
        default: return UNKNOWN;
      }
    }
    if (op === '+' && typeof l === 'string' && typeof r === 'string') return l + r;
    if (op === '*' && typeof l === 'string' && typeof r === 'number') return l.repeat(Math.max(0, r));
    if (op === '%' && typeof l === 'string') return percentFormat(l, r);
    if (op === '+' && isSeq(l) && isSeq(r)) return list([...l.items, ...r.items], l.t);
    if (op === '*' && isSeq(l) && typeof r === 'number') return list(Array.from({ length: r }, () => l.items).flat(), l.t);
    if ((op === '|' || op === '&' || op === '-') && isSeq(l) && isSeq(r)) {
      const has = (xs: PyValue[], v: PyValue): boolean => xs.some((x) => eq(x, v) === true);
      if (op === '|') return list(dedupe([...l.items, ...r.items]), 'set');
      if (op === '&') return list(l.items.filter((x) => has(r.items, x)), 'set');
      return list(l.items.filter((x) => !has(r.items, x)), 'set');
    }
    return UNKNOWN;
  }

  compare(op: string, l: PyValue, r: PyValue): boolean | undefined {
    if ((typeof l === 'object' && l !== null && l.t === 'host') || (typeof r === 'object' && r !== null && r.t === 'host')) {
      const v = this.host.binary(op, l, r);
      return typeof v === 'boolean' ? v : undefined;
    }
    if (isUnknown(l) || isUnknown(r)) return undefined;
    switch (op) {
      case '==': return eq(l, r);
      case '!=': {
        const x = eq(l, r);
        return x === undefined ? undefined : !x;
      }
      case 'is': return l === r || (l === null && r === null) ? true : typeof l === 'object' || typeof r === 'object' ? (l === null || r === null ? false : undefined) : l === r;
      case 'is not': {
        const x = this.compare('is', l, r);
        return x === undefined ? undefined : !x;
      }
      case 'in':
      case 'not in': {
        let x: boolean | undefined;
        if (typeof r === 'string' && typeof l === 'string') x = r.includes(l);
        else if (isSeq(r)) x = r.items.some((v) => eq(v, l) === true) ? true : r.items.every((v) => eq(v, l) === false) ? false : undefined;
        else if (typeof r === 'object' && r !== null && r.t === 'dict') x = dictGet(r, l) !== undefined;
        return x === undefined ? undefined : op === 'in' ? x : !x;
      }
      default:
        if (typeof l === 'number' && typeof r === 'number') return op === '<' ? l < r : op === '>' ? l > r : op === '<=' ? l <= r : l >= r;
        if (typeof l === 'string' && typeof r === 'string') return op === '<' ? l < r : op === '>' ? l > r : op === '<=' ? l <= r : l >= r;
        return undefined;
    }
  }

  truth(v: PyValue): boolean | undefined {
    if (v === null) return false;
    if (typeof v === 'boolean') return v;
    if (typeof v === 'number') return v !== 0;
    if (typeof v === 'string') return v.length > 0;
    switch (v.t) {
      case 'unknown': return undefined;
      case 'list':
      case 'tuple':
      case 'set': return v.items.length > 0;
      case 'dict': return v.keys.length > 0;
      case 'host': return this.host.truth(v);
      default: return true;
    }
  }

  iterate(v: PyValue): PyValue[] | null {
    if (typeof v === 'string') return [...v];
    if (typeof v !== 'object' || v === null) return null;
    if (isSeq(v)) return v.items;
    if (v.t === 'dict') return v.keys;
    if (v.t === 'host') return this.host.iterate(v);
    return null;
  }

  len(v: PyValue): PyValue {
    if (typeof v === 'string') return v.length;
    if (typeof v === 'object' && v !== null) {
      if (isSeq(v)) return v.items.length;
      if (v.t === 'dict') return v.keys.length;
      if (v.t === 'host') return this.host.len(v);
    }
    return UNKNOWN;
  }
}

// ---------------------------------------------------------------- helpers for values

function eq(a: PyValue, b: PyValue): boolean | undefined {
  if (isUnknown(a) || isUnknown(b)) return undefined;
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'boolean') return a === Number(b);
  if (typeof a === 'boolean' && typeof b === 'number') return Number(a) === b;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (isSeq(a) && isSeq(b)) {
    if ((a.t === 'set') !== (b.t === 'set')) return false;
    if (a.t !== 'set' && a.t !== b.t) return false;
    if (a.items.length !== b.items.length) return false;
    if (a.t === 'set') {
      let all = true;
      for (const x of a.items) {
        const found = b.items.map((y) => eq(x, y));
        if (found.includes(true)) continue;
        if (found.includes(undefined)) return undefined;
        all = false;
      }
      return all;
    }
    let result: boolean | undefined = true;
    a.items.forEach((x, i) => {
      const r = eq(x, b.items[i]!);
      if (r === false) result = false;
      else if (r === undefined && result === true) result = undefined;
    });
    return result;
  }
  if (a.t === 'dict' && b.t === 'dict') {
    if (a.keys.length !== b.keys.length) return false;
    let result: boolean | undefined = true;
    a.keys.forEach((k, i) => {
      const other = dictGet(b, k);
      if (other === undefined) result = false;
      else {
        const r = eq(a.values[i]!, other);
        if (r === false) result = false;
        else if (r === undefined && result === true) result = undefined;
      }
    });
    return result;
  }
  if (a.t === 'host' || b.t === 'host') return undefined;
  return false;
}

function dedupe(items: PyValue[]): PyValue[] {
  const out: PyValue[] = [];
  for (const x of items) if (!out.some((y) => eq(x, y) === true)) out.push(x);
  return out;
}

function dictGet(d: PyDict, k: PyValue): PyValue | undefined {
  const i = d.keys.findIndex((x) => eq(x, k) === true);
  return i < 0 ? undefined : d.values[i];
}

function dictSet(d: PyDict, k: PyValue, v: PyValue): void {
  const i = d.keys.findIndex((x) => eq(x, k) === true);
  if (i < 0) {
    d.keys.push(k);
    d.values.push(v);
  } else d.values[i] = v;
}

/** Python's str(); null when the value has no known text. */
export function str(v: PyValue): string | null {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v);
  if (typeof v === 'string') return v;
  switch (v.t) {
    case 'list':
    case 'tuple':
    case 'set':
    case 'dict':
      return repr(v);
    default:
      return null;
  }
}

export function repr(v: PyValue): string | null {
  if (typeof v === 'string') return v.includes("'") && !v.includes('"') ? `"${v}"` : `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  if (typeof v === 'object' && v !== null) {
    if (v.t === 'list' || v.t === 'tuple' || v.t === 'set') {
      const parts = v.items.map(repr);
      if (parts.includes(null)) return null;
      const inner = parts.join(', ');
      return v.t === 'list' ? `[${inner}]` : v.t === 'set' ? `{${inner}}` : v.items.length === 1 ? `(${inner},)` : `(${inner})`;
    }
    if (v.t === 'dict') {
      const parts = v.keys.map((k, i) => {
        const a = repr(k);
        const b = repr(v.values[i]!);
        return a === null || b === null ? null : `${a}: ${b}`;
      });
      if (parts.includes(null)) return null;
      return `{${parts.join(', ')}}`;
    }
  }
  return str(v);
}

function percentFormat(fmt: string, arg: PyValue): PyValue {
  const args = isSeq(arg) && arg.t === 'tuple' ? arg.items : [arg];
  let i = 0;
  let unknown = false;
  const out = fmt.replace(/%([-+ 0#]*\d*(?:\.\d+)?)([sdrifx%])/g, (_m, _flags: string, conv: string) => {
    if (conv === '%') return '%';
    const v = args[i++];
    if (v === undefined || isUnknown(v)) {
      unknown = true;
      return '';
    }
    const text = conv === 'r' ? repr(v) : str(v);
    if (text === null) unknown = true;
    return text ?? '';
  });
  return unknown ? UNKNOWN : out;
}

function builtin(name: string, call: PyBuiltin['call']): PyBuiltin {
  return { t: 'builtin', name, call };
}

function pyFormat(s: string, args: PyValue[], kwargs: Map<string, PyValue>): PyValue {
  let auto = 0;
  let unknown = false;
  const out = s.replace(/\{\{|\}\}|\{([^{}!:]*)(![rsa])?(:[^{}]*)?\}/g, (m, field: string | undefined, conv: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    const key = field ?? '';
    const v = key === '' ? args[auto++] : /^\d+$/.test(key) ? args[Number(key)] : kwargs.get(key);
    if (v === undefined || isUnknown(v)) {
      unknown = true;
      return '';
    }
    const text = conv === '!r' ? repr(v) : str(v);
    if (text === null) unknown = true;
    return text ?? '';
  });
  return unknown ? UNKNOWN : out;
}

export function dedent(s: string): string {
  const lines = s.split('\n');
  let margin: string | null = null;
  for (const l of lines) {
    if (l.trim() === '') continue;
    const ws = /^[ \t]*/.exec(l)![0];
    if (margin === null || !ws.startsWith(margin)) {
      if (margin === null) margin = ws;
      else {
        let k = 0;
        while (k < margin.length && k < ws.length && margin[k] === ws[k]) k++;
        margin = margin.slice(0, k);
      }
    }
  }
  const m = margin ?? '';
  return lines.map((l) => (l.trim() === '' ? l.replace(/^[ \t]+$/, '') : l.slice(m.length))).join('\n');
}

function stringMethod(s: string, name: string): PyValue {
  const strArg = (a: PyValue | undefined): string | null => (typeof a === 'string' ? a : null);
  const strip = (chars: string | null, left: boolean, right: boolean): string => {
    const set = chars ?? ' \t\n\r\f\v';
    let a = 0;
    let b = s.length;
    if (left) while (a < b && set.includes(s[a]!)) a++;
    if (right) while (b > a && set.includes(s[b - 1]!)) b--;
    return s.slice(a, b);
  };
  switch (name) {
    case 'format':
      return builtin('format', (args, kwargs) => pyFormat(s, args, kwargs));
    case 'replace':
      return builtin('replace', (args) => {
        const [a, b] = [strArg(args[0]), strArg(args[1])];
        return a === null || b === null ? UNKNOWN : s.split(a).join(b);
      });
    case 'strip':
    case 'lstrip':
    case 'rstrip':
      return builtin(name, (args) => strip(strArg(args[0]), name !== 'rstrip', name !== 'lstrip'));
    case 'lower':
      return builtin(name, () => s.toLowerCase());
    case 'upper':
      return builtin(name, () => s.toUpperCase());
    case 'startswith':
    case 'endswith':
      return builtin(name, (args) => {
        const a = args[0];
        const opts = typeof a === 'string' ? [a] : isSeq(a ?? null) ? (a as PyList).items.filter((x): x is string => typeof x === 'string') : null;
        if (!opts) return UNKNOWN;
        return opts.some((o) => (name === 'startswith' ? s.startsWith(o) : s.endsWith(o)));
      });
    case 'split':
      return builtin(name, (args) => {
        const sep = strArg(args[0] ?? null);
        return list(sep === null ? s.split(/\s+/).filter(Boolean) : s.split(sep));
      });
    case 'splitlines':
      return builtin(name, () => list(s.split(/\r?\n/).filter((_, i, all) => i < all.length - 1 || all[i] !== '')));
    case 'join':
      return builtin(name, (args, _k, ev) => {
        const it = ev.iterate(args[0] ?? null);
        if (!it || !it.every((x) => typeof x === 'string')) return UNKNOWN;
        return (it as string[]).join(s);
      });
    case 'encode':
    case 'decode':
      return builtin(name, () => s);
    case 'count':
      return builtin(name, (args) => (typeof args[0] === 'string' && args[0] ? s.split(args[0]).length - 1 : UNKNOWN));
    case 'find':
      return builtin(name, (args) => (typeof args[0] === 'string' ? s.indexOf(args[0]) : UNKNOWN));
    default:
      return UNKNOWN;
  }
}

function dictMethod(d: PyDict, name: string): PyValue {
  switch (name) {
    case 'get':
      return builtin('get', (args) => {
        const v = dictGet(d, args[0] ?? null);
        return v === undefined ? (args[1] ?? null) : v;
      });
    case 'items':
      return builtin('items', () => list(d.keys.map((k, i) => list([k, d.values[i]!], 'tuple'))));
    case 'keys':
      return builtin('keys', () => list([...d.keys]));
    case 'values':
      return builtin('values', () => list([...d.values]));
    default:
      return UNKNOWN;
  }
}

function seqMethod(l: PyList, name: string): PyValue {
  switch (name) {
    case 'append':
      return builtin('append', (args) => {
        l.items.push(args[0] ?? null);
        return null;
      });
    case 'extend':
      return builtin('extend', (args, _k, ev) => {
        const it = ev.iterate(args[0] ?? null);
        if (it) l.items.push(...it);
        return null;
      });
    case 'add':
      return builtin('add', (args) => {
        if (!l.items.some((x) => eq(x, args[0] ?? null) === true)) l.items.push(args[0] ?? null);
        return null;
      });
    case 'index':
      return builtin('index', (args) => l.items.findIndex((x) => eq(x, args[0] ?? null) === true));
    default:
      return UNKNOWN;
  }
}

const BUILTINS = new Map<string, PyValue>([
  ['len', builtin('len', (args, _k, ev) => ev.len(args[0] ?? null))],
  ['list', builtin('list', (args, _k, ev) => {
    const a = args[0] ?? list([]);
    if (typeof a === 'object' && a !== null && a.t === 'host') return a;
    const it = ev.iterate(a);
    return it ? list([...it]) : UNKNOWN;
  })],
  ['tuple', builtin('tuple', (args, _k, ev) => {
    const it = ev.iterate(args[0] ?? list([]));
    return it ? list([...it], 'tuple') : UNKNOWN;
  })],
  ['set', builtin('set', (args, _k, ev) => {
    const it = ev.iterate(args[0] ?? list([]));
    return it ? list(dedupe(it), 'set') : UNKNOWN;
  })],
  ['frozenset', builtin('frozenset', (args, _k, ev) => {
    const it = ev.iterate(args[0] ?? list([]));
    return it ? list(dedupe(it), 'set') : UNKNOWN;
  })],
  ['sorted', builtin('sorted', (args, kwargs, ev) => {
    const it = ev.iterate(args[0] ?? null);
    if (!it || kwargs.size > 0) return UNKNOWN;
    if (it.every((x) => typeof x === 'string')) return list([...(it as string[])].sort());
    if (it.every((x) => typeof x === 'number')) return list([...(it as number[])].sort((a, b) => a - b));
    return UNKNOWN;
  })],
  ['str', builtin('str', (args) => {
    const t = str(args[0] ?? '');
    return t === null ? UNKNOWN : t;
  })],
  ['repr', builtin('repr', (args) => repr(args[0] ?? null) ?? UNKNOWN)],
  ['int', builtin('int', (args) => (typeof args[0] === 'number' ? Math.trunc(args[0]) : typeof args[0] === 'string' && /^\s*-?\d+\s*$/.test(args[0]) ? parseInt(args[0], 10) : UNKNOWN))],
  ['bool', builtin('bool', (args, _k, ev) => ev.truth(args[0] ?? null) ?? UNKNOWN)],
  ['range', builtin('range', (args) => {
    const nums = args.filter((a): a is number => typeof a === 'number');
    if (nums.length !== args.length) return UNKNOWN;
    const [a, b, s] = nums.length === 1 ? [0, nums[0]!, 1] : [nums[0]!, nums[1]!, nums[2] ?? 1];
    const out: number[] = [];
    for (let i = a; s > 0 ? i < b : i > b; i += s) out.push(i);
    return list(out);
  })],
  ['enumerate', builtin('enumerate', (args, _k, ev) => {
    const it = ev.iterate(args[0] ?? null);
    return it ? list(it.map((v, i) => list([i, v], 'tuple'))) : UNKNOWN;
  })],
  ['zip', builtin('zip', (args, _k, ev) => {
    const its = args.map((a) => ev.iterate(a));
    if (its.some((x) => !x)) return UNKNOWN;
    const n = Math.min(...its.map((x) => x!.length));
    return list(Array.from({ length: n }, (_, i) => list(its.map((x) => x![i]!), 'tuple')));
  })],
  ['print', builtin('print', () => null)],
  ['isinstance', builtin('isinstance', () => UNKNOWN)],
  ['any', builtin('any', (args, _k, ev) => {
    const it = ev.iterate(args[0] ?? null);
    if (!it) return UNKNOWN;
    const ts = it.map((x) => ev.truth(x));
    return ts.includes(true) ? true : ts.includes(undefined) ? UNKNOWN : false;
  })],
  ['all', builtin('all', (args, _k, ev) => {
    const it = ev.iterate(args[0] ?? null);
    if (!it) return UNKNOWN;
    const ts = it.map((x) => ev.truth(x));
    return ts.includes(false) ? false : ts.includes(undefined) ? UNKNOWN : true;
  })],
  ['dict', builtin('dict', (args, kwargs) => {
    const d: PyDict = { t: 'dict', keys: [], values: [] };
    const a = args[0];
    if (a && typeof a === 'object' && a.t === 'dict') a.keys.forEach((k, i) => dictSet(d, k, a.values[i]!));
    for (const [k, v] of kwargs) dictSet(d, k, v);
    return d;
  })],
]);
