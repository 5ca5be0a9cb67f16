/**
 * Wall-clock time in the home's time zone, from the platform's time zone data (Intl), so
 * daylight saving changes follow the IANA database Node ships with.
 */
import type { TimeOfDay, Weekday } from '../protocol/automations.js';
import { WEEKDAYS } from '../protocol/automations.js';

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

export interface LocalTime extends LocalDate {
  hour: number;
  minute: number;
  second: number;
  weekday: Weekday;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isTimeZone(name: string): boolean {
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

/** What a clock on the wall in `timeZone` shows at the instant `ms`. */
export function localTime(ms: number, timeZone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: parts.weekday!.toLowerCase().slice(0, 3) as Weekday,
  };
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Milliseconds the zone is ahead of UTC at the instant `ms`. */
function offsetAt(ms: number, timeZone: string): number {
  const t = localTime(ms, timeZone);
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second) - Math.floor(ms / 1000) * 1000;
}

/**
 * The instants a wall clock shows this date and time: none in the hour skipped when clocks go
 * forward, two in the hour repeated when they go back, else one. Earliest first.
 */
export function instantsOf(date: LocalDate, hour: number, minute: number, timeZone: string): number[] {
  const wall = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  // A zone changes its offset at most once in two days: the offsets a day either side cover it.
  const offsets = new Set([offsetAt(wall - DAY_MS, timeZone), offsetAt(wall + DAY_MS, timeZone)]);
  const found = [...offsets]
    .map((offset) => wall - offset)
    .filter((t) => {
      const l = localTime(t, timeZone);
      return l.year === date.year && l.month === date.month && l.day === date.day && l.hour === hour && l.minute === minute;
    });
  return [...new Set(found)].sort((a, b) => a - b);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function parseTimeOfDay(text: TimeOfDay): { hour: number; minute: number } {
  const [hour, minute] = text.split(':').map(Number);
  return { hour: hour!, minute: minute! };
}

/**
 * The next instant after `after` when the wall clock shows `at`. A time the clocks skip that
 * day does not happen that day, and a time they repeat happens once, the first time; as Home
 * Assistant's time trigger (homeassistant/util/dt.py find_next_time_expression_time).
 */
export function nextTimeOfDay(after: number, at: TimeOfDay, timeZone: string): number {
  const { hour, minute } = parseTimeOfDay(at);
  const today = localTime(after, timeZone);
  for (let k = 0; k < 3; k++) {
    const first = instantsOf(addDays(today, k), hour, minute, timeZone)[0];
    if (first !== undefined && first > after) return first;
  }
  throw new Error(`no ${at} in ${timeZone} within three days of ${new Date(after).toISOString()}`);
}

export function minutesOfDay(t: { hour: number; minute: number }): number {
  return t.hour * 60 + t.minute;
}

export const weekdayIndex = (day: Weekday) => WEEKDAYS.indexOf(day);
