import { Type, type TSchema } from 'typebox';
import { Compile, type Validator } from 'typebox/compile';
import type { Capability, CapabilityType } from '../protocol/device.js';
import type { CapabilityModule } from './capability.js';
import { binarySensorCapability } from './binary-sensor.js';
import { brightnessCapability } from './brightness.js';
import { colorCapability } from './color.js';
import { colorTempCapability } from './color-temp.js';
import { effectCapability } from './effect.js';
import { sensorCapability } from './sensor.js';
import { switchCapability } from './switch.js';

const modules: { [T in CapabilityType]: CapabilityModule<Extract<Capability, { type: T }>> } = {
  switch: switchCapability,
  brightness: brightnessCapability,
  colorTemp: colorTempCapability,
  color: colorCapability,
  effect: effectCapability,
  sensor: sensorCapability,
  binarySensor: binarySensorCapability,
};

const moduleOf = (c: Capability) => modules[c.type] as CapabilityModule;

/** Schemas compiled once per distinct capability set: a home has many identical devices. */
const commandValidators = new Map<string, Validator>();
const stateValidators = new Map<string, Validator>();

/** Validator for a command to a device with these capabilities: only writable properties, at least one. */
export function commandValidator(capabilities: readonly Capability[]): Validator {
  return cached(commandValidators, capabilities, () => {
    const properties: Record<string, TSchema> = {};
    for (const c of capabilities) {
      const schema = moduleOf(c).command?.(c);
      if (schema) properties[c.property] = Type.Optional(schema);
    }
    return Type.Object(properties, { additionalProperties: false, minProperties: 1 });
  });
}

/** Validator for state a device reports: each known property with its type; unknown ones are dropped before. */
export function stateValidator(capabilities: readonly Capability[]): Validator {
  return cached(stateValidators, capabilities, () => {
    const properties: Record<string, TSchema> = { colorMode: Type.Optional(Type.String()) };
    for (const c of capabilities) properties[c.property] = Type.Optional(moduleOf(c).state(c));
    return Type.Object(properties);
  });
}

/**
 * By identity first: a device keeps its capabilities array until it is described anew, and
 * a busy home reports thousands of times a second, each report asking for its validator.
 */
const byIdentity = new WeakMap<Map<string, Validator>, WeakMap<readonly Capability[], Validator>>();

function cached(cache: Map<string, Validator>, capabilities: readonly Capability[], build: () => TSchema): Validator {
  let known = byIdentity.get(cache);
  if (!known) byIdentity.set(cache, (known = new WeakMap()));
  let validator = known.get(capabilities);
  if (validator) return validator;
  const key = JSON.stringify(capabilities);
  validator = cache.get(key);
  if (!validator) {
    validator = Compile(build());
    cache.set(key, validator);
  }
  known.set(capabilities, validator);
  return validator;
}

/** One readable line per problem, e.g. `brightness: must be <= 255`. */
export function describeErrors(validator: Validator, value: unknown): string {
  const seen = new Set<string>();
  for (const error of validator.Errors(value)) {
    // additionalProperties errors name the property; the matching 'schema is false' line adds nothing.
    if (error.keyword === 'boolean') continue;
    const params = error.params as { additionalProperties?: string[] };
    const message = params.additionalProperties
      ? `unknown property ${params.additionalProperties.map((p) => `'${p}'`).join(', ')}; this device accepts ${acceptedOf(validator)}`
      : error.message;
    const path = error.instancePath.replace(/^\//, '').replaceAll('/', '.');
    seen.add(path ? `${path}: ${message}` : message);
  }
  return [...seen].join('; ');
}

function acceptedOf(validator: Validator): string {
  const names = Object.keys((validator.Type() as { properties?: object }).properties ?? {});
  return names.length > 0 ? names.join(', ') : 'no commands';
}
