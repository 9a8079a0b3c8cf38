import { TockApiError } from '../../../client/tockClient';
import { h } from '../dom';

/** An error for the user: the problem's title and detail, and its field errors when there are any. */
export function problemBanner(error: unknown, options: { fieldErrors?: boolean } = {}): HTMLElement {
  if (error instanceof TockApiError) {
    const { title, detail, errors, status } = error.problem;
    return h('div', { class: 'problem', role: 'alert' },
      h('strong', null, status ? `${title ?? 'Error'} (${status})` : (title ?? 'Error')),
      detail ? h('p', null, detail) : null,
      options.fieldErrors !== false && errors && errors.length > 0
        ? h('ul', null, errors.map((e) => h('li', null, h('code', null, e.path || '(body)'), ': ', e.message)))
        : null);
  }
  return h('div', { class: 'problem', role: 'alert' }, h('strong', null, 'Error'), h('p', null, error instanceof Error ? error.message : String(error)));
}
