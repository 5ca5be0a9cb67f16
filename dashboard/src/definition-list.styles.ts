import { css } from 'lit';

/** Name–value lists (a device's state, where it came from): names in a column, values beside them. */
export const definitionListStyles = css`
  dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 6px 16px;
    margin: 0;
    font-size: 0.875rem;
  }
  dt {
    color: var(--hearth-text-muted);
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
`;
