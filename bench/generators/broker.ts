import { Aedes } from 'aedes';
import { createServer, type AddressInfo } from 'node:net';
import { serve } from '../lib/generator.js';

/** A bare aedes broker, the baseline when Mosquitto is not installed. */
serve(async () => {
  const broker = await Aedes.createBroker();
  const server = createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port };
});
