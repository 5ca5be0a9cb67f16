import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';

/**
 * Tasmota's own discovery (firmware 9.2 and later, the default since SetOption19 0):
 * retained `tasmota/discovery/<MAC>/config` and `.../sensors`. Keys are Tasmota's short ones.
 */
const ConfigSchema = Type.Object({
  mac: Type.String({ pattern: '^[0-9A-Fa-f]{12}$' }),
  dn: Type.String(),
  fn: Type.Array(Type.Union([Type.String(), Type.Null()])),
  md: Type.Optional(Type.String()),
  sw: Type.Optional(Type.String()),
  t: Type.String({ minLength: 1 }),
  ft: Type.String({ minLength: 1 }),
  tp: Type.Tuple([Type.String(), Type.String(), Type.String()]),
  hn: Type.Optional(Type.String()),
  ofln: Type.String(),
  onln: Type.String(),
  state: Type.Array(Type.String(), { minItems: 2 }),
  rl: Type.Array(Type.Integer({ minimum: 0 })),
  so: Type.Optional(Type.Record(Type.String(), Type.Number())),
  lt_st: Type.Optional(Type.Integer({ minimum: 0 })),
});

const SensorsSchema = Type.Object({
  sn: Type.Record(Type.String(), Type.Unknown()),
});

export type TasmotaConfig = Static<typeof ConfigSchema>;
export type TasmotaSensors = Static<typeof SensorsSchema>;

const checkConfig = Compile(ConfigSchema);
const checkSensors = Compile(SensorsSchema);

function parse<T>(text: string, validator: { Check(v: unknown): boolean; Errors(v: unknown): Iterable<{ instancePath: string; message: string }> }, what: string): T | Error {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return new Error(`tasmota ${what} is not JSON`);
  }
  if (!validator.Check(value)) {
    const [first] = validator.Errors(value);
    return new Error(`invalid tasmota ${what}: ${first?.instancePath || '/'} ${first?.message ?? ''}`.trim());
  }
  return value as T;
}

export const parseConfig = (text: string) => parse<TasmotaConfig>(text, checkConfig, 'config');
export const parseSensors = (text: string) => parse<TasmotaSensors>(text, checkSensors, 'sensors');

/** A topic from Tasmota's FullTopic pattern, e.g. `%prefix%/%topic%/` + `POWER`. */
export function fullTopic(config: TasmotaConfig, prefix: 0 | 1 | 2, command: string): string {
  const base = config.ft
    .replace('%prefix%', config.tp[prefix])
    .replace('%topic%', config.t)
    .replace('%hostname%', config.hn ?? config.t)
    .replace('%id%', config.mac.slice(-6));
  return `${base.endsWith('/') ? base : `${base}/`}${command}`;
}

export const CMND = 0;
export const STAT = 1;
export const TELE = 2;
