import mqtt from 'mqtt';
import { serve } from '../lib/generator.js';

/** The far end of the bare-broker round trip: answers every ping with a pong. */
serve(async (request) => {
  const client = await mqtt.connectAsync(request.url as string, { reconnectPeriod: 0 });
  client.on('message', (_topic, payload) => client.publish('bench/pong', payload, { qos: 0 }));
  await client.subscribeAsync('bench/ping', { qos: 0 });
  return { ready: true };
});
