import { LitElement, css, html } from 'lit';
import { repeat } from 'lit/directives/repeat.js';

export interface Toast {
  id: number;
  text: string;
}

/**
 * Error notices at the bottom of the screen; the root decides when they go and where: inside
 * the topmost open dialog, if any, since a modal dialog makes everything outside it inert and
 * puts its backdrop over it. Fires `dismiss` with a toast id.
 */
export class HearthToastStack extends LitElement {
  static override properties = { toasts: { attribute: false } };

  declare toasts: readonly Toast[];

  constructor() {
    super();
    this.toasts = [];
  }

  override render() {
    return repeat(
      this.toasts,
      (toast) => toast.id,
      (toast) => html`
        <div class="toast" role="alert">
          <span>${toast.text}</span>
          <button aria-label="Dismiss" @click=${() => this.dispatchEvent(new CustomEvent('dismiss', { detail: toast.id }))}>✕</button>
        </div>
      `,
    );
  }

  static override styles = css`
    :host {
      position: fixed;
      left: 50%;
      bottom: max(16px, env(safe-area-inset-bottom));
      z-index: 10;
      display: flex;
      flex-direction: column;
      gap: 8px;
      width: min(480px, calc(100% - 32px));
      transform: translateX(-50%);
      pointer-events: none;
    }
    .toast {
      box-sizing: border-box;
      display: flex;
      align-items: center;
      gap: 8px;
      padding: 6px 6px 6px 16px;
      border-radius: 14px;
      background: var(--hearth-text);
      color: var(--hearth-bg);
      box-shadow: var(--hearth-shadow-raised);
      font-size: 0.9375rem;
      line-height: 1.35;
      pointer-events: auto;
      animation: enter 200ms ease-out;
    }
    span {
      flex: 1;
    }
    button {
      flex: none;
      width: 44px;
      height: 44px;
      border: 0;
      border-radius: 10px;
      background: none;
      color: inherit;
      font-size: 1rem;
      cursor: pointer;
    }
    button:focus-visible {
      outline: 3px solid var(--hearth-focus);
    }
    @keyframes enter {
      from {
        opacity: 0;
        transform: translateY(8px);
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .toast {
        animation: none;
      }
    }
  `;
}

customElements.define('hearth-toast-stack', HearthToastStack);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-toast-stack': HearthToastStack;
  }
}
