import { LitElement, css, html, nothing } from 'lit';
import { createRef, ref } from 'lit/directives/ref.js';
import type { Capability, Device, Room } from '../../hub/protocol/device.js';
import type { CommandRecord } from '../../hub/protocol/messages.js';
import { capabilityLabel } from './entity-state.js';
import { chartable, RANGES, type Range } from './history-chart.js';
import { definitionListStyles } from './definition-list.styles.js';
import { panelStyles } from './panel.styles.js';
import './device-settings.js';
import './entity-state.js';
import './relative-time.js';

interface Traffic {
  at: number;
  direction: 'in' | 'out';
  topic: string;
  payload: string;
}

const MAX_LOG = 20;

/**
 * A device's page: everything the hub knows about it and why it looks the way it does
 * (where it came from, its last MQTT messages, its last commands), and the user's settings.
 * Its MQTT log follows the device live while the page is open, and stops when it closes.
 */
export class HearthDevicePanel extends LitElement {
  static override properties = {
    device: { attribute: false },
    rooms: { attribute: false },
    canEdit: { type: Boolean },
    _log: { state: true },
    _commands: { state: true },
    _range: { state: true },
  };

  declare device: Device;
  declare rooms: readonly Room[];
  /** An owner or admin: the settings (name, room, remove) are offered, last on the page. */
  declare canEdit: boolean;
  declare _log: readonly Traffic[];
  declare _commands: readonly CommandRecord[];
  declare _range: Range;
  #source: EventSource | null = null;
  readonly #dialog = createRef<HTMLDialogElement>();

  constructor() {
    super();
    this.rooms = [];
    this.canEdit = false;
    this._log = [];
    this._commands = [];
    this._range = '24h';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const base = new URL(`api/devices/${encodeURIComponent(this.device.id)}/`, document.baseURI);
    this.#source = new EventSource(new URL('messages/live', base));
    this.#source.onmessage = (event) => (this._log = [JSON.parse(event.data as string) as Traffic, ...this._log].slice(0, MAX_LOG));
    void fetch(new URL('commands', base))
      .then((r) => (r.ok ? (r.json() as Promise<{ commands: CommandRecord[] }>) : { commands: [] }))
      .then(({ commands }) => (this._commands = commands))
      .catch(() => {});
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#source?.close();
    this.#source = null;
  }

  override firstUpdated(): void {
    // Modal: focus moves into the page and Escape closes it, as a screen reader expects.
    this.#dialog.value?.showModal();
  }

  #close(): void {
    this.dispatchEvent(new CustomEvent('close', { bubbles: true, composed: true }));
  }

  override render() {
    const d = this.device;
    const lastConfirmed = this._commands.find((c) => c.status === 'confirmed');
    return html`
      <dialog ${ref(this.#dialog)} aria-labelledby="title" data-testid="device-panel" @close=${() => this.#close()} @cancel=${() => this.#close()}>
        <div class="head">
          <h2 id="title">${d.name}</h2>
          <button class="close" aria-label="Close" @click=${() => this.#close()}>×</button>
        </div>
        <section>
          <h3>State</h3>
          <dl>
            <dt>Status</dt>
            <dd>${d.online ? 'Online' : 'Offline'} · <hearth-relative-time .time=${d.lastSeen}></hearth-relative-time></dd>
            <dt>Last command</dt>
            <dd>${lastConfirmed ? `confirmed in ${lastConfirmed.latencyMs} ms` : this._commands[0] ? this._commands[0].status : 'none yet'}</dd>
          </dl>
          <hearth-entity-state .device=${d}></hearth-entity-state>
        </section>
        ${this.#renderHistory()}
        <section>
          <h3>Where it came from</h3>
          <dl>
            <dt>Discovery</dt>
            <dd>${PROTOCOL_NAMES[d.source.protocol] ?? d.source.protocol}${d.model ? ` · ${d.manufacturer ?? ''} ${d.model}` : ''}</dd>
            ${(['state', 'command', 'availability', 'discovery'] as const).map((k) =>
              d.source.topics[k].length ? html`<dt>${k} topics</dt><dd><code>${d.source.topics[k].join('\n')}</code></dd>` : nothing,
            )}
          </dl>
          ${d.source.problems.length
            ? html`<ul class="problems" aria-label="Problems">${d.source.problems.map((p) => html`<li>${p}</li>`)}</ul>`
            : nothing}
        </section>
        <section>
          <h3>Last MQTT messages</h3>
          <ol class="log" aria-live="polite" data-testid="mqtt-log">
            ${this._log.length === 0 ? html`<li class="muted">Nothing yet</li>` : nothing}
            ${this._log.map(
              (m) => html`<li><span class="dir ${m.direction}">${m.direction === 'in' ? '←' : '→'}</span> <code>${m.topic}</code> <code class="payload">${m.payload}</code></li>`,
            )}
          </ol>
        </section>
        ${this.canEdit ? html`<hearth-device-settings .device=${d} .rooms=${this.rooms}></hearth-device-settings>` : nothing}
        <slot></slot>
      </dialog>
    `;
  }

  #renderHistory() {
    const charted = this.device.capabilities.filter(chartable).filter((c) => !('deviceClass' in c && c.deviceClass === 'battery'));
    if (charted.length === 0) return nothing;
    return html`
      <section>
        <h3>History</h3>
        <div class="ranges" role="group" aria-label="Range">
          ${(Object.keys(RANGES) as Range[]).map(
            (r) => html`<button aria-pressed=${r === this._range ? 'true' : 'false'} @click=${() => (this._range = r)}>${r === '1h' ? 'Hour' : r === '24h' ? 'Day' : 'Week'}</button>`,
          )}
        </div>
        ${charted.map(
          (c) => html`<h4>${historyLabel(c)}</h4>
            <hearth-history-chart .device=${this.device} .capability=${c} range=${this._range}></hearth-history-chart>`,
        )}
      </section>
    `;
  }

  static override styles = [
    panelStyles,
    definitionListStyles,
    css`
    code {
      white-space: pre-wrap;
      font-size: 0.8125rem;
    }
    .ranges {
      display: flex;
      gap: 8px;
      margin-bottom: 8px;
    }
    .ranges [aria-pressed='true'] {
      background: var(--hearth-accent-soft);
      border-color: var(--hearth-accent);
      font-weight: 600;
    }
    h4 {
      margin: 12px 0 4px;
      font-size: 0.875rem;
      font-weight: 600;
    }
    .problems {
      margin: 12px 0 0;
      padding-left: 20px;
      color: var(--hearth-danger, #b42318);
      font-size: 0.875rem;
    }
    .log {
      margin: 0;
      padding: 0;
      list-style: none;
      display: grid;
      gap: 6px;
      font-size: 0.8125rem;
    }
    .payload {
      color: var(--hearth-text-muted);
    }
    .dir.out {
      color: var(--hearth-accent-text);
    }
    .muted {
      color: var(--hearth-text-muted);
    }
  `,
  ];
}

const PROTOCOL_NAMES: Record<string, string> = { homeassistant: 'Home Assistant MQTT discovery', homie: 'Homie', tasmota: 'Tasmota discovery', shelly: 'Shelly (JSON-RPC over MQTT)', zigbee2mqtt: 'Zigbee2MQTT device list' };

/** A chart's heading names the entity when its device has several of the same kind. */
const historyLabel = (c: Capability) => (c.entity ? `${capabilityLabel(c)} · ${c.entity.name}` : capabilityLabel(c));

customElements.define('hearth-device-panel', HearthDevicePanel);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-device-panel': HearthDevicePanel;
  }
}
