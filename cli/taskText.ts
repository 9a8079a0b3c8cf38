import type { Execution, Task } from '../client/apiTypes';
import { scheduleInWords } from '../client/scheduleInWords';
import { fieldList, instant, oneLine, textTable } from './textTable';

/** `tock list`: one row per task. */
export function taskTable(tasks: readonly Task[]): string {
  return textTable(
    ['ID', 'NAME', 'STATUS', 'SCHEDULE', 'NEXT RUN', 'LAST RESULT'],
    tasks.map((task) => [
      task.taskId,
      oneLine(task.name ?? '-', 30),
      task.status,
      scheduleInWords(task.schedule, task.timezone),
      instant(task.nextRunAt),
      lastResult(task.lastExecution),
    ]),
  );
}

/** `tock get` and the answer to create/update/pause/resume. */
export function taskDetails(task: Task): string {
  const headers = Object.entries(task.target.headers);
  const { maxAttempts, backoffSeconds, maxBackoffSeconds } = task.retryPolicy;
  return fieldList([
    ['ID', task.taskId],
    ['Name', task.name ?? '-'],
    ['Status', task.statusReason ? `${task.status} (${task.statusReason})` : task.status],
    ['Schedule', `${task.schedule}  [${task.timezone}]`],
    ['Runs', scheduleInWords(task.schedule, task.timezone)],
    ['Next run', instant(task.nextRunAt)],
    ['Target', `${task.target.method} ${task.target.url}`],
    ['Headers', headers.length === 0 ? '-' : headers.map(([name, value]) => `${name}: ${value}`).join(', ')],
    ['Time-out', `${task.target.timeoutSeconds} s`],
    ['Retries', `${maxAttempts} attempts, backoff ${backoffSeconds}-${maxBackoffSeconds} s`],
    ...runPolicy(task),
    ...(task.payload === undefined ? [] : [['Payload', task.payload === null ? '-' : oneLine(JSON.stringify(task.payload), 100)] as const]),
    ['Last run', lastResult(task.lastExecution)],
    ['Created', instant(task.createdAt)],
    ['Updated', `${instant(task.updatedAt)}, version ${task.version}`],
  ]);
}

/** The run policy fields that differ from their defaults. */
function runPolicy(task: Task): Array<readonly [string, string]> {
  const lines: Array<readonly [string, string]> = [];
  if (task.startAt) lines.push(['Starts', instant(task.startAt)]);
  if (task.endAt) lines.push(['Ends', instant(task.endAt)]);
  if (task.maxRuns) lines.push(['Run count', `${task.runCount ?? 0} of at most ${task.maxRuns}`]);
  if (task.overlapPolicy && task.overlapPolicy !== 'ALLOW') lines.push(['Overlap', task.overlapPolicy]);
  if (task.catchUpPolicy && task.catchUpPolicy !== 'LATEST') lines.push(['Catch-up', `${task.catchUpPolicy}${task.catchUpPolicy === 'ALL' ? ` within ${task.catchUpWindowSeconds ?? 3600} s` : ''}`]);
  if (task.jitterSeconds) lines.push(['Jitter', `up to ${task.jitterSeconds} s`]);
  return lines;
}

function lastResult(execution: Execution | null): string {
  if (!execution) return 'never ran';
  const code = execution.result ? ` HTTP ${execution.result.statusCode}` : '';
  return `${execution.status}${code} ${instant(execution.finishedAt ?? execution.startedAt ?? execution.scheduledFor)}`;
}

/** `tock logs`: one line per execution state, e.g. `... exec_1 scheduled SUCCEEDED attempt 1 HTTP 200 35 ms "ok"`. */
export function executionLine(execution: Execution): string {
  const parts = [
    (execution.scheduledFor ?? '').replace(/\.\d{3}Z$/, 'Z'),
    execution.executionId,
    execution.kind ?? 'scheduled',
    execution.status.padEnd(9),
    `attempt ${execution.attempt}`,
  ];
  if (execution.result) parts.push(`HTTP ${execution.result.statusCode}`);
  if (execution.startedAt && execution.finishedAt) parts.push(`${Date.parse(execution.finishedAt) - Date.parse(execution.startedAt)} ms`);
  if (execution.nextAttemptAt) parts.push(`next attempt ${instant(execution.nextAttemptAt)}`);
  if (execution.skipReason) parts.push(`skipped (${execution.skipReason})`);
  if (execution.error) parts.push(`${execution.status === 'SKIPPED' ? '' : 'error: '}${oneLine(execution.error.message, 120)}`);
  else if (execution.result && execution.result.body !== '') parts.push(JSON.stringify(oneLine(execution.result.body, 80)));
  return parts.join('  ');
}
