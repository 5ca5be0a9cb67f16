import { Dashboards } from '../lib/dashboards.js';
import { Generator, askAll, spread } from '../lib/generator.js';
import { health, withHub, type BenchHub } from '../lib/hub.js';
import { brokerArgs, brokerOf, startMosquitto, type RunningBroker } from '../lib/mosquitto.js';
import { measure } from '../lib/process-stats.js';
import type { Latency } from '../lib/stats.js';
import { sleep, until } from '../lib/time.js';

/**
 * Where the sensors connect: the embedded broker, a Mosquitto the hub is a client of
 * (--mqtt-url), or the Mosquitto the hub runs itself (--broker mosquitto).
 */
export type IngestBroker = 'embedded' | 'mosquitto' | 'hub-run mosquitto';

export interface IngestRun {
  sensors: number;
  broker: IngestBroker;
  /** Readings per sensor per second, or null for flat out. */
  perSecond: number | null;
  /** Readings per second the sensors were asked to send (null: flat out). */
  offeredPerSecond: number | null;
  /** Readings the hub took in per second, in the steady window after warm-up. */
  ingestedPerSecond: number;
  /** Readings journalled, persisted and on every dashboard per second, in the same window. */
  deliveredToEveryDashboardPerSecond: number;
  publishToDashboard: Latency;
  sent: number;
  /** Readings sent but not on every dashboard once the hub had drained its backlog (should be 0). */
  lost: number;
  /** Time after the sensors stopped until the last reading reached every dashboard. */
  drainSeconds: number;
  hubCpuPercent: number;
  generatorsCpuPercent: number;
  /** The external broker's process (null with the embedded one). */
  brokerCpuPercent: number | null;
  hubRssMb: number;
}

export interface IngestSpec {
  sensors: number;
  perSecond: number | null;
  broker?: IngestBroker;
}

export interface IngestOptions {
  dashboards: number;
  warmupSeconds: number;
  seconds: number;
  epoch: number;
}

/** MQTT.js clients cost memory and CPU of their own: a few thousand per process. */
const SENSORS_PER_PROCESS = 2500;
/** Two dashboard processes, so ten dashboards' parsing is not one process's bottleneck. */
const DASHBOARDS_PER_PROCESS = 5;
const DRAIN_TIMEOUT_MS = 120_000;

/**
 * Sensors publishing to the hub, which journals every reading, keeps it as state and
 * history in SQLite (all committed before any client hears of it) and sends it to every
 * dashboard. Measured over a steady window after a warm-up, so connection set-up and JIT
 * are not counted; then the hub must deliver everything that was sent.
 */
export async function ingest(run: IngestSpec, options: IngestOptions): Promise<IngestRun> {
  const broker = run.broker === 'mosquitto' ? await startMosquitto() : null;
  try {
    return await withHub(
      async (hub) => {
        const shares = spread(run.sensors, SENSORS_PER_PROCESS);
        const sensors = shares.map(() => new Generator('sensors'));
        let dashboards: Dashboards | undefined;
        try {
          await askAll(sensors, (i) => ({ cmd: 'start', url: hub.mqttUrl, count: shares[i], prefix: `s${i}`, epoch: options.epoch }));
          await until(async () => (await health(hub)).devices.total === run.sensors, 60_000, `${run.sensors} sensors announced`, 200);
          dashboards = await Dashboards.open(hub, options.dashboards, options.epoch, DASHBOARDS_PER_PROCESS);
          return await measureRun(hub, broker, run, sensors, dashboards, options);
        } finally {
          await Promise.all([...sensors.map((g) => g.stop()), dashboards?.stop()]);
        }
      },
      broker ? { args: ['--mqtt-url', broker.url] } : { args: brokerArgs(run.broker) },
    );
  } finally {
    await broker?.stop();
  }
}

async function measureRun(hub: BenchHub, broker: RunningBroker | null, run: IngestSpec, sensors: Generator[], dashboards: Dashboards, options: IngestOptions): Promise<IngestRun> {
  const initial = (await health(hub)).bridge.messages;
  // Sensors run a little past the window, so it never sees their ramp-down.
  const sendSeconds = options.warmupSeconds + options.seconds + 0.5;
  const sending = askAll<{ sent: number }>(sensors, () => (run.perSecond === null ? { cmd: 'flat', seconds: sendSeconds } : { cmd: 'paced', seconds: sendSeconds, perSecond: run.perSecond }));
  await sleep(options.warmupSeconds * 1000);
  await dashboards.reset();
  const [hubBefore, dashboardsBefore] = await Promise.all([health(hub), dashboards.report()]);
  const window = await measure(hub.pid, [...sensors.map((g) => g.pid), ...dashboards.pids], async () => {
    await sleep(options.seconds * 1000);
    return Promise.all([health(hub), dashboards.report()]);
  }, broker?.pid ?? brokerOf(hub, run.broker));
  const [hubAfter, dashboardsAfter] = window.result;
  const sent = (await sending).reduce((sum, r) => sum + r.sent, 0);
  const stopped = performance.now();
  // Everything sent must reach the hub and every dashboard: a reading dropped is a failure,
  // not a faster run. Waits while there is progress, up to a bound.
  let delivered = 0;
  let stalledPolls = 0;
  await until(
    async () => {
      const [h, d] = await Promise.all([health(hub), dashboards.report()]);
      const now = Math.min(h.bridge.messages - initial, d.leastReceived);
      stalledPolls = now === delivered ? stalledPolls + 1 : 0;
      delivered = now;
      return delivered >= sent || stalledPolls >= 10;
    },
    DRAIN_TIMEOUT_MS,
    'the hub to drain its backlog',
    250,
  );
  return {
    sensors: run.sensors,
    broker: run.broker ?? 'embedded',
    perSecond: run.perSecond,
    offeredPerSecond: run.perSecond === null ? null : run.sensors * run.perSecond,
    ingestedPerSecond: Math.round((hubAfter.bridge.messages - hubBefore.bridge.messages) / window.seconds),
    deliveredToEveryDashboardPerSecond: Math.round((dashboardsAfter.leastReceived - dashboardsBefore.leastReceived) / window.seconds),
    publishToDashboard: dashboardsAfter.latency.summary(),
    sent,
    lost: sent - delivered,
    drainSeconds: Math.round((performance.now() - stopped) / 100) / 10,
    hubCpuPercent: window.hubCpuPercent,
    generatorsCpuPercent: window.generatorsCpuPercent,
    brokerCpuPercent: window.brokerCpuPercent,
    hubRssMb: window.hubRssMb,
  };
}
