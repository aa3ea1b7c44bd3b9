import { randomBytes } from 'node:crypto';
import type { PasswordSignInPolicy } from '../../config.js';
import type { Principal } from '../../core/principal.js';
import type { Database } from '../../db/client.js';
import type { UserRow } from '../../db/schema/index.js';
import { constantTimeEqual, sha256Hex } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import { hashPassword, verifyPassword } from '../../lib/password.js';
import { createRateLimiter, type RateLimiter } from '../../lib/rate-limiter.js';
import type { AuditService } from '../audit/audit.service.js';
import type { ChangeFeed } from '../live-updates/change-feed.js';
import type { UsersRepository } from '../users/users.repository.js';
import { normalizeEmail } from '../users/users.service.js';
import type { SessionsRepository } from './sessions.repository.js';

export const SESSION_COOKIE = 'klaxon_session';
export const CSRF_HEADER = 'x-klaxon-csrf';

export interface SessionPolicy {
  /** A session unused for this long ends. */
  idleTimeoutMs: number;
  /** A session ends this long after sign-in, however active. */
  absoluteTimeoutMs: number;
  /** Sign-in attempts per email and client address, per minute (token bucket, burst = this). */
  loginAttemptsPerMinute: number;
  /** Sign-in attempts per client address, per minute, whatever the email. */
  loginAttemptsPerIpPerMinute: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  idleTimeoutMs: 12 * 60 * 60 * 1000,
  absoluteTimeoutMs: 7 * 24 * 60 * 60 * 1000,
  loginAttemptsPerMinute: 5,
  loginAttemptsPerIpPerMinute: 30,
};

export const MIN_PASSWORD_LENGTH = 8;
const TOUCH_RESOLUTION_MS = 60_000;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Applies the password policy, then hashes; every way of setting a password goes through here. */
export async function hashAcceptablePassword(password: string): Promise<string> {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError('validation-failed', `The password must be at least ${MIN_PASSWORD_LENGTH} characters`, {
      errors: [{ path: 'password', message: `must be at least ${MIN_PASSWORD_LENGTH} characters` }],
    });
  }
  return hashPassword(password);
}

export interface SessionPrincipal extends Principal {
  sessionId: string;
  csrfToken: string;
  sessionExpiresAt: Date;
}

export function createSessionsService(deps: {
  db: Database;
  sessionsRepository: SessionsRepository;
  usersRepository: Pick<UsersRepository, 'findByEmail' | 'findById' | 'update'>;
  auditService: Pick<AuditService, 'record'>;
  now?: () => Date;
  policy?: Partial<SessionPolicy>;
  rateLimiter?: RateLimiter;
  /** Open live-update streams: those of an ended session end at once. */
  liveStreams?: Pick<ChangeFeed, 'endStreamsOf'>;
  /** KLAXON_SSO_ONLY: only the break-glass account signs in with a password. */
  passwordSignIn?: PasswordSignInPolicy;
  /** Where a failed last-seen update is reported: it never fails the request it rides on. */
  log?: Pick<Console, 'warn'>;
}) {
  const { db, sessionsRepository, usersRepository, auditService } = deps;
  const now = deps.now ?? (() => new Date());
  const policy = { ...DEFAULT_SESSION_POLICY, ...deps.policy };
  const passwordSignIn = deps.passwordSignIn ?? { ssoOnly: false, breakGlassEmail: undefined };
  const limiter = deps.rateLimiter ?? createRateLimiter({ now: () => now().getTime() });
  // Unknown emails and users without a password are checked against this hash, so a failed
  // sign-in costs the same scrypt work whether or not the account exists.
  let decoyHash: Promise<string> | undefined;
  const decoy = () => {
    decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
    return decoyHash;
  };

  function takeAttempt(email: string, ip: string): void {
    const byIp = limiter.take(`ip:${ip}`, policy.loginAttemptsPerIpPerMinute);
    const byEmail = limiter.take(`email:${email}|${ip}`, policy.loginAttemptsPerMinute);
    const denied = [byIp, byEmail].find((decision) => !decision.allowed);
    if (denied !== undefined && !denied.allowed) {
      throw new AppError('rate-limited', 'Too many sign-in attempts; wait and try again', {
        headers: { 'Retry-After': String(denied.retryAfterSeconds) },
      });
    }
  }

  function expiryOf(session: { expiresAt: Date; lastSeenAt: Date }): Date {
    const idleEnd = new Date(session.lastSeenAt.getTime() + policy.idleTimeoutMs);
    return idleEnd < session.expiresAt ? idleEnd : session.expiresAt;
  }

  async function openSession(
    user: UserRow,
    client: { sourceIp: string; userAgent: string | undefined },
    method: 'password' | 'oidc' | 'setup-link',
  ) {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const at = now();
    const session = await db.transaction(async (tx) => {
      const row = await sessionsRepository.insert(tx, {
        id: uuidv7(),
        userId: user.id,
        tokenHash: sha256Hex(token),
        csrfToken,
        createdAt: at,
        lastSeenAt: at,
        expiresAt: new Date(at.getTime() + policy.absoluteTimeoutMs),
        sourceIp: client.sourceIp,
        userAgent: client.userAgent?.slice(0, 512) ?? null,
      });
      await auditService.record(tx, {
        action: 'session.created',
        userId: user.id,
        resourceType: 'session',
        resourceId: row.id,
        severity: 'LOW',
        metadata: { sourceIp: client.sourceIp, userAgent: row.userAgent, method },
      });
      return row;
    });
    return { token, csrfToken, user, session, expiresAt: expiryOf(session) };
  }

  return {
    policy,

    /** Checks the password (constant work for unknown emails) and opens a session. */
    async login(input: { email: string; password: string; sourceIp: string; userAgent: string | undefined }) {
      const email = normalizeEmail(input.email);
      takeAttempt(email, input.sourceIp);
      // Decided on the typed email alone, so the answer says nothing about which accounts exist.
      if (passwordSignIn.ssoOnly && email !== passwordSignIn.breakGlassEmail) {
        throw new AppError('password-sign-in-disabled', 'Sign in with single sign-on (SSO) instead');
      }
      const user = await usersRepository.findByEmail(db, email);
      const stored = user?.passwordHash ?? (await decoy());
      const matches = await verifyPassword(input.password, stored);
      if (user === undefined || user.passwordHash === null || !matches || user.disabledAt !== null) {
        if (user !== undefined) {
          await db.transaction((tx) =>
            auditService.record(tx, {
              action: 'session.login_failed',
              userId: user.id,
              resourceType: 'user',
              resourceId: user.id,
              severity: 'MEDIUM',
              metadata: { sourceIp: input.sourceIp },
            }),
          );
        }
        throw new AppError('invalid-credentials', 'Check the email and password and try again');
      }
      return openSession(user, input, 'password');
    },

    /** Opens a session for a person already authenticated elsewhere (single sign-on, the setup link). */
    openSession,

    /** The principal for a cookie token, or undefined when it is unknown, revoked, idle or expired. */
    async authenticate(token: string): Promise<SessionPrincipal | undefined> {
      if (!TOKEN_PATTERN.test(token)) return undefined;
      const at = now();
      const tokenHash = sha256Hex(token);
      const found = await sessionsRepository.findLive(db, tokenHash, at, new Date(at.getTime() - policy.idleTimeoutMs));
      if (found === undefined || !constantTimeEqual(found.session.tokenHash, tokenHash)) return undefined;
      void sessionsRepository
        .touch(db, found.session.id, at, new Date(at.getTime() - TOUCH_RESOLUTION_MS))
        .catch((error: unknown) => deps.log?.warn({ err: error }, 'could not record when a session was last seen'));
      return {
        userId: found.user.id,
        email: found.user.email,
        isPlatformAdmin: found.user.isPlatformAdmin,
        apiKeyId: null,
        sessionId: found.session.id,
        csrfToken: found.session.csrfToken,
        sessionExpiresAt: expiryOf({ expiresAt: found.session.expiresAt, lastSeenAt: at }),
      };
    },

    /** Whether a session still works (live-update streams re-check it at each heartbeat). */
    isLive(sessionId: string): Promise<boolean> {
      const at = now();
      return sessionsRepository.isLive(db, sessionId, at, new Date(at.getTime() - policy.idleTimeoutMs));
    },

    async logout(sessionId: string, actorId: string): Promise<void> {
      await db.transaction(async (tx) => {
        const revoked = await sessionsRepository.revoke(tx, sessionId, now());
        if (revoked === undefined) return;
        await auditService.record(tx, {
          action: 'session.revoked',
          userId: actorId,
          resourceType: 'session',
          resourceId: sessionId,
          severity: 'LOW',
          metadata: { reason: 'logout' },
        });
      });
      deps.liveStreams?.endStreamsOf({ sessionId });
    },

    /** One's own working sessions (any device), newest first. */
    listOwn(actor: Principal) {
      const at = now();
      return sessionsRepository.listLive(db, actor.userId, at, new Date(at.getTime() - policy.idleTimeoutMs));
    },

    /** Ends one of one's own sessions (another device); someone else's answers 404 like a missing one. */
    async revokeOwn(actor: Principal, sessionId: string): Promise<void> {
      await db.transaction(async (tx) => {
        const revoked = await sessionsRepository.revokeOwn(tx, actor.userId, sessionId, now());
        if (revoked === undefined) throw new AppError('session-not-found', `No session of yours with id ${sessionId}`);
        await auditService.record(tx, {
          action: 'session.revoked',
          userId: actor.userId,
          resourceType: 'session',
          resourceId: sessionId,
          severity: 'LOW',
          metadata: { reason: 'revoked by its owner', sourceIp: revoked.sourceIp, userAgent: revoked.userAgent },
        });
      });
      deps.liveStreams?.endStreamsOf({ sessionId });
    },

    /** An admin signs a person out everywhere: every session ends, and every open stream of theirs closes. */
    async signOutEverywhere(actor: Principal, userId: string): Promise<{ revokedSessions: number }> {
      const revokedSessions = await db.transaction(async (tx) => {
        const user = await usersRepository.findById(tx, userId);
        if (user === undefined) throw new AppError('user-not-found', `No user with id ${userId}`);
        const count = await sessionsRepository.revokeAllForUser(tx, userId, now());
        await auditService.record(tx, {
          action: 'user.signed_out_everywhere',
          userId: actor.userId,
          resourceType: 'user',
          resourceId: userId,
          severity: 'HIGH',
          metadata: { email: user.email, revokedSessions: count },
        });
        return count;
      });
      deps.liveStreams?.endStreamsOf({ userId });
      return { revokedSessions };
    },

    /**
     * Sets a user's console password (CLI `set-password`, or an admin reset) and ends every
     * session the user had, so a reset locks out whoever knew the old password.
     */
    async setPassword(target: { email: string } | { userId: string }, password: string, actorId: string | null) {
      const passwordHash = await hashAcceptablePassword(password);
      const result = await db.transaction(async (tx) => {
        const user: UserRow | undefined =
          'email' in target
            ? await usersRepository.findByEmail(tx, normalizeEmail(target.email))
            : await usersRepository.findById(tx, target.userId);
        if (user === undefined) {
          throw new AppError('user-not-found', 'email' in target ? `No user with email ${target.email}` : undefined);
        }
        const at = now();
        await usersRepository.update(tx, user.id, { passwordHash }, at);
        const revokedSessions = await sessionsRepository.revokeAllForUser(tx, user.id, at);
        await auditService.record(tx, {
          action: 'user.password_set',
          userId: actorId,
          resourceType: 'user',
          resourceId: user.id,
          severity: 'HIGH',
          metadata: { via: actorId === null ? 'cli' : 'api', revokedSessions },
        });
        return { userId: user.id, revokedSessions };
      });
      deps.liveStreams?.endStreamsOf({ userId: result.userId });
      return result;
    },
  };
}

export type SessionsService = ReturnType<typeof createSessionsService>;

/** Compares the CSRF header sent with a cookie-authenticated unsafe request to the session's token. */
export function csrfMatches(expected: string, presented: string | string[] | undefined): boolean {
  return typeof presented === 'string' && constantTimeEqual(expected, presented);
}
