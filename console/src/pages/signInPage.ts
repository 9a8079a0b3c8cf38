import { TockApiError } from '../../../client/tockClient';
import { startHostedUiSignIn } from '../auth/hostedUi';
import { saveSession, sessionFromToken } from '../auth/session';
import type { Session } from '../auth/session';
import { problemBanner } from '../components/problemBanner';
import type { ConsoleConfig } from '../consoleConfig';
import { h, replaceContent } from '../dom';

/**
 * Sign-in. Local mode asks for a user id and gets a token from `POST /local/token`; on AWS the
 * button goes to the Cognito Hosted UI.
 */
export function signInPage(config: ConsoleConfig, options: { message?: string; onSignedIn: (session: Session) => void }): HTMLElement {
  const notice = options.message ? h('p', { class: 'notice', role: 'status' }, options.message) : null;
  if (config.auth === 'cognito') {
    return h('section', { class: 'page sign-in' },
      h('h1', { tabindex: -1 }, 'Sign in to Tock'),
      notice,
      h('p', null, 'You sign in with your organisation\'s Tock account.'),
      h('button', { type: 'button', class: 'button primary', onclick: () => void startHostedUiSignIn(config) }, 'Sign in'));
  }

  const userId = h('input', { id: 'user-id', name: 'user-id', type: 'text', required: true, autocomplete: 'username', spellcheck: 'false', 'aria-describedby': 'user-id-help user-id-error' });
  const error = h('p', { class: 'field-error', id: 'user-id-error' });
  const problem = h('div');
  const submit = h('button', { type: 'submit', class: 'button primary' }, 'Sign in');
  const form = h('form', { novalidate: true, onsubmit: (event: Event) => {
    event.preventDefault();
    void signIn();
  } },
  h('div', { class: 'field' },
    h('label', { for: 'user-id' }, 'User id'),
    userId,
    h('p', { class: 'help', id: 'user-id-help' }, 'Local mode: any id (letters, digits, . _ @ + -) signs in as that user. Each user sees only their own tasks.'),
    error),
  problem,
  h('div', { class: 'actions' }, submit));

  async function signIn(): Promise<void> {
    const id = userId.value.trim();
    error.textContent = '';
    userId.removeAttribute('aria-invalid');
    replaceContent(problem);
    submit.disabled = true;
    try {
      const response = await fetch('/local/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: id }) });
      const body = (await response.json().catch(() => ({}))) as { token?: string; detail?: string; errors?: Array<{ path: string; message: string }> };
      if (!response.ok || !body.token) {
        const message = body.errors?.find((e) => e.path === 'userId')?.message ?? body.detail ?? `The token endpoint answered ${response.status}.`;
        error.textContent = message;
        userId.setAttribute('aria-invalid', 'true');
        userId.focus();
        return;
      }
      const session = sessionFromToken(body.token, id);
      saveSession(session);
      options.onSignedIn(session);
    } catch (failure) {
      replaceContent(problem, problemBanner(new TockApiError({ status: 0, title: 'Network error', detail: (failure as Error).message })));
    } finally {
      submit.disabled = false;
    }
  }

  return h('section', { class: 'page sign-in' },
    h('h1', { tabindex: -1 }, 'Sign in to Tock'),
    notice,
    form);
}
