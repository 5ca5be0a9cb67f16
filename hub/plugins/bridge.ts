import fp from 'fastify-plugin';
import { Bridge } from '../bridge/bridge.js';
import { createConventions } from '../discovery/conventions.js';
import { BIRTH_ONLINE, BIRTH_TOPIC } from '../protocol/topics.js';

declare module 'fastify' {
  interface FastifyInstance {
    bridge: Bridge;
  }
}

export const bridgePlugin = fp(
  async (app) => {
    const bridge = new Bridge(app.mqtt, app.registry, app.store, createConventions(), app.log.child({ plugin: 'bridge' }));
    bridge.restore();
    const unsubscribe = app.mqtt.onMessage(bridge.handle);
    app.decorate('bridge', bridge);
    // Like Home Assistant's birth message: devices already connected (to an external broker,
    // or across a bridge restart) announce themselves again when they see it.
    app.addHook('onReady', async () => app.mqtt.publish(BIRTH_TOPIC, BIRTH_ONLINE, { qos: 1 }));
    app.addHook('onClose', async () => unsubscribe());
  },
  { name: 'bridge', dependencies: ['broker', 'registry', 'store'] },
);
