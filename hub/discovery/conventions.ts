import type { DiscoveryConvention } from './entity.js';
import { homeAssistant } from './home-assistant/normalise.js';
import { HomieConvention } from './homie/index.js';
import { ShellyConvention } from './shelly/index.js';
import { TasmotaConvention } from './tasmota/index.js';

/**
 * Every discovery convention the hub understands, made anew for each hub: conventions that
 * assemble a device from many messages keep state. Adding one is one entry.
 */
export interface ConventionOptions {
  /** Home Assistant's discovery prefix (`homeassistant` unless the installation changed it). */
  discoveryPrefix: string;
}

export function createConventions({ discoveryPrefix }: ConventionOptions): DiscoveryConvention[] {
  return [homeAssistant(discoveryPrefix), new TasmotaConvention(), new HomieConvention(), new ShellyConvention()];
}
