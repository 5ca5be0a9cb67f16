/** What the toolbar narrows the home view to, and how a device is matched: pure, no DOM. */
import type { Device, Room } from '../../hub/protocol/device.js';
import { KINDS } from './cards/index.js';

export interface Filter {
  text: string;
  kind: Device['kind'] | '';
  room: string;
  onlineOnly: boolean;
}

export const NO_FILTER: Filter = { text: '', kind: '', room: '', onlineOnly: false };
export const filtering = (f: Filter): boolean => f.text !== '' || f.kind !== '' || f.room !== '' || f.onlineOnly;

/**
 * The words a search looks in: the name, the room, the kind ("Lights", "Sensors") and what
 * the device measures or does ("Temperature"), so "temperature" finds the climate sensors.
 */
function searchable(d: Device, rooms: readonly Room[]): string {
  const labels = d.capabilities.map((c) => ('label' in c ? c.label : c.type));
  return [d.name, rooms.find((r) => r.id === d.room)?.name ?? '', KINDS[d.kind]?.title ?? '', d.kind, ...labels].join('\n').toLowerCase();
}

export function matches(d: Device, f: Filter, rooms: readonly Room[]): boolean {
  const words = f.text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const text = words.length ? searchable(d, rooms) : '';
  return (
    words.every((w) => text.includes(w)) &&
    (f.kind === '' || d.kind === f.kind) &&
    (f.room === '' || (f.room === 'none' ? d.room === null : d.room === f.room)) &&
    (!f.onlineOnly || d.online)
  );
}

/** The user's order first, then by name. */
export const byOrder = (a: Device, b: Device): number => (a.position ?? Infinity) - (b.position ?? Infinity) || a.name.localeCompare(b.name);
