import type { z } from 'zod';
import type { Principal } from '../../core/principal.js';
import type { Database, Transaction } from '../../db/client.js';
import type { MaintenanceWindowRow } from '../../db/schema/index.js';
import type { WatchedCache } from '../../db/watched-cache.js';
import { AppError } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import type { AlertsRepository } from '../alerts/alerts.repository.js';
import type { AuditService } from '../audit/audit.service.js';
import type { AfterCommit, IncidentsService } from '../incidents/incidents.service.js';
import { instantOf, localDateOf, parseTimeOfDay, weekdayOf, zoneOf } from '../schedules/local-time.js';
import { recordAlertDecisions } from '../trace/alert-decisions.repository.js';
import type { MaintenanceRepository } from './maintenance.repository.js';
import { type createWindowBody, timingIssues, type updateWindowBody } from './maintenance.schema.js';

export type CreateWindowInput = z.output<typeof createWindowBody>;
export type UpdateWindowInput = z.output<typeof updateWindowBody>;

/** Endings older than this are not acted on: a window that ended a week ago is history, not news. */
const ENDINGS_LOOK_BACK_MS = 7 * 24 * 3_600_000;

/** The ends of the window's occurrences in (`since`, `until`], oldest first. */
export function endingsBetween(window: MaintenanceWindowRow, since: number, until: number): Date[] {
  if (window.recurrence === null) {
    const end = window.endsAt?.getTime();
    return end !== undefined && end > since && end <= until ? [new Date(end)] : [];
  }
  const { days, startTime, durationMinutes, timeZone } = window.recurrence;
  const zone = zoneOf(timeZone);
  const lastDay = localDateOf(until, zone).epochDay;
  const firstDay = localDateOf(since - durationMinutes * 60_000, zone).epochDay - 1;
  const ends: Date[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    if (!days.includes(weekdayOf(day))) continue;
    const end = instantOf(day, parseTimeOfDay(startTime), zone) + durationMinutes * 60_000;
    if (end > since && end <= until) ends.push(new Date(end));
  }
  return ends;
}

export function createMaintenanceService(deps: {
  db: Database;
  repository: MaintenanceRepository;
  alertsRepository: Pick<AlertsRepository, 'update'>;
  incidents: Pick<IncidentsService, 'alertsReleased'>;
  auditService: Pick<AuditService, 'record'>;
  cache?: Pick<WatchedCache<unknown>, 'clear'>;
  now?: () => Date;
}) {
  const { db, repository, auditService } = deps;
  const now = deps.now ?? (() => new Date());
  const notFound = (id: string) => new AppError('maintenance-window-not-found', `No maintenance window with id ${id}`);

  async function change<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const result = await db.transaction(work);
    deps.cache?.clear();
    return result;
  }

  const audit = (
    tx: Transaction,
    action: string,
    actor: Principal,
    row: MaintenanceWindowRow,
    severity: 'MEDIUM' | 'LOW',
  ) =>
    auditService.record(tx, {
      action,
      userId: actor.userId,
      resourceType: 'maintenance_window',
      resourceId: row.id,
      severity,
      metadata: {
        name: row.name,
        startsAt: row.startsAt?.toISOString() ?? null,
        endsAt: row.endsAt?.toISOString() ?? null,
        recurrence: row.recurrence,
        integrationIds: row.integrationIds,
        teamIds: row.teamIds,
        openIncidentsOnEnd: row.openIncidentsOnEnd,
      },
    });

  /** Alerts the window holds that still fire open incidents now (screened again first). */
  async function release(tx: Transaction, window: MaintenanceWindowRow, at: Date): Promise<AfterCommit | undefined> {
    const alertIds = await repository.firingAlertsHeldBy(tx, window.id);
    if (alertIds.length === 0) return undefined;
    for (const alertId of alertIds) await deps.alertsRepository.update(tx, alertId, { suppressedBy: null });
    await recordAlertDecisions(
      tx,
      alertIds.map((alertId) => ({
        alertId,
        kind: 'maintenance_ended',
        message: 'The maintenance window ended with the alert still firing: it goes on to open an incident',
        refs: { windowId: window.id },
        at,
      })),
    );
    return deps.incidents.alertsReleased(tx, alertIds, at);
  }

  return {
    list: () => repository.list(db),

    async get(id: string) {
      const row = await repository.findById(db, id);
      if (row === undefined) throw notFound(id);
      return row;
    },

    create: (input: CreateWindowInput, actor: Principal) =>
      change(async (tx) => {
        const at = now();
        const row = await repository.insert(tx, {
          id: uuidv7(),
          name: input.name,
          startsAt: input.startsAt ?? null,
          endsAt: input.endsAt ?? null,
          recurrence: input.recurrence ?? null,
          integrationIds: input.integrationIds,
          teamIds: input.teamIds,
          matchers: input.matchers,
          openIncidentsOnEnd: input.openIncidentsOnEnd,
          createdByUserId: actor.userId,
          createdAt: at,
          updatedAt: at,
        });
        await audit(tx, 'maintenance_window.created', actor, row, 'MEDIUM');
        return row;
      }),

    update: (id: string, input: UpdateWindowInput, actor: Principal) =>
      change(async (tx) => {
        const existing = await repository.findById(tx, id);
        if (existing === undefined) throw notFound(id);
        const issues = timingIssues({ ...existing, ...input });
        if (issues.length > 0)
          throw new AppError('validation-failed', 'The request body is invalid', { errors: issues });
        const row = await repository.update(tx, id, { ...input, updatedAt: now() });
        if (row === undefined) throw notFound(id);
        await audit(tx, 'maintenance_window.updated', actor, row, 'MEDIUM');
        return row;
      }),

    /** Deleting a window that promised to open incidents on its end keeps that promise now. */
    async delete(id: string, actor: Principal) {
      let afterCommit: AfterCommit | undefined;
      await change(async (tx) => {
        const row = await repository.delete(tx, id);
        if (row === undefined) throw notFound(id);
        if (row.openIncidentsOnEnd) afterCommit = await release(tx, row, now());
        await audit(tx, 'maintenance_window.deleted', actor, row, 'MEDIUM');
      });
      await afterCommit?.().catch(() => {});
    },

    /**
     * Opens incidents for what windows with `openIncidentsOnEnd` held back, once per ended
     * occurrence: the claim row (primary key: window, end) makes exactly one process act, and
     * a sweep after downtime catches up on endings it missed. Returns how many endings it handled.
     */
    async handleEndings(): Promise<number> {
      const at = now();
      let handled = 0;
      for (const window of await repository.list(db)) {
        if (!window.openIncidentsOnEnd) continue;
        const since = Math.max(window.createdAt.getTime(), at.getTime() - ENDINGS_LOOK_BACK_MS);
        for (const end of endingsBetween(window, since, at.getTime())) {
          const afterCommit = await db.transaction(async (tx) => {
            if (!(await repository.claimEnding(tx, window.id, end, at))) return undefined;
            handled += 1;
            return (await release(tx, window, at)) ?? (async () => {});
          });
          await afterCommit?.().catch(() => {});
        }
      }
      return handled;
    },
  };
}

export type MaintenanceService = ReturnType<typeof createMaintenanceService>;
