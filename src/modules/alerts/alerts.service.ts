import type { AlertSeverity, AlertStatus } from '../../core/alerts.js';
import type { Principal } from '../../core/principal.js';
import type { Database } from '../../db/client.js';
import type { AlertRow } from '../../db/schema/index.js';
import { AppError } from '../../lib/errors.js';
import { decodeCursor, toPage } from '../../lib/pagination.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Authz } from '../authz/authz.service.js';
import type { AfterCommit, IncidentsService } from '../incidents/incidents.service.js';
import type { AlertsRepository } from './alerts.repository.js';

export interface AlertQuery {
  status?: AlertStatus | undefined;
  severity?: AlertSeverity | undefined;
  integrationId?: string | undefined;
  teamId?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

const HISTORY_LIMIT = 200;

export function createAlertsService(deps: {
  db: Database;
  alertsRepository: AlertsRepository;
  auditService: Pick<AuditService, 'record'>;
  /** Decides which teams' alerts a principal sees and acts on. */
  authz: Pick<Authz, 'scopeOf'>;
  /** Acknowledging or resolving an alert carries over to its incidents, in the same transaction. */
  incidents?: Pick<IncidentsService, 'alertsChanged'>;
  now?: () => Date;
}) {
  const { db, alertsRepository, auditService, authz } = deps;
  const now = deps.now ?? (() => new Date());

  const notFound = (id: string) => new AppError('alert-not-found', `No alert with id ${id}`);

  /**
   * Platform admins see every alert; anyone else only alerts routed to one of their teams.
   * Others answer 404 rather than 403, so alert ids of other teams do not leak.
   */
  const scopeOf = (viewer: Principal) => authz.scopeOf(viewer);

  const visible = (scope: string[] | 'all', alert: AlertRow) =>
    scope === 'all' || alert.teamIds.some((teamId) => scope.includes(teamId));

  /**
   * Moves an alert to acknowledged or resolved on a person's behalf, audited in the same
   * transaction. Repeating an action is a no-op; acknowledging a resolved alert is a conflict.
   */
  async function transition(actor: Principal, id: string, target: 'acknowledged' | 'resolved'): Promise<AlertRow> {
    const scope = await scopeOf(actor);
    let afterCommit: AfterCommit | undefined;
    const result = await db.transaction(async (tx) => {
      const alert = await alertsRepository.findByIdForUpdate(tx, id);
      if (alert === undefined || !visible(scope, alert)) throw notFound(id);
      if (alert.status === target) return alert;
      if (alert.status === 'resolved') {
        throw new AppError('conflict', 'The alert is already resolved; a new event will open a new alert');
      }
      const at = now();
      const updated = await alertsRepository.update(
        tx,
        id,
        target === 'acknowledged'
          ? { status: 'acknowledged', acknowledgedAt: at, acknowledgedBy: actor.userId }
          : { status: 'resolved', resolvedAt: at, resolvedBy: actor.userId },
      );
      await alertsRepository.insertOccurrences(tx, [
        { alertId: id, deliveryId: null, userId: actor.userId, kind: target, occurredAt: at },
      ]);
      await auditService.record(tx, {
        action: target === 'acknowledged' ? 'alert.acknowledged' : 'alert.resolved',
        userId: actor.userId,
        resourceType: 'alert',
        resourceId: id,
        severity: 'LOW',
        metadata: { title: alert.title, integrationName: alert.integrationName, previousStatus: alert.status },
      });
      afterCommit = await deps.incidents?.alertsChanged(tx, [{ alertId: id, change: target }], at, actor.userId);
      return updated;
    });
    await afterCommit?.();
    return result;
  }

  return {
    async list(viewer: Principal, query: AlertQuery) {
      const scope = await scopeOf(viewer);
      if (scope !== 'all' && scope.length === 0) return { alerts: [], nextCursor: null };
      const rows = await alertsRepository.list(db, {
        anyOfTeamIds: scope === 'all' ? undefined : scope,
        status: query.status,
        severity: query.severity,
        integrationId: query.integrationId,
        teamId: query.teamId,
        beforeId: decodeCursor(query.cursor),
        limit: query.limit + 1,
      });
      const page = toPage(rows, query.limit);
      return { alerts: page.items, nextCursor: page.nextCursor };
    },

    async get(viewer: Principal, id: string) {
      const scope = await scopeOf(viewer);
      const alert = await alertsRepository.findById(db, id);
      if (alert === undefined || !visible(scope, alert)) throw notFound(id);
      const [occurrences, incidents, teams, payload] = await Promise.all([
        alertsRepository.listOccurrences(db, id, HISTORY_LIMIT),
        alertsRepository.incidentsOf(db, id),
        alertsRepository.teamNames(db, alert.teamIds),
        alertsRepository.latestPayload(db, id),
      ]);
      return {
        alert,
        occurrences,
        // A member sees the incidents and names of their own teams only.
        incidents: incidents.filter((incident) => scope === 'all' || scope.includes(incident.teamId)),
        teams: teams.filter((team) => scope === 'all' || scope.includes(team.id)),
        payload: payload ?? null,
      };
    },

    acknowledge: (actor: Principal, id: string) => transition(actor, id, 'acknowledged'),
    resolve: (actor: Principal, id: string) => transition(actor, id, 'resolved'),
  };
}

export type AlertsService = ReturnType<typeof createAlertsService>;
