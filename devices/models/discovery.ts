/**
 * Home Assistant MQTT discovery messages, built the way Zigbee2MQTT builds them: one
 * retained config per entity, all sharing the device block and the availability topic.
 * https://www.home-assistant.io/integrations/mqtt/#mqtt-discovery
 */
import { deviceTopics, discoveryTopic } from '../../hub/protocol/topics.js';
import type { DiscoveryMessage, JsonObject } from './model.js';

export const MANUFACTURER = 'Hearth';
export const SW_VERSION = '1.0.0';

export interface DeviceRef {
  id: string;
  name: string;
  /** Kind words for the model, e.g. `plug` announces as `Simulated plug`. */
  words: string;
}

export function entity(device: DeviceRef, component: string, objectId: string, body: JsonObject): DiscoveryMessage {
  const topics = deviceTopics(device.id);
  return {
    topic: discoveryTopic(component, device.id, objectId),
    config: {
      ...body,
      state_topic: topics.state,
      availability_topic: topics.availability,
      unique_id: `${device.id}_${objectId}`,
      device: {
        identifiers: [`hearth_${device.id}`],
        name: device.name,
        manufacturer: MANUFACTURER,
        model: `Simulated ${device.words}`,
        sw_version: SW_VERSION,
      },
    },
  };
}

const valueOf = (key: string) => `{{ value_json.${key} }}`;

/** A numeric reading; the object id is also its key in the state payload. */
export function sensor(
  device: DeviceRef,
  objectId: string,
  reading: { name: string; deviceClass: string; unit: string; stateClass?: string },
): DiscoveryMessage {
  return entity(device, 'sensor', objectId, {
    name: reading.name,
    device_class: reading.deviceClass,
    unit_of_measurement: reading.unit,
    state_class: reading.stateClass ?? 'measurement',
    value_template: valueOf(objectId),
  });
}

export const battery = (device: DeviceRef): DiscoveryMessage =>
  sensor(device, 'battery', { name: 'Battery', deviceClass: 'battery', unit: '%' });

/** A JSON boolean reading; `on` is the payload value Home Assistant shows as ON. */
export function binarySensor(
  device: DeviceRef,
  objectId: string,
  reading: { name: string; deviceClass: string; on: boolean },
): DiscoveryMessage {
  return entity(device, 'binary_sensor', objectId, {
    name: reading.name,
    device_class: reading.deviceClass,
    value_template: valueOf(objectId),
    payload_on: reading.on,
    payload_off: !reading.on,
  });
}
