import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Db } from '../store/database.js';
import { hashPassword, verifyAgainstDecoy, verifyPassword } from './passwords.js';
import { outranks, type Role } from './roles.js';
import { digest, newSecret } from './secrets.js';

export interface User {
  id: string;
  username: string;
  role: Role;
  createdAt: number;
}

export interface ApiToken {
  id: string;
  name: string;
  userId: string;
  username: string;
  createdAt: number;
  lastUsedAt: number | null;
}

/** A signed-in browser or app, as its owner sees it in the list of their sessions. */
export interface SessionInfo {
  /** A public name for the session: never its secret, nor the digest it is looked up by. */
  id: string;
  createdAt: number;
  expiresAt: number;
  address: string | null;
  userAgent: string | null;
}

/** Who made a request, and with what: a session cookie (by its digest) or an API token (by its id). */
export interface Principal {
  user: User;
  via: { kind: 'session'; sessionId: string } | { kind: 'token'; tokenId: string };
}

/**
 * Access that just ended (`revoked`: a session, token or user is gone) or shrank (`role-changed`):
 * every open stream whose principal `matches` is closed, so nobody keeps what they lost.
 */
export interface AccessChange {
  reason: 'revoked' | 'role-changed';
  matches(principal: Principal): boolean;
}

/** Where a session was started, for the session list. */
export interface SessionOrigin {
  address: string;
  userAgent: string | null;
}

/** A login lasts a month; logging out or revoking the user ends it sooner. */
export const SESSION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

interface UserRow {
  id: string;
  username: string;
  role: Role;
  created_at: number;
}

const TOUCH_EVERY_MS = 60_000;
/** Characters of a session's digest that name it in the session list. */
const SESSION_ID_LENGTH = 16;

interface SessionRow {
  digest: string;
  created_at: number;
  expires_at: number;
  address: string | null;
  user_agent: string | null;
}

const toUser = (row: UserRow): User => ({ id: row.id, username: row.username, role: row.role, createdAt: row.created_at });

/** People, their sessions and their API tokens, in SQLite. Secrets are stored only as digests. */
export class Accounts {
  private readonly q;
  private readonly changes = new EventEmitter<{ change: [AccessChange] }>();

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {
    this.q = {
      count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM users'),
      insertUser: db.prepare('INSERT INTO users (id, username, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?)'),
      userByName: db.prepare<[string], UserRow & { password_hash: string }>('SELECT * FROM users WHERE username = ?'),
      userById: db.prepare<[string], UserRow>('SELECT id, username, role, created_at FROM users WHERE id = ?'),
      users: db.prepare<[], UserRow>('SELECT id, username, role, created_at FROM users ORDER BY created_at, username'),
      deleteUser: db.prepare('DELETE FROM users WHERE id = ?'),
      insertSession: db.prepare('INSERT INTO sessions (digest, user_id, created_at, expires_at, address, user_agent) VALUES (?, ?, ?, ?, ?, ?)'),
      sessionsOf: db.prepare<[string, number], SessionRow>(
        'SELECT digest, created_at, expires_at, address, user_agent FROM sessions WHERE user_id = ? AND expires_at > ? ORDER BY created_at DESC',
      ),
      setRole: db.prepare('UPDATE users SET role = ? WHERE id = ?'),
      setPassword: db.prepare('UPDATE users SET password_hash = ? WHERE id = ?'),
      passwordOf: db.prepare<[string], { password_hash: string }>('SELECT password_hash FROM users WHERE id = ?'),
      sessionUser: db.prepare<[string, number], UserRow>(
        'SELECT u.id, u.username, u.role, u.created_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.digest = ? AND s.expires_at > ?',
      ),
      deleteSession: db.prepare('DELETE FROM sessions WHERE digest = ?'),
      deleteSessionsOf: db.prepare('DELETE FROM sessions WHERE user_id = ? AND digest != ?'),
      pruneSessions: db.prepare('DELETE FROM sessions WHERE expires_at <= ?'),
      insertToken: db.prepare('INSERT INTO api_tokens (id, digest, name, user_id, created_at) VALUES (?, ?, ?, ?, ?)'),
      tokenUser: db.prepare<[string], UserRow & { token_id: string }>(
        'SELECT t.id AS token_id, u.id, u.username, u.role, u.created_at FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.digest = ?',
      ),
      touchToken: db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?'),
      tokens: db.prepare<[], { id: string; name: string; user_id: string; username: string; created_at: number; last_used_at: number | null }>(
        'SELECT t.id, t.name, t.user_id, u.username, t.created_at, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id ORDER BY t.created_at',
      ),
      deleteToken: db.prepare('DELETE FROM api_tokens WHERE id = ?'),
    };
  }

  /** Until someone has onboarded, the hub has no owner and admits nobody but the onboarding form. */
  hasUsers(): boolean {
    return this.q.count.get()!.n > 0;
  }

  async createUser(username: string, password: string, role: Role): Promise<User | null> {
    if (this.q.userByName.get(username)) return null;
    const user: User = { id: randomUUID(), username, role, createdAt: this.now() };
    const hash = await hashPassword(password);
    // Checked again after the slow hash: two requests may race for the same name.
    if (this.q.userByName.get(username)) return null;
    this.q.insertUser.run(user.id, username, hash, role, user.createdAt);
    return user;
  }

  /** Onboarding: the first account, the owner, made only while there are no users at all. */
  async createOwner(username: string, password: string): Promise<User | null> {
    if (this.hasUsers()) return null;
    const hash = await hashPassword(password);
    return this.db.transaction(() => {
      if (this.hasUsers()) return null;
      const user: User = { id: randomUUID(), username, role: 'owner', createdAt: this.now() };
      this.q.insertUser.run(user.id, username, hash, 'owner', user.createdAt);
      return user;
    }).immediate();
  }

  async checkPassword(username: string, password: string): Promise<User | null> {
    const row = this.q.userByName.get(username);
    if (!row) return verifyAgainstDecoy(password).then(() => null);
    return (await verifyPassword(password, row.password_hash)) ? toUser(row) : null;
  }

  user(id: string): User | null {
    const row = this.q.userById.get(id);
    return row ? toUser(row) : null;
  }

  users(): User[] {
    return this.q.users.all().map(toUser);
  }

  /** Removes the user with their sessions and tokens (cascading keys); their open streams close. */
  deleteUser(id: string): boolean {
    const removed = this.q.deleteUser.run(id).changes > 0;
    if (removed) this.announce('revoked', (p) => p.user.id === id);
    return removed;
  }

  /**
   * Gives `id` another role (never `owner`: see handOver). A lower role closes the user's open
   * streams, which reconnect with what the new role allows.
   */
  setRole(id: string, role: Exclude<Role, 'owner'>): User | null {
    const user = this.user(id);
    if (!user) return null;
    this.q.setRole.run(role, id);
    if (outranks(user.role, role)) this.announce('role-changed', (p) => p.user.id === id);
    return { ...user, role };
  }

  /** Makes `toId` the owner and the owner until now an admin, in one transaction. */
  handOver(fromId: string, toId: string): boolean {
    const moved = this.db.transaction(() => {
      if (this.user(fromId)?.role !== 'owner' || !this.user(toId) || fromId === toId) return false;
      this.q.setRole.run('admin', fromId);
      this.q.setRole.run('owner', toId);
      return true;
    }).immediate();
    if (moved) this.announce('role-changed', (p) => p.user.id === fromId);
    return moved;
  }

  /**
   * A new password, when `current` is right. Every other session of the user ends (a leaked
   * password may have been used to sign in elsewhere); `keepSessionId`, the one asking, stays.
   */
  async changePassword(id: string, current: string, next: string, keepSessionId: string | null): Promise<boolean> {
    const row = this.q.passwordOf.get(id);
    if (!row || !(await verifyPassword(current, row.password_hash))) return false;
    this.q.setPassword.run(await hashPassword(next), id);
    this.endSessionsOf(id, keepSessionId);
    return true;
  }

  startSession(userId: string, origin: SessionOrigin | null = null): string {
    const secret = newSecret();
    const at = this.now();
    this.q.pruneSessions.run(at);
    this.q.insertSession.run(digest(secret), userId, at, at + SESSION_LIFETIME_MS, origin?.address ?? null, origin?.userAgent?.slice(0, 200) ?? null);
    return secret;
  }

  endSession(secret: string): void {
    this.endSessionByDigest(digest(secret));
  }

  /** The user's sessions that have not expired, newest first. */
  sessions(userId: string): SessionInfo[] {
    return this.q.sessionsOf.all(userId, this.now()).map((row) => ({
      id: publicSessionId(row.digest),
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      address: row.address,
      userAgent: row.user_agent,
    }));
  }

  /** Ends one of the user's sessions by its public id; false when they have no such session. */
  endSessionById(userId: string, id: string): boolean {
    const row = this.q.sessionsOf.all(userId, this.now()).find((r) => publicSessionId(r.digest) === id);
    if (row) this.endSessionByDigest(row.digest);
    return row !== undefined;
  }

  /** Signs the user out everywhere but `keepSessionId`; their tokens stay (revoke those one by one). */
  endSessionsOf(userId: string, keepSessionId: string | null): void {
    this.q.deleteSessionsOf.run(userId, keepSessionId ?? '');
    this.announce('revoked', (p) => p.user.id === userId && p.via.kind === 'session' && p.via.sessionId !== keepSessionId);
  }

  /** The session id the session list shows for this principal's session, if it is one. */
  static publicSessionId(principal: Principal): string | null {
    return principal.via.kind === 'session' ? publicSessionId(principal.via.sessionId) : null;
  }

  /** Calls `listener` whenever access ends or shrinks. Returns the unsubscribe function. */
  onAccessChange(listener: (change: AccessChange) => void): () => void {
    this.changes.on('change', listener);
    return () => this.changes.off('change', listener);
  }

  private endSessionByDigest(sessionDigest: string): void {
    this.q.deleteSession.run(sessionDigest);
    this.announce('revoked', (p) => p.via.kind === 'session' && p.via.sessionId === sessionDigest);
  }

  private announce(reason: AccessChange['reason'], matches: AccessChange['matches']): void {
    this.changes.emit('change', { reason, matches });
  }

  createToken(userId: string, name: string): { token: ApiToken; secret: string } {
    const secret = newSecret();
    const user = this.user(userId)!;
    const token: ApiToken = { id: randomUUID(), name, userId, username: user.username, createdAt: this.now(), lastUsedAt: null };
    this.q.insertToken.run(token.id, digest(secret), name, userId, token.createdAt);
    return { token, secret };
  }

  tokens(): ApiToken[] {
    return this.q.tokens.all().map((t) => ({ id: t.id, name: t.name, userId: t.user_id, username: t.username, createdAt: t.created_at, lastUsedAt: t.last_used_at }));
  }

  revokeToken(id: string): boolean {
    const revoked = this.q.deleteToken.run(id).changes > 0;
    if (revoked) this.announce('revoked', (p) => p.via.kind === 'token' && p.via.tokenId === id);
    return revoked;
  }

  private readonly touched = new Map<string, number>();

  /**
   * Notes when a token was last used, at most once a minute per token: a script polling
   * every second should not cost a write each time, and a disk that refuses writes must
   * not refuse the request.
   */
  private touch(tokenId: string): void {
    const at = this.now();
    if (at - (this.touched.get(tokenId) ?? 0) < TOUCH_EVERY_MS) return;
    this.touched.set(tokenId, at);
    try {
      this.q.touchToken.run(at, tokenId);
    } catch {
      // Only a convenience for the token list; the next use tries again.
      this.touched.delete(tokenId);
    }
  }

  /** Who a session cookie or a bearer token belongs to, or null if it is unknown, expired or revoked. */
  resolve(secret: string, kind: 'session' | 'token'): Principal | null {
    const key = digest(secret);
    if (kind === 'session') {
      const row = this.q.sessionUser.get(key, this.now());
      return row ? { user: toUser(row), via: { kind: 'session', sessionId: key } } : null;
    }
    const row = this.q.tokenUser.get(key);
    if (!row) return null;
    this.touch(row.token_id);
    return { user: toUser(row), via: { kind: 'token', tokenId: row.token_id } };
  }
}

const publicSessionId = (sessionDigest: string): string => sessionDigest.slice(0, SESSION_ID_LENGTH);
