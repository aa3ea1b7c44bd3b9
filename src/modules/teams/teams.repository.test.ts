import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/database.js';
import type { DatabaseHandle } from '../../db/client.js';
import { violationOf } from '../../db/constraint-violations.js';
import { AppError } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import { createTeamsRepository } from './teams.repository.js';

/** The repository owns its constraint names: what the database refuses comes out as the domain's error. */
describe('teams repository: constraint violations', () => {
  let handle: DatabaseHandle;
  const repository = createTeamsRepository();

  beforeAll(async () => {
    handle = await createTestDatabase();
  });
  afterAll(async () => {
    await handle.close();
  });

  async function refusal(work: Promise<unknown>): Promise<unknown> {
    return work.then(
      () => expect.fail('the statement was not refused'),
      (error: unknown) => error,
    );
  }

  it('a name taken regardless of case is duplicate-team, naming the name and keeping the cause', async () => {
    await repository.insert(handle.db, { id: uuidv7(), name: 'Payments', description: null });
    const error = await refusal(repository.insert(handle.db, { id: uuidv7(), name: 'PAYMENTS', description: null }));
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('duplicate-team');
    expect((error as AppError).detail).toContain('"PAYMENTS"');
    expect(violationOf(error)).toMatchObject({ kind: 'unique', constraint: 'teams_name_unique' });
  });

  it('a member who is not a user is user-not-found; a second membership is duplicate-team-member', async () => {
    const team = await repository.insert(handle.db, { id: uuidv7(), name: 'Search', description: null });
    const ghost = uuidv7();
    const missing = await refusal(
      repository.insertMember(handle.db, { teamId: team.id, userId: ghost, role: 'member' }),
    );
    expect(missing).toMatchObject({ code: 'user-not-found', detail: `No user with id ${ghost}` });

    const userId = uuidv7();
    await handle.executeSql(`INSERT INTO users (id, email, is_platform_admin) VALUES ($1, $2, false)`, [
      userId,
      `${userId}@example.com`,
    ]);
    await repository.insertMember(handle.db, { teamId: team.id, userId, role: 'member' });
    const twice = await refusal(repository.insertMember(handle.db, { teamId: team.id, userId, role: 'manager' }));
    expect(twice).toMatchObject({ code: 'duplicate-team-member' });
  });

  it('a violation the repository does not name goes on as the database reported it', async () => {
    const userId = uuidv7();
    await handle.executeSql(`INSERT INTO users (id, email, is_platform_admin) VALUES ($1, $2, false)`, [
      userId,
      `${userId}@example.com`,
    ]);
    const error = await refusal(repository.insertMember(handle.db, { teamId: uuidv7(), userId, role: 'member' }));
    expect(error).not.toBeInstanceOf(AppError);
    expect(violationOf(error)).toMatchObject({ kind: 'foreign-key', constraint: 'team_members_team_id_teams_id_fk' });
  });
});
