import type { TestApp } from '../../helpers/app.js';

/**
 * One API call as the holder of `key`, for the console suites' seeding and checks: a refusal
 * throws with its status and body, so a set-up step that fails names itself rather than
 * surfacing later as a page that never shows what it should.
 */
export async function callApi(t: TestApp, key: string, method: string, url: string, body?: unknown) {
  const response = await t.request({ method, url, key, body });
  if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
  return response.body === '' ? undefined : response.json();
}

/** A person who signs in to the console with a password (created as an admin would, then given it). */
export async function createPersonWithPassword(
  t: TestApp,
  person: { email: string; password: string; name?: string },
): Promise<{ id: string }> {
  const user = await t.services.usersService.create(
    { email: person.email, ...(person.name === undefined ? {} : { name: person.name }) },
    null,
  );
  await t.services.sessionsService.setPassword({ userId: user.id }, person.password, null);
  return user;
}
