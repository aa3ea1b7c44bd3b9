import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.js';
import { callApi, createPersonWithPassword } from './helpers/api.js';
import { closeConsole, E2E_TIMEOUT, hasChromium, screenshot, serveSeededConsole, signIn } from './helpers/browser.js';

/**
 * The schedule editor as the people who use it: a team manager takes and hands out shifts from the
 * timeline, changes and deletes overrides, corrects a rotation and sees the timeline follow, then
 * renames and deletes the schedule; a team member sees all of it read-only. (Overrides are for the
 * team's managers and platform admins only: POST /api/schedules/:id/overrides needs 'manage'.)
 */
const LEE = { email: 'lee@example.com', password: 'e2e schedules lead', name: 'Lee Lead' };
const BOB = { email: 'bob@example.com', password: 'e2e schedules bob', name: 'Bob Builder' };
const CAROL = { email: 'carol@example.com', password: 'e2e schedules carol', name: 'Carol Cover' };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/**
 * "Now" for the whole file, in the test and in every page (a fixed browser clock): "today" is
 * computed on both sides, and a run that crossed midnight UTC would otherwise have the test
 * expect a different week than the page shows.
 */
const NOW = new Date();

let t: TestApp;
let base: string;
let browser: Browser;
let adminKey: string;
let scheduleId: string;
const ids = { lee: '', bob: '', carol: '', team: '' };
const signedIn = new Map<string, Awaited<ReturnType<BrowserContext['storageState']>>>();

function asAdmin(method: string, url: string, body?: unknown) {
  return callApi(t, adminKey, method, url, body);
}

interface SpanDto {
  userId: string;
  start: string;
  end: string;
  layerId: string | null;
  overrideId: string | null;
  shiftStart: string | null;
  shiftEnd: string | null;
}

/** The timeline the page shows: from the browser's (UTC) midnight today, seven days. */
async function shownSpans(): Promise<SpanDto[]> {
  const from = new Date(NOW);
  from.setUTCHours(0, 0, 0, 0);
  const to = new Date(from.getTime() + 7 * DAY);
  const body = await asAdmin(
    'GET',
    `/api/schedules/${scheduleId}/spans?from=${from.toISOString()}&to=${to.toISOString()}`,
  );
  return body.spans;
}

/** A time as the page writes it (same options as ScheduleDetail's shortTime), in the browser. */
const shortTime = (page: Page, iso: string) =>
  page.evaluate(
    (value) =>
      new Date(value).toLocaleString(undefined, {
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        hour: '2-digit',
        minute: '2-digit',
      }),
    iso,
  );

async function openAs(
  person: { email: string; password: string },
  browserTime = NOW,
): Promise<{ context: BrowserContext; page: Page }> {
  // Each person signs in once; later pages reuse the session (sign-in is limited to 5 a minute per person).
  const storageState = signedIn.get(person.email);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'UTC', storageState });
  context.setDefaultTimeout(30_000);
  await context.clock.setFixedTime(browserTime);
  const page = await context.newPage();
  if (storageState === undefined) {
    await signIn(page, base, person);
    signedIn.set(person.email, await context.storageState());
  }
  await page.goto(`${base}/schedules/${scheduleId}`);
  await page.getByTestId('shift').first().waitFor();
  return { context, page };
}

describe.skipIf(!hasChromium)('the schedule editor in headless Chromium', () => {
  beforeAll(async () => {
    ({ t, base, browser } = await serveSeededConsole(async (app) => {
      t = app; // asAdmin calls through it
      adminKey = (await t.createAdmin()).apiKey;
      for (const [key, person] of [
        ['lee', LEE],
        ['bob', BOB],
        ['carol', CAROL],
      ] as const) {
        ids[key] = (await createPersonWithPassword(app, person)).id;
      }
      ids.team = (await asAdmin('POST', '/api/teams', { name: 'payments' })).id;
      await asAdmin('POST', `/api/teams/${ids.team}/members`, { userId: ids.lee, role: 'manager' });
      await asAdmin('POST', `/api/teams/${ids.team}/members`, { userId: ids.bob });
      await asAdmin('POST', `/api/teams/${ids.team}/members`, { userId: ids.carol });
      scheduleId = (
        await asAdmin('POST', '/api/schedules', { teamId: ids.team, name: 'Payments primary', timeZone: 'UTC' })
      ).id;
      // Lee and Bob take daily turns, handing over at 09:00 UTC; it began three days ago.
      const began = new Date(NOW.getTime() - 3 * DAY);
      began.setUTCHours(9, 0, 0, 0);
      await asAdmin('POST', `/api/schedules/${scheduleId}/layers`, {
        name: 'Daily',
        startsAt: began.toISOString(),
        turnUnit: 'days',
        turnLength: 1,
        handoffTime: '09:00',
        participantIds: [ids.lee, ids.bob],
      });
    }));
  }, E2E_TIMEOUT);

  afterAll(() => closeConsole(browser, t));

  it(
    'shows each shift with its true start and end, not the edges of the view',
    async () => {
      const { context, page } = await openAs(LEE);
      const spans = await shownSpans();
      const first = spans[0];
      const last = spans[spans.length - 1];
      if (first?.shiftStart == null || last?.shiftEnd == null) throw new Error('expected bounded shifts');
      // The first span is cut at today's midnight and the last at the end of the seventh day.
      expect(first.shiftStart).not.toBe(first.start);
      expect(last.shiftEnd).not.toBe(last.end);
      const rows = page.getByTestId('shift');
      expect(await rows.first().textContent()).toContain(await shortTime(page, first.shiftStart));
      expect(await rows.last().textContent()).toContain(await shortTime(page, last.shiftEnd));
      await expect(page.getByTestId('layer').first().textContent()).resolves.toContain('every day at 09:00');
      await context.close();
    },
    E2E_TIMEOUT,
  );

  it(
    'a manager takes a shift picked on the timeline, and has someone else cover another',
    async () => {
      const { context, page } = await openAs(LEE);
      const spans = await shownSpans();
      const bobs = spans.find((span) => span.userId === ids.bob && span.layerId !== null);
      if (bobs === undefined) throw new Error('expected a shift of Bob');

      // Pick Bob's shift on the timeline picture (the mouse shortcut) and take it.
      const bobsStart = await shortTime(page, bobs.shiftStart ?? bobs.start);
      await page.locator('.calendar .segment').filter({ hasText: BOB.name }).first().click();
      await page.getByTestId('selected-shift').getByText(bobsStart).waitFor();
      await page.getByRole('button', { name: 'Take this shift' }).click();
      const add = page.getByRole('form', { name: 'Add an override' });
      await expect(add.getByLabel('Who covers').inputValue()).resolves.toBe(ids.lee);
      await screenshot(page, 'schedule-take-shift');
      await add.getByRole('button', { name: 'Add override' }).click();
      await page.getByTestId('override').filter({ hasText: LEE.name }).waitFor();
      let overrides: Array<{ userId: string; startsAt: string; endsAt: string }> = (
        await asAdmin('GET', `/api/schedules/${scheduleId}/overrides`)
      ).overrides;
      expect(overrides).toEqual([
        expect.objectContaining({ userId: ids.lee, startsAt: bobs.shiftStart, endsAt: bobs.shiftEnd }),
      ]);

      // Pick Lee's next shift from the table (the keyboard's way) and have Carol cover it. (Not the
      // first in view: after 09:00 UTC it has ended, and an ended shift is not offered; see below.)
      // One that ends at least an hour after NOW, so it has not ended by the server's clock either
      // when the override is made (the server lists overrides that have not ended).
      const lees = (await shownSpans()).find(
        (span) =>
          span.userId === ids.lee &&
          span.layerId !== null &&
          Date.parse(span.shiftEnd ?? span.end) > NOW.getTime() + HOUR,
      );
      if (lees === undefined) throw new Error('expected a shift of Lee');
      const leesStart = await shortTime(page, lees.shiftStart ?? lees.start);
      await page
        .getByTestId('shift')
        .filter({ hasText: leesStart })
        .filter({ hasText: LEE.name })
        .filter({ hasText: 'Daily' })
        .getByRole('button', { name: /^Pick/ })
        .click();
      await page.getByRole('button', { name: 'Cover with…' }).click();
      // "Take this shift" is not offered for one's own shift.
      expect(await page.getByRole('button', { name: 'Take this shift' }).count()).toBe(0);
      await expect(add.getByLabel('Who covers').inputValue()).resolves.toBe('');
      await add.getByLabel('Who covers').selectOption({ label: CAROL.name });
      await add.getByRole('button', { name: 'Add override' }).click();
      await page.getByTestId('override').filter({ hasText: CAROL.name }).waitFor();
      overrides = (await asAdmin('GET', `/api/schedules/${scheduleId}/overrides`)).overrides;
      expect(overrides).toContainEqual(
        expect.objectContaining({ userId: ids.carol, startsAt: lees.shiftStart, endsAt: lees.shiftEnd }),
      );
      await context.close();
    },
    E2E_TIMEOUT,
  );

  it(
    'a shift that has ended is not offered for taking or covering',
    async () => {
      // The browser's clock at 23:30 UTC today: the first shift in view (yesterday 09:00 to today
      // 09:00) has ended whatever the time of day this runs, and the next (Bob's, from 09:00) has not.
      const lateToday = new Date(NOW);
      lateToday.setUTCHours(23, 30, 0, 0);
      const { context, page } = await openAs(LEE, lateToday);
      const rows = page.getByTestId('shift');
      await rows.first().getByRole('button', { name: /^Pick/ }).click();
      const card = page.getByTestId('selected-shift');
      await card.getByText('This shift has ended').waitFor();
      for (const name of ['Take this shift', 'Cover with…']) {
        expect(await card.getByRole('button', { name }).count(), name).toBe(0);
      }
      await rows.filter({ hasText: BOB.name }).first().getByRole('button', { name: /^Pick/ }).click();
      await card.getByRole('button', { name: 'Take this shift' }).waitFor();
      expect(await card.getByText('This shift has ended').count()).toBe(0);
      await context.close();
    },
    E2E_TIMEOUT,
  );

  it(
    'a manager changes an override (the API refusal shown inline), then deletes it',
    async () => {
      const start = new Date(NOW.getTime() + 2 * DAY);
      start.setUTCHours(12, 0, 0, 0);
      await asAdmin('POST', `/api/schedules/${scheduleId}/overrides`, {
        userId: ids.bob,
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 6 * HOUR).toISOString(),
        note: 'dentist',
      });
      const { context, page } = await openAs(LEE);
      await page
        .getByTestId('override')
        .filter({ hasText: 'dentist' })
        .getByRole('button', { name: `Edit override for ${BOB.name}` })
        .click();
      const edit = page.getByRole('form', { name: 'Change this override' });
      await edit.getByLabel('Who covers').selectOption({ label: CAROL.name });
      await edit.getByLabel('Note (optional)').fill('swapped with Bob');
      // An end before the start: the server's problem detail appears in the form.
      const before = new Date(start.getTime() - HOUR).toISOString().slice(0, 16);
      await edit.getByLabel('Until').fill(before);
      await edit.getByRole('button', { name: 'Save override' }).click();
      await edit.getByRole('alert').getByText('must be after startsAt').waitFor();
      await edit.getByLabel('Until').fill(new Date(start.getTime() + 4 * HOUR).toISOString().slice(0, 16));
      await edit.getByRole('button', { name: 'Save override' }).click();
      const changed = page.getByTestId('override').filter({ hasText: 'swapped with Bob' });
      await changed.getByText(CAROL.name, { exact: true }).waitFor();
      const stored = (await asAdmin('GET', `/api/schedules/${scheduleId}/overrides`)).overrides.find(
        (o: { note: string | null }) => o.note === 'swapped with Bob',
      );
      expect(stored).toMatchObject({
        userId: ids.carol,
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 4 * HOUR).toISOString(),
      });

      page.once('dialog', (dialog) => dialog.accept());
      await changed.getByRole('button', { name: `Delete override for ${CAROL.name}` }).click();
      await changed.waitFor({ state: 'detached' });
      const left = (await asAdmin('GET', `/api/schedules/${scheduleId}/overrides`)).overrides;
      expect(left.some((o: { id: string }) => o.id === stored.id)).toBe(false);
      await context.close();
    },
    E2E_TIMEOUT,
  );

  it(
    'a manager corrects a rotation (Carol instead of Bob) and the timeline changes',
    async () => {
      // Without overrides in the way, only the rotation decides the timeline.
      for (const o of (await asAdmin('GET', `/api/schedules/${scheduleId}/overrides`)).overrides) {
        await asAdmin('DELETE', `/api/schedules/${scheduleId}/overrides/${o.id}`);
      }
      const { context, page } = await openAs(LEE);
      expect(await page.getByTestId('shift').filter({ hasText: CAROL.name }).count()).toBe(0);

      // A new rotation starts at the start of this hour and hands over on the hour, in plain words.
      const add = page.getByRole('form', { name: 'Add a rotation' });
      expect(await add.getByLabel('First turn starts').inputValue()).toMatch(/T\d\d:00$/);
      expect(await add.getByLabel(/^Handover time/).inputValue()).toMatch(/^\d\d:00$/);
      await add.getByText(/^Hands over every week on \w+day at \d\d:00 \(UTC\)\.$/).waitFor();
      await add.getByLabel('Turn length').fill('2');
      await add.getByText(/^Hands over every 2 weeks on/).waitFor();

      await page.getByRole('button', { name: 'Edit rotation Daily' }).click();
      const edit = page.getByRole('form', { name: 'Correct “Daily”' });
      await edit.getByLabel(BOB.name).uncheck();
      await edit.getByLabel(CAROL.name).check();
      await edit.getByRole('button', { name: `${CAROL.name} earlier` }).click();
      await expect(edit.getByRole('list', { name: 'Turn order' }).textContent()).resolves.toMatch(
        new RegExp(`^${CAROL.name}.*${LEE.name}`),
      );
      await screenshot(page, 'schedule-correct-rotation', { fullPage: true });
      await edit.getByRole('button', { name: 'Save rotation' }).click();
      await page.getByTestId('layer').getByText(`Daily: ${CAROL.name} → ${LEE.name}`).waitFor();
      await page.getByTestId('shift').filter({ hasText: CAROL.name }).first().waitFor();

      const layer = (await asAdmin('GET', `/api/schedules/${scheduleId}`)).layers[0];
      expect(layer.participantIds).toEqual([ids.carol, ids.lee]);
      expect(layer.versions).toHaveLength(2);
      await context.close();
    },
    E2E_TIMEOUT,
  );

  it(
    'a team member sees the schedule read-only',
    async () => {
      const { context, page } = await openAs(BOB);
      await page.getByRole('heading', { name: 'Rotations' }).waitFor();
      for (const name of [/^Edit/, /^Delete/, /^Pick/, 'Add rotation', 'Add override', 'Save']) {
        expect(await page.getByRole('button', { name }).count(), String(name)).toBe(0);
      }
      expect(await page.getByRole('heading', { name: 'Settings' }).count()).toBe(0);
      // The timeline picture selects nothing for a reader.
      await page.locator('.calendar .segment').first().click();
      expect(await page.getByTestId('selected-shift').count()).toBe(0);
      await context.close();
    },
    E2E_TIMEOUT,
  );

  it(
    'a manager renames the schedule, is told what deleting affects, and deletes it',
    async () => {
      await asAdmin('POST', '/api/escalation-policies', {
        teamId: ids.team,
        name: 'Payments default',
        isDefault: true,
        levels: [{ delayMinutes: 5, targets: [{ type: 'schedule', id: scheduleId }] }],
      });
      const { context, page } = await openAs(LEE);
      const settings = page.getByRole('form', { name: 'Settings' });
      await settings.getByLabel('Time zone (IANA name)').fill('Mars/Olympus_Mons');
      await settings.getByRole('button', { name: 'Save' }).click();
      await settings.getByRole('alert').getByText('must be an IANA time zone name').waitFor();
      await settings.getByLabel('Time zone (IANA name)').fill('Europe/Berlin');
      await settings.getByLabel('Name', { exact: true }).fill('Payments main');
      await settings.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('heading', { name: 'Payments main', level: 1 }).waitFor();
      expect((await asAdmin('GET', `/api/schedules/${scheduleId}`)).timeZone).toBe('Europe/Berlin');

      await page.getByRole('button', { name: 'Delete schedule…' }).click();
      const confirm = page.getByRole('form', { name: 'Delete Payments main?' });
      await confirm.getByTestId('affected-policies').getByText('Payments default').waitFor();
      await confirm.getByText('Its rotation, every override and its calendar feeds go with it').waitFor();
      const remove = confirm.getByRole('button', { name: 'Delete permanently' });
      expect(await remove.isDisabled()).toBe(true);
      await confirm.getByLabel('Schedule name').fill('Payments main');
      await screenshot(page, 'schedule-delete');
      await remove.click();
      await page.getByRole('heading', { name: 'Schedules', level: 1 }).waitFor();
      await page.getByText('No schedule yet: nobody is on call for payments').waitFor();
      const gone = await t.request({ method: 'GET', url: `/api/schedules/${scheduleId}`, key: adminKey });
      expect(gone.statusCode).toBe(404);
      await context.close();
    },
    E2E_TIMEOUT,
  );
});
