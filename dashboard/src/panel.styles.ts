import { css } from 'lit';

/** A modal page over the home view (a device's page, access settings): its frame and form controls. */
export const panelStyles = css`
    dialog {
      width: min(640px, calc(100vw - 24px));
      max-height: calc(100dvh - 24px);
      padding: 0;
      border: 1px solid var(--hearth-border);
      border-radius: var(--hearth-radius);
      background: var(--hearth-surface);
      color: var(--hearth-text);
      box-shadow: var(--hearth-shadow);
    }
    dialog::backdrop {
      background: rgb(0 0 0 / 45%);
    }
    /* Not a <header>: inside a dialog it would be a second banner landmark of the page. */
    .head {
      position: sticky;
      top: 0;
      display: flex;
      align-items: center;
      justify-content: space-between;
      padding: 16px 20px;
      background: var(--hearth-surface);
      border-bottom: 1px solid var(--hearth-border);
    }
    h2 {
      margin: 0;
      font-size: 1.25rem;
    }
    h3 {
      margin: 0 0 8px;
      font-size: 0.8125rem;
      text-transform: uppercase;
      letter-spacing: 0.05em;
      color: var(--hearth-text-muted);
    }
    section {
      padding: 16px 20px;
      border-bottom: 1px solid var(--hearth-border);
    }
    label {
      display: grid;
      gap: 4px;
      margin-bottom: 12px;
      font-size: 0.875rem;
    }
    label.check {
      display: flex;
      align-items: center;
      gap: 8px;
    }
    input:not([type='checkbox']),
    select {
      min-height: 44px;
      padding: 0 12px;
      border: 1px solid var(--hearth-border);
      border-radius: 10px;
      background: var(--hearth-surface-2);
      color: inherit;
      font: inherit;
    }
    button {
      min-height: 44px;
      padding: 0 16px;
      border-radius: 10px;
      border: 1px solid var(--hearth-border);
      background: var(--hearth-surface-2);
      color: inherit;
      font: inherit;
      cursor: pointer;
    }
    button.close {
      min-width: 44px;
      padding: 0;
      font-size: 1.5rem;
      line-height: 1;
    }
    button.danger {
      color: var(--hearth-danger, #b42318);
    }
    :is(button, input, select):focus-visible {
      outline: 3px solid var(--hearth-focus);
      outline-offset: 2px;
    }
    /* A list of things, each with its action at the end of its line. */
    .list {
      list-style: none;
      margin: 0 0 12px;
      padding: 0;
      display: grid;
      gap: 8px;
    }
    .list li {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 12px;
      overflow-wrap: anywhere;
    }
`;

/**
 * What lists of people, tokens, sessions and credentials add to panelStyles' `.list` (given
 * after it): a role choice, muted details, topic chips, and a refusal.
 */
export const listStyles = css`
      select {
        width: 100%;
        min-width: 0;
      }
      .list select {
        width: auto;
        flex: none;
      }
      .list li > span {
        flex: 1;
        min-width: 0;
      }
      .list li > button {
        flex: none;
      }
      .muted,
      .topics {
        color: var(--hearth-text-muted);
        font-size: 0.8125rem;
      }
      /* Long topic lists wrap, a topic per chip, so the Revoke button always stays in view. */
      .topics {
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
        margin-top: 4px;
      }
      .topics code {
        padding: 1px 6px;
        border-radius: 6px;
        background: var(--hearth-surface-2);
        overflow-wrap: anywhere;
        min-width: 0;
      }
      .error {
        margin: 12px 20px 0;
        padding: 10px 12px;
        border-radius: 10px;
        color: var(--hearth-danger);
        background: var(--hearth-danger-soft);
      }
`;
