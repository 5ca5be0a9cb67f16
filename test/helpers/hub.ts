import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type HubApp } from '../../hub/app.js';
import type { ClockSource } from '../../hub/clock.js';
import type { Clock } from '../../hub/automations/clock.js';
import type { HubConfig } from '../../hub/config.js';
import type { LogTap } from './log-tap.js';

export interface TestHub {
  app: HubApp;
  httpUrl: string;
  wsUrl: string;
  mqttUrl: string;
  /** MQTT over TLS, when started with `tls`. */
  mqttsUrl: string | null;
  dataDir: string;
  /** The owner's API token, for HTTP and WebSocket requests: `{ headers: hub.headers }`. */
  headers: Record<string, string>;
  /** `fetch` with the owner's token. */
  fetch: typeof fetch;
  /** The setup code onboarding asks for, as the hub printed it; null once it has an owner. */
  setupCode(): string | null;
  /** A fresh login session of the owner: the value of the session cookie, for a browser. */
  ownerSession(): string;
  /** Stops the hub, keeping its data dir (for restart tests). */
  close(): Promise<void>;
}

export interface StartOptions {
  simulate?: boolean;
  /** Reuse a data dir, e.g. to restart a hub on the same database. */
  dataDir?: string;
  journalSize?: number;
  discoveryPrefix?: string;
  zigbee2mqttBaseTopic?: string;
  /** Listen on this HTTP port (e.g. the port of a hub that was just stopped). */
  httpPort?: number;
  commandTimeoutMs?: number;
  /** Onboard an owner and carry their token (default). Off: a hub as a newcomer finds it. */
  owner?: boolean;
  /** Certificate and key files: the hub speaks HTTPS, WSS and MQTTS. */
  tls?: { cert: string; key: string };
  /** Receives the hub's log (warnings and up), to wait for what the hub says. */
  logs?: LogTap;
  /**
   * Let MQTT clients in without credentials. True here so tests about other things connect
   * as they always did; security tests pass false.
   */
  mqttAnonymous?: boolean;
  /** Where the hub reads the time, e.g. a SteppedClock (helpers/clock.ts). */
  clock?: ClockSource;
  /** Any other settings, e.g. `{ mqttMaxPacketBytes: 1024 }`. */
  config?: Partial<HubConfig>;
  /** The clock automations read and wait with (see fake-clock.ts). */
  automationClock?: Clock;
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
    reportCommitSeconds: 60,
    commandTimeoutMs: options.commandTimeoutMs ?? 5_000,
    discoveryPrefix: options.discoveryPrefix ?? 'homeassistant',
    zigbee2mqttBaseTopic: options.zigbee2mqttBaseTopic ?? 'zigbee2mqtt',
    historyRawDays: 7,
    historyMinuteDays: 30,
    historyHourDays: 730,
    historyMaxMb: 0,
    tlsCert: options.tls?.cert ?? null,
    tlsKey: options.tls?.key ?? null,
    mqttsPort: 0,
    mqttAnonymous: options.mqttAnonymous ?? true,
    mqttMaxPacketBytes: 256 * 1024,
    mqttMaxConnectionsPerAddress: 100,
    mqttConnectsPerMinute: 120,
    mqttLimitLoopback: false,
    mqttMaxQueued: 1000,
    mqttMaxRetained: 50_000,
    mqttMaxRetainedBytes: 64 * 1024 * 1024,
    mqttMaxRetainedPerCredential: 5000,
    mqttMaxRetainedBytesPerCredential: 16 * 1024 * 1024,
    mqttUrl: null,
    mqttClientId: 'hearth-hub',
    httpMaxConnectionsPerAddress: 100,
    httpLimitLoopback: false,
    httpIdleTimeoutMs: 10_000,
    publicHosts: [],
    backupDir: join(dataDir, 'backups'),
    backupKeep: 7,
    backupHour: 3,
    broker: 'embedded',
    mosquittoBin: '/usr/sbin/mosquitto',
    mqttDynsec: false,
    automationLoopLimit: 30,
    ...options.config,
  };
  const app = await buildApp(config, { ...(options.logs ? { logger: { level: 'warn', stream: options.logs.stream } } : {}), ...(options.clock ? { clock: options.clock } : {}), ...(options.automationClock ? { automationClock: options.automationClock } : {}) });
  const withOwner = options.owner ?? true;
  if (withOwner && !app.auth.accounts.hasUsers()) await app.auth.accounts.createOwner(TEST_OWNER.username, TEST_OWNER.password);
  await app.listen({ port: options.httpPort ?? 0, host: '127.0.0.1' });
  const address = app.server.address();
  const httpPort = typeof address === 'object' && address ? address.port : 0;
  const headers: Record<string, string> = withOwner ? { authorization: `Bearer ${ownerToken(app)}` } : {};
  let closed = false;
  const hub: TestHub = {
    app,
    httpUrl: `${options.tls ? 'https' : 'http'}://127.0.0.1:${httpPort}`,
    wsUrl: `${options.tls ? 'wss' : 'ws'}://127.0.0.1:${httpPort}/api/ws`,
    // On an external broker, devices connect to it, not to the hub.
    mqttUrl: config.mqttUrl ?? `mqtt://127.0.0.1:${app.mqtt.address()!.port}`,
    mqttsUrl: options.tls ? `mqtts://127.0.0.1:${app.mqtt.tlsAddress()!.port}` : null,
    dataDir,
    headers,
    fetch: authorizedFetch(headers),
    setupCode: () => app.auth.setupCode()?.code ?? null,
    ownerSession: () => app.auth.accounts.startSession(owner(app).id),
    close: async () => {
      if (closed) return;
      closed = true;
      await app.close();
    },
  };
  started.push(hub);
  return hub;
}

export const TEST_OWNER = { username: 'owner', password: 'correct horse battery' };

/** Onboards the owner on a fresh hub (a restarted one has it already) and makes a token. */
function ownerToken(app: HubApp): string {
  return app.auth.accounts.createToken(owner(app).id, 'tests').secret;
}

function owner(app: HubApp) {
  const found = app.auth.accounts.users().find((u) => u.role === 'owner');
  if (!found) throw new Error('test hub has no owner');
  return found;
}

/** `fetch` that adds these headers to every request. */
export function authorizedFetch(headers: Record<string, string>): typeof fetch {
  return (input, init = {}) => fetch(input, { ...init, headers: { ...headers, ...(init.headers as Record<string, string> | undefined) } });
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
