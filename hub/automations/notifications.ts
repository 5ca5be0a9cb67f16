import { randomUUID } from 'node:crypto';
import type { Notification } from '../protocol/automations.js';
import type { Db } from '../store/database.js';

/** Notifications kept; older ones are dropped as new ones come. */
export const NOTIFICATIONS_KEPT = 200;

/** What automations tell the household: kept in a list, and announced to every open dashboard. */
export class Notifications {
  private readonly s;

  constructor(
    db: Db,
    private readonly announce: (notification: Notification) => void,
  ) {
    this.s = {
      add: db.prepare('INSERT INTO notifications (id, at, message, automation_id) VALUES (@id, @at, @message, @automation)'),
      list: db.prepare<[number], { id: string; at: number; message: string; automation: string | null }>(
        'SELECT id, at, message, automation_id AS automation FROM notifications ORDER BY at DESC, rowid DESC LIMIT ?',
      ),
      prune: db.prepare('DELETE FROM notifications WHERE id NOT IN (SELECT id FROM notifications ORDER BY at DESC, rowid DESC LIMIT ?)'),
      clear: db.prepare('DELETE FROM notifications'),
    };
  }

  add(message: string, automation: string | null, at: number): Notification {
    const notification: Notification = { id: randomUUID(), at, message, automation };
    this.s.add.run(notification);
    this.s.prune.run(NOTIFICATIONS_KEPT);
    this.announce(notification);
    return notification;
  }

  list(): Notification[] {
    return this.s.list.all(NOTIFICATIONS_KEPT);
  }

  clear(): void {
    this.s.clear.run();
  }
}
