import type { BinarySensorCapability, SensorCapability, StateValue } from '../../protocol/device.js';
import { compileTemplate } from '../template/index.js';
import type { DiscoveryConfig } from './config.js';
import type { ComponentHandler, ComponentInput, EntityParts } from './normalise.js';
import { jsonLight, defaultLight } from './light.js';

/** One handler per Home Assistant component this hub understands; adding one is one entry. */
export const components: Record<string, ComponentHandler> = {
  light: (input) => (input.config.schema === 'json' ? jsonLight(input) : defaultLight(input)),
  switch: switchEntity,
  sensor: sensorEntity,
  binary_sensor: binarySensorEntity,
};

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
  const qos = config.qos ? 1 : 0;
  return {
    capabilities: [{ type: 'switch', property: 'on', writable: true }],
    optimistic: !stateTopic || config.optimistic === true,
    stateTopics: stateTopic ? [stateTopic] : [],
    commandTopics: [commandTopic],
    decode: (_topic, payload) => {
      const value = String(template(payload.text, () => payload.json()));
      if (value === stateOn) return { on: true };
      if (value === stateOff) return { on: false };
      return new Error(`switch state ${JSON.stringify(value)} is neither ${stateOn} nor ${stateOff}`);
    },
    encode: (command) =>
      command.on === undefined ? [] : [{ topic: commandTopic, payload: render(command.on ? payloadOn : payloadOff), qos }],
  };
}

/** Device classes whose readings are numbers even when no unit is announced. */
const numericClasses = new Set(['temperature', 'humidity', 'power', 'energy', 'battery', 'voltage', 'current', 'illuminance', 'pressure']);
const NO_READING = new Set(['', 'unknown', 'unavailable', 'None']);

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
    const value = String(raw);
    if (value === on) return true;
    if (value === off) return false;
    return new Error(`'${property}' value ${JSON.stringify(value)} is neither ${on} nor ${off}`);
  });
}

/** A read-only entity on one state topic: its capability, and how the template's result becomes its value. */
function readOnly(
  config: DiscoveryConfig,
  capability: SensorCapability | BinarySensorCapability,
  read: (raw: unknown) => StateValue | Error,
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
      return value instanceof Error ? value : { [capability.property]: value };
    },
    encode: () => [],
  };
}

const labelOf = (config: DiscoveryConfig, fallback: string) => (typeof config.name === 'string' ? config.name : fallback);

/** The JSON key a template reads (`value_json.temperature`) makes the clearest property name. */
function templateKey(template: string | undefined): string | undefined {
  return template ? /value_json(?:\.|\[\s*['"])([A-Za-z_]\w*)['"\]\s]*(?:\||\}\})/.exec(template)?.[1] : undefined;
}
