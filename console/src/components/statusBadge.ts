import { h } from '../dom';

/** A task or execution status as a coloured label (the text says it; the colour only helps). */
export function statusBadge(status: string): HTMLElement {
  return h('span', { class: `badge badge-${status.toLowerCase()}` }, status);
}
