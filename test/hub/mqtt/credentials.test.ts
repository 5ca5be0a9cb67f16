import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialError, DeviceCredentials } from '../../../hub/mqtt/credentials.js';
import { openDatabase, type Db } from '../../../hub/store/database.js';
import { newDataDir, startHub, stopAllHubs, type TestHub } from '../../helpers/hub.js';
import { connectMqtt } from '../../helpers/mqtt.js';

afterAll(stopAllHubs);

describe('DeviceCredentials', () => {
  let db: Db;
  let credentials: DeviceCredentials;
  beforeAll(() => {
    db = openDatabase(newDataDir()).db;
    credentials = new DeviceCredentials(db, 'homeassistant', () => 1_000);
  });
  afterAll(() => db.close());

  it('makes a username from the name, a 256-bit password, and the device\'s own topics', () => {
    const issued = credentials.create('Living room lamp');
    expect(issued).toStrictEqual({
      username: 'living-room-lamp',
      password: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      topics: ['hearth/living-room-lamp/#', 'homeassistant/+/living-room-lamp/+/config', 'homeassistant/+/living-room-lamp/config'],
    });
    expect(credentials.list()).toStrictEqual([{ username: 'living-room-lamp', name: 'Living room lamp', topics: issued.topics, createdAt: 1_000 }]);
  });

  it('stores only the SHA-256 of the password', () => {
    const { password } = credentials.create('Hashed', ['hashed/#']);
    const row = db.prepare<[], { password_sha256: Buffer }>("SELECT password_sha256 FROM mqtt_credentials WHERE username = 'hashed'").get()!;
    expect(row.password_sha256).toStrictEqual(createHash('sha256').update(password).digest());
    expect(JSON.stringify(db.prepare('SELECT * FROM mqtt_credentials').all())).not.toContain(password);
  });

  it('verifies the password, and nothing else', () => {
    const { password } = credentials.create('Verified');
    expect(credentials.verify('verified', Buffer.from(password))?.username).toBe('verified');
    expect(credentials.verify('verified', Buffer.from(`${password}x`))).toBeNull();
    expect(credentials.verify('verified', Buffer.alloc(0))).toBeNull();
    expect(credentials.verify('unknown', Buffer.from(password))).toBeNull();
  });

  it.each([
    [['#/a'], /topic "#\/a" has a wildcard/],
    [['$SYS/#'], /starts with \$/],
    [['a/\u0000'], /U\+0000/],
  ])('refuses the topics %j', (topics, message) => {
    expect(() => credentials.create('Bad topics', topics)).toThrow(message);
  });

  it('refuses a name that is taken, or has nothing to make a username of', () => {
    credentials.create('Taken');
    expect(() => credentials.create('TAKEN')).toThrow(new CredentialError('a credential for "taken" exists; revoke it first', 'exists'));
    expect(() => credentials.create('!!!')).toThrow(/no letters or digits/);
  });

  it('revokes', () => {
    const { password } = credentials.create('Revoked');
    const heard: string[] = [];
    credentials.onRevoke((username) => heard.push(username));
    expect(credentials.revoke('revoked')).toBe(true);
    expect(credentials.revoke('revoked')).toBe(false);
    expect(credentials.verify('revoked', Buffer.from(password))).toBeNull();
    expect(heard).toStrictEqual(['revoked']);
  });
});

describe('REST /api/mqtt/credentials', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startHub({ mqttAnonymous: false });
  });

  const post = (body: unknown) =>
    fetch(`${hub.httpUrl}/api/mqtt/credentials`, { method: 'POST', headers: { ...hub.headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('makes a credential, shows its password once, and lists it without', async () => {
    const created = await post({ name: 'Garden pump', topics: ['garden/pump/#'] });
    expect(created.status).toBe(201);
    const issued = (await created.json()) as { password: string };
    expect(issued).toStrictEqual({ username: 'garden-pump', password: expect.any(String), topics: ['garden/pump/#'] });
    const listed = await (await fetch(`${hub.httpUrl}/api/mqtt/credentials`, { headers: hub.headers })).json();
    expect(listed).toStrictEqual([{ username: 'garden-pump', name: 'Garden pump', topics: ['garden/pump/#'], createdAt: expect.any(Number) }]);
    expect(JSON.stringify(listed)).not.toContain(issued.password);
  });

  it.each([
    [{ name: 'Garden pump' }, 409, 'HEARTH_CREDENTIAL_EXISTS'],
    [{ name: 'Wildcards', topics: ['a/#/b'] }, 400, 'HEARTH_INVALID_CREDENTIAL'],
    [{ name: 'Extra', password: 'mine' }, 400, 'FST_ERR_VALIDATION'],
    [{ name: '   ' }, 400, 'FST_ERR_VALIDATION'],
  ])('refuses %j with %i %s', async (body, status, code) => {
    const response = await post(body);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { code: string }).code).toBe(code);
  });

  it('answers 404 for revoking an unknown credential', async () => {
    const response = await fetch(`${hub.httpUrl}/api/mqtt/credentials/nobody`, { method: 'DELETE', headers: hub.headers });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { code: string }).code).toBe('HEARTH_CREDENTIAL_NOT_FOUND');
  });
});

/** The built CLI, as `npm run credentials` runs it (`npm test` builds first). */
const CLI = new URL('../../../dist/hub/cli/credentials.js', import.meta.url).pathname;

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 15_000 }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
  });
}

describe('npm run credentials', () => {
  it('adds, lists and revokes on the database of a running hub, which applies them at once', async () => {
    const hub = await startHub({ mqttAnonymous: false });
    const added = await cli(['add', 'Garage door', '--topic', 'garage/door/#', '--data-dir', hub.dataDir, '--json']);
    expect(added.code).toBe(0);
    const issued = JSON.parse(added.stdout) as { username: string; password: string };
    expect(issued).toStrictEqual({ username: 'garage-door', password: expect.any(String), topics: ['garage/door/#'] });

    const device = await connectMqtt(hub.mqttUrl, { username: 'garage-door', password: issued.password });
    await device.publishAsync('garage/door/state', 'open', { qos: 1 });
    await device.endAsync();

    const listed = await cli(['list', '--data-dir', hub.dataDir]);
    expect(listed.stdout).toBe('garage-door  (Garage door)  garage/door/#\n');

    expect((await cli(['revoke', 'garage-door', '--data-dir', hub.dataDir])).code).toBe(0);
    const refused = await connectMqtt(hub.mqttUrl, { username: 'garage-door', password: issued.password }).catch((error: { code?: number }) => error.code);
    expect(refused).toBe(4);
  });

  it('says what went wrong, with a non-zero exit', async () => {
    const dataDir = newDataDir();
    expect(await cli(['revoke', 'nobody', '--data-dir', dataDir])).toStrictEqual({ code: 1, stdout: '', stderr: 'no credential "nobody"\n' });
    expect((await cli(['add', 'X', '--topic', '$SYS/#', '--data-dir', dataDir])).stderr).toMatch(/starts with \$/);
    expect((await cli(['frobnicate', '--data-dir', dataDir])).code).toBe(2);
  });
});
