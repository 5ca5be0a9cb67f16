import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { HUB_SRC } from '../discovery/shelly/rpc.js';

const DeviceSetup = Type.Object({
  /** MQTT over TCP on the embedded broker, or null when it is off or an external broker is used. */
  port: Type.Union([Type.Integer(), Type.Null()]),
  tlsPort: Type.Union([Type.Integer(), Type.Null()]),
  discoveryPrefix: Type.String(),
  zigbee2mqttBaseTopic: Type.String(),
  /** Where Shelly devices answer the hub's requests (`<src>/rpc`). */
  shellyReplyTopic: Type.String(),
  externalBroker: Type.Union([Type.String(), Type.Null()]),
});

/**
 * What a person adding a device needs to type into its firmware, besides its credential:
 * the broker's ports and the topic prefixes this hub listens on.
 */
export const deviceSetupRoutes: FastifyPluginAsyncTypebox<{ discoveryPrefix: string; zigbee2mqttBaseTopic: string }> = async (app, options) => {
  app.get('/mqtt/setup', { config: { access: 'admin' }, schema: { response: { 200: DeviceSetup } } }, async () => {
    const external = app.mqtt.externalBroker();
    return {
      port: external ? null : (app.mqtt.address()?.port ?? null),
      tlsPort: external ? null : (app.mqtt.tlsAddress()?.port ?? null),
      discoveryPrefix: options.discoveryPrefix,
      zigbee2mqttBaseTopic: options.zigbee2mqttBaseTopic,
      shellyReplyTopic: `${HUB_SRC}/rpc`,
      externalBroker: external?.url ?? null,
    };
  });
};
