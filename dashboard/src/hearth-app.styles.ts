import { css } from 'lit';

export const appStyles = css`
  :host {
    display: block;
    min-height: 100vh;
    min-height: 100dvh;
  }
  header {
    position: sticky;
    top: 0;
    z-index: 5;
    padding: max(12px, env(safe-area-inset-top)) 16px 12px;
    background: color-mix(in srgb, var(--hearth-bg) 85%, transparent);
    backdrop-filter: saturate(1.6) blur(14px);
    -webkit-backdrop-filter: saturate(1.6) blur(14px);
    border-bottom: 1px solid color-mix(in srgb, var(--hearth-border) 70%, transparent);
  }
  .bar,
  main {
    max-width: 1280px;
    margin: 0 auto;
  }
  /*
   * Logo, name over summary, connection, actions. On a phone the name and the connection share
   * the first row, the summary has the second and the buttons the third, so none covers or
   * cuts another.
   */
  .bar {
    display: grid;
    grid-template-columns: auto minmax(0, 1fr) auto auto;
    grid-template-areas: 'logo title status actions' 'logo summary status actions';
    align-items: center;
    column-gap: 12px;
  }
  .logo {
    grid-area: logo;
  }
  h1 {
    grid-area: title;
  }
  .summary {
    grid-area: summary;
  }
  .status {
    grid-area: status;
    justify-self: end;
  }
  .actions {
    grid-area: actions;
    display: flex;
    gap: 8px;
  }
  @media (max-width: 599px) {
    .bar {
      grid-template-columns: auto minmax(0, 1fr) auto;
      grid-template-areas: 'logo title status' 'summary summary summary' 'actions actions actions';
      row-gap: 6px;
      column-gap: 10px;
    }
    /* With Automations there are four buttons, more than a phone row holds: they wrap. */
    .actions {
      flex-wrap: wrap;
    }
    .logo {
      width: 34px;
      height: 34px;
      border-radius: 10px;
    }
    .bar .summary {
      white-space: normal;
    }
    .header-button {
      padding: 0 12px;
    }
    /* The person's buttons get a row of their own, so more of them never squeeze the name. */
    .actions {
      justify-content: flex-end;
      flex-wrap: wrap;
    }
  }
  .logo {
    display: grid;
    place-items: center;
    flex: none;
    width: 40px;
    height: 40px;
    border-radius: 12px;
    color: #fff;
    background: linear-gradient(145deg, #ff9a3d, #e2470b);
    box-shadow: 0 2px 8px rgb(226 71 11 / 30%);
  }
  .logo svg {
    width: 24px;
    height: 24px;
  }
  h1 {
    margin: 0;
    font-size: 1.375rem;
    font-weight: 700;
    letter-spacing: -0.02em;
    line-height: 1.15;
  }
  .summary {
    margin: 2px 0 0;
    font-size: 0.8125rem;
    color: var(--hearth-text-muted);
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .status {
    display: inline-flex;
    align-items: center;
    gap: 8px;
    flex: none;
    padding: 6px 12px;
    border-radius: 999px;
    font-size: 0.8125rem;
    font-weight: 600;
    color: var(--hearth-warn);
    background: var(--hearth-warn-soft);
  }
  .header-button {
    flex: none;
    min-height: 44px;
    padding: 0 14px;
    border: 1px solid var(--hearth-border);
    border-radius: 999px;
    font: inherit;
    font-size: 0.8125rem;
    font-weight: 600;
    color: var(--hearth-text);
    background: var(--hearth-surface);
    cursor: pointer;
  }
  .header-button:focus-visible {
    outline: 3px solid var(--hearth-focus);
    outline-offset: 2px;
  }
  .status.live {
    color: var(--hearth-ok);
    background: var(--hearth-ok-soft);
  }
  .status:is(.reconnecting, .unreachable) {
    color: var(--hearth-danger);
    background: var(--hearth-danger-soft);
  }
  .dot {
    width: 8px;
    height: 8px;
    border-radius: 50%;
    background: currentColor;
  }
  .status:not(.live) .dot {
    animation: blink 1.2s ease-in-out infinite;
  }
  .status.live .dot {
    box-shadow: 0 0 0 3px color-mix(in srgb, currentColor 25%, transparent);
  }
  main {
    padding: 8px 16px max(96px, calc(env(safe-area-inset-bottom) + 80px));
  }
  section {
    margin-top: 20px;
  }
  h2 {
    display: flex;
    align-items: center;
    gap: 8px;
    margin: 0 4px 12px;
    font-size: 0.8125rem;
    font-weight: 650;
    letter-spacing: 0.06em;
    text-transform: uppercase;
    color: var(--hearth-text-muted);
  }
  .grid {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 300px), 1fr));
    gap: 12px;
    align-items: stretch;
  }
  .notice,
  .note {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px 12px;
    margin: 16px 0 0;
    padding: 12px 16px;
    border-radius: var(--hearth-radius-sm);
    font-size: 0.875rem;
    color: var(--hearth-danger);
    background: var(--hearth-danger-soft);
  }
  /* The last home seen, while the hub is unreachable: plainly not live. */
  hearth-home.old {
    filter: grayscale(0.6);
  }
  .note {
    margin: 0 0 12px;
    color: var(--hearth-text-muted);
    background: var(--hearth-surface-2);
  }
  .retry {
    min-height: 44px;
    padding: 0 16px;
    border: 1px solid currentColor;
    border-radius: 12px;
    background: var(--hearth-surface);
    color: inherit;
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }
  .empty .retry {
    margin-top: 16px;
    color: var(--hearth-text);
  }
  .skeleton {
    height: 148px;
    border-radius: var(--hearth-radius);
    background: linear-gradient(100deg, var(--hearth-surface) 40%, var(--hearth-surface-2) 50%, var(--hearth-surface) 60%) 0 0 / 300% 100%;
    border: 1px solid var(--hearth-border);
    animation: shimmer 1.4s linear infinite;
  }
  .empty {
    max-width: 420px;
    margin: 64px auto 0;
    text-align: center;
    color: var(--hearth-text-muted);
  }
  .empty-icon {
    display: inline-grid;
    place-items: center;
    width: 64px;
    height: 64px;
    border-radius: 20px;
    background: var(--hearth-surface-2);
  }
  .empty-icon svg {
    width: 32px;
    height: 32px;
  }
  .empty h2 {
    justify-content: center;
    margin: 16px 0 8px;
    font-size: 1.125rem;
    letter-spacing: 0;
    text-transform: none;
    color: var(--hearth-text);
  }
  .empty p {
    margin: 0;
    line-height: 1.5;
  }
  @media (min-width: 720px) {
    header {
      padding-inline: 32px;
    }
    main {
      padding-inline: 32px;
    }
    .grid {
      gap: 16px;
    }
  }
  @keyframes blink {
    50% {
      opacity: 0.3;
    }
  }
  @keyframes shimmer {
    to {
      background-position: -300% 0;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .status .dot,
    .skeleton {
      animation: none !important;
    }
  }
  /* 'Turn all off' beside the lights-on summary (automations/page-switch.ts). */
  .summary button.link {
    padding: 0;
    border: none;
    background: none;
    color: inherit;
    font: inherit;
    text-decoration: underline;
    cursor: pointer;
  }
  .header-button .count {
    margin-left: 4px;
    font-weight: 700;
  }
`;
