import { getTimes } from 'suncalc';
import { addDays, instantsOf, localTime } from './zoned-time.js';

export interface Place {
  latitude: number;
  longitude: number;
  timeZone: string;
}

/**
 * The next sunrise or sunset (moved by `offsetMinutes`) after `after`, at the home's place.
 * Each local day's times are taken around its noon, as suncalc gives a solar day's events.
 * Null when the sun neither rises nor sets for days (polar day or night): checked again later.
 */
export function nextSunEvent(after: number, event: 'sunrise' | 'sunset', offsetMinutes: number, place: Place): number | null {
  const today = localTime(after, place.timeZone);
  for (let k = 0; k < 3; k++) {
    const date = addDays(today, k);
    const noon = instantsOf(date, 12, 0, place.timeZone)[0] ?? Date.UTC(date.year, date.month - 1, date.day, 12);
    const time = getTimes(new Date(noon), place.latitude, place.longitude)[event];
    if (!time) continue;
    const at = time.getTime() + offsetMinutes * 60_000;
    if (at > after) return at;
  }
  return null;
}
