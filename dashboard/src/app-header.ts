/** The page's header: logo, name, a one-line summary of the home, the connection, and the person's buttons. */
import { html, nothing } from 'lit';
import type { Abilities } from './abilities.js';
import type { ConnectionStatus } from './connection.js';
import { pageSwitch, turnAllOffLink, type PageParts } from './automations/page-switch.js';
import { icon } from './icons.js';
import type { SignedInUser } from './sign-in.js';
import { summarize, type StoreState } from './store.js';
import { STATUS_TEXT } from './wording.js';

export interface HeaderParts {
  status: ConnectionStatus;
  state: StoreState;
  user: SignedInUser | null;
  abilities: Abilities;
  openAccess: () => void;
  openAccount: () => void;
  signOut: () => void;
  /** Home / Automations and 'Turn all off' (automations/page-switch.ts). */
  pages?: PageParts;
}

/** Rendered in the root's shadow root, styled by its styles (`.bar` and its grid areas). */
export function appHeader({ status, state, user, abilities, openAccess, openAccount, signOut, pages }: HeaderParts) {
  const { total, online, lightsOn } = summarize(state);
  const summary = state.loaded
    ? `${lightsOn === 0 ? 'All lights off' : `${lightsOn} ${lightsOn === 1 ? 'light' : 'lights'} on`} · ${online} of ${total} online`
    : 'Your home';
  return html`
    <header>
      <div class="bar">
        <span class="logo">${icon('flame')}</span>
        <h1>Hearth</h1>
        <p class="summary">${summary}${state.loaded ? turnAllOffLink(pages, lightsOn) : nothing}</p>
        <div class="status ${status}" role="status" data-testid="connection-status" data-status=${status}>
          <span class="dot" aria-hidden="true"></span>${STATUS_TEXT[status]}
        </div>
        <div class="actions">
          ${user && pages ? pageSwitch(pages) : nothing}
          ${abilities.admin ? html`<button class="header-button" @click=${openAccess}>Access</button>` : nothing}
          ${user ? html`<button class="header-button" @click=${openAccount}>Account</button>` : nothing}
          ${user ? html`<button class="header-button" @click=${signOut} title="Signed in as ${user.username}">Sign out</button>` : nothing}
        </div>
      </div>
    </header>
  `;
}
