/** What the page shows instead of, or above, the live home: unreachable, reconnecting, empty. */
import { html } from 'lit';
import { LOOK_ONLY } from './abilities.js';
import type { loadHome } from './home-cache.js';
import { icon } from './icons.js';

const retryButton = (retry: () => void) => html`<button class="retry" @click=${retry}>Retry now</button>`;

/**
 * The hub cannot be reached and nothing live has come yet (the page came from the cache:
 * installed app, or the hub is down): the last home this browser saw, marked as old and
 * look-only, or else just that Hearth keeps trying.
 */
export function unreachable(saved: ReturnType<typeof loadHome>, retry: () => void) {
  if (saved) {
    const when = new Intl.DateTimeFormat(document.documentElement.lang, { dateStyle: 'medium', timeStyle: 'short' }).format(saved.savedAt);
    return html`<p class="notice" data-testid="hub-unreachable">Hub unreachable. Showing your home as it was at ${when}; it may have changed since. ${retryButton(retry)}</p>
      <hearth-home class="old" .state=${saved.state} .abilities=${LOOK_ONLY}></hearth-home>`;
  }
  return html`<div class="empty" data-testid="hub-unreachable">
    <span class="empty-icon">${icon('flame')}</span>
    <h2>Hub unreachable</h2>
    <p>Hearth keeps trying to reach your hub and will show your home as soon as it answers.</p>
    ${retryButton(retry)}
  </div>`;
}

export const connectionLost = (retry: () => void) => html`<p class="notice">Connection lost. Showing the last known state while Hearth reconnects. ${retryButton(retry)}</p>`;

/** A home without devices; `add` when the person may add one. */
export const noDevices = (add: (() => void) | null) => html`<div class="empty">
  <span class="empty-icon">${icon('bulb')}</span>
  <h2>No devices yet</h2>
  <p>Devices appear here as soon as they announce themselves over MQTT (Home Assistant discovery, Tasmota, Shelly, Zigbee2MQTT).</p>
  ${add ? html`<button class="retry" @click=${add}>Add device</button>` : ''}
</div>`;
