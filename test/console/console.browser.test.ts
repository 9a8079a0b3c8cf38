import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../console/build';
import { apiClient } from '../support/api';
import type { ApiClient } from '../support/api';
import { launchChromium, screenshotPath } from '../support/chromium';
import type { Chromium } from '../support/chromium';
import { startStack } from '../support/stack';
import type { RunningStack } from '../support/stack';
import { startWebhookReceiver } from '../support/webhookReceiver';
import type { WebhookReceiver } from '../support/webhookReceiver';

/**
 * The web console in Debian's chromium against `npm start`'s stack, as a user would drive it:
 * sign in, create a task and watch it run, pause and resume, validation at the field, the list.
 */
let stack: RunningStack;
let receiver: WebhookReceiver;
let browser: Chromium;
let api: ApiClient;
let page: Page;
let adaToken: string;

const shot = (name: string) => page.screenshot({ path: screenshotPath('console', name), fullPage: true });

function inSeconds(seconds: number): string {
  return new Date(Math.ceil((Date.now() + seconds * 1000) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

async function signIn(target: Page, userId: string): Promise<void> {
  await target.goto(`${stack.baseUrl}/`);
  await target.getByLabel('User id').fill(userId);
  await target.getByRole('button', { name: 'Sign in' }).click();
  await target.getByRole('heading', { name: 'Tasks', level: 1 }).waitFor();
}

async function createTask(token: string, body: Record<string, unknown>): Promise<string> {
  const response = await api.call('POST', '/v1/tasks', {
    schedule: 'cron(0 9 ? * MON-FRI *)', timezone: 'Europe/Berlin', target: { type: 'http', url: `${receiver.url}/hook` }, ...body,
  }, { token });
  expect(response.status, response.text).toBe(201);
  return response.json.taskId as string;
}

beforeAll(async () => {
  // As `npm start` does: the stack serves console/dist when it exists at start.
  await buildConsole();
  [stack, receiver, browser] = await Promise.all([startStack(), startWebhookReceiver(), launchChromium()]);
  api = apiClient(stack.baseUrl);
  adaToken = await api.token('ada');
  page = await browser.context.newPage();
  await signIn(page, 'ada');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await receiver?.close();
  await stack?.dispose();
});

describe('web console', () => {
  it('should sign in, create a task, and show its run with the response in the execution timeline', async () => {
    // Prepare
    receiver.respond('/first-run', [{ status: 200, body: 'hello from the receiver' }]);
    await page.getByRole('link', { name: 'New task' }).first().click();
    await page.getByRole('heading', { name: 'New task' }).waitFor();

    // Act
    await page.getByLabel('Name (optional)').fill('first run');
    await page.getByLabel('Schedule').fill(`at(${inSeconds(5)})`);
    await page.getByLabel('Time zone').fill('UTC');
    await page.getByLabel('URL').fill(`${receiver.url}/first-run`);
    await page.getByLabel('Payload (optional)').fill('{"greeting": "hi"}');
    await page.locator('.preview-box li').first().waitFor();
    await shot('create-form');
    await page.getByRole('button', { name: 'Create task' }).click();

    // Assess
    await page.getByRole('heading', { name: 'first run', level: 1 }).waitFor();
    const delivered = await receiver.waitFor((r) => r.path === '/first-run', 20_000);
    expect(JSON.parse(delivered.body)).toEqual({ greeting: 'hi' });
    const execution = page.locator('.timeline .execution').first();
    await execution.locator('.execution-head .badge', { hasText: 'SUCCEEDED' }).waitFor({ timeout: 15_000 });
    await expect.poll(() => execution.textContent()).toContain('HTTP 200');
    await execution.getByText('Response body').click();
    await execution.getByText('hello from the receiver').waitFor();
    await execution.locator('.attempts summary').click();
    await execution.locator('.attempt-table tbody tr').first().waitFor();
    expect(await execution.locator('.attempt-table tbody tr').first().textContent()).toContain('200');
    await page.locator('.status-line .badge', { hasText: 'COMPLETED' }).waitFor({ timeout: 10_000 });
    await shot('task-run-timeline');
  });

  it('should pause and resume a task, each only after confirmation', async () => {
    // Prepare
    const taskId = await createTask(adaToken, { name: 'weekday report' });
    await page.goto(`${stack.baseUrl}/#/tasks/${taskId}`);
    await page.getByRole('heading', { name: 'weekday report' }).waitFor();
    expect(await page.locator('.schedule-words').first().textContent()).toBe('every weekday at 09:00 Europe/Berlin time');
    await page.locator('.preview li').first().waitFor();

    // Act: a cancelled pause changes nothing
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('dialog', { name: 'Pause this task?' }).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect((await api.call('GET', `/v1/tasks/${taskId}`, undefined, { token: adaToken })).json.status).toBe('ACTIVE');

    // Act: pause, confirmed
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Pause' }).click();
    await page.locator('.status-line .badge', { hasText: 'PAUSED' }).waitFor();
    await page.locator('#announcer', { hasText: 'Task paused.' }).waitFor();
    expect((await api.call('GET', `/v1/tasks/${taskId}`, undefined, { token: adaToken })).json.status).toBe('PAUSED');
    await shot('task-paused');

    // Act: resume with the keyboard only (focus starts on Cancel in the dialog)
    await page.getByRole('button', { name: 'Resume' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Resume this task?' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');

    // Assess
    await page.locator('.status-line .badge', { hasText: 'ACTIVE' }).waitFor();
    expect((await api.call('GET', `/v1/tasks/${taskId}`, undefined, { token: adaToken })).json.status).toBe('ACTIVE');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-key'))).toBe('pause-resume');
  });

  it('should show the API\'s validation errors at their fields, live and on save', async () => {
    // Prepare
    await page.goto(`${stack.baseUrl}/#/tasks/new`);
    await page.getByRole('heading', { name: 'New task' }).waitFor();

    // Act: an EventBridge cron with both day fields set is refused by the preview as it is typed
    await page.getByLabel('Schedule').fill('cron(0 9 * * * *)');
    const scheduleError = page.locator('#schedule-error');
    await scheduleError.filter({ hasText: 'day-of-week' }).waitFor();
    expect(await page.getByLabel('Schedule').getAttribute('aria-invalid')).toBe('true');

    // Act: a valid schedule, then a target the API refuses on save
    await page.getByLabel('Schedule').fill('rate(5 minutes)');
    await scheduleError.filter({ hasText: /^$/ }).waitFor({ state: 'attached' });
    await page.getByLabel('URL').fill('http://10.0.0.1/hook');
    await page.getByRole('button', { name: 'Create task' }).click();

    // Assess
    const urlError = page.locator('#target-url-error');
    await urlError.filter({ hasText: 'refused address' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('target-url');
    expect(await page.getByLabel('Schedule').getAttribute('aria-invalid')).toBeNull();
    await shot('validation-error');
    const list = await api.call('GET', '/v1/tasks?limit=100', undefined, { token: adaToken });
    expect(list.json.items.map((t: { schedule: string }) => t.schedule)).not.toContain('rate(5 minutes)');
  });

  it('should show the occurrences the overlap policy skipped in the timeline, with their reason', async () => {
    // Prepare: a run every second whose target takes 2.5 s, skipping overlaps
    receiver.respond('/slow', [{ status: 200, body: 'slow', delayMs: 2500 }]);
    const taskId = await createTask(adaToken, { name: 'overlapping', schedule: '* * * * * *', overlapPolicy: 'SKIP', target: { type: 'http', url: `${receiver.url}/slow` } });
    try {
      // Act
      await page.goto(`${stack.baseUrl}/#/tasks/${taskId}`);

      // Assess
      const skipped = page.locator('.timeline .execution-skipped').first();
      await skipped.waitFor({ timeout: 10_000 });
      expect(await skipped.textContent()).toContain('OVERLAP');
      expect(await page.locator('.task-body').textContent()).toContain('OverlapSKIP');
      await shot('skipped-occurrences');
      await page.getByLabel(/Show skipped occurrences/).uncheck();
      await expect.poll(() => page.locator('.timeline .execution-skipped').count()).toBe(0);
    } finally {
      await api.call('DELETE', `/v1/tasks/${taskId}`, undefined, { token: adaToken });
    }
  });

  it('should put an API error on a run policy field at that field, opening its section', async () => {
    // Prepare
    await page.goto(`${stack.baseUrl}/#/tasks/new`);
    await page.getByLabel('Schedule').fill('rate(1 hour)');
    await page.getByLabel('URL').fill(`${receiver.url}/window`);
    await page.getByText('When runs happen').click();

    // Act
    await page.getByLabel('Start at (optional)').fill('2030-01-02T00:00:00Z');
    await page.getByLabel('End at (optional)').fill('2030-01-01T00:00:00Z');
    await page.getByRole('button', { name: 'Create task' }).click();

    // Assess
    await page.locator('#end-at-error').filter({ hasText: 'after startAt' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('end-at');
  });

  it('should list tasks with their schedule in words, filter them by status and page through them', async () => {
    // Prepare: 21 tasks for a user of their own, one of them paused
    const token = await api.token('lister');
    const ids: string[] = [];
    for (let i = 0; i < 21; i += 1) ids.push(await createTask(token, { name: `task ${String(i).padStart(2, '0')}`, schedule: 'rate(1 hour)' }));
    await api.call('POST', `/v1/tasks/${ids[0]}/pause`, undefined, { token });
    const lister = await browser.context.newPage();
    try {
      // Act
      await signIn(lister, 'lister');
      const rows = lister.locator('table.tasks tbody tr');
      await rows.first().waitFor();

      // Assess: newest first, 20 a page
      expect(await rows.count()).toBe(20);
      expect(await rows.first().textContent()).toContain('every hour');
      await lister.screenshot({ path: screenshotPath('console', 'task-list'), fullPage: true });
      await lister.getByRole('button', { name: 'Next page' }).click();
      await lister.getByText('Page 2').waitFor();
      await expect.poll(() => rows.count()).toBe(1);
      expect(await rows.first().textContent()).toContain('task 00');
      expect(await lister.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);

      await lister.getByLabel('Status').selectOption('PAUSED');
      await expect.poll(() => lister.url()).toContain('status=PAUSED');
      await lister.getByText('Page 1').waitFor();
      await expect.poll(() => rows.count()).toBe(1);
      expect(await rows.first().locator('.badge').textContent()).toBe('PAUSED');
    } finally {
      await lister.close();
    }
  });

  it('should edit a task and delete it after confirmation', async () => {
    // Prepare
    const taskId = await createTask(adaToken, { name: 'to edit' });
    await page.goto(`${stack.baseUrl}/#/tasks/${taskId}/edit`);
    const name = page.getByLabel('Name (optional)');
    await expect.poll(() => name.inputValue()).toBe('to edit');

    // Act
    await name.fill('edited');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'edited', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog', { name: 'Delete this task?' }).getByRole('button', { name: 'Delete' }).click();

    // Assess
    await page.getByRole('heading', { name: 'Tasks', level: 1 }).waitFor();
    expect((await api.call('GET', `/v1/tasks/${taskId}`, undefined, { token: adaToken })).status).toBe(404);
  });
});
