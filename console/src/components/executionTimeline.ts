import type { Attempt, Execution } from '../../../client/apiTypes';
import { h } from '../dom';
import { durationText, timeElement } from '../format';
import { statusBadge } from './statusBadge';

export interface TimelineOptions {
  /** The user opened the attempts of an execution whose details are not loaded yet. */
  readonly onOpenAttempts: (executionId: string) => void;
}

/** Executions newest first, each with its outcome, response body, error and attempts. */
export function executionTimeline(executions: readonly Execution[], details: ReadonlyMap<string, Execution>, options: TimelineOptions): HTMLElement {
  if (executions.length === 0) return h('p', { class: 'empty' }, 'No executions yet.');
  return h('ol', { class: 'timeline' }, executions.map((listed) => {
    if (listed.status === 'SKIPPED') return skippedItem(listed);
    const execution = details.get(listed.executionId) ?? listed;
    const attempts = details.get(listed.executionId)?.attempts;
    const code = execution.result ? `HTTP ${execution.result.statusCode}` : null;
    return h('li', { class: `execution execution-${execution.status.toLowerCase()}`, 'data-execution-id': execution.executionId },
      h('div', { class: 'execution-head' },
        statusBadge(execution.status),
        h('strong', null, execution.kind === 'trigger' ? ' Run now' : ' Scheduled run'),
        ' for ', timeElement(execution.scheduledFor),
        code ? h('span', { class: 'status-code' }, ` · ${code}`) : null,
        ` · ${execution.attempt} attempt${execution.attempt === 1 ? '' : 's'}`),
      h('dl', { class: 'inline' },
        h('dt', null, 'Started'), h('dd', null, timeElement(execution.startedAt, { relative: false })),
        h('dt', null, 'Finished'), h('dd', null, timeElement(execution.finishedAt, { relative: false })),
        execution.nextAttemptAt ? [h('dt', null, 'Next attempt'), h('dd', null, timeElement(execution.nextAttemptAt))] : null,
        h('dt', null, 'Id'), h('dd', null, h('code', null, execution.executionId))),
      execution.error ? h('p', { class: 'error-text' }, 'Error: ', execution.error.message) : null,
      execution.result
        ? h('details', { class: 'response', 'data-key': `body-${execution.executionId}` },
          h('summary', null, `Response body (${code}, ${execution.result.body.length} characters)`),
          h('pre', null, execution.result.body === '' ? '(empty)' : execution.result.body))
        : null,
      attemptsSection(execution.executionId, attempts, options));
  }));
}

/** An occurrence that did not run (the run ledger's), with its reason. */
function skippedItem(execution: Execution): HTMLElement {
  return h('li', { class: 'execution execution-skipped', 'data-execution-id': execution.executionId },
    h('div', { class: 'execution-head' },
      statusBadge('SKIPPED'), h('strong', null, ' Skipped occurrence'), ' for ', timeElement(execution.scheduledFor),
      execution.skipReason ? ` · ${execution.skipReason}` : null),
    execution.error ? h('p', { class: 'muted' }, execution.error.message) : null);
}

function attemptsSection(executionId: string, attempts: readonly Attempt[] | undefined, options: TimelineOptions): HTMLElement {
  const details = h('details', { class: 'attempts', 'data-key': `attempts-${executionId}` },
    h('summary', null, attempts ? `Attempts (${attempts.length})` : 'Attempts'),
    attempts ? attemptTable(attempts) : h('p', { class: 'muted' }, 'Loading…'));
  if (!attempts) details.addEventListener('toggle', () => {
    if (details.open) options.onOpenAttempts(executionId);
  });
  return details;
}

function attemptTable(attempts: readonly Attempt[]): HTMLElement {
  if (attempts.length === 0) return h('p', { class: 'muted' }, 'No attempt has started yet.');
  return h('table', { class: 'attempt-table' },
    h('thead', null, h('tr', null, ['#', 'Outcome', 'Status code', 'Started', 'Duration', 'Error'].map((label) => h('th', { scope: 'col' }, label)))),
    h('tbody', null, attempts.map((a) => h('tr', null,
      h('td', null, String(a.attempt)),
      h('td', null, statusBadge(a.outcome)),
      h('td', null, a.statusCode === null ? '—' : String(a.statusCode)),
      h('td', null, timeElement(a.startedAt, { relative: false })),
      h('td', null, durationText(a.durationMs)),
      h('td', null, a.error ?? '')))));
}
