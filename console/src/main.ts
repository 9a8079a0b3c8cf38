/**
 * The Tock web console: a small single-page app on the v1 API, with hash routes
 * (`#/`, `#/tasks/new`, `#/tasks/<id>`, `#/tasks/<id>/edit`) so any static host can serve it.
 */
import { TockClient } from '../../client/tockClient';
import type { AppContext, Page } from './appContext';
import { completeHostedUiSignIn, hostedUiSignOutUrl } from './auth/hostedUi';
import { clearSession, currentSession, saveSession } from './auth/session';
import { loadConsoleConfig } from './consoleConfig';
import type { ConsoleConfig } from './consoleConfig';
import { h, replaceContent } from './dom';
import { browserTimeZone } from './format';
import { signInPage } from './pages/signInPage';
import { taskDetailPage } from './pages/taskDetailPage';
import { taskFormPage } from './pages/taskFormPage';
import { taskListPage } from './pages/taskListPage';

const ANNOUNCEMENT_MS = 8000;

function start(config: ConsoleConfig, signInMessage?: string): void {
  const main = document.getElementById('main')!;
  const userBox = document.getElementById('user')!;
  const nav = document.getElementById('nav')!;
  const announcer = document.getElementById('announcer')!;
  let page: Page | undefined;
  let pendingMessage = signInMessage;
  let announceTimer: ReturnType<typeof setTimeout> | undefined;
  let firstRender = true;

  const client = new TockClient({
    baseUrl: '',
    token: () => currentSession()?.token,
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      if (response.status === 401) {
        // The token expired or was refused: back to sign-in, then to where the user was.
        clearSession();
        pendingMessage = 'Your session has ended. Please sign in again.';
        queueMicrotask(route);
      }
      return response;
    },
  });

  const ctx: AppContext = {
    client,
    navigate(hash) {
      if (location.hash === hash) route();
      else location.hash = hash;
    },
    announce(message) {
      announcer.textContent = message;
      clearTimeout(announceTimer);
      announceTimer = setTimeout(() => (announcer.textContent = ''), ANNOUNCEMENT_MS);
    },
  };

  function signOut(): void {
    clearSession();
    if (config.auth === 'cognito') location.assign(hostedUiSignOutUrl(config));
    else route();
  }

  function route(): void {
    page?.dispose?.();
    page = undefined;
    const session = currentSession();
    if (!session) {
      nav.hidden = true;
      replaceContent(userBox);
      document.title = 'Sign in · Tock';
      replaceContent(main, signInPage(config, { message: pendingMessage, onSignedIn: () => route() }));
      pendingMessage = undefined;
      main.querySelector<HTMLElement>('input, button')?.focus();
      return;
    }
    nav.hidden = false;
    replaceContent(userBox, 'Signed in as ', h('strong', { id: 'signed-in-user' }, session.user), ' ',
      h('button', { type: 'button', class: 'button small', onclick: signOut }, 'Sign out'));
    page = pageFor(location.hash);
    document.title = `${page.title} · Tock`;
    replaceContent(main, page.element);
    if (!firstRender) page.element.querySelector<HTMLElement>('h1')?.focus();
    firstRender = false;
  }

  function pageFor(hash: string): Page {
    const [path = '/', query = ''] = (hash.startsWith('#/') ? hash.slice(1) : '/').split('?');
    const params = new URLSearchParams(query);
    if (path === '/' || path === '' || path === '/tasks') return taskListPage(ctx, params);
    if (path === '/tasks/new') return taskFormPage(ctx);
    const edit = /^\/tasks\/([^/]+)\/edit$/.exec(path);
    if (edit) return taskFormPage(ctx, decodeURIComponent(edit[1]!));
    const detail = /^\/tasks\/([^/]+)$/.exec(path);
    if (detail) return taskDetailPage(ctx, decodeURIComponent(detail[1]!));
    return {
      title: 'Not found',
      element: h('section', { class: 'page' }, h('h1', { tabindex: -1 }, 'Not found'), h('p', null, 'There is no such page. ', h('a', { href: '#/' }, 'Go to the tasks'), '.')),
    };
  }

  // Only `#/...` hashes are routes; the skip link's `#main` is not.
  document.getElementById('footer')!.textContent = `Times are shown in ${browserTimeZone()}, your browser's time zone, unless a zone is named.`;
  window.addEventListener('hashchange', () => {
    if (location.hash === '' || location.hash.startsWith('#/')) route();
  });
  route();
}

async function boot(): Promise<void> {
  const main = document.getElementById('main')!;
  let config: ConsoleConfig;
  try {
    config = await loadConsoleConfig();
  } catch (error) {
    replaceContent(main, h('div', { class: 'problem', role: 'alert' }, h('strong', null, 'The console could not start'), h('p', null, (error as Error).message)));
    return;
  }
  let message: string | undefined;
  if (config.auth === 'cognito') {
    try {
      const signedIn = await completeHostedUiSignIn(config);
      if (signedIn) {
        saveSession(signedIn.session);
        history.replaceState(null, '', `/${signedIn.returnTo}`);
      }
    } catch (error) {
      message = (error as Error).message;
    }
  }
  start(config, message);
}

void boot();
