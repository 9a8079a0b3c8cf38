import type { FieldError, HttpMethod, Task, TaskInput } from '../../../client/apiTypes';
import { HTTP_METHODS } from '../../../client/apiTypes';
import { scheduleInWords } from '../../../client/scheduleInWords';
import { TockApiError } from '../../../client/tockClient';
import type { AppContext, Page } from '../appContext';
import { problemBanner } from '../components/problemBanner';
import { h, replaceContent } from '../dom';
import { jsonText, timeElement } from '../format';
import { CATCH_UP_POLICIES, fieldForPath, OVERLAP_POLICIES, readTaskForm } from './taskFormModel';
import type { FieldId } from './taskFormModel';

const LIVE_DELAY_MS = 350;
const PREVIEW_COUNT = 5;

const SCHEDULE_EXAMPLES: ReadonlyArray<[string, () => string]> = [
  ['every 5 minutes', () => 'rate(5 minutes)'],
  ['weekdays 09:00', () => 'cron(0 9 ? * MON-FRI *)'],
  ['every 10 s', () => '*/10 * * * * *'],
  ['once, in a minute', () => `at(${new Date(Date.now() + 60_000).toISOString().slice(0, 19)}Z)`],
];

/**
 * Create (no `taskId`) or edit a task. Each field is checked as it is typed: shapes in the browser,
 * the schedule and time zone by the API's own preview, whose runs (with DST notes) show beside it.
 * On save, the API's problem `errors[].path` messages appear at their fields.
 */
export function taskFormPage(ctx: AppContext, taskId?: string): Page {
  const editing = taskId !== undefined;
  let loaded: Task | undefined;
  let liveTimer: ReturnType<typeof setTimeout> | undefined;
  let previewSequence = 0;
  /** The schedule or time zone changed since the last preview. */
  let previewDirty = false;
  /** Messages from the API, by field, until the field is edited again. */
  const serverErrors = new Map<FieldId, string>();
  const browserTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

  const input = (id: FieldId, attributes: Record<string, string | number | boolean | null> = {}): HTMLInputElement =>
    h('input', { id, name: id, 'aria-describedby': `${id}-help ${id}-error`, ...attributes });
  const fields = {
    name: input('name', { type: 'text', maxlength: 256, autocomplete: 'off' }),
    schedule: input('schedule', { type: 'text', required: true, spellcheck: 'false', autocomplete: 'off' }),
    timezone: input('timezone', { type: 'text', list: 'timezones', value: editing ? '' : browserTimeZone, spellcheck: 'false', autocomplete: 'off' }),
    'target-url': input('target-url', { type: 'text', inputmode: 'url', required: true, spellcheck: 'false', autocomplete: 'off', placeholder: 'https://example.com/hook' }),
    'target-method': h('select', { id: 'target-method', name: 'target-method', 'aria-describedby': 'target-method-help target-method-error' },
      HTTP_METHODS.map((m) => h('option', { value: m }, m))),
    'target-headers': h('textarea', { id: 'target-headers', name: 'target-headers', rows: 3, spellcheck: 'false', 'aria-describedby': 'target-headers-help target-headers-error', placeholder: 'Authorization: Bearer …' }),
    'target-timeout': input('target-timeout', { type: 'number', min: 1, max: 60, value: 30 }),
    payload: h('textarea', { id: 'payload', name: 'payload', rows: 6, spellcheck: 'false', 'aria-describedby': 'payload-help payload-error', placeholder: '{"hello": "world"}' }),
    'payload-kind': h('select', { id: 'payload-kind', name: 'payload-kind', 'aria-describedby': 'payload-kind-help payload-kind-error' },
      h('option', { value: 'json' }, 'JSON'), h('option', { value: 'text' }, 'Text (sent as it is)')),
    'retry-max-attempts': input('retry-max-attempts', { type: 'number', min: 1, max: 20, value: 3 }),
    'retry-backoff': input('retry-backoff', { type: 'number', min: 1, max: 3600, value: 2 }),
    'retry-max-backoff': input('retry-max-backoff', { type: 'number', min: 1, max: 86_400, placeholder: 'default' }),
    'start-at': input('start-at', { type: 'text', spellcheck: 'false', autocomplete: 'off', placeholder: '2026-12-01T09:00:00Z' }),
    'end-at': input('end-at', { type: 'text', spellcheck: 'false', autocomplete: 'off', placeholder: '2027-01-01T00:00:00Z' }),
    'max-runs': input('max-runs', { type: 'number', min: 1, placeholder: 'no limit' }),
    'overlap-policy': h('select', { id: 'overlap-policy', name: 'overlap-policy', 'aria-describedby': 'overlap-policy-help overlap-policy-error' },
      OVERLAP_POLICIES.map((p) => h('option', { value: p }, p))),
    'catch-up-policy': h('select', { id: 'catch-up-policy', name: 'catch-up-policy', 'aria-describedby': 'catch-up-policy-help catch-up-policy-error' },
      CATCH_UP_POLICIES.map((p) => h('option', { value: p }, p))),
    'catch-up-window': input('catch-up-window', { type: 'number', min: 1, max: 604_800, value: 3600 }),
    jitter: input('jitter', { type: 'number', min: 0, max: 3600, value: 0 }),
  } satisfies Record<FieldId, HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>;

  const scheduleWords = h('p', { class: 'schedule-words', 'aria-live': 'polite' });
  const previewBox = h('div', { class: 'preview-box' });
  const formProblem = h('div', { class: 'form-problem' });
  const submit = h('button', { type: 'submit', class: 'button primary' }, editing ? 'Save changes' : 'Create task');
  const heading = h('h1', { tabindex: -1 }, editing ? 'Edit task' : 'New task');

  const row = (id: FieldId, label: string, help: string | Node | null, control: HTMLElement): HTMLElement =>
    h('div', { class: 'field', 'data-field': id },
      h('label', { for: id }, label),
      control,
      h('p', { class: 'help', id: `${id}-help` }, help ?? ''),
      h('p', { class: 'field-error', id: `${id}-error` }));

  const advanced = h('details', { class: 'advanced' },
    h('summary', null, 'When runs happen: window, run count, overlap, catch-up, jitter'),
    h('fieldset', null, h('legend', null, 'Run policy'),
      row('start-at', 'Start at (optional)', 'No run before this instant (ISO, with Z or an offset); a rate counts from it.', fields['start-at']),
      row('end-at', 'End at (optional)', 'No run after it; the task then completes.', fields['end-at']),
      row('max-runs', 'At most this many runs (optional)', 'The task completes after them.', fields['max-runs']),
      row('overlap-policy', 'When a run is due while the last one still runs', 'ALLOW: run both. SKIP: skip the new one. BUFFER_ONE: run it right after.', fields['overlap-policy']),
      row('catch-up-policy', 'Runs missed while Tock could not run them', 'LATEST: run the latest once. ALL: run each within the window. NONE: skip them.', fields['catch-up-policy']),
      row('catch-up-window', 'Catch-up window (seconds)', 'How far back ALL looks.', fields['catch-up-window']),
      row('jitter', 'Jitter (seconds)', 'Each run starts up to this much later, never earlier.', fields.jitter)));

  const form = h('form', { novalidate: true, class: 'task-form', onsubmit: (event: Event) => {
    event.preventDefault();
    void save();
  } },
  h('fieldset', null, h('legend', null, 'What and when'),
    row('name', 'Name (optional)', null, fields.name),
    row('schedule', 'Schedule', h('span', null, 'at(…), rate(…), cron(…) or a 5- or 6-field cron. Examples: ',
      SCHEDULE_EXAMPLES.map(([label, make], index) => [index > 0 ? ', ' : '', h('button', { type: 'button', class: 'link', onclick: () => {
        fields.schedule.value = make();
        fields.schedule.focus();
        onEdit('schedule');
      } }, label)]), '.'), fields.schedule),
    scheduleWords,
    row('timezone', 'Time zone', 'An IANA name such as Europe/Berlin; crons and at() without an offset run on its wall clock.', fields.timezone),
    h('datalist', { id: 'timezones' }, timeZones().map((zone) => h('option', { value: zone }))),
    h('div', { class: 'preview-wrap' }, h('h2', { id: 'preview-heading' }, 'Next runs'), previewBox)),
  h('fieldset', null, h('legend', null, 'Target'),
    row('target-url', 'URL', 'The HTTP endpoint Tock calls on every run.', fields['target-url']),
    row('target-method', 'Method', null, fields['target-method']),
    row('target-headers', 'Headers (optional)', 'One "Name: value" per line. Secret-looking values are stored encrypted and shown as [redacted]; leave [redacted] to keep them.', fields['target-headers']),
    row('target-timeout', 'Time-out (seconds)', '1 to 60.', fields['target-timeout'])),
  h('fieldset', null, h('legend', null, 'Payload'),
    row('payload-kind', 'Payload type', null, fields['payload-kind']),
    row('payload', 'Payload (optional)', 'Sent as the request body on every run, up to 1 MiB.', fields.payload)),
  h('fieldset', null, h('legend', null, 'Retries'),
    row('retry-max-attempts', 'Attempts at most', '1 to 20; 1 means no retry.', fields['retry-max-attempts']),
    row('retry-backoff', 'First backoff (seconds)', 'Doubles on each retry, with jitter.', fields['retry-backoff']),
    row('retry-max-backoff', 'Longest backoff (seconds, optional)', 'Default: the larger of the first backoff and 300 s.', fields['retry-max-backoff'])),
  advanced,
  formProblem,
  h('div', { class: 'actions' }, submit, h('a', { class: 'button', href: editing ? `#/tasks/${encodeURIComponent(taskId)}` : '#/' }, 'Cancel')));

  const element = h('section', { class: 'page' },
    h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/' }, 'Tasks'), editing ? [' / ', h('a', { href: `#/tasks/${encodeURIComponent(taskId)}` }, taskId)] : null),
    heading, form);

  for (const [id, control] of Object.entries(fields) as [FieldId, HTMLElement][]) {
    control.addEventListener('input', () => onEdit(id));
    control.addEventListener('change', () => onEdit(id));
  }

  function onEdit(id: FieldId): void {
    serverErrors.delete(id);
    if (id === 'schedule' || id === 'timezone') previewDirty = true;
    clearTimeout(liveTimer);
    liveTimer = setTimeout(() => void validateLive(), LIVE_DELAY_MS);
  }

  /** Browser-side checks on every field, and the API's preview when the schedule or zone changed. */
  async function validateLive(): Promise<void> {
    const { errors } = readTaskForm(values());
    showErrors(errors);
    if (previewDirty) await refreshPreview();
  }

  async function refreshPreview(): Promise<void> {
    const schedule = fields.schedule.value.trim();
    const timezone = fields.timezone.value.trim() || 'UTC';
    const sequence = ++previewSequence;
    previewDirty = false;
    if (schedule === '') {
      scheduleWords.textContent = '';
      replaceContent(previewBox, h('p', { class: 'muted' }, 'Enter a schedule to see its next runs.'));
      return;
    }
    try {
      const preview = await ctx.client.previewSchedule({ schedule, timezone, count: PREVIEW_COUNT });
      if (sequence !== previewSequence) return;
      serverErrors.delete('schedule');
      serverErrors.delete('timezone');
      scheduleWords.textContent = `Runs ${scheduleInWords(schedule, timezone)}.`;
      const notes = new Map((preview.notes ?? []).map((n) => [n.at, n.note]));
      replaceContent(previewBox, preview.runs.length === 0
        ? h('p', { class: 'muted' }, 'This schedule has no run after now.')
        : h('ol', { class: 'preview', 'aria-labelledby': 'preview-heading' }, preview.runs.map((run) => h('li', null,
          timeElement(run, { timeZone: timezone }), notes.has(run) ? h('span', { class: 'dst-note' }, ` — ${notes.get(run)}`) : null))));
    } catch (error) {
      if (sequence !== previewSequence) return;
      scheduleWords.textContent = '';
      if (error instanceof TockApiError && error.status === 400 && error.problem.errors) {
        for (const problem of error.problem.errors) {
          const field = fieldForPath(problem.path);
          if (field === 'schedule' || field === 'timezone') serverErrors.set(field, problem.message);
        }
        replaceContent(previewBox, h('p', { class: 'muted' }, 'No preview until the schedule is valid.'));
      } else {
        replaceContent(previewBox, problemBanner(error));
      }
    }
    showErrors(readTaskForm(values()).errors);
  }

  function values(): Record<FieldId, string> {
    return Object.fromEntries(Object.entries(fields).map(([id, control]) => [id, control.value])) as Record<FieldId, string>;
  }

  /** Shows browser-side errors, then the API's, at their fields; returns the first invalid control. */
  function showErrors(errors: readonly FieldError[]): HTMLElement | undefined {
    const messages = new Map<FieldId, string[]>();
    for (const error of errors) {
      const field = fieldForPath(error.path);
      if (field) messages.set(field, [...(messages.get(field) ?? []), error.message]);
    }
    for (const [field, message] of serverErrors) messages.set(field, [...(messages.get(field) ?? []), message]);
    let first: HTMLElement | undefined;
    for (const [id, control] of Object.entries(fields) as [FieldId, HTMLElement][]) {
      const text = [...new Set(messages.get(id) ?? [])].join(' ');
      const slot = form.querySelector<HTMLElement>(`#${id}-error`)!;
      slot.textContent = text;
      control.toggleAttribute('aria-invalid', text !== '');
      if (text !== '') control.setAttribute('aria-invalid', 'true');
      if (text !== '' && !first) first = control;
      if (text !== '' && advanced.contains(control)) advanced.open = true;
    }
    return first;
  }

  async function save(): Promise<void> {
    serverErrors.clear();
    replaceContent(formProblem);
    const { body, errors } = readTaskForm(values());
    const firstInvalid = showErrors(errors);
    if (!body || firstInvalid) {
      replaceContent(formProblem, h('p', { class: 'problem', role: 'alert' }, 'Please correct the fields marked below.'));
      firstInvalid?.focus();
      return;
    }
    submit.disabled = true;
    try {
      const task = editing
        ? await ctx.client.updateTask(taskId, body, { ifMatch: loaded?.version })
        : await ctx.client.createTask(body as TaskInput, { idempotencyKey: crypto.randomUUID() });
      ctx.announce(editing ? 'Task saved.' : 'Task created.');
      ctx.navigate(`#/tasks/${encodeURIComponent(task.taskId)}`);
    } catch (error) {
      submit.disabled = false;
      if (error instanceof TockApiError) {
        const unplaced: FieldError[] = [];
        for (const problem of error.problem.errors ?? []) {
          const field = fieldForPath(problem.path);
          if (field) serverErrors.set(field, problem.message);
          else unplaced.push(problem);
        }
        const first = showErrors([]);
        const stale = error.status === 412 ? h('p', null, 'Someone changed this task since you opened it. ', h('a', { href: `#/tasks/${encodeURIComponent(taskId ?? '')}` }, 'Open it again'), ' to see the changes.') : null;
        const allPlaced = unplaced.length === 0 && (error.problem.errors?.length ?? 0) > 0;
        replaceContent(formProblem, allPlaced
          ? h('p', { class: 'problem', role: 'alert' }, 'The task was not saved: please correct the fields marked above.')
          : problemBanner(new TockApiError({ ...error.problem, errors: unplaced })), stale);
        (first ?? formProblem.querySelector<HTMLElement>('[role=alert]'))?.focus();
      } else {
        replaceContent(formProblem, problemBanner(error));
      }
    }
  }

  function fill(task: Task): void {
    fields.name.value = task.name ?? '';
    fields.schedule.value = task.schedule;
    fields.timezone.value = task.timezone;
    fields['target-url'].value = task.target.url;
    fields['target-method'].value = task.target.method as HttpMethod;
    fields['target-headers'].value = Object.entries(task.target.headers).map(([name, value]) => `${name}: ${value}`).join('\n');
    fields['target-timeout'].value = String(task.target.timeoutSeconds);
    const text = typeof task.payload === 'string';
    fields['payload-kind'].value = text ? 'text' : 'json';
    fields.payload.value = task.payload === null || task.payload === undefined ? '' : text ? (task.payload as string) : jsonText(task.payload);
    fields['retry-max-attempts'].value = String(task.retryPolicy.maxAttempts);
    fields['retry-backoff'].value = String(task.retryPolicy.backoffSeconds);
    fields['retry-max-backoff'].value = String(task.retryPolicy.maxBackoffSeconds);
    fields['start-at'].value = task.startAt ?? '';
    fields['end-at'].value = task.endAt ?? '';
    fields['max-runs'].value = task.maxRuns ? String(task.maxRuns) : '';
    fields['overlap-policy'].value = task.overlapPolicy ?? 'ALLOW';
    fields['catch-up-policy'].value = task.catchUpPolicy ?? 'LATEST';
    fields['catch-up-window'].value = String(task.catchUpWindowSeconds ?? 3600);
    fields.jitter.value = String(task.jitterSeconds ?? 0);
    advanced.open = Boolean(task.startAt || task.endAt || task.maxRuns || task.jitterSeconds
      || (task.overlapPolicy && task.overlapPolicy !== 'ALLOW') || (task.catchUpPolicy && task.catchUpPolicy !== 'LATEST'));
  }

  if (editing) {
    submit.disabled = true;
    ctx.client.getTask(taskId).then((task) => {
      loaded = task;
      heading.textContent = `Edit ${task.name || task.taskId}`;
      fill(task);
      submit.disabled = false;
      void refreshPreview();
    }, (error: unknown) => replaceContent(formProblem, problemBanner(error)));
  } else {
    void refreshPreview();
  }
  return { element, title: editing ? 'Edit task' : 'New task', dispose: () => clearTimeout(liveTimer) };
}

function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return ['UTC', ...(intl.supportedValuesOf?.('timeZone') ?? [])];
}
