import { randomBytes } from 'node:crypto';
import type { Database } from '../../db/client.js';
import type { PasswordLinkRow } from '../../db/schema/index.js';
import { sha256Hex } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import type { RateLimiter } from '../../lib/rate-limiter.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Channels } from '../notifications/channels.js';
import type { SessionsRepository } from '../sessions/sessions.repository.js';
import { hashAcceptablePassword } from '../sessions/sessions.service.js';
import type { UsersRepository } from '../users/users.repository.js';
import type { PasswordLinksRepository } from './password-links.repository.js';

export const DEFAULT_PASSWORD_LINK_TTL_HOURS = 24;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * One-time invite and reset links: an admin creates one and hands it over, the person chooses
 * their own password with it, so the admin never knows it.
 */
export function createPasswordLinksService(deps: {
  db: Database;
  repository: PasswordLinksRepository;
  usersRepository: Pick<UsersRepository, 'findById' | 'update'>;
  sessionsRepository: Pick<SessionsRepository, 'revokeAllForUser'>;
  auditService: Pick<AuditService, 'record'>;
  /** Emails links on request, when SMTP is configured. */
  channels: Pick<Channels, 'canEmail' | 'sendMail'>;
  /** The sign-in limiter: guessing link tokens spends the same kind of budget as guessing passwords. */
  rateLimiter: RateLimiter;
  attemptsPerIpPerMinute: number;
  /** Base of the console URL, without a trailing slash. */
  publicUrl: string;
  ttlHours: number;
  now: () => Date;
}) {
  const { db, repository, usersRepository, sessionsRepository, auditService, now } = deps;

  function takeAttempt(ip: string): void {
    const decision = deps.rateLimiter.take(`password-link:${ip}`, deps.attemptsPerIpPerMinute);
    if (!decision.allowed) {
      throw new AppError('rate-limited', 'Too many password link attempts; wait and try again', {
        headers: { 'Retry-After': String(decision.retryAfterSeconds) },
      });
    }
  }

  /** Why a link cannot be used, or undefined when it can. */
  function unusableBecause(link: PasswordLinkRow, at: Date): string | undefined {
    if (link.usedAt !== null) return 'This link was already used; ask an admin for a new one';
    if (link.revokedAt !== null) return 'A newer link replaced this one; use the newest link or ask an admin';
    if (link.expiresAt <= at) return 'This link has expired; ask an admin for a new one';
    return undefined;
  }

  async function findUsable(token: string, at: Date) {
    const found = TOKEN_PATTERN.test(token) ? await repository.findByTokenHash(db, sha256Hex(token)) : undefined;
    if (found === undefined) throw new AppError('password-link-not-found', 'This link is not valid');
    const reason = unusableBecause(found.link, at);
    if (reason !== undefined) throw new AppError('password-link-invalid', reason);
    return found;
  }

  return {
    /**
     * Creates a link for the user, revoking their earlier unused ones, and emails it to them on
     * request. The URL is returned once, even when emailed, so a failed mail can be sent by hand.
     */
    async create(userId: string, actorId: string, options: { email?: boolean } = {}) {
      if (options.email === true && !deps.channels.canEmail) {
        throw new AppError('bad-request', 'Klaxon cannot send email: SMTP_URL is not configured');
      }
      const token = randomBytes(32).toString('base64url');
      const at = now();
      const expiresAt = new Date(at.getTime() + deps.ttlHours * 60 * 60 * 1000);
      const link = await db.transaction(async (tx) => {
        const user = await usersRepository.findById(tx, userId);
        if (user === undefined) throw new AppError('user-not-found');
        const revokedLinks = await repository.revokeUnusedForUser(tx, user.id, at);
        const row = await repository.insert(tx, {
          id: uuidv7(),
          userId: user.id,
          tokenHash: sha256Hex(token),
          purpose: user.passwordHash === null ? 'invite' : 'reset',
          createdBy: actorId,
          createdAt: at,
          expiresAt,
        });
        await auditService.record(tx, {
          action: 'user.password_link_created',
          userId: actorId,
          resourceType: 'user',
          resourceId: user.id,
          severity: 'HIGH',
          metadata: {
            linkId: row.id,
            purpose: row.purpose,
            expiresAt: expiresAt.toISOString(),
            revokedLinks,
            emailRequested: options.email === true,
          },
        });
        return { row, email: user.email };
      });
      // In the fragment, the token never reaches a server in the request for the page itself.
      const url = `${deps.publicUrl}/set-password#token=${token}`;
      const mailed = options.email === true ? await deps.channels.sendMail(linkMail(link.email, link.row, url)) : null;
      return {
        url,
        expiresAt,
        purpose: link.row.purpose,
        emailed: mailed?.outcome === 'sent',
        emailError: mailed === null || mailed.outcome === 'sent' ? null : mailed.detail,
      };
    },

    /** Whose account a link opens, for the page that asks for the new password. */
    async describe(token: string, sourceIp: string) {
      takeAttempt(sourceIp);
      const { link, user } = await findUsable(token, now());
      return { email: user.email, purpose: link.purpose, expiresAt: link.expiresAt };
    },

    /** Sets the password and uses up the link, once; ends the user's sessions as an admin reset does. */
    async setPassword(token: string, password: string, sourceIp: string) {
      takeAttempt(sourceIp);
      const { link } = await findUsable(token, now());
      const passwordHash = await hashAcceptablePassword(password);
      return db.transaction(async (tx) => {
        const at = now();
        const consumed = await repository.consume(tx, link.id, at);
        // A concurrent use won the race (or the link expired while the password was hashed).
        if (consumed === undefined) throw new AppError('password-link-invalid');
        await usersRepository.update(tx, consumed.userId, { passwordHash }, at);
        const revokedSessions = await sessionsRepository.revokeAllForUser(tx, consumed.userId, at);
        await auditService.record(tx, {
          action: 'user.password_set_by_link',
          userId: consumed.userId,
          resourceType: 'user',
          resourceId: consumed.userId,
          severity: 'HIGH',
          metadata: { linkId: consumed.id, purpose: consumed.purpose, sourceIp, revokedSessions },
        });
        return { userId: consumed.userId };
      });
    },
  };
}

function linkMail(to: string, link: PasswordLinkRow, url: string) {
  const action = link.purpose === 'invite' ? 'choose your password' : 'choose a new password';
  return {
    to,
    subject: link.purpose === 'invite' ? 'Your Klaxon account' : 'Reset your Klaxon password',
    text: [
      `Open this link to ${action} for ${to}:`,
      '',
      url,
      '',
      `It works once, until ${link.expiresAt.toISOString()}. If you did not expect this email, ignore it.`,
    ].join('\n'),
  };
}

export type PasswordLinksService = ReturnType<typeof createPasswordLinksService>;
