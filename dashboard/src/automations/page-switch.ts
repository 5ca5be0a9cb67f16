/** The header's parts for automations: the Home / Automations switch and 'Turn all off'. */
import { html, nothing } from 'lit';
import type { Page } from './extras-controller.js';

export interface PageParts {
  page: Page;
  /** Notifications that came while the automations page was closed. */
  unread: number;
  switchPage: () => void;
  /** Offered beside "N lights on" to those who may control devices. */
  turnAllOff: (() => void) | null;
}

export function pageSwitch({ page, unread, switchPage }: PageParts) {
  const onAutomations = page === 'automations';
  return html`<button class="header-button" aria-pressed=${onAutomations ? 'true' : 'false'} @click=${switchPage}>
    ${onAutomations ? 'Home' : 'Automations'}${unread && !onAutomations ? html` <span class="count" aria-label="${unread} new notifications">${unread}</span>` : nothing}
  </button>`;
}

export function turnAllOffLink(parts: PageParts | undefined, lightsOn: number) {
  if (!parts?.turnAllOff || lightsOn === 0) return nothing;
  return html` · <button class="link" @click=${parts.turnAllOff}>Turn all off</button>`;
}
