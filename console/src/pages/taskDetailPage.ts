import type { Execution, SchedulePreview, Task } from '../../../client/apiTypes';
import { FINISHED_EXECUTION_STATUSES } from '../../../client/apiTypes';
import { scheduleInWords } from '../../../client/scheduleInWords';
import { TockApiError } from '../../../client/tockClient';
import { parseSchedule } from '../../../lambdas/domain/schedule';
import type { AppContext, Page } from '../appContext';
import { confirmAction } from '../components/confirmDialog';
import { executionTimeline } from '../components/executionTimeline';
import { problemBanner } from '../components/problemBanner';
import { statusBadge } from '../components/statusBadge';
import { h, replaceContent } from '../dom';
import { jsonText, timeElement } from '../format';
import { startPoller } from '../poller';

const PREVIEW_COUNT = 5;
const EXECUTIONS_STEP = 10;
const MAX_EXECUTIONS = 100;
/** Attempts are fetched for this many of the newest executions; older ones load when opened. */
const AUTO_ATTEMPTS = 5;
const DUE_SOON_MS = 60_000;

/**
 * One task: what it is, its next runs (with DST notes) and its execution timeline with every
 * attempt, plus pause/resume, trigger, edit and delete. Refreshes every second while something runs.
 */
export function taskDetailPage(ctx: AppContext, taskId: string): Page {
  let task: Task | undefined;
  let executions: readonly Execution[] = [];
  let executionLimit = EXECUTIONS_STEP;
  /** The run ledger's SKIPPED occurrences are listed too, unless the user hides them. */
  let showSkipped = true;
  let moreExecutions = false;
  let preview: { key: string; value: SchedulePreview | TockApiError } | undefined;
  /** Execution details (with attempts) by id; finished ones never change, so they stay cached. */
  const details = new Map<string, Execution>();
  const wanted = new Set<string>();

  const heading = h('h1', { tabindex: -1 }, 'Task');
  const body = h('div', { class: 'task-body' }, h('p', { class: 'muted' }, 'Loading…'));
  const actionResult = h('div', { class: 'action-result' });
  const element = h('section', { class: 'page' },
    h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/' }, 'Tasks'), ' / ', h('span', null, taskId)),
    h('div', { class: 'page-head' }, heading),
    actionResult,
    body);

  async function refresh(): Promise<boolean> {
    try {
      const [fresh, page] = await Promise.all([
        ctx.client.getTask(taskId),
        ctx.client.listExecutions(taskId, { limit: executionLimit, ...(showSkipped ? { include: 'skipped' as const } : {}) }),
      ]);
      task = fresh;
      executions = page.items;
      moreExecutions = page.nextToken !== null;
      await Promise.all([loadDetails(), loadPreview(fresh)]);
    } catch (error) {
      if (error instanceof TockApiError && error.status === 404) {
        replaceContent(body, h('div', { class: 'problem', role: 'alert' }, h('p', null, 'This task does not exist (or was deleted). '), h('a', { href: '#/' }, 'Back to the tasks')));
        return false;
      }
      replaceContent(actionResult, problemBanner(error));
      return false;
    }
    render(task);
    const now = Date.now();
    return executions.some((e) => !FINISHED_EXECUTION_STATUSES.has(e.status))
      || (task.nextRunAt !== null && Date.parse(task.nextRunAt) - now < DUE_SOON_MS);
  }

  async function loadDetails(): Promise<void> {
    const ids = executions
      .filter((e) => e.status !== 'SKIPPED')
      .filter((e, index) => index < AUTO_ATTEMPTS || wanted.has(e.executionId))
      .filter((e) => !(details.has(e.executionId) && FINISHED_EXECUTION_STATUSES.has(details.get(e.executionId)!.status)))
      .map((e) => e.executionId);
    const loaded = await Promise.all(ids.map((id) => ctx.client.getExecution(taskId, id).catch(() => undefined)));
    for (const execution of loaded) if (execution) details.set(execution.executionId, execution);
  }

  async function loadPreview(current: Task): Promise<void> {
    const key = `${current.schedule}|${current.timezone}|${current.nextRunAt}`;
    if (preview?.key === key) return;
    try {
      preview = { key, value: await ctx.client.previewSchedule({ schedule: current.schedule, timezone: current.timezone, count: PREVIEW_COUNT, ...previewFrom(current) }) };
    } catch (error) {
      preview = { key, value: error instanceof TockApiError ? error : new TockApiError({ status: 0, detail: String(error) }) };
    }
  }

  function render(current: Task): void {
    heading.textContent = current.name || current.taskId;
    document.title = `${current.name || current.taskId} · Tock`;
    replaceContent(body,
      h('p', { class: 'status-line' }, 'Status: ', statusBadge(current.status), current.statusReason ? ` — ${current.statusReason}` : ''),
      actions(current),
      h('div', { class: 'columns' },
        h('section', { 'aria-labelledby': 'schedule-heading' },
          h('h2', { id: 'schedule-heading' }, 'Schedule'),
          h('dl', null,
            h('dt', null, 'Runs'), h('dd', { class: 'schedule-words' }, scheduleInWords(current.schedule, current.timezone)),
            h('dt', null, 'Expression'), h('dd', null, h('code', null, current.schedule)),
            h('dt', null, 'Time zone'), h('dd', null, current.timezone),
            h('dt', null, 'Next run'), h('dd', null, current.nextRunAt ? timeElement(current.nextRunAt) : nextRunNone(current)),
            h('dt', null, 'Created'), h('dd', null, timeElement(current.createdAt)),
            h('dt', null, 'Updated'), h('dd', null, timeElement(current.updatedAt), ` (version ${current.version})`)),
          h('h3', null, 'Upcoming runs'),
          previewList(current)),
        h('section', { 'aria-labelledby': 'target-heading' },
          h('h2', { id: 'target-heading' }, 'Target'),
          h('dl', null,
            h('dt', null, 'Request'), h('dd', null, h('code', null, `${current.target.method} ${current.target.url}`)),
            h('dt', null, 'Headers'), h('dd', null, Object.keys(current.target.headers).length === 0 ? 'none'
              : h('ul', { class: 'plain' }, Object.entries(current.target.headers).map(([name, value]) => h('li', null, h('code', null, `${name}: ${value}`))))),
            h('dt', null, 'Time-out'), h('dd', null, `${current.target.timeoutSeconds} s`),
            h('dt', null, 'Retries'), h('dd', null, retryText(current)),
            runPolicyEntries(current)),
          h('h3', null, 'Payload'),
          h('pre', { class: 'payload' }, current.payload === null || current.payload === undefined ? 'none' : jsonText(current.payload)))),
      h('section', { 'aria-labelledby': 'executions-heading' },
        h('h2', { id: 'executions-heading' }, 'Executions'),
        h('p', { class: 'toolbar' }, h('label', null,
          h('input', { type: 'checkbox', id: 'show-skipped', checked: showSkipped, onchange: (event: Event) => {
            showSkipped = (event.target as HTMLInputElement).checked;
            poller.refreshNow();
          } }),
          ' Show skipped occurrences (overlap, paused, catch-up)')),
        executionTimeline(executions, details, {
          onOpenAttempts: (executionId) => {
            wanted.add(executionId);
            poller.refreshNow();
          },
        }),
        moreExecutions && executionLimit < MAX_EXECUTIONS
          ? h('button', { type: 'button', class: 'button', 'data-key': 'older-executions', onclick: () => {
            executionLimit = Math.min(MAX_EXECUTIONS, executionLimit + EXECUTIONS_STEP);
            poller.refreshNow();
          } }, 'Show older executions')
          : moreExecutions ? h('p', { class: 'muted' }, `Showing the newest ${MAX_EXECUTIONS} executions.`) : null));
  }

  function previewList(current: Task): HTMLElement {
    if (!preview) return h('p', { class: 'muted' }, 'Loading…');
    if (preview.value instanceof TockApiError) return problemBanner(preview.value);
    const runs = preview.value.runs;
    if (runs.length === 0) return h('p', { class: 'muted' }, 'This schedule has no more runs.');
    const notes = new Map((preview.value.notes ?? []).map((n) => [n.at, n.note]));
    return h('ol', { class: 'preview', 'aria-label': `Next ${runs.length} runs` }, runs.map((run) => h('li', null,
      timeElement(run, { timeZone: current.timezone }),
      notes.has(run) ? h('span', { class: 'dst-note' }, ` — ${notes.get(run)}`) : null)),
    current.status === 'PAUSED' ? h('li', { class: 'muted' }, 'Paused: these runs happen only after a resume.') : null);
  }

  function actions(current: Task): HTMLElement {
    const paused = current.status === 'PAUSED';
    return h('div', { class: 'actions', role: 'group', 'aria-label': 'Task actions' },
      h('a', { class: 'button', href: `#/tasks/${encodeURIComponent(taskId)}/edit`, 'data-key': 'edit' }, 'Edit'),
      paused
        ? h('button', { type: 'button', class: 'button', 'data-key': 'pause-resume', onclick: () => act({
          title: 'Resume this task?', message: 'It runs again from now on; runs missed while it was paused are skipped.', confirmLabel: 'Resume',
        }, async () => {
          await ctx.client.resumeTask(taskId);
          return 'Task resumed.';
        }) }, 'Resume')
        : h('button', { type: 'button', class: 'button', 'data-key': 'pause-resume', disabled: current.status !== 'ACTIVE', onclick: () => act({
          title: 'Pause this task?', message: 'Nothing runs while it is paused. A run already in progress finishes.', confirmLabel: 'Pause',
        }, async () => {
          await ctx.client.pauseTask(taskId);
          return 'Task paused.';
        }) }, 'Pause'),
      h('button', { type: 'button', class: 'button', 'data-key': 'trigger', disabled: paused, title: paused ? 'Resume the task to run it' : null, onclick: () => act({
        title: 'Run this task now?', message: 'One run starts now, in addition to its schedule.', confirmLabel: 'Run now',
      }, async () => {
        const { executionId } = await ctx.client.triggerTask(taskId);
        return `Run ${executionId} started.`;
      }) }, 'Run now'),
      h('button', { type: 'button', class: 'button danger', 'data-key': 'delete', onclick: () => act({
        title: 'Delete this task?', message: 'It and its execution history are removed, and no run of it starts after this. This cannot be undone.', confirmLabel: 'Delete', danger: true,
      }, async () => {
        await ctx.client.deleteTask(taskId);
        ctx.navigate('#/');
        return 'Task deleted.';
      }) }, 'Delete'));
  }

  async function act(question: Parameters<typeof confirmAction>[0], run: () => Promise<string>): Promise<void> {
    if (!(await confirmAction(question))) return;
    try {
      const message = await run();
      replaceContent(actionResult);
      ctx.announce(message);
    } catch (error) {
      replaceContent(actionResult, problemBanner(error));
    }
    poller.refreshNow();
  }

  const poller = startPoller(refresh, { fastMs: 1000, slowMs: 15_000 });
  return { element, title: 'Task', dispose: () => poller.stop() };
}

/**
 * Previews count from now, except a rate, which counts from the task's own start: asking from one
 * interval before the next run makes the preview line up with it.
 */
function previewFrom(task: Task): { from?: string } {
  if (!task.nextRunAt) return {};
  try {
    const schedule = parseSchedule(task.schedule, task.timezone);
    if (schedule.kind === 'rate') return { from: new Date(Date.parse(task.nextRunAt) - schedule.intervalMs).toISOString() };
  } catch {
    // The server accepted it; a client that cannot parse it previews from now.
  }
  return {};
}

/** startAt, endAt, maxRuns, overlap, catch-up and jitter, where they differ from the defaults. */
function runPolicyEntries(task: Task): HTMLElement[] {
  const entries: Array<[string, string | HTMLElement]> = [];
  if (task.startAt) entries.push(['Starts', timeElement(task.startAt)]);
  if (task.endAt) entries.push(['Ends', timeElement(task.endAt)]);
  if (task.maxRuns) entries.push(['Runs', `${task.runCount ?? 0} of at most ${task.maxRuns}`]);
  if (task.overlapPolicy && task.overlapPolicy !== 'ALLOW') entries.push(['Overlap', task.overlapPolicy]);
  if (task.catchUpPolicy && task.catchUpPolicy !== 'LATEST') {
    entries.push(['Catch-up', task.catchUpPolicy === 'ALL' ? `ALL within ${task.catchUpWindowSeconds ?? 3600} s` : task.catchUpPolicy]);
  }
  if (task.jitterSeconds) entries.push(['Jitter', `up to ${task.jitterSeconds} s`]);
  return entries.flatMap(([label, value]) => [h('dt', null, label), h('dd', null, value)]);
}

function nextRunNone(task: Task): string {
  if (task.status === 'PAUSED') return 'none while paused';
  if (task.status === 'ACTIVE') return 'none (running now, or no run left)';
  return 'none';
}

function retryText(task: Task): string {
  const { maxAttempts, backoffSeconds, maxBackoffSeconds } = task.retryPolicy;
  if (maxAttempts <= 1) return 'no retries (1 attempt)';
  return `up to ${maxAttempts} attempts, backoff from ${backoffSeconds} s up to ${maxBackoffSeconds} s`;
}
