import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type HubApp } from '../../hub/app.js';
import type { HubConfig } from '../../hub/config.js';

export interface TestHub {
  app: HubApp;
  httpUrl: string;
  wsUrl: string;
  mqttUrl: string;
  dataDir: string;
  /** Credentials for HTTP and WebSocket requests: pass as `{ headers: hub.headers }`. */
  headers: Record<string, string>;
  /** Stops the hub, keeping its data dir (for restart tests). */
  close(): Promise<void>;
}

export interface StartOptions {
  simulate?: boolean;
  /** Reuse a data dir, e.g. to restart a hub on the same database. */
  dataDir?: string;
  journalSize?: number;
  discoveryPrefix?: string;
  /** Listen on this HTTP port (e.g. the port of a hub that was just stopped). */
  httpPort?: number;
  commandTimeoutMs?: number;
  /**
   * Let MQTT clients in without credentials. True here so tests about other things connect
   * as they always did; security tests pass false.
   */
  mqttAnonymous?: boolean;
  /** Any other settings, e.g. `{ mqttMaxPacketBytes: 1024 }`. */
  config?: Partial<HubConfig>;
}

const started: TestHub[] = [];
const dataDirs: string[] = [];

/** A real hub on ephemeral ports with a temp data dir; `stopAllHubs` cleans up. */
export async function startHub(options: StartOptions = {}): Promise<TestHub> {
  const dataDir = options.dataDir ?? newDataDir();
  const config: HubConfig = {
    httpPort: 0,
    mqttPort: 0,
    host: '127.0.0.1',
    dataDir,
    simulate: options.simulate ?? false,
    logLevel: process.env.HUB_TEST_LOG_LEVEL ?? 'silent',
    journalSize: options.journalSize ?? 100_000,
    commandTimeoutMs: options.commandTimeoutMs ?? 5_000,
    discoveryPrefix: options.discoveryPrefix ?? 'homeassistant',
    historyRawDays: 7,
    historyMinuteDays: 30,
    historyHourDays: 730,
    mqttAnonymous: options.mqttAnonymous ?? true,
    mqttMaxPacketBytes: 256 * 1024,
    mqttMaxConnectionsPerAddress: 100,
    mqttConnectsPerMinute: 120,
    mqttLimitLoopback: false,
    ...options.config,
  };
  const app = await buildApp(config);
  await app.listen({ port: options.httpPort ?? 0, host: '127.0.0.1' });
  const address = app.server.address();
  const httpPort = typeof address === 'object' && address ? address.port : 0;
  let closed = false;
  const hub: TestHub = {
    app,
    httpUrl: `http://127.0.0.1:${httpPort}`,
    wsUrl: `ws://127.0.0.1:${httpPort}/api/ws`,
    mqttUrl: `mqtt://127.0.0.1:${app.mqtt.address()!.port}`,
    dataDir,
    headers: {},
    close: async () => {
      if (closed) return;
      closed = true;
      await app.close();
    },
  };
  started.push(hub);
  return hub;
}

export function newDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-test-'));
  dataDirs.push(dir);
  return dir;
}

export async function stopAllHubs(): Promise<void> {
  await Promise.all(started.splice(0).map((hub) => hub.close()));
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
