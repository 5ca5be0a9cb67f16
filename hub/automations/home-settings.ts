import type { HomeSettings } from '../protocol/automations.js';
import type { Db } from '../store/database.js';

/** The host's time zone, until the user sets the home's own. */
const hostTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** The settings as stored: no time zone until the user sets one. */
type Stored = Omit<HomeSettings, 'timeZone'> & { timeZone: string | null };

/** Where the home is and which clock it keeps: for time-of-day and sun triggers. */
export class HomeSettingsStore {
  private current: Stored;
  private readonly put;

  constructor(db: Db) {
    const row = db.prepare<[], { time_zone: string | null; latitude: number | null; longitude: number | null }>('SELECT time_zone, latitude, longitude FROM home_settings WHERE id = 1').get();
    this.current = { timeZone: row?.time_zone ?? null, latitude: row?.latitude ?? null, longitude: row?.longitude ?? null };
    this.put = db.prepare(
      `INSERT INTO home_settings (id, time_zone, latitude, longitude) VALUES (1, @timeZone, @latitude, @longitude)
       ON CONFLICT (id) DO UPDATE SET time_zone = @timeZone, latitude = @latitude, longitude = @longitude`,
    );
  }

  /**
   * The host's zone is looked up the first time it is needed, not at start: the Intl lookup
   * brings in ICU's zone and locale data, 5 MB of the hub's resident memory (demo home, Pi
   * profile) and 15 ms of its start, for a home that may have no time of day to keep.
   */
  get(): HomeSettings {
    this.current.timeZone ??= hostTimeZone();
    return this.current as HomeSettings;
  }

  set(patch: Partial<HomeSettings>): HomeSettings {
    const next = { ...this.get(), ...patch };
    this.put.run(next);
    this.current = next;
    return next;
  }
}
