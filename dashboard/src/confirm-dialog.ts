import { LitElement, css, html, nothing } from 'lit';
import { createRef, ref } from 'lit/directives/ref.js';
import { panelStyles } from './panel.styles.js';

/** A question before something that cannot be undone, optionally with one choice to make. */
export interface Question {
  title: string;
  message: string;
  /** The button that does it, e.g. "Remove". */
  action: string;
  /** e.g. where the devices of a removed room go. */
  choice?: { label: string; options: readonly [value: string, label: string][]; value: string };
}

/** Confirmed (with the choice made), or null when the person backed out. */
export type Answer = { choice: string } | null;

/**
 * Asks before removing: a modal dialog over whatever is open (the newest dialog is on top),
 * Cancel first and focused, so Enter or Escape never removes by accident.
 */
export function ask(question: Question): Promise<Answer> {
  const dialog = document.createElement('hearth-confirm');
  dialog.question = question;
  document.body.append(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener('answer', (event) => {
      dialog.remove();
      resolve(event.detail);
    }, { once: true });
  });
}

export class HearthConfirm extends LitElement {
  static override properties = { question: { attribute: false } };
  declare question: Question;
  readonly #dialog = createRef<HTMLDialogElement>();
  readonly #choice = createRef<HTMLSelectElement>();
  #answered = false;

  override firstUpdated(): void {
    this.#dialog.value?.showModal();
  }

  #answer(confirmed: boolean): void {
    if (this.#answered) return;
    this.#answered = true;
    const detail: Answer = confirmed ? { choice: this.#choice.value?.value ?? '' } : null;
    this.#dialog.value?.close();
    this.dispatchEvent(new CustomEvent<Answer>('answer', { detail }));
  }

  override render() {
    const { title, message, action, choice } = this.question;
    return html`<dialog ${ref(this.#dialog)} role="alertdialog" aria-labelledby="q-title" aria-describedby="q-message" data-testid="confirm" @cancel=${() => this.#answer(false)} @close=${() => this.#answer(false)}>
      <div class="head"><h2 id="q-title">${title}</h2></div>
      <section>
        <p id="q-message">${message}</p>
        ${choice
          ? html`<label>${choice.label}
              <select ${ref(this.#choice)}>${choice.options.map(([value, label]) => html`<option value=${value} ?selected=${value === choice.value}>${label}</option>`)}</select>
            </label>`
          : nothing}
        <div class="buttons">
          <button autofocus @click=${() => this.#answer(false)}>Cancel</button>
          <button class="danger" @click=${() => this.#answer(true)}>${action}</button>
        </div>
      </section>
    </dialog>`;
  }

  static override styles = [
    panelStyles,
    css`
      dialog {
        width: min(420px, calc(100vw - 24px));
      }
      p {
        margin: 0 0 16px;
        line-height: 1.45;
      }
      .buttons {
        display: flex;
        justify-content: flex-end;
        gap: 8px;
      }
      section {
        border-bottom: 0;
      }
    `,
  ];
}

customElements.define('hearth-confirm', HearthConfirm);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-confirm': HearthConfirm;
  }
  interface HTMLElementEventMap {
    answer: CustomEvent<Answer>;
  }
}
