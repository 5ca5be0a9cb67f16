import { LitElement, css, html, nothing } from 'lit';
import type { Automation, AutomationDefinition, Mode } from '../../../hub/protocol/automations.js';
import { MODES } from '../../../hub/protocol/automations.js';
import { panelStyles } from '../panel.styles.js';
import { send } from './home-store.js';
import { choice, type EditorData } from './pickers.js';
import { ACTION_KINDS, CONDITION_KINDS, TRIGGER_KINDS } from './rules.js';

const MODE_WORDS: Readonly<Record<Mode, string>> = {
  single: 'Single: ignore triggers while running',
  restart: 'Restart: start over',
  queued: 'Queued: run after the current one',
  parallel: 'Parallel: run alongside',
};

type Rule = { kind: string };
type KindTable = Record<string, { label: string; fresh: (data: EditorData) => Rule; form: (rule: never, set: (rule: never) => void, data: EditorData) => unknown }>;

/**
 * The form editor: a name and a mode, then triggers, conditions and actions, each picked by
 * kind and filled in with pickers (device, then property, then value). No YAML. Saves to the
 * REST API, which checks it again and says what is wrong.
 */
export class HearthAutomationEditor extends LitElement {
  static override properties = { data: { attribute: false }, automation: { attribute: false }, _draft: { state: true }, _error: { state: true } };
  static override styles = [
    panelStyles,
    css`
      :host {
        display: block;
      }
      fieldset,
      .rule {
        border: 1px solid var(--hearth-border);
        border-radius: 10px;
        padding: 12px;
        margin: 0 0 12px;
      }
      .rule-head {
        display: flex;
        gap: 8px;
        align-items: end;
      }
      .rule-head label {
        flex: 1;
      }
      .error {
        color: var(--hearth-danger, #b42318);
      }
      .buttons {
        display: flex;
        gap: 8px;
        justify-content: flex-end;
        padding: 16px 20px;
      }
      button.primary {
        background: var(--hearth-accent, #e2470b);
        color: #fff;
        border-color: transparent;
      }
    `,
  ];

  declare data: EditorData;
  declare automation: Automation | null;
  declare _draft: AutomationDefinition;
  declare _error: string | null;

  constructor() {
    super();
    this.data = { devices: [], rooms: [], scenes: [], automations: [] };
    this.automation = null;
    this._error = null;
    this._draft = { name: '', mode: 'single', triggers: [], conditions: [], actions: [] };
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('automation') && this.automation) {
      const { id: _id, enabled: _enabled, flagged: _flagged, updatedAt: _updatedAt, ...definition } = this.automation;
      this._draft = definition;
    }
  }

  async #save(): Promise<void> {
    const path = this.automation ? `automations/${encodeURIComponent(this.automation.id)}` : 'automations';
    const outcome = await send<Automation>(this.automation ? 'PUT' : 'POST', path, this._draft);
    if (!outcome.ok) {
      this._error = outcome.reason;
      return;
    }
    this.dispatchEvent(new CustomEvent('close', { detail: outcome.value }));
  }

  #list(title: string, key: 'triggers' | 'conditions' | 'actions', table: KindTable, noun: string) {
    const items = this._draft[key] as Rule[];
    const setItems = (next: Rule[]) => (this._draft = { ...this._draft, [key]: next });
    const kinds = Object.entries(table).map(([kind, k]) => [kind, k.label] as const);
    return html`<section aria-label=${title}>
      <h3>${title}</h3>
      ${items.map((rule, index) => {
        const replace = (next: Rule) => setItems(items.map((r, i) => (i === index ? next : r)));
        return html`<div class="rule" data-testid="${key}-${index}">
          <div class="rule-head">
            ${choice(`${noun} ${index + 1}`, rule.kind, kinds, (kind) => replace(table[kind]!.fresh(this.data)))}
            <button type="button" aria-label="Remove ${noun.toLowerCase()} ${index + 1}" @click=${() => setItems(items.filter((_, i) => i !== index))}>Remove</button>
          </div>
          ${table[rule.kind]!.form(rule as never, replace as never, this.data)}
        </div>`;
      })}
      <button type="button" @click=${() => setItems([...items, Object.values(table)[0]!.fresh(this.data)])}>Add ${noun.toLowerCase()}</button>
    </section>`;
  }

  override render() {
    const d = this._draft;
    return html`<form @submit=${(e: Event) => (e.preventDefault(), void this.#save())} data-testid="automation-editor">
      <section>
        <label>Name <input aria-label="Name" .value=${d.name} required maxlength="100" @input=${(e: Event) => (this._draft = { ...d, name: (e.target as HTMLInputElement).value })} /></label>
        ${choice('When it triggers while running', d.mode, MODES.map((m) => [m, MODE_WORDS[m]] as const), (mode) => (this._draft = { ...d, mode }))}
      </section>
      ${this.#list('When', 'triggers', TRIGGER_KINDS as unknown as KindTable, 'Trigger')}
      ${this.#list('Only if', 'conditions', CONDITION_KINDS as unknown as KindTable, 'Condition')}
      ${this.#list('Then', 'actions', ACTION_KINDS as unknown as KindTable, 'Action')}
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
      <div class="buttons">
        <button type="button" @click=${() => this.dispatchEvent(new CustomEvent('close', { detail: null }))}>Cancel</button>
        <button type="submit" class="primary">Save</button>
      </div>
    </form>`;
  }
}

customElements.define('hearth-automation-editor', HearthAutomationEditor);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-automation-editor': HearthAutomationEditor;
  }
}
