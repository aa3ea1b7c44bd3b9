import type { Principal } from '../../core/principal.js';
import type { Transaction } from '../../db/client.js';
import { randomHex, sha256Hex } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import type { Authz } from '../authz/authz.service.js';
import { type CalendarEvent, renderCalendar } from './ical.js';
import { computeSpans, type Span } from './oncall-computation.js';
import type { SchedulePartDeps } from './schedule-access.js';
import { DAY, type DefinitionLoader } from './schedule-definition.js';
import type { ScheduleOnCall } from './schedule-oncall.js';

/** What a calendar subscription shows: the recent past and the coming months. */
const FEED_PAST_DAYS = 30;
const FEED_FUTURE_DAYS = 180;
const FEED_TOKEN_BYTES = 32;
const FEED_URL_PATTERN = /^([0-9a-f]{64})\.ics$/;

/** iCal feeds: secret subscription URLs for a schedule's or a person's shifts. */
export function createScheduleFeeds(
  deps: SchedulePartDeps & { authz: Authz; definitions: DefinitionLoader; onCall: Pick<ScheduleOnCall, 'userShifts'> },
) {
  const { db, repository, auditService, access, now, authz, definitions, onCall } = deps;

  function feedToken() {
    const token = randomHex(FEED_TOKEN_BYTES);
    return { token, tokenHash: sha256Hex(token), tokenPrefix: `${token.slice(0, 8)}...` };
  }

  /**
   * Issues a feed token (shown once, stored hashed) for a schedule or a person, audited in the
   * same transaction. `check` authorizes inside that transaction and returns the audit metadata.
   */
  async function createFeed(
    actor: Principal,
    owner: { scheduleId: string | null; userId: string | null },
    check: (tx: Transaction) => Promise<Record<string, unknown>>,
  ) {
    const { token, tokenHash, tokenPrefix } = feedToken();
    const feed = await db.transaction(async (tx) => {
      const metadata = await check(tx);
      const row = await repository.insertFeed(tx, {
        id: uuidv7(),
        ...owner,
        tokenHash,
        tokenPrefix,
        createdBy: actor.userId,
      });
      await auditService.record(tx, {
        action: 'ical_feed.created',
        userId: actor.userId,
        resourceType: 'ical_feed',
        resourceId: row.id,
        severity: 'MEDIUM',
        metadata: { ...metadata, tokenPrefix },
      });
      return row;
    });
    return { ...feed, url: `/ical/${token}.ics` };
  }

  return {
    async createScheduleFeed(scheduleId: string, actor: Principal) {
      return createFeed(actor, { scheduleId, userId: null }, async (tx) => {
        const { schedule } = await access.authorize(tx, actor, scheduleId, 'read');
        return { scheduleId, name: schedule.name };
      });
    },

    async createUserFeed(userId: string, actor: Principal) {
      if (!authz.isSelfOrAdmin(actor, userId)) {
        throw new AppError('user-not-found', `No user with id ${userId}`);
      }
      return createFeed(actor, { scheduleId: null, userId }, async (tx) => {
        if (!(await repository.userExists(tx, userId)))
          throw new AppError('user-not-found', `No user with id ${userId}`);
        return { forUserId: userId };
      });
    },

    /** Live feeds of a schedule: all of them for its managers, the caller's own for members. */
    async listScheduleFeeds(viewer: Principal, scheduleId: string) {
      const { access: standing } = await access.authorize(db, viewer, scheduleId, 'read');
      return repository.listFeeds(db, { scheduleId }, standing === 'manage' ? undefined : viewer.userId);
    },

    async listUserFeeds(viewer: Principal, userId: string) {
      if (!authz.isSelfOrAdmin(viewer, userId)) {
        throw new AppError('user-not-found', `No user with id ${userId}`);
      }
      return repository.listFeeds(db, { userId });
    },

    /** Revocable by whoever created it, the user it belongs to, the schedule's managers and platform admins. */
    async revokeFeed(id: string, actor: Principal): Promise<void> {
      await db.transaction(async (tx) => {
        const feed = await repository.findFeed(tx, id);
        const missing = () => new AppError('ical-feed-not-found', `No feed with id ${id}`);
        if (feed === undefined) throw missing();
        let allowed = authz.isSelfOrAdmin(actor, feed.createdBy) || feed.userId === actor.userId;
        if (!allowed && feed.scheduleId !== null) {
          const schedule = await repository.findById(tx, feed.scheduleId);
          allowed = schedule !== undefined && (await access.accessOf(tx, actor, schedule)) === 'manage';
        }
        if (!allowed) throw missing();
        await repository.revokeFeed(tx, id, now());
        await auditService.record(tx, {
          action: 'ical_feed.revoked',
          userId: actor.userId,
          resourceType: 'ical_feed',
          resourceId: id,
          severity: 'MEDIUM',
          metadata: { scheduleId: feed.scheduleId, forUserId: feed.userId, tokenPrefix: feed.tokenPrefix },
        });
      });
    },

    /**
     * The calendar behind `/ical/<token>.ics`, or undefined (404) for anything but a live token.
     * The token is looked up by its SHA-256, so no comparison ever touches the token itself.
     */
    async renderFeed(file: string): Promise<string | undefined> {
      const match = FEED_URL_PATTERN.exec(file);
      if (match?.[1] === undefined) return undefined;
      const feed = await repository.findFeedByTokenHash(db, sha256Hex(match[1]));
      if (feed === undefined) return undefined;
      const stamp = now();
      // Whole UTC days, so the first events keep their start (and UID) through the day.
      const from = new Date(Math.floor(stamp.getTime() / DAY) * DAY - FEED_PAST_DAYS * DAY);
      const to = new Date(from.getTime() + (FEED_PAST_DAYS + FEED_FUTURE_DAYS) * DAY);
      let name: string;
      let spans: Array<Span & { scheduleName: string; scheduleId: string }>;
      if (feed.scheduleId !== null) {
        const schedule = await repository.findById(db, feed.scheduleId);
        // A feed is a grant of whoever created it: it ends when they may no longer read the schedule.
        if (schedule === undefined || (await authz.standingOfUser(feed.createdBy, schedule.teamId)) === undefined) {
          return undefined;
        }
        const { definition } = await definitions.load(db, schedule, { from, to });
        name = `On call: ${schedule.name}`;
        spans = computeSpans(definition, from, to).map((span) => ({
          ...span,
          scheduleName: schedule.name,
          scheduleId: schedule.id,
        }));
      } else if (feed.userId !== null) {
        const [user] = await repository.userSummaries(db, [feed.userId]);
        // Ends with the account (disabled) or when the person belongs to no team any more.
        const scope = await authz.scopeOfUser(feed.userId);
        if (user === undefined || (scope !== 'all' && scope.length === 0)) return undefined;
        name = `On call: ${user.name ?? user.email}`;
        spans = await onCall.userShifts(feed.userId, from, to);
      } else {
        return undefined;
      }
      const users = await definitions.summaries(db, spans);
      const events: CalendarEvent[] = spans.map((span) => {
        const user = users.find((candidate) => candidate.id === span.userId);
        const who = user === undefined ? span.userId : (user.name ?? user.email);
        return {
          uid: `${span.scheduleId}-${span.userId}-${span.start.getTime()}-${span.overrideId ?? span.layerId}@klaxon`,
          start: span.start,
          end: span.end,
          summary: feed.scheduleId !== null ? `On call: ${who}` : `On call: ${span.scheduleName}`,
          description: `${span.scheduleName}: ${who} (${span.overrideId === null ? 'rotation' : 'override'})`,
        };
      });
      return renderCalendar({ name, stamp, events });
    },
  };
}

export type ScheduleFeeds = ReturnType<typeof createScheduleFeeds>;
