import type { HomeSettings } from '../protocol/automations.js';
import type { Db } from '../store/database.js';

/** The host's time zone, until the user sets the home's own. */
const hostTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** Where the home is and which clock it keeps: for time-of-day and sun triggers. */
export class HomeSettingsStore {
  private current: HomeSettings;
  private readonly put;

  constructor(db: Db) {
    const row = db.prepare<[], { time_zone: string | null; latitude: number | null; longitude: number | null }>('SELECT time_zone, latitude, longitude FROM home_settings WHERE id = 1').get();
    this.current = { timeZone: row?.time_zone ?? hostTimeZone(), latitude: row?.latitude ?? null, longitude: row?.longitude ?? null };
    this.put = db.prepare(
      `INSERT INTO home_settings (id, time_zone, latitude, longitude) VALUES (1, @timeZone, @latitude, @longitude)
       ON CONFLICT (id) DO UPDATE SET time_zone = @timeZone, latitude = @latitude, longitude = @longitude`,
    );
  }

  get(): HomeSettings {
    return this.current;
  }

  set(patch: Partial<HomeSettings>): HomeSettings {
    const next = { ...this.current, ...patch };
    this.put.run(next);
    this.current = next;
    return next;
  }
}
