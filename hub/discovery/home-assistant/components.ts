import type { BinarySensorCapability, DeviceState, SensorCapability, StateValue } from '../../protocol/device.js';
import { compileTemplate } from '../template/index.js';
import type { DiscoveryConfig } from './config.js';
import type { ComponentHandler, ComponentInput, EntityParts } from './normalise.js';
import { defaultLight } from './light-default.js';
import { jsonLight } from './light-json.js';
import { templateLight } from './light-template.js';

/** One handler per Home Assistant component this hub understands; adding one is one entry. */
export const components: Record<string, ComponentHandler> = {
  light: (input) => {
    const schema = input.config.schema ?? 'default';
    return (Object.hasOwn(lightSchemas, schema) ? lightSchemas[schema]! : unknownSchema)(input);
  },
  switch: switchEntity,
  sensor: sensorEntity,
  binary_sensor: binarySensorEntity,
};

/** Light schemas by `schema` (`basic` is the default schema's older name). */
const lightSchemas: Record<string, ComponentHandler> = { default: defaultLight, basic: defaultLight, json: jsonLight, template: templateLight };
const unknownSchema: ComponentHandler = ({ config }) => new Error(`light schema ${JSON.stringify(config.schema)} is not one of default, json, template`);

const ON = 'ON';
const OFF = 'OFF';

function switchEntity({ config }: ComponentInput): EntityParts | Error {
  if (!config.command_topic) return new Error('switch without command_topic');
  const template = compileTemplate(config.value_template);
  if (template instanceof Error) return template;
  // `command_template` renders the payload from `value` (payload_on or payload_off).
  const commandTemplate = config.command_template === undefined ? undefined : compileTemplate(config.command_template);
  if (commandTemplate instanceof Error) return commandTemplate;
  const render = (payload: string) => (commandTemplate ? String(commandTemplate(payload, () => undefined)) : payload);
  const payloadOn = String(config.payload_on ?? ON);
  const payloadOff = String(config.payload_off ?? OFF);
  const stateOn = String(config.state_on ?? payloadOn);
  const stateOff = String(config.state_off ?? payloadOff);
  const stateTopic = config.state_topic;
  const commandTopic = config.command_topic;
  const qos = config.qos ?? 0;
  return {
    capabilities: [{ type: 'switch', property: 'on', writable: true }],
    optimistic: !stateTopic || config.optimistic === true,
    stateTopics: stateTopic ? [stateTopic] : [],
    commandTopics: [commandTopic],
    decode: (_topic, payload): DeviceState | Error => {
      const value = String(template(payload.text, () => payload.json()));
      if (value === stateOn) return { on: true };
      if (value === stateOff) return { on: false };
      // Home Assistant's `None` is an unknown state; an empty one says nothing.
      if (value === NONE) return { on: null };
      if (value === '') return {};
      return new Error(`switch state ${JSON.stringify(value)} is neither ${stateOn} nor ${stateOff}`);
    },
    encode: (command) =>
      command.on === undefined ? [] : [{ topic: commandTopic, payload: render(command.on ? payloadOn : payloadOff), qos }],
  };
}

/** Device classes whose readings are numbers even when no unit is announced. */
const numericClasses = new Set(['temperature', 'humidity', 'power', 'energy', 'battery', 'voltage', 'current', 'illuminance', 'pressure']);
const NONE = 'None';
const NO_READING = new Set(['unknown', 'unavailable', NONE]);

function sensorEntity({ config, topic, fallbackLabel }: ComponentInput): EntityParts | Error {
  const deviceClass = config.device_class ?? undefined;
  const unit = config.unit_of_measurement ?? undefined;
  const numeric = unit !== undefined || config.state_class !== undefined || numericClasses.has(deviceClass ?? '');
  const property = templateKey(config.value_template) ?? deviceClass ?? topic.objectId;
  const capability: SensorCapability = {
    type: 'sensor',
    property,
    writable: false,
    label: labelOf(config, fallbackLabel),
    ...(unit ? { unit } : {}),
    ...(deviceClass ? { deviceClass } : {}),
    ...(config.entity_category ? { category: config.entity_category } : {}),
  };
  return readOnly(config, capability, (raw) => {
    if (raw === undefined) return new Error(`no value for '${property}' in payload`);
    if (raw === null || NO_READING.has(String(raw))) return null;
    // A numeric sensor ignores an empty reading; a text sensor reads it as empty text (Home Assistant's sensor.py).
    if (raw === '') return numeric ? undefined : '';
    if (!numeric) return typeof raw === 'number' ? raw : String(raw);
    const n = typeof raw === 'number' ? raw : Number(raw);
    return Number.isFinite(n) ? n : new Error(`'${property}' reading ${JSON.stringify(raw)} is not a number`);
  });
}

function binarySensorEntity({ config, topic, fallbackLabel }: ComponentInput): EntityParts | Error {
  const deviceClass = config.device_class ?? undefined;
  // The device class says what true means (door: open, motion: detected), so it names the property.
  const property = deviceClass ?? templateKey(config.value_template) ?? topic.objectId;
  // Compared as text: a template yielding JSON true must match `payload_on: true` and "true" alike.
  const on = String(config.payload_on ?? ON);
  const off = String(config.payload_off ?? OFF);
  const capability: BinarySensorCapability = {
    type: 'binarySensor',
    property,
    writable: false,
    label: labelOf(config, fallbackLabel),
    ...(deviceClass ? { deviceClass } : {}),
    ...(config.entity_category ? { category: config.entity_category } : {}),
  };
  return readOnly(config, capability, (raw) => {
    const value = raw === undefined || raw === null ? '' : String(raw);
    if (value === on) return true;
    if (value === off) return false;
    if (value === NONE) return null;
    if (value.trim() === '') return undefined;
    return new Error(`'${property}' value ${JSON.stringify(value)} is neither ${on} nor ${off}`);
  });
}

/** A read-only entity on one state topic: its capability, and how the template's result becomes its value. */
function readOnly(
  config: DiscoveryConfig,
  capability: SensorCapability | BinarySensorCapability,
  /** The value, or undefined when the message says nothing (it changes no state). */
  read: (raw: unknown) => StateValue | undefined | Error,
): EntityParts | Error {
  if (!config.state_topic) return new Error(`${capability.type} without state_topic`);
  const template = compileTemplate(config.value_template);
  if (template instanceof Error) return template;
  return {
    capabilities: [capability],
    stateTopics: [config.state_topic],
    commandTopics: [],
    ...(config.expire_after ? { expireAfterMs: config.expire_after * 1000 } : {}),
    decode: (_topic, payload) => {
      const value = read(template(payload.text, () => payload.json()));
      if (value === undefined) return {};
      return value instanceof Error ? value : { [capability.property]: value };
    },
    encode: () => [],
  };
}

/** An empty name is no name: ESPHome sends `""` for an entity named after its device. */
const labelOf = (config: DiscoveryConfig, fallback: string) => (typeof config.name === 'string' && config.name !== '' ? config.name : fallback);

/** The JSON key a template reads (`value_json.temperature`) makes the clearest property name. */
function templateKey(template: string | undefined): string | undefined {
  return template ? /value_json(?:\.|\[\s*['"])([A-Za-z_]\w*)['"\]\s]*(?:\||\}\})/.exec(template)?.[1] : undefined;
}
