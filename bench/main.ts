import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { bars, histogram } from './lib/svg.js';
import { round } from './lib/stats.js';
import { baseline } from './scenarios/baseline.js';
import { coldStart } from './scenarios/cold-start.js';
import { connections } from './scenarios/connections.js';
import { fanout } from './scenarios/fanout.js';
import { ingest } from './scenarios/ingest.js';
import { toggle } from './scenarios/toggle.js';

/**
 * `npm run bench`: what users feel, measured against the real hub in its own process, with
 * load generators in processes of their own, next to a bare broker on the same machine.
 * `--quick` runs tiny sizes in seconds, to keep the harness working (CI).
 */
const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const quick = values.quick!;
const size = quick
  ? { roundTrips: 200, devices: 10, dashboards: 3, toggles: 100, sensors: [50], flat: 50, seconds: 2, fanout: [20], changes: 10, connections: 200, coldDevices: 200, history: 2 }
  : { roundTrips: 2000, devices: 100, dashboards: 10, toggles: 2000, sensors: [1000, 5000, 10000], flat: 100, seconds: 10, fanout: [100, 1000], changes: 50, connections: 10000, coldDevices: 10000, history: 100 };

const out = new URL('./results/', new URL('../../bench/', import.meta.url));
mkdirSync(out, { recursive: true });
const log = (line: string) => console.log(line);

const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, date: new Date().toISOString(), quick };
log(`Hearth bench ${quick ? '(quick) ' : ''}on ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}`);

log('baseline: bare MQTT round trips…');
const base = await baseline(size.roundTrips);
log('toggle round trip…');
const toggles = await toggle({ devices: size.devices, dashboards: size.dashboards, toggles: size.toggles });
log('sensor ingest…');
const ingestRuns = await ingest([...size.sensors.map((sensors) => ({ sensors, mode: 'paced' as const })), { sensors: size.flat, mode: 'flat-out' as const }], size.seconds, size.dashboards);
log('fan-out…');
const fan = await fanout(size.fanout, size.changes);
log('idle connections…');
const idle = await connections(size.connections);
log('cold start…');
const cold = await coldStart(size.coldDevices, size.history);

const ratio = (v: number) => `${round(v / base.roundTrip.p99, 1)}x`;
const rows: [string, string, string][] = [
  [`bare MQTT round trip (${base.broker})`, `p50 ${base.roundTrip.p50} ms, p99 ${base.roundTrip.p99} ms`, '1x'],
  [
    `toggle round trip (${toggles.devices} devices, ${toggles.dashboards} dashboards, ${toggles.toggles} toggles)`,
    `p50 ${toggles.roundTrip.p50} / p95 ${toggles.roundTrip.p95} / p99 ${toggles.roundTrip.p99} / max ${toggles.roundTrip.max} ms`,
    `p99 ${ratio(toggles.roundTrip.p99)}`,
  ],
  ...ingestRuns.map((r): [string, string, string] => [
    `ingest ${r.mode} (${r.sensors} sensors, ${size.dashboards} dashboards)`,
    `${r.ingestedPerSecond.toLocaleString('en')} msg/s in, ${r.deliveredPerSecond.toLocaleString('en')} deliveries/s, p99 publish→dashboard ${r.publishToDashboard.p99} ms, CPU ${r.hubCpuPercent}%, RSS ${r.hubRssMb} MB`,
    `p99 ${ratio(r.publishToDashboard.p99)}`,
  ]),
  ...fan.map((f): [string, string, string] => [`fan-out to ${f.dashboards} dashboards`, `${f.deliveriesPerSecond.toLocaleString('en')} deliveries/s, p99 ${f.latency.p99} ms`, `p99 ${ratio(f.latency.p99)}`]),
  [`idle connections (${idle.connections})`, `hub RSS ${idle.hubRssIdleMb} → ${idle.hubRssConnectedMb} MB, ${idle.kbPerConnection} KB each`, ''],
  [`cold start (${cold.devices} devices, ${cold.historyRows.toLocaleString('en')} history rows, ${cold.databaseMb} MB)`, `${cold.readyMs} ms to /api/health`, ''],
];
const width = Math.max(...rows.map((r) => r[0].length));
log('');
for (const [name, figures, vsBaseline] of rows) log(`${name.padEnd(width)}  ${figures}${vsBaseline ? `  (${vsBaseline} bare)` : ''}`);

const { samples, ...toggleSummary } = toggles;
writeFileSync(new URL('latest.json', out), `${JSON.stringify({ machine, baseline: base, toggle: toggleSummary, ingest: ingestRuns, fanout: fan, connections: idle, coldStart: cold }, null, 2)}\n`);
writeFileSync(new URL('toggle.svg', out), histogram('Toggle round trip', samples, 'ms'));
writeFileSync(new URL('ingest.svg', out), bars('Sensor messages taken in per second', ingestRuns.map((r) => ({ label: `${r.sensors} ${r.mode}`, value: r.ingestedPerSecond })), 'msg/s'));
writeFileSync(new URL('fanout.svg', out), bars('Fan-out deliveries per second', fan.map((f) => ({ label: `${f.dashboards} dashboards`, value: f.deliveriesPerSecond })), 'deliveries/s'));
writeFileSync(new URL('connections.svg', out), bars('Hub memory, idle vs connected', [{ label: 'idle', value: idle.hubRssIdleMb }, { label: `${idle.connections} connected`, value: idle.hubRssConnectedMb }], 'MB'));
writeFileSync(new URL('cold-start.svg', out), bars('Cold start to /api/health', [{ label: `${cold.devices} devices`, value: cold.readyMs }], 'ms'));
log(`\nresults: bench/results/latest.json and one SVG chart per scenario`);
process.exit(0);
