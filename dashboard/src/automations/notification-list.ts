import { LitElement, css, html, nothing } from 'lit';
import type { Notification } from '../../../hub/protocol/automations.js';
import { requestToast, send } from './home-store.js';

/** What automations told the household, newest first, as the hub keeps them. */
export class HearthNotificationList extends LitElement {
  static override properties = { notifications: { attribute: false }, canClear: { type: Boolean } };
  static override styles = css`
    :host {
      display: block;
      margin: 16px 0;
    }
    h3 {
      margin: 0 0 8px;
      font-size: 0.8125rem;
      text-transform: uppercase;
      letter-spacing: 0.05em;
      color: var(--hearth-text-muted);
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    li {
      padding: 8px 0;
      border-bottom: 1px solid var(--hearth-border);
    }
    time {
      color: var(--hearth-text-muted);
      font-size: 0.8125rem;
      margin-right: 8px;
    }
    button {
      min-height: 36px;
      padding: 0 12px;
      border-radius: 10px;
      border: 1px solid var(--hearth-border);
      background: var(--hearth-surface-2);
      color: inherit;
      font: inherit;
    }
  `;

  declare notifications: readonly Notification[];
  declare canClear: boolean;

  constructor() {
    super();
    this.notifications = [];
    this.canClear = false;
  }

  async #clear(): Promise<void> {
    const outcome = await send('DELETE', 'notifications');
    if (outcome.ok) this.dispatchEvent(new CustomEvent('notifications-cleared', { bubbles: true, composed: true }));
    else requestToast(this, `Could not clear: ${outcome.reason}`);
  }

  override render() {
    return html`<section aria-labelledby="notifications-title" data-testid="notifications">
      <h3 id="notifications-title">Notifications</h3>
      ${this.notifications.length === 0
        ? html`<p>None yet.</p>`
        : html`<ul>
            ${this.notifications.map((n) => html`<li><time datetime=${new Date(n.at).toISOString()}>${new Date(n.at).toLocaleString()}</time>${n.message}</li>`)}
          </ul>`}
      ${this.canClear && this.notifications.length ? html`<button @click=${() => void this.#clear()}>Clear</button>` : nothing}
    </section>`;
  }
}

customElements.define('hearth-notification-list', HearthNotificationList);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-notification-list': HearthNotificationList;
  }
  interface HTMLElementEventMap {
    'notifications-cleared': CustomEvent<void>;
  }
}
