import { randomBytes } from 'node:crypto';
import type { SsoConfig } from '../../config.js';
import type { TeamRole } from '../../core/teams.js';
import type { Database, Transaction } from '../../db/client.js';
import { violationOf } from '../../db/constraint-violations.js';
import type { UserRow } from '../../db/schema/index.js';
import { constantTimeEqual, decryptSecret, encryptSecret, sha256Hex } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import { replaceUnstorableText } from '../../lib/unstorable-text.js';
import type { AuditService } from '../audit/audit.service.js';
import type { SessionsService } from '../sessions/sessions.service.js';
import { normalizeEmail } from '../users/users.service.js';
import { groupsFromClaims, teamsGrantedBy } from './group-mapping.js';
import type { OidcClient, VerifiedIdentity } from './oidc-client.js';
import type { SsoRepository } from './sso.repository.js';

/** How long a person has to finish signing in at the provider. */
export const LOGIN_REQUEST_TTL_MS = 10 * 60_000;
const MAX_EMAIL_LENGTH = 320;
const MAX_NAME_LENGTH = 200;

type SsoSettings = Pick<SsoConfig, 'redirectUrl' | 'groupsClaim' | 'adminGroups' | 'teamMapping'>;

function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

function stringClaim(claims: Record<string, unknown>, name: string, maxLength: number): string | undefined {
  const value = claims[name];
  if (typeof value !== 'string') return undefined;
  const text = replaceUnstorableText(value.trim());
  return text === '' ? undefined : text.slice(0, maxLength);
}

/**
 * Single sign-on: starts a login at the OpenID provider, and on its callback turns the verified
 * identity into a Klaxon user (created just in time, or updated), with the platform admin flag
 * and the team memberships its groups grant, then opens a session exactly as password sign-in does.
 */
export function createSsoService(deps: {
  db: Database;
  repository: SsoRepository;
  oidcClient: Pick<OidcClient, 'authorizationUrl' | 'exchange'>;
  sessionsService: Pick<SessionsService, 'openSession'>;
  auditService: Pick<AuditService, 'record'>;
  settings: SsoSettings;
  masterKey: Buffer;
  now?: () => Date;
}) {
  const { db, repository, oidcClient, sessionsService, auditService, settings, masterKey } = deps;
  const now = deps.now ?? (() => new Date());

  /** Finds the person by provider identity, else links an account by verified email, else creates one. */
  async function upsertUser(tx: Transaction, identity: VerifiedIdentity, isPlatformAdmin: boolean | undefined) {
    const email = stringClaim(identity.claims, 'email', MAX_EMAIL_LENGTH);
    if (email === undefined) {
      throw new AppError('sso-rejected', 'The provider sent no email address (request the "email" scope)');
    }
    const normalizedEmail = normalizeEmail(email);
    const name =
      stringClaim(identity.claims, 'name', MAX_NAME_LENGTH) ??
      stringClaim(identity.claims, 'preferred_username', MAX_NAME_LENGTH) ??
      null;
    const at = now();

    const known = await repository.findUserByIdentity(tx, identity.issuer, identity.subject);
    if (known !== undefined) {
      const changes: Partial<Pick<UserRow, 'email' | 'name'>> = {};
      if (known.email !== normalizedEmail && (await repository.findUserByEmail(tx, normalizedEmail)) === undefined) {
        changes.email = normalizedEmail;
      }
      if (name !== null && known.name !== name) changes.name = name;
      if (Object.keys(changes).length === 0) return known;
      const updated = await repository.updateUser(tx, known.id, changes, at);
      await auditService.record(tx, {
        action: 'user.updated',
        userId: known.id,
        resourceType: 'user',
        resourceId: known.id,
        severity: 'INFO',
        metadata: { via: 'sso', ...changes },
      });
      return updated;
    }

    const byEmail = await repository.findUserByEmail(tx, normalizedEmail);
    if (byEmail !== undefined) {
      if (byEmail.oidcSubject !== null) {
        throw new AppError('sso-account-conflict', 'This email belongs to an account linked to another identity');
      }
      // Taking over an existing account on the provider's word needs the provider to vouch
      // for the address: otherwise anyone who can set an email there could become that user.
      if (identity.claims.email_verified !== true) {
        throw new AppError(
          'sso-account-conflict',
          'An account with this email exists and the provider does not say the email is verified',
        );
      }
      const linked = await repository.updateUser(
        tx,
        byEmail.id,
        { oidcIssuer: identity.issuer, oidcSubject: identity.subject, ...(byEmail.name === null ? { name } : {}) },
        at,
      );
      await auditService.record(tx, {
        action: 'user.sso_linked',
        userId: byEmail.id,
        resourceType: 'user',
        resourceId: byEmail.id,
        severity: 'HIGH',
        metadata: { email: normalizedEmail, issuer: identity.issuer, subject: identity.subject },
      });
      return linked;
    }

    const created = await repository.insertUser(tx, {
      id: uuidv7(),
      email: normalizedEmail,
      name,
      isPlatformAdmin: isPlatformAdmin ?? false,
      oidcIssuer: identity.issuer,
      oidcSubject: identity.subject,
    });
    await auditService.record(tx, {
      action: 'user.created',
      userId: null,
      resourceType: 'user',
      resourceId: created.id,
      severity: created.isPlatformAdmin ? 'HIGH' : 'MEDIUM',
      metadata: {
        email: created.email,
        isPlatformAdmin: created.isPlatformAdmin,
        via: 'sso',
        issuer: identity.issuer,
        subject: identity.subject,
      },
    });
    return created;
  }

  async function syncAdminFlag(tx: Transaction, user: UserRow, isPlatformAdmin: boolean | undefined) {
    if (isPlatformAdmin === undefined || user.isPlatformAdmin === isPlatformAdmin) return user;
    const updated = await repository.updateUser(tx, user.id, { isPlatformAdmin }, now());
    await auditService.record(tx, {
      action: 'user.updated',
      userId: user.id,
      resourceType: 'user',
      resourceId: user.id,
      severity: 'HIGH',
      metadata: { via: 'sso', isPlatformAdmin },
    });
    return updated;
  }

  /**
   * Adds, re-roles and removes the memberships single sign-on manages (source `sso`) so they
   * match what the groups grant. Memberships an admin added by hand are left alone.
   */
  async function syncMemberships(tx: Transaction, user: UserRow, groups: string[]) {
    const granted = teamsGrantedBy(groups, settings.teamMapping);
    const grantedTeams = await repository.teamsByLowerName(tx, [...granted.keys()]);
    const wanted = new Map<string, { name: string; role: TeamRole }>();
    for (const team of grantedTeams) {
      const role = granted.get(team.name.toLowerCase());
      if (role !== undefined) wanted.set(team.id, { name: team.name, role });
    }
    const current = await repository.membershipsOf(tx, user.id);
    const audit = (action: string, teamId: string, metadata: Record<string, unknown>) =>
      auditService.record(tx, {
        action,
        userId: user.id,
        resourceType: 'team',
        resourceId: teamId,
        severity: 'MEDIUM',
        metadata: { ...metadata, memberId: user.id, via: 'sso' },
      });

    for (const [teamId, { name, role }] of wanted) {
      const membership = current.find((row) => row.teamId === teamId);
      if (membership === undefined) {
        await repository.insertSsoMembership(tx, teamId, user.id, role);
        await audit('team.member_added', teamId, { name, role });
      } else if (membership.source === 'sso' && membership.role !== role) {
        await repository.updateSsoMembershipRole(tx, teamId, user.id, role);
        await audit('team.member_role_changed', teamId, { name, from: membership.role, to: role });
      }
    }
    for (const membership of current) {
      if (membership.source !== 'sso' || wanted.has(membership.teamId)) continue;
      await repository.deleteSsoMembership(tx, membership.teamId, user.id);
      await audit('team.member_removed', membership.teamId, { name: membership.teamName });
    }
  }

  return {
    /** Where to send the browser, and the binding token the browser keeps in a cookie until it returns. */
    async beginLogin(): Promise<{ authorizationUrl: string; browserToken: string; ttlMs: number }> {
      const state = randomToken();
      const nonce = randomToken();
      const codeVerifier = randomToken();
      const browserToken = randomToken();
      // Asked first: when the provider is down, nothing is stored.
      const authorizationUrl = await oidcClient.authorizationUrl({ state, nonce, codeVerifier });
      const at = now();
      await db.transaction(async (tx) => {
        await repository.deleteLoginRequestsBefore(tx, at);
        await repository.insertLoginRequest(tx, {
          id: uuidv7(),
          stateHash: sha256Hex(state),
          browserHash: sha256Hex(browserToken),
          nonce,
          codeVerifierEncrypted: encryptSecret(masterKey, codeVerifier),
          createdAt: at,
          expiresAt: new Date(at.getTime() + LOGIN_REQUEST_TTL_MS),
        });
      });
      return { authorizationUrl: authorizationUrl.href, browserToken, ttlMs: LOGIN_REQUEST_TTL_MS };
    },

    /**
     * The provider's redirect back: uses up the login request (once, from the browser that
     * started it), exchanges the code, validates the ID token, provisions the user and opens a session.
     */
    async completeLogin(input: {
      query: URLSearchParams;
      browserToken: string | undefined;
      sourceIp: string;
      userAgent: string | undefined;
    }) {
      const state = input.query.get('state');
      if (state === null || state === '' || input.browserToken === undefined) {
        throw new AppError('sso-login-invalid', 'Start the sign-in again from the Klaxon sign-in page');
      }
      const request = await repository.consumeLoginRequest(db, sha256Hex(state), now());
      if (request === undefined || !constantTimeEqual(request.browserHash, sha256Hex(input.browserToken))) {
        throw new AppError('sso-login-invalid', 'Start the sign-in again from the Klaxon sign-in page');
      }
      const callbackUrl = new URL(settings.redirectUrl);
      callbackUrl.search = input.query.toString();
      const identity = await oidcClient.exchange(callbackUrl, {
        state,
        nonce: request.nonce,
        codeVerifier: decryptSecret(masterKey, request.codeVerifierEncrypted),
      });

      const groups = groupsFromClaims(identity.claims, settings.groupsClaim);
      const isPlatformAdmin =
        settings.adminGroups.length === 0 ? undefined : groups.some((group) => settings.adminGroups.includes(group));
      let user: UserRow;
      try {
        user = await db.transaction(async (tx) => {
          const found = await upsertUser(tx, identity, isPlatformAdmin);
          const current = await syncAdminFlag(tx, found, isPlatformAdmin);
          await syncMemberships(tx, current, groups);
          return current;
        });
      } catch (error) {
        // Two first sign-ins racing for one email or identity: the loser asks the person to retry.
        if (violationOf(error)?.kind === 'unique') {
          throw new AppError('sso-account-conflict', 'The account changed during sign-in; try again', { cause: error });
        }
        throw error;
      }
      return sessionsService.openSession(user, { sourceIp: input.sourceIp, userAgent: input.userAgent }, 'oidc');
    },
  };
}

export type SsoService = ReturnType<typeof createSsoService>;
