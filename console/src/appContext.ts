import type { TockClient } from '../../client/tockClient';

/** What every page gets from the shell. */
export interface AppContext {
  readonly client: TockClient;
  /** Goes to a console route, e.g. `#/tasks/abc`. */
  navigate(hash: string): void;
  /** Shows a short message in the header's live region (screen readers announce it). */
  announce(message: string): void;
}

/** A rendered page; `dispose` stops its timers when the user leaves it. */
export interface Page {
  readonly element: HTMLElement;
  /** The page's own title, for `document.title`. */
  readonly title: string;
  dispose?(): void;
}
