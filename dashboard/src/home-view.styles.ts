import { css } from 'lit';

/** The home view: toolbar, sections and the card grid (roomy cards, or small tiles on a phone). */
export const homeStyles = css`
  :host {
    display: block;
  }
  section {
    margin-top: 20px;
  }
  .section-head {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
    margin: 0 4px 12px;
  }
  h2 {
    flex: 1;
    display: flex;
    align-items: center;
    gap: 8px;
    margin: 0;
    font-size: 0.8125rem;
    font-weight: 650;
    letter-spacing: 0.06em;
    text-transform: uppercase;
    color: var(--hearth-text-muted);
  }
  .count {
    padding: 1px 7px;
    border-radius: 999px;
    font-size: 0.75rem;
    letter-spacing: 0;
    background: var(--hearth-surface-2);
  }
  /* Each card as tall as it needs: a row of cards does not stretch to its tallest. */
  .grid {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 300px), 1fr));
    gap: 12px;
    align-items: start;
  }
  .grid.compact {
    grid-template-columns: repeat(auto-fill, minmax(160px, 1fr));
    gap: 8px;
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: center;
    margin: 0 0 8px;
  }
  input[type='search'] {
    flex: 1 1 200px;
    min-width: 0;
  }
  .filters {
    display: flex;
    gap: 8px;
    align-items: center;
  }
  .filters select {
    flex: none;
    max-width: 36vw;
  }
  input[type='search'],
  select,
  button {
    box-sizing: border-box;
    min-height: 44px;
    padding: 0 12px;
    border: 1px solid var(--hearth-border);
    border-radius: 12px;
    background: var(--hearth-surface);
    color: inherit;
    font: inherit;
  }
  button {
    flex: none;
    font-size: 0.875rem;
    font-weight: 600;
    cursor: pointer;
  }
  .layout {
    display: grid;
    place-items: center;
    width: 44px;
    padding: 0;
  }
  .layout svg {
    width: 20px;
    height: 20px;
  }
  .layout[aria-pressed='true'] {
    color: var(--hearth-accent-text);
    border-color: var(--hearth-accent);
    background: var(--hearth-accent-soft);
  }
  .check {
    display: inline-flex;
    flex: none;
    align-items: center;
    gap: 6px;
    min-height: 44px;
    font-size: 0.9375rem;
    white-space: nowrap;
  }
  :focus-visible {
    outline: 3px solid var(--hearth-focus);
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .no-match {
    margin: 24px 0 0;
    padding: 20px 16px;
    text-align: center;
    border: 1px dashed var(--hearth-border);
    border-radius: var(--hearth-radius-sm);
    color: var(--hearth-text-muted);
  }
  .no-match p {
    margin: 0 0 12px;
  }
  /* On a phone: the search and the layout switch on one row, the filters on one scrolling row below. */
  @media (max-width: 599px) {
    .toolbar {
      flex-wrap: wrap;
    }
    input[type='search'] {
      flex: 1 1 0;
    }
    .filters {
      flex: 1 0 100%;
      overflow-x: auto;
      scrollbar-width: none;
      padding: 2px;
      margin: -2px;
    }
  }
  @media (min-width: 720px) {
    .grid {
      gap: 16px;
    }
  }
`;
