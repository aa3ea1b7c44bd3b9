import { randomBytes } from 'node:crypto';
import type { Database } from '../../db/client.js';
import type { UserRow } from '../../db/schema/index.js';
import { constantTimeEqual, decryptSecret, encryptSecret, sha256Hex } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import type { RateLimiter } from '../../lib/rate-limiter.js';
import type { AuditService } from '../audit/audit.service.js';
import { hashAcceptablePassword, type SessionsService } from '../sessions/sessions.service.js';
import type { UsersRepository } from '../users/users.repository.js';
import { normalizeEmail } from '../users/users.service.js';
import type { SetupRepository } from './setup.repository.js';

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** How the first admin is made without the setup link, for the database this server runs on. */
export function bootstrapCommand(database: 'embedded' | 'postgres'): string {
  const command = 'npm run cli -- bootstrap-admin --email you@example.com --name "Your Name" --password-stdin';
  return database === 'embedded'
    ? `Stop Klaxon (Ctrl+C), run \`${command}\` in the same directory with the same KLAXON_DATA_DIR, type the password and press Enter, then start Klaxon again.`
    : `With the same DATABASE_URL and KLAXON_MASTER_KEY as the server, run \`${command}\`, type the password and press Enter (the server can keep running).`;
}

/**
 * First run: while no user exists, a one-time link (printed by the server at start-up, like
 * Jupyter's token) lets the first person create the platform admin in the browser. The link
 * stops working once it is used or once any user exists, however that user was made.
 */
export function createSetupService(deps: {
  db: Database;
  repository: SetupRepository;
  usersRepository: Pick<UsersRepository, 'insert' | 'findByEmail'>;
  sessionsService: Pick<SessionsService, 'openSession'>;
  auditService: Pick<AuditService, 'record'>;
  masterKey: Buffer;
  database: 'embedded' | 'postgres';
  /** The sign-in limiter: guessing setup tokens spends the same budget as guessing passwords. */
  rateLimiter: RateLimiter;
  attemptsPerIpPerMinute: number;
  now: () => Date;
}) {
  const { db, repository, usersRepository, auditService, now } = deps;

  function takeAttempt(ip: string): void {
    const decision = deps.rateLimiter.take(`setup:${ip}`, deps.attemptsPerIpPerMinute);
    if (!decision.allowed) {
      throw new AppError('rate-limited', 'Too many setup attempts; wait and try again', {
        headers: { 'Retry-After': String(decision.retryAfterSeconds) },
      });
    }
  }

  /** The stored token, when it can still be read with this master key. */
  function readable(row: { tokenHash: string; tokenCiphertext: string } | undefined): string | undefined {
    if (row === undefined) return undefined;
    try {
      const token = decryptSecret(deps.masterKey, row.tokenCiphertext);
      return constantTimeEqual(sha256Hex(token), row.tokenHash) ? token : undefined;
    } catch {
      return undefined;
    }
  }

  return {
    /**
     * The setup token while no user exists (the one already stored, so that every process and
     * every restart prints the same link), or undefined once someone can sign in.
     */
    async tokenWhileNoUser(): Promise<string | undefined> {
      if (await repository.anyUserExists(db)) {
        await repository.deleteAll(db);
        return undefined;
      }
      const stored = readable(await repository.find(db));
      if (stored !== undefined) return stored;
      // None yet, or sealed under a master key that was rotated since: make a new one.
      const token = randomBytes(32).toString('base64url');
      const fresh = { tokenHash: sha256Hex(token), tokenCiphertext: encryptSecret(deps.masterKey, token) };
      return db.transaction(async (tx) => {
        // Another process starting at the same moment may have stored one since: keep it, or the
        // link it printed would stop working. Only a token this key cannot read is replaced.
        const current = await repository.findForUpdate(tx);
        const theirs = readable(current);
        if (theirs !== undefined) return theirs;
        if (current !== undefined) await repository.deleteAll(tx);
        return readable(await repository.insertIfAbsent(tx, { ...fresh, createdAt: now() }));
      });
    },

    /** What the console's first page needs to know; the command only while setup is open. */
    async status() {
      const setupNeeded = !(await repository.anyUserExists(db));
      return setupNeeded
        ? { setupNeeded, database: deps.database, command: bootstrapCommand(deps.database) }
        : { setupNeeded };
    },

    /** Creates the platform admin with the setup link, once, and signs them in. */
    async createFirstAdmin(input: {
      token: string;
      email: string;
      name: string;
      password: string;
      sourceIp: string;
      userAgent: string | undefined;
    }) {
      takeAttempt(input.sourceIp);
      const passwordHash = await hashAcceptablePassword(input.password);
      const email = normalizeEmail(input.email);
      const user: UserRow = await db.transaction(async (tx) => {
        const stored = await repository.findForUpdate(tx);
        if (await repository.anyUserExists(tx)) {
          throw new AppError('setup-complete', 'Klaxon already has users: sign in, or ask an admin for an invite');
        }
        const presented = TOKEN_PATTERN.test(input.token) ? sha256Hex(input.token) : '';
        if (stored === undefined || !constantTimeEqual(stored.tokenHash, presented)) {
          throw new AppError(
            'setup-link-invalid',
            'Use the newest setup link the server printed at start-up (restart Klaxon to print it again)',
          );
        }
        const created = await usersRepository.insert(tx, {
          id: uuidv7(),
          email,
          name: input.name,
          isPlatformAdmin: true,
          passwordHash,
        });
        await repository.deleteAll(tx);
        await auditService.record(tx, {
          action: 'user.created',
          userId: created.id,
          resourceType: 'user',
          resourceId: created.id,
          severity: 'HIGH',
          metadata: { email, isPlatformAdmin: true, via: 'setup-link', sourceIp: input.sourceIp },
        });
        return created;
      });
      return deps.sessionsService.openSession(user, input, 'setup-link');
    },
  };
}

export type SetupService = ReturnType<typeof createSetupService>;
