import type { Automation, AutomationDefinition, Trace } from '../../hub/protocol/automations.js';
import type { ServerMessage } from '../../hub/protocol/messages.js';
import type { TestHub } from '../helpers/hub.js';
import type { LiveClient } from '../helpers/live-client.js';

/** A JSON request with the owner's token; the parsed answer and its status. */
export async function call<T = unknown>(hub: TestHub, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await hub.fetch(`${hub.httpUrl}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

export async function createAutomation(hub: TestHub, definition: Partial<AutomationDefinition> & Pick<AutomationDefinition, 'triggers' | 'actions'>): Promise<Automation> {
  const { status, body } = await call<Automation>(hub, 'POST', '/api/automations', { name: 'Test', mode: 'single', conditions: [], ...definition });
  if (status !== 201) throw new Error(`automation refused: ${JSON.stringify(body)}`);
  return body;
}

/**
 * The first `count` finished runs of this automation on the live stream, in the order they
 * ended, whether they arrived before this call or after.
 */
export async function runs(live: LiveClient, automation: string, count: number): Promise<Trace[]> {
  const finished = (m: ServerMessage): m is Extract<ServerMessage, { type: 'trace' }> => m.type === 'trace' && m.trace.automation === automation && m.trace.result !== 'running';
  for (;;) {
    const found = live.messages.filter(finished).map((m) => m.trace);
    if (found.length >= count) return found.slice(0, count);
    await live.next('trace', (m) => finished(m));
  }
}

export async function nextRun(live: LiveClient, automation: string): Promise<Trace> {
  return (await runs(live, automation, 1))[0]!;
}

export const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
