import { forEachLimited } from '../../devices/demo-home.js';
import { SimulatedDevice } from '../../devices/simulated-device.js';
import { serve } from '../lib/generator.js';

/** Simulated lights that obey commands and report state, as in the demo home. */
const devices: SimulatedDevice[] = [];

serve(async (request) => {
  const { url, count, prefix } = request as { url: string; count: number; prefix: string };
  const started: SimulatedDevice[] = [];
  await forEachLimited(
    Array.from({ length: count }, (_, i) => i),
    50,
    async (i) => {
      const device = new SimulatedDevice({ url, id: `${prefix}-${i}`, name: `Bench light ${i}`, kind: 'onoff-light', tickMs: 0 });
      await device.start();
      started.push(device);
    },
  );
  devices.push(...started);
  return { ready: started.length };
});
