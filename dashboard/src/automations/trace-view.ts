import { LitElement, css, html, nothing } from 'lit';
import type { Trace } from '../../../hub/protocol/automations.js';

const RESULT_WORDS: Readonly<Record<Trace['result'], string>> = {
  running: 'Running',
  done: 'Done',
  'conditions-failed': 'Stopped by a condition',
  failed: 'Something failed',
  cancelled: 'Cancelled',
};

const time = (ms: number) => new Date(ms).toLocaleString();

/** An automation's last runs: what triggered each, every condition's result, every action's outcome and its commands. */
export class HearthTraceView extends LitElement {
  static override properties = { traces: { attribute: false } };
  static override styles = css`
    :host {
      display: block;
    }
    ol {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    li.run {
      border: 1px solid var(--hearth-border);
      border-radius: 10px;
      padding: 10px 12px;
      margin-bottom: 8px;
    }
    .head {
      display: flex;
      justify-content: space-between;
      gap: 8px;
      font-weight: 600;
    }
    ul {
      margin: 6px 0 0;
      padding-left: 18px;
      font-size: 0.875rem;
    }
    .failed,
    .cancelled {
      color: var(--hearth-danger, #b42318);
    }
    .muted {
      color: var(--hearth-text-muted);
    }
  `;

  declare traces: readonly Trace[];

  constructor() {
    super();
    this.traces = [];
  }

  override render() {
    if (this.traces.length === 0) return html`<p class="muted">No runs yet.</p>`;
    return html`<ol data-testid="traces">
      ${this.traces.map(
        (t) => html`<li class="run" data-result=${t.result}>
          <div class="head"><span>${RESULT_WORDS[t.result]}</span><span class="muted">${time(t.startedAt)}</span></div>
          <ul>
            <li>Triggered by ${t.trigger.description}</li>
            ${t.conditions.map((c) => html`<li class=${c.passed ? '' : 'failed'}>Condition ${c.index + 1} (${c.kind}): ${c.passed ? 'passed' : 'not met'}, ${c.detail}</li>`)}
            ${t.actions.map(
              (a) => html`<li class=${a.status}>Action ${a.index + 1} (${a.kind}): ${a.status}, ${a.detail}
                ${a.commands?.length ? html`<span class="muted">(${a.commands.map((c) => `${c.device} ${c.status}${c.latencyMs === undefined ? '' : ` in ${c.latencyMs} ms`}`).join(', ')})</span>` : nothing}</li>`,
            )}
          </ul>
        </li>`,
      )}
    </ol>`;
  }
}

customElements.define('hearth-trace-view', HearthTraceView);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-trace-view': HearthTraceView;
  }
}
