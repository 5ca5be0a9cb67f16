/**
 * The hub's device model, shared by hub, simulated devices and dashboard.
 * Pure data: nothing here imports from Node or the DOM.
 */

/** What a device can do, described as data so any client can render controls for it. */
export type Capability =
  | SwitchCapability
  | BrightnessCapability
  | ColorTempCapability
  | ColorCapability
  | EffectCapability
  | SensorCapability
  | BinarySensorCapability;

/** What every capability may say about which entity of its device it belongs to. */
interface EntityOwned {
  /**
   * The entity of the device this belongs to, when several entities of it have the same kind
   * of property (two relays): the first keeps the plain property (`on`), the others are
   * named after their entity (`on.relay_2`), in state, commands and history alike.
   */
  entity?: EntityRef;
}

/** One of the things a device groups (a relay, a sensor), as its discovery convention names it. */
export interface EntityRef {
  /** Unique within the device: the entity's object id (`relay_2`). */
  id: string;
  name: string;
}

/**
 * One entity of a device as clients list it: its id and name, and the properties (in the
 * device's `capabilities` and `state`) that are its own, in the device's order. A light with
 * a power meter has two; a two-gang switch has one per gang.
 */
export interface DeviceEntity extends EntityRef {
  properties: string[];
}

export type CapabilityType = Capability['type'];

export interface SwitchCapability extends EntityOwned {
  type: 'switch';
  /** `on`, or `on.<entity id>` for a further switch of the same device. */
  property: string;
  writable: true;
}

export interface BrightnessCapability extends EntityOwned {
  type: 'brightness';
  /** `brightness`, or `brightness.<entity id>` for a further one of the same device. */
  property: string;
  writable: true;
  /** Hub scale: 0 (off) to 255 (full), whatever the device's own scale is. */
  min: 0;
  max: 255;
}

export interface ColorTempCapability extends EntityOwned {
  type: 'colorTemp';
  /** `colorTemp`, or `colorTemp.<entity id>` for a further one of the same device. */
  property: string;
  writable: true;
  /** Mireds (1,000,000 / kelvin): lower is cooler. */
  min: number;
  max: number;
  unit: 'mired';
}

export interface ColorCapability extends EntityOwned {
  type: 'color';
  /** `color`, or `color.<entity id>` for a further one of the same device. */
  property: string;
  writable: true;
}

export interface EffectCapability extends EntityOwned {
  type: 'effect';
  /** `effect`, or `effect.<entity id>` for a further one of the same device. */
  property: string;
  writable: true;
  /** The effects the light offers (its `effect_list`), by name. */
  options: string[];
}

export interface SensorCapability extends EntityOwned {
  type: 'sensor';
  property: string;
  writable: false;
  label: string;
  unit?: string;
  /** Home Assistant device class (temperature, humidity, power, energy, ...). */
  deviceClass?: string;
  /** `diagnostic` (battery, signal) or `config`: shown small, apart from what the device is for. */
  category?: 'diagnostic' | 'config';
}

export interface BinarySensorCapability extends EntityOwned {
  type: 'binarySensor';
  property: string;
  writable: false;
  label: string;
  /** Home Assistant device class (motion, door, window, ...): true means detected/open. */
  deviceClass?: string;
  /** `diagnostic` (battery, signal) or `config`: shown small, apart from what the device is for. */
  category?: 'diagnostic' | 'config';
}

export interface Rgb {
  r: number;
  g: number;
  b: number;
}

export type StateValue = boolean | number | string | Rgb | null;

/** Last confirmed state, keyed by capability property (plus `colorMode` for colour lights). */
export type DeviceState = Readonly<Record<string, StateValue>>;

/** A command: the writable properties to change, e.g. `{ on: true, brightness: 128 }`. */
export interface DeviceCommand {
  on?: boolean;
  brightness?: number;
  colorTemp?: number;
  color?: Rgb;
  effect?: string;
}

/** How the dashboard presents a device; derived from its capabilities. */
export type DeviceKind = 'light' | 'switch' | 'sensor';

export interface DeviceSource {
  /** Discovery convention the device announced itself with. */
  protocol: 'homeassistant' | 'homie' | 'tasmota' | 'shelly' | 'zigbee2mqtt';
  /** MQTT topics the hub reads and writes for this device. */
  topics: {
    discovery: string[];
    state: string[];
    command: string[];
    availability: string[];
  };
  /** Announced parts the hub could not use, with the reason (e.g. an unsupported template). */
  problems: string[];
}

export interface Device {
  id: string;
  /** What the user sees: their own name for the device, or else `announcedName`. */
  name: string;
  /** The name the device announced itself with. */
  announcedName: string;
  /** Room (area) id, or null when unassigned. */
  room: string | null;
  favourite: boolean;
  /** Place in the user's order (lower first), or null for the default order. */
  position: number | null;
  kind: DeviceKind;
  manufacturer: string | null;
  model: string | null;
  capabilities: Capability[];
  /** The entities the device groups, in announcement order. */
  entities: DeviceEntity[];
  state: DeviceState;
  online: boolean;
  /** Epoch milliseconds of the last message from the device, or null if never heard from. */
  lastSeen: number | null;
  source: DeviceSource;
}

export function findCapability<T extends CapabilityType>(
  device: Pick<Device, 'capabilities'>,
  type: T,
): Extract<Capability, { type: T }> | undefined {
  return device.capabilities.find((c) => c.type === type) as Extract<Capability, { type: T }> | undefined;
}

/** What the user set about a device: survives re-announcements and restarts. */
export interface DeviceSettings {
  name: string | null;
  room: string | null;
  favourite: boolean;
  position: number | null;
}

export interface Room {
  id: string;
  name: string;
  position: number;
}

/** When entities of one device suggest different kinds, the first in this list wins. */
export const KIND_PRIORITY: readonly DeviceKind[] = ['light', 'switch', 'sensor'];
