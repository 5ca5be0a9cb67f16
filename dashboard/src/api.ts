/** The hub's REST API as the dashboard uses it: a result to show, never an exception. */
import { refusalReason } from './refusal.js';

export const apiUrl = (path: string): URL => new URL(`api/${path}`, document.baseURI);

export type Outcome<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Sends a request; a refusal or an unreachable hub comes back as a readable reason. */
export async function call<T = unknown>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<Outcome<T>> {
  const init: RequestInit = body === undefined ? { method } : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const response = await fetch(apiUrl(path), init).catch(() => null);
  if (!response?.ok) return { ok: false, reason: await refusalReason(response) };
  return { ok: true, value: (response.status === 204 ? null : await response.json()) as T };
}
