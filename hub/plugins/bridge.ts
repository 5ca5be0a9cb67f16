import fp from 'fastify-plugin';
import { Bridge } from '../bridge/bridge.js';
import { createConventions } from '../discovery/conventions.js';
import { BIRTH_ONLINE } from '../protocol/topics.js';

declare module 'fastify' {
  interface FastifyInstance {
    bridge: Bridge;
  }
}

/** How often stale readings (`expire_after`) are looked for; the setting is in whole seconds. */
const EXPIRY_CHECK_MS = 1000;

export const bridgePlugin = fp<{ discoveryPrefix: string; zigbee2mqttBaseTopic?: string }>(
  async (app, { discoveryPrefix, zigbee2mqttBaseTopic }) => {
    const log = app.log.child({ plugin: 'bridge' });
    const bridge = new Bridge(app.mqtt, app.registry, app.store, createConventions({ discoveryPrefix, zigbee2mqttBaseTopic }), log, {
      // Through an external broker no message says who published it: its ACLs are the boundary.
      topicsOf: (username) => app.deviceCredentials.topicsOf(username),
      audit: log.child({ audit: true }),
    });
    bridge.restore();
    const unsubscribe = app.mqtt.onMessage(bridge.handle);
    // A QoS 1 PUBACK once the reading is in the journal (an event committed) or, while the disk
    // refuses writes, at once: holding devices through an outage would stall them.
    app.mqtt.holdAcknowledgements?.(() => app.journal.committedUnlessFailing(app.journal.lastAssigned));
    app.decorate('bridge', bridge);
    // Like Home Assistant's birth message: devices already connected (to an external broker,
    // or across a bridge restart) announce themselves again when they see it. Home Assistant
    // says it again on every reconnection (its MQTT client resubscribes, then publishes the
    // birth): a broker that restarted may have lost recent retained announcements, and a
    // device that reconnected before the hub did announced to nobody.
    const sayBirth = () => app.mqtt.publish(`${discoveryPrefix}/status`, BIRTH_ONLINE, { qos: 1 });
    app.addHook('onReady', sayBirth);
    const stopBirthOnReconnect =
      app.mqtt.onReconnected?.(() => void sayBirth().catch((err: Error) => log.warn({ err: err.message }, 'the birth message after a reconnection failed'))) ?? (() => {});
    const expiry = setInterval(() => bridge.expireReadings(), EXPIRY_CHECK_MS);
    expiry.unref();
    app.addHook('onClose', async () => {
      clearInterval(expiry);
      unsubscribe();
      stopBirthOnReconnect();
    });
  },
  { name: 'bridge', dependencies: ['broker', 'registry', 'store', 'journal'] },
);
