import type { Capability, DeviceKind, DeviceState, StateValue } from '../../protocol/device.js';
import { hsToRgb, rgbToHs } from '../color.js';
import type { AvailabilitySource, Entity, Payload } from '../entity.js';
import type { HomieDevice, HomieNode, HomieProperty } from './model.js';

/** `$state`: ready is online; disconnected, sleeping, lost and alert are not; init says neither yet. */
const OFFLINE_STATES = new Set(['disconnected', 'sleeping', 'lost', 'alert']);

/** One entity per property of every node, once the device has said which nodes and properties it has. */
export function homieEntities(id: string, device: HomieDevice): Entity[] {
  const availability: AvailabilitySource = {
    topic: `${device.base}/$state`,
    decode: (p) => (p.text === 'ready' ? true : OFFLINE_STATES.has(p.text) ? false : undefined),
  };
  const entities: Entity[] = [];
  const used = new Set<string>();
  for (const nodeId of device.nodes ?? []) {
    const node = device.nodeAttributes.get(nodeId) ?? {};
    for (const propertyId of node.properties ?? []) {
      const property = device.propertyAttributes.get(`${nodeId}/${propertyId}`) ?? {};
      const topic = `${device.base}/${nodeId}/${propertyId}`;
      const mapped = capabilityOf(nodeId, node, propertyId, property, used);
      const base = {
        key: topic,
        protocol: 'homie' as const,
        deviceId: id,
        device: { name: device.name ?? id, manufacturer: null, model: null },
        availability: [availability],
        availabilityMode: 'latest' as const,
      };
      if (mapped instanceof Error) {
        entities.push({ ...base, kind: 'sensor', problem: mapped.message, capabilities: [], stateTopics: [], commandTopics: [], decode: () => ({}), encode: () => [] });
        continue;
      }
      used.add(mapped.capability.property);
      const { capability, kind, read, write } = mapped;
      entities.push({
        ...base,
        kind,
        capabilities: [capability],
        stateTopics: [topic],
        commandTopics: write ? [`${topic}/set`] : [],
        decode: (_topic, payload) => {
          const value = read(payload);
          return value instanceof Error ? value : ({ [capability.property]: value } as DeviceState);
        },
        encode: (command) => {
          const value = command[capability.property as keyof typeof command];
          return write && value !== undefined ? [{ topic: `${topic}/set`, payload: write(value as never), qos: 1 }] : [];
        },
      });
    }
  }
  return entities;
}

interface Mapped {
  capability: Capability;
  kind: DeviceKind;
  read: (payload: Payload) => StateValue | Error;
  write?: (value: never) => string;
}

function capabilityOf(nodeId: string, node: HomieNode, propertyId: string, p: HomieProperty, used: Set<string>): Mapped | Error {
  const datatype = p.datatype ?? 'string';
  const label = p.name ?? propertyId;
  const lightNode = /light|lamp|bulb|dimmer/i.test(`${node.type ?? ''} ${node.name ?? ''} ${nodeId}`);
  const unique = (name: string) => (used.has(name) ? `${nodeId}_${name}` : name);
  const range = rangeOf(p.format);
  if (p.settable) {
    if (datatype === 'boolean' && !used.has('on')) {
      return { capability: { type: 'switch', property: 'on', writable: true }, kind: lightNode ? 'light' : 'switch', read: readBoolean, write: (v: boolean) => String(v) };
    }
    if ((datatype === 'integer' || datatype === 'float') && lightNode && range && !used.has('brightness')) {
      const [min, max] = range;
      const toHub = (n: number) => Math.round(((n - min) * 255) / (max - min));
      const toDevice = (b: number) => {
        const n = min + (b * (max - min)) / 255;
        return String(datatype === 'integer' ? Math.round(n) : Math.round(n * 100) / 100);
      };
      return { capability: { type: 'brightness', property: 'brightness', writable: true, min: 0, max: 255 }, kind: 'light', read: (pl) => mapNumber(pl, toHub), write: (v: number) => toDevice(v) };
    }
    if (datatype === 'color' && !used.has('color')) {
      const hsv = p.format === 'hsv';
      return {
        capability: { type: 'color', property: 'color', writable: true },
        kind: 'light',
        read: (pl) => readColor(pl.text, hsv),
        write: (c: { r: number; g: number; b: number }) => (hsv ? `${rgbToHs(c).h},${rgbToHs(c).s},100` : `${c.r},${c.g},${c.b}`),
      };
    }
    return new Error(`settable ${datatype} property '${nodeId}/${propertyId}' is not supported yet`);
  }
  if (datatype === 'boolean') return { capability: { type: 'binarySensor', property: unique(propertyId), writable: false, label }, kind: 'sensor', read: readBoolean };
  const numeric = datatype === 'integer' || datatype === 'float';
  return {
    capability: { type: 'sensor', property: unique(propertyId), writable: false, label, ...(p.unit ? { unit: p.unit } : {}) },
    kind: 'sensor',
    read: numeric ? (pl) => mapNumber(pl, (n) => n) : (pl) => (isEmptyV5(pl.text) ? null : pl.text),
  };
}

/** Homie booleans are exactly `true` or `false`: `True` is not one. */
function readBoolean(payload: Payload): StateValue | Error {
  if (payload.text === 'true') return true;
  if (payload.text === 'false') return false;
  return new Error(`homie boolean ${JSON.stringify(payload.text)} is neither true nor false`);
}

/** Homie 5 sends one 0x00 byte for an empty value. */
const isEmptyV5 = (text: string) => text === '\u0000' || text === '';

function mapNumber(payload: Payload, map: (n: number) => number): StateValue | Error {
  if (isEmptyV5(payload.text)) return null;
  const n = Number(payload.text);
  return Number.isFinite(n) ? map(n) : new Error(`homie number ${JSON.stringify(payload.text)} is not a number`);
}

function readColor(text: string, hsv: boolean): StateValue | Error {
  const parts = text.split(',').map(Number);
  if (parts.length !== 3 || parts.some((n) => !Number.isFinite(n))) return new Error(`homie colour ${JSON.stringify(text)} is not three numbers`);
  const [a, b, c] = parts as [number, number, number];
  return hsv ? hsToRgb(a, b) : { r: a, g: b, b: c };
}

function rangeOf(format: string | undefined): [number, number] | undefined {
  const m = format ? /^(-?\d+(?:\.\d+)?):(-?\d+(?:\.\d+)?)$/.exec(format) : null;
  if (!m) return undefined;
  const [min, max] = [Number(m[1]), Number(m[2])];
  return max > min ? [min, max] : undefined;
}
