import type { Capability, DeviceCommand, DeviceKind, DeviceState } from '../protocol/device.js';

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

export interface OutgoingMessage {
  topic: string;
  payload: string;
  qos: 0 | 1;
}

export interface AvailabilitySource {
  topic: string;
  online: string;
  offline: string;
}

/**
 * One announced piece of a device (a light, a power sensor...), already translated from
 * its discovery convention into the hub's model. Nothing downstream of a normaliser
 * knows which convention a device speaks.
 */
export interface Entity {
  /** Where it was announced (the discovery topic); unique per entity. */
  key: string;
  deviceId: string;
  device: { name: string; manufacturer: string | null; model: string | null };
  /** What this entity makes its device look like (a light, a switch, a sensor). */
  kind: DeviceKind;
  capabilities: Capability[];
  stateTopics: string[];
  commandTopics: string[];
  availability: AvailabilitySource[];
  /** State slice carried by a message on one of `stateTopics`, or an Error saying why it is unusable. */
  decode(topic: string, payload: Payload): DeviceState | Error;
  /** MQTT messages that carry the part of `command` this entity handles. */
  encode(command: DeviceCommand): OutgoingMessage[];
}

export type Normalised = { ok: true; entity: Entity } | { ok: false; error: string };
