import { Type } from 'typebox';
import { Compile } from 'typebox/compile';

/**
 * What the Homie convention says about a device, gathered from its attribute messages
 * (Homie 4: one retained topic per attribute; Homie 5: one `$description` document).
 */
export const DATATYPES = ['integer', 'float', 'boolean', 'string', 'enum', 'color', 'datetime', 'duration', 'json'] as const;
export type Datatype = (typeof DATATYPES)[number];

export interface HomieProperty {
  name?: string;
  datatype?: Datatype;
  format?: string;
  settable?: boolean;
  retained?: boolean;
  unit?: string;
}

export interface HomieNode {
  name?: string;
  type?: string;
  properties?: string[];
}

export interface HomieDevice {
  /** 4 covers Homie 3 and 4 (attribute topics); 5 the `$description` document. */
  version: 4 | 5;
  /** Topic root: `homie/<id>` (v4) or `homie/5/<id>` (v5). */
  base: string;
  /** `$homie`, the convention version a v4 device says it follows. */
  homie?: string;
  name?: string;
  nodes?: string[];
  nodeAttributes: Map<string, HomieNode>;
  propertyAttributes: Map<string, HomieProperty>;
}

export const newDevice = (version: 4 | 5, base: string): HomieDevice => ({ version, base, nodeAttributes: new Map(), propertyAttributes: new Map() });

/** [Topic IDs] lowercase letters, digits and hyphens (Homie 4 also bars a leading or trailing hyphen; 5 does not). */
export const HOMIE_ID = /^[a-z0-9-]+$/;
const VERSION = /^\d+\.\d+(?:\.\d+)?$/;

type Apply<T> = (target: T, text: string, attribute: string) => Error | void;

const text =
  <T, K extends keyof T>(key: K): Apply<T> =>
  (target, value) => {
    target[key] = value as T[K];
  };

/** `true` or `false`, case-sensitive, like every Homie boolean. */
const flag =
  <T, K extends keyof T>(key: K): Apply<T> =>
  (target, value, attribute) => {
    if (value !== 'true' && value !== 'false') return new Error(`homie ${attribute} ${JSON.stringify(value)} is neither true nor false`);
    target[key] = (value === 'true') as T[K];
  };

/** `$nodes` and `$properties`: ids separated by commas; Homie 3 node arrays (`lights[]`) are gone in 4. */
const ids =
  <T, K extends keyof T>(key: K): Apply<T> =>
  (target, value, attribute) => {
    const list = value === '' ? [] : value.split(',').map((s) => s.trim());
    const bad = list.find((id) => !HOMIE_ID.test(id));
    if (bad !== undefined) return new Error(`homie ${attribute} lists ${JSON.stringify(bad)}, which is not a Homie id (a-z, 0-9, -)`);
    target[key] = [...new Set(list)] as T[K];
  };

/** The Homie 4 attributes the hub reads, per level; any other `$` attribute is not an announcement. */
export const deviceAttributes: Record<string, Apply<HomieDevice>> = {
  $homie: (device, value) => {
    if (!VERSION.test(value)) return new Error(`homie $homie ${JSON.stringify(value)} is not a convention version like 4.0.0`);
    device.homie = value;
  },
  $name: text('name'),
  $nodes: ids('nodes'),
};

export const nodeAttributes: Record<string, Apply<HomieNode>> = {
  $name: text('name'),
  $type: text('type'),
  $properties: ids('properties'),
};

export const propertyAttributes: Record<string, Apply<HomieProperty>> = {
  $name: text('name'),
  $datatype: (property, value) => {
    const datatype = DATATYPES.find((d) => d === value);
    if (!datatype) return new Error(`homie $datatype ${JSON.stringify(value)} is not one of ${DATATYPES.join(', ')}`);
    property.datatype = datatype;
  },
  $format: text('format'),
  $unit: text('unit'),
  $settable: flag('settable'),
  $retained: flag('retained'),
};

/** A property whose required `$datatype` has not arrived yet is not shown; Homie 3 defaulted it to string. */
export function datatypeOf(device: HomieDevice, property: HomieProperty): Datatype | undefined {
  return property.datatype ?? (device.homie?.startsWith('3.') ? 'string' : undefined);
}

// Homie 5 "Device Attributes", "Node Attributes", "Property Attributes": the `$description` document.
const propertySchema = Type.Object({
  name: Type.Optional(Type.String()),
  datatype: Type.Union(DATATYPES.map((d) => Type.Literal(d))),
  format: Type.Optional(Type.String()),
  settable: Type.Optional(Type.Boolean()),
  retained: Type.Optional(Type.Boolean()),
  unit: Type.Optional(Type.String()),
});
const nodeSchema = Type.Object({
  name: Type.Optional(Type.String()),
  type: Type.Optional(Type.String()),
  properties: Type.Optional(Type.Record(Type.String(), propertySchema)),
});
const descriptionSchema = Type.Object({
  homie: Type.String({ pattern: '^5\\.\\d+$' }),
  version: Type.Integer(),
  name: Type.String(),
  nodes: Type.Optional(Type.Record(Type.String(), nodeSchema)),
});
const validateDescription = Compile(descriptionSchema);

/** Reads a Homie 5 `$description` into the same shape Homie 4's attributes build up. */
export function fromDescription(base: string, text: string): HomieDevice | Error {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return new Error('homie $description is not JSON');
  }
  if (!validateDescription.Check(json)) {
    const [first] = validateDescription.Errors(json);
    return new Error(`invalid homie $description: ${first?.instancePath || '/'} ${first?.message ?? ''}`.trim());
  }
  const device = newDevice(5, base);
  device.name = json.name;
  const nodes = Object.entries(json.nodes ?? {});
  device.nodes = nodes.map(([id]) => id);
  for (const [nodeId, node] of nodes) {
    const properties = Object.entries(node.properties ?? {});
    const bad = [nodeId, ...properties.map(([id]) => id)].find((id) => !HOMIE_ID.test(id));
    if (bad !== undefined) return new Error(`homie $description names ${JSON.stringify(bad)}, which is not a Homie id (a-z, 0-9, -)`);
    device.nodeAttributes.set(nodeId, { name: node.name ?? nodeId, ...(node.type === undefined ? {} : { type: node.type }), properties: properties.map(([id]) => id) });
    for (const [propertyId, property] of properties) device.propertyAttributes.set(`${nodeId}/${propertyId}`, { ...property });
  }
  return device;
}
