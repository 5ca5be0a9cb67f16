/**
 * The Mosquitto the hub runs is its child: restarted when it dies, stopped with the hub,
 * and given credentials made by the CLI while the hub runs or before it started.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { mosquittoInstalled } from '../../../bench/lib/mosquitto.js';
import { demoHomeSpecs } from '../../../devices/demo-home.js';
import type { MqttMessage } from '../../../hub/plugins/broker.js';
import { newDataDir, stopAllHubs, type TestHub } from '../../helpers/hub.js';
import { killAllHubProcesses, spawnHub } from '../../helpers/hub-process.js';
import { connectMqtt } from '../../helpers/mqtt.js';
import { killAllPaho, PahoClient, pahoInstalled } from '../../helpers/paho.js';
import { waitForEvent } from '../../helpers/wait.js';
import { heard, issue, mosquittoHub } from './hub.js';

const ready = mosquittoInstalled() && pahoInstalled();
const MAIN = new URL('../../../dist/hub/main.js', import.meta.url).pathname;
const CLI = new URL('../../../dist/hub/cli/credentials.js', import.meta.url).pathname;

afterEach(async () => {
  killAllPaho();
  killAllHubProcesses();
  await stopAllHubs();
});

/** The Mosquitto a hub process runs: its one `mosquitto` child. */
const mosquittoOf = (parentPid: number): number => Number(execFileSync('pgrep', ['-P', String(parentPid), '-x', 'mosquitto']).toString().trim());
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const cli = (args: string[]) =>
  new Promise<string>((resolve, reject) => execFile(process.execPath, [CLI, ...args], (error, stdout, stderr) => (error ? reject(new Error(stderr || error.message)) : resolve(stdout))));

describe.skipIf(!ready)('the Mosquitto the hub runs', () => {
  it('is restarted after kill -9 under load: devices reconnect and every reading sent after the kill arrives', { timeout: 60_000 }, async () => {
    const hub = await mosquittoHub({ simulate: true });
    const demoHome = demoHomeSpecs().length;
    const online = () => hub.app.registry.list().filter((d) => d.online).length === demoHome;
    await waitForEvent<unknown>((listener) => hub.app.registry.subscribe(listener), online, 'the demo home online');
    const meter = await issue(hub, 'Meter');
    const numbers = new Set<number>();
    const COUNT = 3_000;
    // Mosquitto acknowledges a QoS 1 PUBLISH before it has passed it on or saved it, so a
    // kill -9 can lose readings it had acknowledged just before (seen: 20 of the first 1,000 in
    // 1 of 18 runs); README says so. Everything sent from the kill on must arrive.
    const KILLED_AT = 1_000;
    const all = waitForEvent<MqttMessage>(
      (listener) => hub.app.mqtt.onMessage(listener),
      (m) => {
        if (m.topic === 'hearth/meter/state') numbers.add((JSON.parse(m.payload.toString()) as { n: number }).n);
        return [...numbers].filter((n) => n > KILLED_AT).length === COUNT - KILLED_AT;
      },
      `all ${COUNT - KILLED_AT} readings sent after the kill`,
      45_000,
    );
    // A device that reconnects by itself and sends again what was not acknowledged, as MQTT.js does.
    const device = await connectMqtt(hub.mqttUrl, { protocolVersion: 5, clientId: 'meter', username: meter.username, password: meter.password, reconnectPeriod: 100, clean: false, properties: { sessionExpiryInterval: 600 } });
    let reconnected = false;
    device.on('connect', () => (reconnected = true));
    const first = mosquittoOf(process.pid);
    const sends: Promise<unknown>[] = [];
    let lightBack: Promise<unknown> | null = null;
    for (let n = 1; n <= COUNT; n++) {
      sends.push(device.publishAsync('hearth/meter/state', JSON.stringify({ n, power: n % 100 }), { qos: 1 }));
      // Under load: the broker dies with a thousand readings in flight and more coming.
      if (n === KILLED_AT) {
        // A light reports its state only when it announces, which it does once subscribed
        // again: when it reconnects after the hub, or when it hears the birth message the hub
        // says after reconnecting, if it was back first (and announced to nobody).
        lightBack = heard(hub, 'hearth/kitchen-ceiling/state');
        process.kill(first, 'SIGKILL');
      }
      if (n % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(sends);
    await all;
    for (let n = KILLED_AT + 1; n <= COUNT; n++) expect(numbers.has(n)).toBe(true);
    expect(reconnected).toBe(true);
    const second = mosquittoOf(process.pid);
    expect(second).not.toBe(first);
    // A demo device is back on the new Mosquitto: it obeys a command and confirms it.
    await lightBack;
    const response = await hub.fetch(`${hub.httpUrl}/api/devices/kitchen-ceiling/commands?wait=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ on: true }),
    });
    expect(response.status).toBe(200);
    await device.endAsync();
  });

  it('stops with the hub on SIGTERM', async () => {
    const hub = await spawnHub(['--broker', 'mosquitto', '--data-dir', newDataDir()]);
    const broker = mosquittoOf(hub.child.pid!);
    expect(alive(broker)).toBe(true);
    hub.child.kill('SIGTERM');
    expect((await hub.exited)[0]).toBe(0);
    expect(alive(broker)).toBe(false);
  });

  it('stops the hub with a message naming the Debian package when mosquitto is not installed', async () => {
    const child = spawn(process.execPath, [MAIN, '--broker', 'mosquitto', '--mosquitto-bin', '/nonexistent/mosquitto', '--http-port', '0', '--data-dir', newDataDir()], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stderr).toContain("--broker mosquitto needs Debian's mosquitto package (apt-get install mosquitto): /nonexistent/mosquitto is not an executable");
  });

  it('takes a credential made and revoked with the CLI while the hub runs', async () => {
    const hub = await mosquittoHub();
    const issued = JSON.parse(await cli(['add', 'Garage door', '--data-dir', hub.dataDir, '--json'])) as { username: string; password: string };
    const { client, reason } = await PahoClient.connect(hub.mqttUrl, issued.username, issued.password, 'garage-door');
    expect(reason).toBe(0);
    await cli(['revoke', 'garage-door', '--data-dir', hub.dataDir]);
    await client.next('disconnected');
  });

  it('gives Mosquitto the credentials made before the hub started, without their passwords', async () => {
    const first = await mosquittoHub();
    const shed = await issue(first, 'Shed light');
    const dataDir = first.dataDir;
    await first.close();
    const hub: TestHub = await mosquittoHub({ dataDir });
    const { client, reason } = await PahoClient.connect(hub.mqttUrl, shed.username, shed.password, 'shed-light');
    expect(reason).toBe(0);
    client.close();
  });
});
