import type { Task, TaskStatus } from '../../../client/apiTypes';
import { FINISHED_EXECUTION_STATUSES, TASK_STATUSES } from '../../../client/apiTypes';
import { scheduleInWords } from '../../../client/scheduleInWords';
import type { AppContext, Page } from '../appContext';
import { problemBanner } from '../components/problemBanner';
import { statusBadge } from '../components/statusBadge';
import { h, replaceContent } from '../dom';
import { timeElement } from '../format';
import { startPoller } from '../poller';

const PAGE_SIZE = 20;
/** Poll fast when a listed task runs within this window. */
const DUE_SOON_MS = 60_000;

/**
 * Every task of the user, newest first: status, the schedule in words, next run and last result,
 * filtered by status (kept in the URL) and paged with the API's nextToken.
 */
export function taskListPage(ctx: AppContext, params: URLSearchParams): Page {
  const initial = params.get('status');
  let status: TaskStatus | undefined = TASK_STATUSES.includes(initial as TaskStatus) ? (initial as TaskStatus) : undefined;
  /** tokens[i] fetches page i; page 0 has none. */
  let tokens: (string | undefined)[] = [undefined];
  let pageIndex = 0;
  let nextToken: string | null = null;

  const filter = h('select', { id: 'status-filter', onchange: () => changeFilter() },
    h('option', { value: '' }, 'All statuses'),
    TASK_STATUSES.map((s) => h('option', { value: s, selected: s === status }, s)));
  const results = h('div', { class: 'results', 'aria-live': 'off' }, h('p', { class: 'muted' }, 'Loading tasks…'));
  const previous = h('button', { type: 'button', class: 'button', onclick: () => goTo(pageIndex - 1) }, 'Previous page');
  const next = h('button', { type: 'button', class: 'button', onclick: () => goTo(pageIndex + 1) }, 'Next page');
  const pageLabel = h('span', { class: 'muted' });
  const element = h('section', { class: 'page' },
    h('div', { class: 'page-head' },
      h('h1', { tabindex: -1 }, 'Tasks'),
      h('a', { class: 'button primary', href: '#/tasks/new' }, 'New task')),
    h('div', { class: 'toolbar' }, h('label', { for: 'status-filter' }, 'Status'), filter),
    results,
    h('nav', { class: 'pager', 'aria-label': 'Task pages' }, previous, pageLabel, next));

  function changeFilter(): void {
    status = (filter.value || undefined) as TaskStatus | undefined;
    history.replaceState(null, '', status ? `#/?status=${status}` : '#/');
    tokens = [undefined];
    pageIndex = 0;
    poller.refreshNow();
  }

  function goTo(index: number): void {
    if (index < 0 || index >= tokens.length) return;
    pageIndex = index;
    poller.refreshNow();
  }

  async function refresh(): Promise<boolean> {
    let page;
    try {
      page = await ctx.client.listTasks({ limit: PAGE_SIZE, status, nextToken: tokens[pageIndex] });
    } catch (error) {
      replaceContent(results, problemBanner(error));
      return false;
    }
    nextToken = page.nextToken;
    tokens = tokens.slice(0, pageIndex + 1);
    if (nextToken) tokens.push(nextToken);
    previous.disabled = pageIndex === 0;
    next.disabled = !nextToken;
    pageLabel.textContent = `Page ${pageIndex + 1}`;
    replaceContent(results, page.items.length === 0 ? emptyState(status) : taskTable(page.items));
    const now = Date.now();
    return page.items.some((task) => isBusy(task, now));
  }

  const poller = startPoller(refresh, { fastMs: 2000, slowMs: 15_000 });
  return { element, title: 'Tasks', dispose: () => poller.stop() };
}

function isBusy(task: Task, now: number): boolean {
  const last = task.lastExecution;
  if (last && !FINISHED_EXECUTION_STATUSES.has(last.status)) return true;
  return task.nextRunAt !== null && Date.parse(task.nextRunAt) - now < DUE_SOON_MS;
}

function emptyState(status: TaskStatus | undefined): HTMLElement {
  return status
    ? h('p', { class: 'empty' }, `No ${status} tasks.`)
    : h('p', { class: 'empty' }, 'No tasks yet. ', h('a', { href: '#/tasks/new' }, 'Create your first task'), '.');
}

function taskTable(tasks: readonly Task[]): HTMLElement {
  return h('table', { class: 'tasks' },
    h('caption', { class: 'visually-hidden' }, 'Your tasks'),
    h('thead', null, h('tr', null,
      ['Name', 'Status', 'Schedule', 'Next run', 'Last result'].map((label) => h('th', { scope: 'col' }, label)))),
    h('tbody', null, tasks.map((task) => h('tr', { 'data-task-id': task.taskId },
      h('td', null, h('a', { href: `#/tasks/${encodeURIComponent(task.taskId)}`, 'data-key': `task-${task.taskId}` }, task.name || task.taskId)),
      h('td', null, statusBadge(task.status)),
      h('td', null, h('span', null, scheduleInWords(task.schedule, task.timezone)), h('br'), h('code', { class: 'muted' }, task.schedule)),
      h('td', null, timeElement(task.nextRunAt)),
      h('td', null, lastResult(task))))));
}

function lastResult(task: Task): HTMLElement | string {
  const last = task.lastExecution;
  if (!last) return 'never ran';
  const code = last.result ? ` HTTP ${last.result.statusCode}` : '';
  return h('span', null, statusBadge(last.status), code, ' ', timeElement(last.finishedAt ?? last.startedAt ?? last.scheduledFor));
}
