/**
 * The small subset of Home Assistant's Jinja value templates that simulated and common
 * real devices use: `{{ value }}`, `{{ value_json.a.b }}`, `{{ value_json['x'] }}`,
 * `{{ value_json.list[0] }}`, with filters `float`, `int`, `round(n)`, `lower`, `upper`,
 * `trim`, `string`. Anything else is refused at discovery time, never evaluated.
 */
export type Template = (value: string, json: () => unknown) => unknown;

const WHOLE = /^\{\{\s*(.+?)\s*\}\}$/s;
const ROOT = /^(value_json|value)\b/;
const STEP = /^(?:\.([A-Za-z_]\w*)|\[\s*'([^']*)'\s*\]|\[\s*"([^"]*)"\s*\]|\[\s*(\d+)\s*\])/;
const FILTER = /^\|\s*([a-z_]+)(?:\s*\(\s*(\d*)\s*\))?\s*/;

type Filter = (v: unknown, arg: number) => unknown;
const filters: Record<string, Filter> = {
  float: (v) => toNumber(v),
  int: (v) => {
    const n = toNumber(v);
    return typeof n === 'number' ? Math.trunc(n) : n;
  },
  round: (v, digits) => {
    const n = toNumber(v);
    if (typeof n !== 'number') return n;
    const f = 10 ** (Number.isFinite(digits) ? digits : 0);
    return Math.round(n * f) / f;
  },
  lower: (v) => String(v).toLowerCase(),
  upper: (v) => String(v).toUpperCase(),
  trim: (v) => String(v).trim(),
  string: (v) => String(v),
};

/** Compiles a template, or returns an Error naming what is unsupported. No template means the raw payload. */
export function compileTemplate(source: string | undefined): Template | Error {
  if (source === undefined) return (value) => value;
  const whole = WHOLE.exec(source.trim());
  if (!whole) return unsupported(source);
  let rest = whole[1]!;
  const root = ROOT.exec(rest);
  if (!root) return unsupported(source);
  const fromJson = root[1] === 'value_json';
  rest = rest.slice(root[0].length).trim();
  const path: (string | number)[] = [];
  for (let step = STEP.exec(rest); fromJson && step; step = STEP.exec(rest)) {
    path.push(step[4] !== undefined ? Number(step[4]) : (step[1] ?? step[2] ?? step[3])!);
    rest = rest.slice(step[0].length).trimStart();
  }
  const chain: [Filter, number][] = [];
  for (let f = FILTER.exec(rest); f; f = FILTER.exec(rest)) {
    const filter = filters[f[1]!];
    if (!filter) return unsupported(source);
    chain.push([filter, f[2] ? Number(f[2]) : NaN]);
    rest = rest.slice(f[0].length);
  }
  if (rest.trim() !== '') return unsupported(source);
  return (value, json) => {
    let result: unknown = fromJson ? walk(json(), path) : value;
    for (const [filter, arg] of chain) result = filter(result, arg);
    return result;
  };
}

function walk(value: unknown, path: readonly (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function toNumber(v: unknown): unknown {
  const n = typeof v === 'number' ? v : Number(v);
  return v === '' || v === null || v === undefined || Number.isNaN(n) ? v : n;
}

function unsupported(source: string): Error {
  return new Error(`unsupported template ${JSON.stringify(source)}`);
}
