import { describe, expect, it } from 'vitest';
import type { FieldId } from '../../../console/src/pages/taskFormModel';
import { fieldForPath, parseHeaderLines, readTaskForm } from '../../../console/src/pages/taskFormModel';

const FILLED: Record<FieldId, string> = {
  name: ' nightly ', schedule: 'cron(0 2 * * ? *)', timezone: 'Europe/Berlin',
  'target-url': 'https://example.com/hook', 'target-method': 'POST', 'target-headers': 'X-Team: core\n\nAuthorization: Bearer abc',
  'target-timeout': '10', payload: '{"a": [1, 2]}', 'payload-kind': 'json',
  'retry-max-attempts': '5', 'retry-backoff': '3', 'retry-max-backoff': '',
  'start-at': '', 'end-at': '2030-01-01T00:00:00Z', 'max-runs': '', 'overlap-policy': 'SKIP', 'catch-up-policy': 'LATEST',
  'catch-up-window': '3600', jitter: '0',
};

describe('readTaskForm', () => {
  it('should turn a filled form into the API body', () => {
    expect(readTaskForm(FILLED)).toEqual({
      errors: [],
      body: {
        name: 'nightly', schedule: 'cron(0 2 * * ? *)', timezone: 'Europe/Berlin',
        target: { type: 'http', url: 'https://example.com/hook', method: 'POST', headers: { 'X-Team': 'core', Authorization: 'Bearer abc' }, timeoutSeconds: 10 },
        payload: { a: [1, 2] },
        retryPolicy: { maxAttempts: 5, backoffSeconds: 3 },
        startAt: null, endAt: '2030-01-01T00:00:00Z', maxRuns: null,
        overlapPolicy: 'SKIP', catchUpPolicy: 'LATEST', catchUpWindowSeconds: 3600, jitterSeconds: 0,
      },
    });
  });

  it('should send a text payload as the string itself and an empty one as null', () => {
    expect(readTaskForm({ ...FILLED, 'payload-kind': 'text', payload: 'not { json' }).body?.payload).toBe('not { json');
    expect(readTaskForm({ ...FILLED, payload: '  ' }).body?.payload).toBeNull();
    expect(readTaskForm({ ...FILLED, name: '' }).body?.name).toBeNull();
  });

  it('should report what the browser can check, with the API\'s paths', () => {
    const { body, errors } = readTaskForm({
      ...FILLED, schedule: ' ', 'target-url': 'example.com', 'target-headers': 'no colon here', payload: '{oops',
      'retry-max-attempts': '21', 'retry-backoff': '10', 'retry-max-backoff': '5', 'target-timeout': '1.5',
      'start-at': 'tomorrow', 'max-runs': '0', jitter: '3601',
    });
    expect(body).toBeUndefined();
    expect(errors.map((e) => e.path)).toEqual([
      'schedule', 'target.url', 'target.headers', 'target.timeoutSeconds', 'payload', 'retryPolicy.maxAttempts', 'retryPolicy.maxBackoffSeconds',
      'startAt', 'maxRuns', 'jitterSeconds',
    ]);
  });
});

describe('fieldForPath', () => {
  it.each([
    ['schedule', 'schedule'], ['timezone', 'timezone'], ['target.url', 'target-url'], ['target', 'target-url'],
    ['target.headers.X-Api-Key', 'target-headers'], ['target.timeoutSeconds', 'target-timeout'], ['target.method', 'target-method'],
    ['payload', 'payload'], ['retryPolicy.maxAttempts', 'retry-max-attempts'], ['retryPolicy.backoffSeconds', 'retry-backoff'],
    ['retryPolicy.maxBackoffSeconds', 'retry-max-backoff'], ['name', 'name'], ['endAt', 'end-at'], ['overlapPolicy', 'overlap-policy'],
  ])('should show an error at %s on the %s control', (path, field) => {
    expect(fieldForPath(path)).toBe(field);
  });

  it('should leave a path no control shows to the form-level message', () => {
    expect(fieldForPath('')).toBeUndefined();
    expect(fieldForPath('colour')).toBeUndefined();
  });
});

describe('parseHeaderLines', () => {
  it('should keep colons inside values and name the line of a bad header', () => {
    expect(parseHeaderLines('Link: <https://a.example/x>; rel=next')).toEqual({ headers: { Link: '<https://a.example/x>; rel=next' }, errors: [] });
    expect(parseHeaderLines('ok: 1\nbad header: 2').errors).toEqual(['line 2 should read "Name: value"']);
  });
});
