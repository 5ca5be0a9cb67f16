import { LitElement, css, html, nothing } from 'lit';
import { createRef, ref } from 'lit/directives/ref.js';
import { deviceIdFor } from '../../hub/protocol/topics.js';
import { call } from './api.js';
import { FIRMWARES, type DeviceLogin, type FirmwareName, type HubBroker } from './firmware-setup.js';
import { panelStyles } from './panel.styles.js';

interface Setup {
  port: number | null;
  discoveryPrefix: string;
  zigbee2mqttBaseTopic: string;
  shellyReplyTopic: string;
  externalBroker: string | null;
}

/**
 * Adding a device: pick its firmware and a name, and the hub makes its MQTT credential
 * (allowed only the topics that firmware uses); then the exact settings to type into the
 * firmware, shown once, ready to copy. When the device announces itself, every open
 * dashboard asks what to call it and which room it is in.
 */
export class HearthAddDevice extends LitElement {
  static override properties = { _setup: { state: true }, _firmware: { state: true }, _login: { state: true }, _error: { state: true } };

  declare _setup: Setup | null;
  declare _firmware: FirmwareName;
  declare _login: DeviceLogin | null;
  declare _error: string | null;
  readonly #dialog = createRef<HTMLDialogElement>();

  constructor() {
    super();
    this._setup = null;
    this._firmware = 'tasmota';
    this._login = null;
    this._error = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void call<Setup>('GET', 'mqtt/setup').then((o) => (o.ok ? (this._setup = o.value) : (this._error = o.reason)));
  }

  override firstUpdated(): void {
    this.#dialog.value?.showModal();
  }

  get #broker(): HubBroker | null {
    const s = this._setup;
    return s?.port ? { host: window.location.hostname, port: s.port, discoveryPrefix: s.discoveryPrefix, zigbee2mqttBaseTopic: s.zigbee2mqttBaseTopic, shellyReplyTopic: s.shellyReplyTopic } : null;
  }

  async #create(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const broker = this.#broker;
    if (!broker) return;
    const name = String(new FormData(event.target as HTMLFormElement).get('name') ?? '').trim();
    // The user name the hub will give it, so the topics can name it.
    const outcome = await call<DeviceLogin>('POST', 'mqtt/credentials', { name, topics: FIRMWARES[this._firmware].topics(deviceIdFor(name), broker) });
    if (!outcome.ok) return void (this._error = outcome.reason);
    this._error = null;
    this._login = outcome.value;
  }

  #close(): void {
    this.dispatchEvent(new CustomEvent('close', { bubbles: true, composed: true }));
  }

  override render() {
    return html`
      <dialog ${ref(this.#dialog)} aria-labelledby="add-title" data-testid="add-device" @close=${() => this.#close()} @cancel=${() => this.#close()}>
        <div class="head">
          <h2 id="add-title">Add a device</h2>
          <button class="close" aria-label="Close" @click=${() => this.#close()}>×</button>
        </div>
        ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
        ${this._setup?.externalBroker
          ? html`<section><p>Hearth uses the broker at <code>${this._setup.externalBroker}</code>. Give the device a user on that broker, and the discovery prefix <code>${this._setup.discoveryPrefix}</code>.</p></section>`
          : this._login ? this.#renderSettings(this._login) : this.#renderForm()}
        <slot></slot>
      </dialog>
    `;
  }

  #renderForm() {
    return html`<form @submit=${(e: SubmitEvent) => void this.#create(e)}>
      <section>
        <fieldset>
          <legend>Firmware</legend>
          ${(Object.keys(FIRMWARES) as FirmwareName[]).map(
            (f) => html`<label class="check"><input type="radio" name="firmware" value=${f} .checked=${this._firmware === f} @change=${() => (this._firmware = f)} /> ${FIRMWARES[f].title}</label>`,
          )}
        </fieldset>
        <label>Device name <input name="name" required maxlength="80" placeholder="e.g. Kitchen plug" autocomplete="off" /></label>
        <p class="muted">The hub makes the device its own MQTT user name and password, allowed only the topics ${FIRMWARES[this._firmware].title} uses.</p>
        <button type="submit" ?disabled=${!this.#broker}>Create credential</button>
      </section>
    </form>`;
  }

  #renderSettings(login: DeviceLogin) {
    const firmware = FIRMWARES[this._firmware];
    const broker = this.#broker!;
    return html`<section class="revealed" data-testid="device-settings-to-copy">
      <h3>${firmware.title} settings</h3>
      <p>${firmware.where} Copy the password now: the hub keeps only a fingerprint and cannot show it again.</p>
      <dl>${firmware.settings(login, broker).map(([label, value]) => html`<dt>${label}</dt><dd><code>${value}</code> <button class="copy" aria-label="Copy ${label}" @click=${() => void copy(value)}>Copy</button></dd>`)}</dl>
      <pre><code>${firmware.snippet(login, broker)}</code></pre>
      <button class="copy" @click=${() => void copy(firmware.snippet(login, broker))}>Copy all</button>
      <p class="muted" role="status">Waiting for the device: once it connects, every open dashboard asks what to call it and which room it is in.</p>
      <button @click=${() => this.#close()}>Done</button>
    </section>`;
  }

  static override styles = [
    panelStyles,
    css`
      fieldset {
        border: 0;
        margin: 0 0 12px;
        padding: 0;
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(200px, 1fr));
      }
      legend {
        margin-bottom: 4px;
        font-size: 0.875rem;
      }
      fieldset .check {
        min-height: 44px;
        margin: 0;
      }
      .muted {
        color: var(--hearth-text-muted);
        font-size: 0.875rem;
      }
      .error {
        margin: 12px 20px 0;
        padding: 10px 12px;
        border-radius: 10px;
        color: var(--hearth-danger);
        background: var(--hearth-danger-soft);
      }
      .revealed {
        background: var(--hearth-warn-soft);
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 6px 12px;
        align-items: center;
      }
      dd {
        margin: 0;
        display: flex;
        align-items: center;
        gap: 8px;
        min-width: 0;
        overflow-wrap: anywhere;
      }
      dd code {
        flex: 1;
        user-select: all;
      }
      pre {
        margin: 12px 0 8px;
        padding: 12px;
        border-radius: 10px;
        background: var(--hearth-surface);
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        font-size: 0.8125rem;
        user-select: all;
      }
      .copy {
        min-height: 36px;
        padding: 0 10px;
      }
    `,
  ];
}

/** Copies to the clipboard where the browser allows it (a secure context); the text is selectable anyway. */
async function copy(text: string): Promise<void> {
  await navigator.clipboard?.writeText(text).catch(() => undefined);
}

customElements.define('hearth-add-device', HearthAddDevice);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-add-device': HearthAddDevice;
  }
}
