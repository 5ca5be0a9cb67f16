/**
 * --mqtt-url with --mqtt-dynsec: the hub manages the device credentials of a Mosquitto it does
 * not run, through the user in the URL, an administrator of its dynamic security plugin
 * (commands as in mosquitto's plugins/dynamic-security/README.md).
 */
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { mosquittoInstalled, startMosquitto, type RunningBroker } from '../../../bench/lib/mosquitto.js';
import { killAllPaho, PahoClient, pahoInstalled } from '../../helpers/paho.js';
import { startHub, stopAllHubs } from '../../helpers/hub.js';
import { heard, issue } from './hub.js';

const ready = mosquittoInstalled() && pahoInstalled();
const brokers: RunningBroker[] = [];
afterEach(async () => {
  killAllPaho();
  await stopAllHubs();
  await Promise.all(brokers.splice(0).map((b) => b.stop()));
});

const ADMIN = { admin: 'hearth', password: 'admin-password-for-tests' };

async function dynsecMosquitto(): Promise<RunningBroker> {
  const broker = await startMosquitto({ dynsec: ADMIN });
  brokers.push(broker);
  // The administrator `dynsec init` makes may read every topic; the hub also sends commands and its birth message.
  execFileSync('/usr/bin/mosquitto_ctrl', ['-h', '127.0.0.1', '-p', String(broker.port), '-u', ADMIN.admin, '-P', ADMIN.password, 'dynsec', 'addRoleACL', 'admin', 'publishClientSend', '#', 'allow'], { stdio: 'ignore' });
  return broker;
}

describe.skipIf(!ready)('the hub administering an existing Mosquitto (--mqtt-url with --mqtt-dynsec)', () => {
  it('makes device credentials there, lets the device in within its topics, and disconnects it when revoked', async () => {
    const broker = await dynsecMosquitto();
    const url = `mqtt://${ADMIN.admin}:${ADMIN.password}@127.0.0.1:${broker.port}`;
    const hub = await startHub({ mqttAnonymous: false, config: { mqttUrl: url, mqttDynsec: true } });

    const lamp = await issue(hub, 'Attic lamp');
    const { client, reason } = await PahoClient.connect(broker.url, lamp.username, lamp.password, 'attic-lamp');
    expect(reason).toBe(0);
    expect(await client.subscribe('#')).toStrictEqual([0x87]);
    const state = heard(hub, 'hearth/attic-lamp/state');
    client.publish('hearth/attic-lamp/state', '{"state":"ON"}');
    expect(await state).toBe('{"state":"ON"}');

    expect((await hub.fetch(`${hub.httpUrl}/api/mqtt/credentials/attic-lamp`, { method: 'DELETE' })).status).toBe(204);
    await client.next('disconnected');
  });

  it('refuses to make credentials without --mqtt-dynsec: the broker\'s own users apply', async () => {
    const broker = await dynsecMosquitto();
    const hub = await startHub({ config: { mqttUrl: `mqtt://${ADMIN.admin}:${ADMIN.password}@127.0.0.1:${broker.port}` } });
    const response = await hub.fetch(`${hub.httpUrl}/api/mqtt/credentials`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Attic lamp"}' });
    expect(response.status).toBe(409);
    expect(((await response.json()) as { code: string }).code).toBe('HEARTH_EXTERNAL_BROKER');
  });
});
