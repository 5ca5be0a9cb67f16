import { createHash, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { DEVICE_ROOT, deviceIdFor } from '../protocol/topics.js';
import { newSecret } from '../auth/secrets.js';
import type { Db } from '../store/database.js';
import { filterProblem } from './topic-rules.js';

/** A credential as listed: never its password. */
export interface CredentialInfo {
  username: string;
  name: string;
  /** Topic filters the device may publish and subscribe within. */
  topics: string[];
  createdAt: number;
}

/** A credential just made: the only time its password is known. */
export interface IssuedCredential {
  username: string;
  password: string;
  topics: string[];
}

export class CredentialError extends Error {
  constructor(
    message: string,
    readonly reason: 'invalid' | 'exists',
  ) {
    super(message);
  }
}

interface Row {
  username: string;
  name: string;
  password_sha256: Buffer;
  topics: string;
  created_at: number;
  mosquitto_hash: string | null;
}

/** A password as Mosquitto's dynamic security plugin keeps it: base64 PBKDF2-SHA512 of it with a base64 salt. */
export interface MosquittoHash {
  password: string;
  salt: string;
  iterations: number;
}

/** With what a broker needs to let it in without its password, when the hub has it. */
export interface StoredCredential extends CredentialInfo {
  mosquittoHash: MosquittoHash | null;
}

/** A device's username is the id the simulated devices give it: `Living room lamp` is `living-room-lamp`. */
export const usernameFor = deviceIdFor;

/**
 * What a device may use when nobody says otherwise: its own topics under the simulated
 * devices' layout (`hearth/<id>/…`) and its own Home Assistant discovery configs, with or
 * without a node id (`<prefix>/<component>/<id>/<object>/config`, `<prefix>/<component>/<id>/config`).
 */
export const defaultTopics = (username: string, discoveryPrefix: string): string[] => [
  `${DEVICE_ROOT}/${username}/#`,
  `${discoveryPrefix}/+/${username}/+/config`,
  `${discoveryPrefix}/+/${username}/config`,
];

/**
 * Per-device MQTT credentials in SQLite. Passwords are 32 random bytes made here, so they
 * are stored as plain SHA-256: a slow password hash (scrypt, argon2) exists to make
 * guessing a weak human password expensive, and 256 random bits cannot be guessed, while
 * 10,000 devices reconnecting after a power cut would each cost tens of milliseconds of
 * CPU with one. Every check reads the row again, so a credential made or revoked by the
 * CLI in another process applies at the next connection.
 */
export class DeviceCredentials {
  private readonly events = new EventEmitter<{ revoked: [username: string]; created: [issued: IssuedCredential] }>();
  private readonly statements;

  constructor(
    db: Db,
    readonly discoveryPrefix: string,
    private readonly now: () => number = Date.now,
  ) {
    this.statements = {
      get: db.prepare<[string], Row>('SELECT * FROM mqtt_credentials WHERE username = ?'),
      all: db.prepare<[], Row>('SELECT * FROM mqtt_credentials ORDER BY username'),
      insert: db.prepare('INSERT INTO mqtt_credentials (username, name, password_sha256, topics, created_at, mosquitto_hash) VALUES (?, ?, ?, ?, ?, ?)'),
      remove: db.prepare<[string]>('DELETE FROM mqtt_credentials WHERE username = ?'),
    };
  }

  /** A new credential for the device `name`; throws CredentialError for a bad name or topic, or a taken username. */
  create(name: string, topics?: readonly string[]): IssuedCredential {
    const username = usernameFor(name);
    if (username === '') throw new CredentialError(`name "${name}" has no letters or digits to make a username of`, 'invalid');
    const allowed = topics && topics.length > 0 ? [...topics] : defaultTopics(username, this.discoveryPrefix);
    for (const topic of allowed) {
      const problem = filterProblem(topic);
      if (problem) throw new CredentialError(`topic ${JSON.stringify(topic)} ${problem}`, 'invalid');
    }
    if (this.statements.get.get(username)) throw new CredentialError(`a credential for "${username}" exists; revoke it first`, 'exists');
    const password = newSecret();
    this.statements.insert.run(username, name, sha256(password), JSON.stringify(allowed), this.now(), JSON.stringify(mosquittoHash(password)));
    const issued = { username, password, topics: allowed };
    this.events.emit('created', issued);
    return issued;
  }

  list(): CredentialInfo[] {
    return this.statements.all.all().map(toInfo);
  }

  /** Every credential with its Mosquitto hash, for a broker that keeps its own copy. */
  stored(): StoredCredential[] {
    return this.statements.all.all().map((row) => ({ ...toInfo(row), mosquittoHash: row.mosquitto_hash === null ? null : (JSON.parse(row.mosquitto_hash) as MosquittoHash) }));
  }

  /** True when there was such a credential; devices connected with it are disconnected. */
  revoke(username: string): boolean {
    const removed = this.statements.remove.run(username).changes > 0;
    if (removed) this.events.emit('revoked', username);
    return removed;
  }

  /** The credential when `password` is its password, else null; constant time in the password. */
  verify(username: string, password: Buffer): CredentialInfo | null {
    const row = this.statements.get.get(username);
    // Hashing first makes both sides 32 bytes, as timingSafeEqual requires, whatever was sent.
    const given = sha256(password);
    if (!row || !timingSafeEqual(given, row.password_sha256)) return null;
    return toInfo(row);
  }

  exists(username: string): boolean {
    return this.statements.get.get(username) !== undefined;
  }

  /** The topic filters of `username`'s credential, or null when there is no such credential. */
  topicsOf(username: string): string[] | null {
    const row = this.statements.get.get(username);
    return row ? toInfo(row).topics : null;
  }

  /** Calls `listener` with each username revoked through this instance. Returns the unsubscribe function. */
  onRevoke(listener: (username: string) => void): () => void {
    this.events.on('revoked', listener);
    return () => this.events.off('revoked', listener);
  }

  /** Calls `listener` with each credential made through this instance, password included. Returns the unsubscribe function. */
  onCreate(listener: (issued: IssuedCredential) => void): () => void {
    this.events.on('created', listener);
    return () => this.events.off('created', listener);
  }
}

/** Mosquitto 2.0's dynamic security plugin: PBKDF2-HMAC-SHA512, 64-byte key, 12-byte salt, 101 rounds. */
const MOSQUITTO_ITERATIONS = 101;
export function mosquittoHash(password: string): MosquittoHash {
  const salt = randomBytes(12);
  return { password: pbkdf2Sync(password, salt, MOSQUITTO_ITERATIONS, 64, 'sha512').toString('base64'), salt: salt.toString('base64'), iterations: MOSQUITTO_ITERATIONS };
}

const sha256 = (value: string | Buffer): Buffer => createHash('sha256').update(value).digest();

const toInfo = (row: Row): CredentialInfo => ({
  username: row.username,
  name: row.name,
  topics: JSON.parse(row.topics) as string[],
  createdAt: row.created_at,
});
