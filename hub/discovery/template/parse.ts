/**
 * Parser for the subset of Jinja that device firmware writes into discovery messages:
 * text with `{{ expression }}` and `{% if %}…{% elif %}…{% else %}…{% endif %}`, where an
 * expression has literals, `value`/`value_json` paths, arithmetic, comparisons, `and`/`or`/
 * `not`, `x if c else y`, filters (`| float`, `| round(1)`, `| default(0)`) and tests
 * (`is defined`). There are no loops or assignments, so evaluation is linear in the size of
 * the template, which is itself bounded.
 */
export type Node =
  | { kind: 'literal'; value: unknown }
  | { kind: 'name'; name: string }
  | { kind: 'member'; object: Node; key: Node }
  | { kind: 'unary'; op: 'not' | '-'; operand: Node }
  | { kind: 'binary'; op: string; left: Node; right: Node }
  | { kind: 'ternary'; test: Node; then: Node; otherwise: Node }
  | { kind: 'filter'; name: string; input: Node; args: Node[] }
  | { kind: 'test'; name: string; input: Node; negate: boolean }
  | { kind: 'call'; name: string; args: Node[] };

export type Block = string | { kind: 'output'; expr: Node } | { kind: 'if'; branches: { test: Node | null; body: Block[] }[] };

export const MAX_TEMPLATE_LENGTH = 4096;
const MAX_DEPTH = 64;

const TOKEN = /\s*(?:(\d+\.\d*|\.\d+|\d+)|('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|([A-Za-z_]\w*)|(==|!=|<=|>=|\/\/|[-+*/%~<>()[\].,|]))/y;

type Token = { type: 'number' | 'string' | 'name' | 'op'; text: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    if (/^\s*$/.test(source.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(source);
    if (!m) throw new Error(`unexpected '${source.slice(TOKEN.lastIndex).trim().slice(0, 10)}'`);
    if (m[1]) tokens.push({ type: 'number', text: m[1] });
    else if (m[2]) tokens.push({ type: 'string', text: m[2] });
    else if (m[3]) tokens.push({ type: 'name', text: m[3] });
    else tokens.push({ type: 'op', text: m[4]! });
  }
  return tokens;
}

class ExpressionParser {
  private at = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  parseAll(): Node {
    const node = this.ternary();
    if (this.at < this.tokens.length) throw new Error(`unexpected '${this.tokens[this.at]!.text}'`);
    return node;
  }

  private peek(text?: string): Token | undefined {
    const t = this.tokens[this.at];
    return text === undefined || t?.text === text ? t : undefined;
  }

  private take(text: string): boolean {
    if (!this.peek(text)) return false;
    this.at++;
    return true;
  }

  private expect(text: string): void {
    if (!this.take(text)) throw new Error(`expected '${text}'`);
  }

  private nest<T>(parse: () => T): T {
    if (++this.depth > MAX_DEPTH) throw new Error('template nests too deeply');
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  ternary(): Node {
    return this.nest(() => {
      const then = this.or();
      if (!this.take('if')) return then;
      const test = this.or();
      const otherwise = this.take('else') ? this.ternary() : ({ kind: 'literal', value: '' } as const);
      return { kind: 'ternary', test, then, otherwise };
    });
  }

  private binaryLevel(ops: readonly string[], next: () => Node): Node {
    let left = next();
    for (let op = this.tokens[this.at]?.text; op !== undefined && ops.includes(op); op = this.tokens[this.at]?.text) {
      this.at++;
      left = { kind: 'binary', op, left, right: next() };
    }
    return left;
  }

  private or = (): Node => this.binaryLevel(['or'], this.and);
  private and = (): Node => this.binaryLevel(['and'], this.not);
  private not = (): Node => (this.take('not') ? { kind: 'unary', op: 'not', operand: this.nest(this.not) } : this.compare());

  private compare = (): Node => {
    let left = this.binaryLevel(['==', '!=', '<', '<=', '>', '>=', 'in'], this.add);
    while (this.take('is')) {
      const negate = this.take('not');
      const name = this.tokens[this.at++];
      if (name?.type !== 'name') throw new Error("expected a test after 'is'");
      left = { kind: 'test', name: name.text, input: left, negate };
    }
    return left;
  };

  private add = (): Node => this.binaryLevel(['+', '-', '~'], this.mul);
  private mul = (): Node => this.binaryLevel(['*', '/', '//', '%'], this.unary);
  private unary = (): Node => (this.take('-') ? { kind: 'unary', op: '-', operand: this.nest(this.unary) } : this.postfix());

  private postfix(): Node {
    let node = this.primary();
    for (;;) {
      if (this.take('.')) {
        const name = this.tokens[this.at++];
        if (name?.type !== 'name' && name?.type !== 'number') throw new Error("expected a name after '.'");
        node = { kind: 'member', object: node, key: { kind: 'literal', value: name.text } };
      } else if (this.take('[')) {
        node = { kind: 'member', object: node, key: this.ternary() };
        this.expect(']');
      } else if (this.take('|')) {
        const name = this.tokens[this.at++];
        if (name?.type !== 'name') throw new Error("expected a filter after '|'");
        node = { kind: 'filter', name: name.text, input: node, args: this.peek('(') ? this.args() : [] };
      } else {
        return node;
      }
    }
  }

  private args(): Node[] {
    this.expect('(');
    const args: Node[] = [];
    while (!this.take(')')) {
      if (args.length > 0) this.expect(',');
      args.push(this.ternary());
    }
    return args;
  }

  private primary(): Node {
    const token = this.tokens[this.at++];
    if (!token) throw new Error('unexpected end of expression');
    if (token.type === 'number') return { kind: 'literal', value: Number(token.text) };
    if (token.type === 'string') return { kind: 'literal', value: token.text.slice(1, -1).replace(/\\(.)/g, '$1') };
    if (token.text === '(') {
      const inner = this.ternary();
      this.expect(')');
      return inner;
    }
    if (token.type !== 'name') throw new Error(`unexpected '${token.text}'`);
    const constants: Record<string, unknown> = { true: true, True: true, false: false, False: false, none: null, None: null };
    if (token.text in constants) return { kind: 'literal', value: constants[token.text] };
    if (this.peek('(')) return { kind: 'call', name: token.text, args: this.args() };
    return { kind: 'name', name: token.text };
  }
}

export function parseExpression(source: string): Node {
  return new ExpressionParser(tokenize(source)).parseAll();
}

const TAG = /\{\{([\s\S]*?)\}\}|\{%-?\s*([\s\S]*?)\s*-?%\}/g;

/** Splits a template into text, outputs and if-blocks. Throws with a reason when unsupported. */
export function parseTemplate(source: string): Block[] {
  if (source.length > MAX_TEMPLATE_LENGTH) throw new Error('template is too long');
  const root: Block[] = [];
  const stack: { branches: { test: Node | null; body: Block[] }[] }[] = [];
  let body = root;
  let last = 0;
  const text = (from: number, to?: number) => {
    const piece = source.slice(from, to);
    if (/\{\{|\{%/.test(piece)) throw new Error('unclosed tag');
    return piece;
  };
  for (const m of source.matchAll(TAG)) {
    if (m.index > last) body.push(text(last, m.index));
    last = m.index + m[0].length;
    if (m[1] !== undefined) {
      body.push({ kind: 'output', expr: parseExpression(m[1]) });
      continue;
    }
    const [word, ...rest] = m[2]!.split(/\s+/);
    const expr = rest.join(' ');
    if (word === 'if') {
      const block = { kind: 'if' as const, branches: [{ test: parseExpression(expr), body: [] as Block[] }] };
      body.push(block);
      stack.push(block);
      body = block.branches[0]!.body;
    } else if ((word === 'elif' || word === 'else') && stack.length > 0) {
      const branch = { test: word === 'elif' ? parseExpression(expr) : null, body: [] as Block[] };
      stack.at(-1)!.branches.push(branch);
      body = branch.body;
    } else if (word === 'endif' && stack.length > 0) {
      stack.pop();
      const parent = stack.at(-1);
      body = parent ? parent.branches.at(-1)!.body : root;
    } else {
      throw new Error(`'{% ${word} %}' is not supported`);
    }
  }
  if (stack.length > 0) throw new Error("missing '{% endif %}'");
  if (last < source.length) body.push(text(last));
  return root;
}
