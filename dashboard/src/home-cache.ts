import type { Device, Room } from '../../hub/protocol/device.js';
import { initialState, type StoreState } from './store.js';

/** The last home this browser saw, to show (marked as old) when the hub cannot be reached. */
const KEY = 'hearth.lastHome';
/** Writing on every sensor report would be wasted work: at most this often. */
export const SAVE_EVERY_MS = 10_000;

interface Saved {
  savedAt: number;
  devices: Device[];
  rooms: Room[];
}

export function saveHome(state: StoreState, now: number): void {
  const saved: Saved = { savedAt: now, devices: [...state.devices.values()], rooms: [...state.rooms] };
  try {
    localStorage.setItem(KEY, JSON.stringify(saved));
  } catch {
    // Storage full or refused (private mode): the page just has nothing to show offline.
  }
}

/** The saved home as a store state, with when it was saved; null if none or unreadable. */
export function loadHome(): { state: StoreState; savedAt: number } | null {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Saved | null;
    if (!saved || !Array.isArray(saved.devices) || !Array.isArray(saved.rooms) || typeof saved.savedAt !== 'number') return null;
    return { savedAt: saved.savedAt, state: { ...initialState, loaded: true, devices: new Map(saved.devices.map((d) => [d.id, d])), rooms: saved.rooms } };
  } catch {
    return null;
  }
}

/** Signing out leaves nothing of the home in this browser. */
export function forgetHome(): void {
  localStorage.removeItem(KEY);
}
