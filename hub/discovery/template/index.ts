import { parseTemplate, type Block, type Node } from './parse.js';

/**
 * Home Assistant value templates, the subset device firmware uses (see parse.ts). A
 * template is compiled once, at discovery; anything outside the subset is refused then,
 * with the reason, and never evaluated.
 */
export type Template = (value: unknown, json: () => unknown, variables?: Readonly<Record<string, unknown>>) => unknown;

interface Scope {
  value: unknown;
  json: () => unknown;
  variables?: Readonly<Record<string, unknown>> | undefined;
}

type Filter = (input: unknown, ...args: unknown[]) => unknown;

const toNumber = (v: unknown): number | undefined => {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
};

const filters: Record<string, Filter> = {
  float: (v, fallback) => toNumber(v) ?? fallback,
  int: (v, fallback) => {
    const n = toNumber(v);
    return n === undefined ? fallback : Math.trunc(n);
  },
  round: (v, digits = 0, method = 'common') => {
    const n = toNumber(v);
    if (n === undefined) return undefined;
    const f = 10 ** (toNumber(digits) ?? 0);
    const scaled = n * f;
    const rounded = method === 'floor' ? Math.floor(scaled) : method === 'ceil' ? Math.ceil(scaled) : Math.round(scaled);
    return rounded / f;
  },
  default: (v, fallback, alsoFalsy) => (v === undefined || (alsoFalsy === true && !v) ? fallback : v),
  lower: (v) => (v === undefined ? v : render(v).toLowerCase()),
  upper: (v) => (v === undefined ? v : render(v).toUpperCase()),
  trim: (v) => (v === undefined ? v : render(v).trim()),
  string: (v) => render(v),
  abs: (v) => {
    const n = toNumber(v);
    return n === undefined ? undefined : Math.abs(n);
  },
  length: (v) => (typeof v === 'string' || Array.isArray(v) ? v.length : v && typeof v === 'object' ? Object.keys(v).length : undefined),
  replace: (v, from, to) => (v === undefined ? v : render(v).split(render(from)).join(render(to))),
  // Home Assistant's `is_defined` fails the template on a missing value; undefined does the same here.
  is_defined: (v) => v,
  tojson: (v) => JSON.stringify(v),
  to_json: (v) => JSON.stringify(v),
  bool: (v) => (typeof v === 'string' ? ['true', 'yes', 'on', '1'].includes(v.toLowerCase()) : Boolean(v)),
};
filters.d = filters.default!;

const functions: Record<string, Filter> = { float: filters.float!, int: filters.int!, abs: filters.abs!, bool: filters.bool! };

const tests: Record<string, (v: unknown) => boolean> = {
  defined: (v) => v !== undefined,
  undefined: (v) => v === undefined,
  none: (v) => v === null,
  number: (v) => typeof v === 'number',
  string: (v) => typeof v === 'string',
  boolean: (v) => typeof v === 'boolean',
  mapping: (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
};

/**
 * Compiled templates are pure, and a home has thousands of entities sharing a few templates
 * (every sensor of one firmware says `{{ value_json.temperature }}`): each is compiled once,
 * which matters most when a start restores every entity. Bounded, oldest dropped first.
 */
const compiled = new Map<string, Template | Error>();
const MAX_COMPILED = 512;

/**
 * Compiles a template, or returns an Error naming what is unsupported. No template means the
 * raw payload. `variables` names what a command template may read besides `value` (Home
 * Assistant gives `red`, `green`, `blue` to an `rgb_command_template`, and so on).
 */
export function compileTemplate(source: string | undefined, variables: readonly string[] = []): Template | Error {
  if (source === undefined) return (value) => value;
  const key = variables.length ? `${variables.join(',')}\0${source}` : source;
  let template = compiled.get(key);
  if (template) return template;
  template = compile(source, new Set(variables));
  if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
  compiled.set(key, template);
  return template;
}

function compile(source: string, variables: ReadonlySet<string>): Template | Error {
  let blocks: Block[];
  try {
    blocks = parseTemplate(source);
    for (const block of blocks) check(block, variables);
  } catch (error) {
    return new Error(`unsupported template ${JSON.stringify(source.slice(0, 200))}: ${(error as Error).message}`);
  }
  // A lone `{{ expression }}` keeps its type (a number stays a number), as Home Assistant's
  // native types do; anything with text around it renders as text.
  const meaningful = blocks.filter((b) => typeof b !== 'string' || b.trim() !== '');
  const only = meaningful.length === 1 && typeof meaningful[0] !== 'string' && meaningful[0]!.kind === 'output' ? meaningful[0] : undefined;
  if (only) return (value, json, vars) => evaluate(only.expr, { value, json, variables: vars });
  return (value, json, vars) => renderBlocks(blocks, { value, json, variables: vars });
}

/** Unknown filters, tests and functions are refused at compile time. */
function check(block: Block | Node, variables: ReadonlySet<string>): void {
  const inner = (b: Block | Node) => check(b, variables);
  if (typeof block === 'string') return;
  switch (block.kind) {
    case 'output':
      return inner(block.expr);
    case 'if':
      return block.branches.forEach((b) => (b.test && inner(b.test), b.body.forEach(inner)));
    case 'filter':
      if (!Object.hasOwn(filters, block.name)) throw new Error(`filter '${block.name}' is not supported`);
      inner(block.input);
      return block.args.forEach(inner);
    case 'test':
      if (!Object.hasOwn(tests, block.name)) throw new Error(`test '${block.name}' is not supported`);
      return inner(block.input);
    case 'call':
      if (!Object.hasOwn(functions, block.name)) throw new Error(`function '${block.name}' is not supported`);
      return block.args.forEach(inner);
    case 'name':
      if (block.name !== 'value' && block.name !== 'value_json' && !variables.has(block.name)) throw new Error(`'${block.name}' is not available`);
      return;
    case 'member':
      inner(block.object);
      return inner(block.key);
    case 'unary':
      return inner(block.operand);
    case 'binary':
      inner(block.left);
      return inner(block.right);
    case 'ternary':
      inner(block.test);
      inner(block.then);
      return inner(block.otherwise);
    case 'literal':
      return;
  }
}

function renderBlocks(blocks: readonly Block[], scope: Scope): string {
  let out = '';
  for (const block of blocks) {
    if (typeof block === 'string') out += block;
    else if (block.kind === 'output') out += render(evaluate(block.expr, scope));
    else {
      const branch = block.branches.find((b) => b.test === null || truthy(evaluate(b.test, scope)));
      if (branch) out += renderBlocks(branch.body, scope);
    }
  }
  return out;
}

function evaluate(node: Node, scope: Scope): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'name':
      if (node.name === 'value') return scope.value;
      return node.name === 'value_json' ? scope.json() : scope.variables?.[node.name];
    case 'member': {
      const object = evaluate(node.object, scope);
      const key = evaluate(node.key, scope);
      if (object === null || typeof object !== 'object' || (typeof key !== 'string' && typeof key !== 'number')) return undefined;
      return Object.hasOwn(object, key) ? (object as Record<string | number, unknown>)[key] : undefined;
    }
    case 'unary': {
      const v = evaluate(node.operand, scope);
      return node.op === 'not' ? !truthy(v) : arithmetic('-', 0, v);
    }
    case 'binary':
      return binary(node.op, node.left, node.right, scope);
    case 'ternary':
      return truthy(evaluate(node.test, scope)) ? evaluate(node.then, scope) : evaluate(node.otherwise, scope);
    case 'filter':
      return filters[node.name]!(evaluate(node.input, scope), ...node.args.map((a) => evaluate(a, scope)));
    case 'test': {
      const result = tests[node.name]!(evaluate(node.input, scope));
      return node.negate ? !result : result;
    }
    case 'call': {
      const [first, ...rest] = node.args.map((a) => evaluate(a, scope));
      return functions[node.name]!(first, ...rest);
    }
  }
}

function binary(op: string, leftNode: Node, rightNode: Node, scope: Scope): unknown {
  const left = evaluate(leftNode, scope);
  // Python's `and`/`or` return an operand and skip the right one when the left decides.
  if (op === 'and') return truthy(left) ? evaluate(rightNode, scope) : left;
  if (op === 'or') return truthy(left) ? left : evaluate(rightNode, scope);
  const right = evaluate(rightNode, scope);
  switch (op) {
    case '==':
      return looseEqual(left, right);
    case '!=':
      return !looseEqual(left, right);
    case 'in':
      return typeof right === 'string' ? right.includes(render(left)) : Array.isArray(right) ? right.some((r) => looseEqual(r, left)) : false;
    case '~':
      return render(left) + render(right);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compare(op, left, right);
    default:
      if (op === '+' && typeof left === 'string' && typeof right === 'string') return left + right;
      return arithmetic(op, left, right);
  }
}

function arithmetic(op: string, a: unknown, b: unknown): number | undefined {
  // Numbers only: no string repetition, so output size stays bounded by the template's.
  if (typeof a !== 'number' || typeof b !== 'number') return undefined;
  const results: Record<string, () => number> = {
    '+': () => a + b,
    '-': () => a - b,
    '*': () => a * b,
    '/': () => a / b,
    '//': () => Math.floor(a / b),
    '%': () => a - b * Math.floor(a / b),
  };
  const r = results[op]?.();
  return r !== undefined && Number.isFinite(r) ? r : undefined;
}

function compare(op: string, a: unknown, b: unknown): boolean {
  if (!((typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string'))) return false;
  return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
}

function looseEqual(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'number' && typeof b === 'boolean' ? a === Number(b) : false);
}

function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (v !== null && typeof v === 'object') return Object.keys(v).length > 0;
  return Boolean(v);
}

/** Text as Jinja prints it: True/False/None, whole floats without a fraction. */
function render(v: unknown): string {
  if (v === undefined) return '';
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
