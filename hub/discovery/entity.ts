import type { Capability, DeviceCommand, DeviceKind, DeviceSource, DeviceState } from '../protocol/device.js';

/** An incoming MQTT payload; JSON is parsed at most once however many entities read it. */
export class Payload {
  private parsed: unknown;
  private parseDone = false;

  constructor(readonly text: string) {}

  /** The payload as JSON, or undefined when it is not valid JSON. */
  json(): unknown {
    if (!this.parseDone) {
      this.parseDone = true;
      try {
        this.parsed = JSON.parse(this.text);
      } catch {
        this.parsed = undefined;
      }
    }
    return this.parsed;
  }
}

/** A JSON object (not an array, not null): what every convention's JSON payloads must be. */
export const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export interface OutgoingMessage {
  topic: string;
  payload: string;
  qos: 0 | 1 | 2;
}

export interface AvailabilitySource {
  topic: string;
  /** true for online, false for offline, undefined for a payload that says neither. */
  decode(payload: Payload): boolean | undefined;
}

/** The usual form: one payload for online, one for offline. */
export function availabilityPayloads(topic: string, online: string, offline: string): AvailabilitySource {
  return { topic, decode: (p) => (p.text === online ? true : p.text === offline ? false : undefined) };
}

/**
 * One announced piece of a device (a light, a power sensor...), already translated from
 * its discovery convention into the hub's model. Nothing downstream of a normaliser
 * knows which convention a device speaks.
 */
export interface Entity {
  /** Unique per entity, stable across announcements (for Home Assistant: its discovery topic). */
  key: string;
  protocol: DeviceSource['protocol'];
  deviceId: string;
  /** The entity's own name (`Relay 2`), when its convention gives one. */
  name?: string;
  device: { name: string; manufacturer: string | null; model: string | null };
  /** What this entity makes its device look like (a light, a switch, a sensor). */
  kind: DeviceKind;
  capabilities: Capability[];
  stateTopics: string[];
  commandTopics: string[];
  availability: AvailabilitySource[];
  /** A reading older than this shows as no value (Home Assistant's `expire_after`). */
  expireAfterMs?: number;
  /** Reports nothing back: a command is taken as done once sent (Home Assistant's `optimistic`). */
  optimistic?: boolean;
  /** Set when the entity was announced but cannot be used; it then has no capabilities. */
  problem?: string;
  /** With several sources: online when all, any, or the latest one says so. */
  availabilityMode: 'all' | 'any' | 'latest';
  /** State slice carried by a message on one of `stateTopics`, or an Error saying why it is unusable. */
  decode(topic: string, payload: Payload): DeviceState | Error;
  /**
   * MQTT messages that carry the part of `command` this entity handles. `state` is the
   * device's last confirmed state, for conventions whose commands depend on it (Home
   * Assistant scales an RGB command by the light's current brightness).
   */
  encode(command: DeviceCommand, state?: DeviceState): OutgoingMessage[];
}

/** An entity (possibly with a `problem` that makes it unusable), or why there is none at all. */
export type Normalised = { ok: true; entity: Entity; problem?: string } | { ok: false; error: string };

/** What one discovery message changes. */
export interface Announcement {
  /** Entities announced, or announced anew (replacing the entity with the same key). */
  put: Entity[];
  /** Keys of entities withdrawn. */
  remove: string[];
  /** Why parts of the message could not be used; logged and counted. */
  errors: string[];
  /** Keep the message, to rebuild the entities after a restart (false for withdrawals). */
  keep: boolean;
  /** The message is also state or availability of what it announces (Shelly's NotifyFullStatus, its `online`). */
  alsoState?: boolean;
  /** Requests the convention sends to learn more (Shelly's `Shelly.GetDeviceInfo`); never retained. */
  send?: OutgoingMessage[];
}

/**
 * A discovery convention (Home Assistant, Homie, Tasmota...): reads its announcement
 * messages and turns them into entities of the hub's model. It may keep state across
 * messages, for conventions that spread a device over many topics.
 */
export interface DiscoveryConvention {
  name: DeviceSource['protocol'];
  /** null when the message is not an announcement of this convention (e.g. a state message). */
  accept(topic: string, text: string): Announcement | null;
}
