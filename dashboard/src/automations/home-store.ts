/**
 * Scenes, automations, their latest runs and notifications, as the dashboard knows them:
 * loaded from the REST API, then kept current by the hub's events. Pure and immutable, like
 * the device store (../store.ts): every change returns a new object.
 */
import type { Automation, Notification, SceneView, Trace } from '../../../hub/protocol/automations.js';
import type { ServerMessage } from '../../../hub/protocol/messages.js';

/** Runs shown per automation, as the hub keeps them. */
const TRACES_SHOWN = 50;

export interface HomeExtras {
  scenes: readonly SceneView[];
  automations: ReadonlyMap<string, Automation>;
  /** Runs by automation id, newest first. */
  traces: ReadonlyMap<string, readonly Trace[]>;
  notifications: readonly Notification[];
  /** Notifications that came while the list was closed. */
  unread: number;
}

export const emptyExtras: HomeExtras = { scenes: [], automations: new Map(), traces: new Map(), notifications: [], unread: 0 };

type Handlers = { [T in 'scenes' | 'automation' | 'trace' | 'notification']: (state: HomeExtras, message: Extract<ServerMessage, { type: T }>) => HomeExtras };

const handlers: Handlers = {
  scenes: (state, { scenes }) => ({ ...state, scenes }),
  automation: (state, { id, automation }) => {
    const automations = new Map(state.automations);
    if (automation) automations.set(id, automation);
    else automations.delete(id);
    return { ...state, automations };
  },
  trace: (state, { trace }) => {
    const list = state.traces.get(trace.automation) ?? [];
    const next = list.some((t) => t.id === trace.id) ? list.map((t) => (t.id === trace.id ? trace : t)) : [trace, ...list].slice(0, TRACES_SHOWN);
    return { ...state, traces: new Map(state.traces).set(trace.automation, next) };
  },
  // A resumed connection may replay one already shown.
  notification: (state, { notification }) =>
    state.notifications.some((n) => n.id === notification.id) ? state : { ...state, notifications: [notification, ...state.notifications], unread: state.unread + 1 },
};

export function reduceExtras(state: HomeExtras, message: ServerMessage): HomeExtras {
  const handler = handlers[message.type as keyof Handlers] as ((s: HomeExtras, m: ServerMessage) => HomeExtras) | undefined;
  return handler ? handler(state, message) : state;
}

export const api = (path: string) => new URL(`api/${path}`, document.baseURI);

/** What the REST API holds now; after a (re)connection, as events may have been missed. */
export async function loadExtras(current: HomeExtras): Promise<HomeExtras> {
  const read = <T,>(path: string, fallback: T) => fetch(api(path)).then((r) => (r.ok ? (r.json() as Promise<T>) : fallback)).catch(() => fallback);
  const [scenes, automations, notifications] = await Promise.all([
    read<SceneView[]>('scenes', [...current.scenes]),
    read<Automation[]>('automations', [...current.automations.values()]),
    read<Notification[]>('notifications', [...current.notifications]),
  ]);
  return { ...current, scenes, automations: new Map(automations.map((a) => [a.id, a])), notifications };
}

export async function loadTraces(state: HomeExtras, automation: string): Promise<HomeExtras> {
  const traces = await fetch(api(`automations/${encodeURIComponent(automation)}/traces`)).then((r) => (r.ok ? (r.json() as Promise<Trace[]>) : null)).catch(() => null);
  return traces ? { ...state, traces: new Map(state.traces).set(automation, traces) } : state;
}

/** Sends a JSON request; the parsed answer, or the hub's reason for refusing. */
export async function send<T>(method: string, path: string, body?: unknown): Promise<{ ok: true; value: T } | { ok: false; reason: string }> {
  const response = await fetch(api(path), {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  }).catch(() => null);
  if (!response) return { ok: false, reason: 'the hub is unreachable' };
  const parsed = (await response.json().catch(() => null)) as (T & { message?: string }) | null;
  return response.ok ? { ok: true, value: parsed as T } : { ok: false, reason: parsed?.message ?? `error ${response.status}` };
}

/** Events going up from these elements: a message for the root's toasts. */
export function requestToast(from: HTMLElement, text: string): void {
  from.dispatchEvent(new CustomEvent<string>('hearth-toast', { detail: text, bubbles: true, composed: true }));
}

declare global {
  interface HTMLElementEventMap {
    'hearth-toast': CustomEvent<string>;
  }
}
