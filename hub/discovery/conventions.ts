import type { DiscoveryConvention } from './entity.js';
import { homeAssistant } from './home-assistant/normalise.js';
import { HomieConvention } from './homie/index.js';
import { ShellyConvention } from './shelly/index.js';
import { TasmotaConvention } from './tasmota/index.js';
import { Zigbee2mqttClaims } from './zigbee2mqtt/claims.js';
import { Zigbee2mqttConvention } from './zigbee2mqtt/index.js';

/**
 * Every discovery convention the hub understands, made anew for each hub: conventions that
 * assemble a device from many messages keep state. Adding one is one entry.
 */
export interface ConventionOptions {
  /** Home Assistant's discovery prefix (`homeassistant` unless the installation changed it). */
  discoveryPrefix: string;
  /** Zigbee2MQTT's base topic (`zigbee2mqtt` unless its configuration.yaml changed it). */
  zigbee2mqttBaseTopic?: string;
}

export function createConventions({ discoveryPrefix, zigbee2mqttBaseTopic = 'zigbee2mqtt' }: ConventionOptions): DiscoveryConvention[] {
  // One device announced both ways by Zigbee2MQTT is one device (see Zigbee2mqttClaims).
  const zigbee2mqtt = new Zigbee2mqttClaims(zigbee2mqttBaseTopic);
  return [
    homeAssistant(discoveryPrefix, { zigbee2mqtt }),
    new TasmotaConvention(),
    new HomieConvention(),
    new ShellyConvention(),
    new Zigbee2mqttConvention(zigbee2mqtt),
  ];
}
