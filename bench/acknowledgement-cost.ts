/**
 * What holding a QoS 1 PUBACK until the reading is committed costs: the toggle round trip and
 * flat-out QoS 1 ingest at the full bench's sizes, and nothing else, so two builds can be
 * compared back to back on a busy machine.
 *
 *   npm run build && node dist/bench/acknowledgement-cost.js
 */
import { clock } from './lib/time.js';
import { ingest } from './scenarios/ingest.js';
import { toggle } from './scenarios/toggle.js';

const epoch = Math.floor(clock());
const toggled = await toggle({ devices: 100, dashboards: 10, toggles: 2000, epoch });
const { p50, p95, p99 } = toggled.roundTrip;
console.log(`toggle round trip, 100 devices, 10 dashboards, 2,000 toggles: p50 ${p50.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`);
const flat = await ingest({ sensors: 200, perSecond: null }, { dashboards: 10, warmupSeconds: 10, seconds: 20, epoch });
console.log(`flat out, 200 sensors, QoS 1: ${Math.round(flat.ingestedPerSecond)} msg/s, p50 ${flat.publishToDashboard.p50.toFixed(1)} ms, p99 ${flat.publishToDashboard.p99.toFixed(1)} ms`);
process.exit(0);
