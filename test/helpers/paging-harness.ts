import { randomBytes } from 'node:crypto';
import type { Principal } from '../../src/core/principal.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { createPolicyBody } from '../../src/modules/escalation-policies/escalation-policies.schema.js';
import { createIncidentsRepository } from '../../src/modules/incidents/incidents.repository.js';
import type { OnCallResolver } from '../../src/modules/incidents/on-call-resolver.js';
import { createNotificationsRepository } from '../../src/modules/notifications/notifications.repository.js';
import { createRuleBody } from '../../src/modules/routing/routing-rules.schema.js';
import { addMemberBody } from '../../src/modules/teams/teams.schema.js';
import { createServices, type ServiceDeps, type Services } from '../../src/services.js';
import { createTestDatabase } from './database.js';
import { allowLoopbackReceivers } from './paging.js';
import { hmacHex } from './webhooks.js';

/** Where every harness clock starts: a Monday morning, away from any DST change. */
export const HARNESS_START = new Date('2026-03-02T09:00:00Z');
const MINUTE_MS = 60_000;
const BATCH = 200;

/**
 * The paging services without HTTP and without the job runner: `createServices` on a fresh test
 * database with a clock the test moves. `runDue()` stands in for pg-boss: it runs, in order, what
 * the tables say is due by that clock (escalation steps, notification sends, acknowledgement
 * timeouts) until nothing is left, so a test walks an escalation minute by minute without
 * sleeping. Policy and rule minutes are real minutes of that clock.
 */
export async function createPagingHarness(options: { incidents?: ServiceDeps['incidents']; retryLimit?: number } = {}) {
  const database: DatabaseHandle = await createTestDatabase();
  let current = HARNESS_START;
  const schedules = new Map<string, string[]>();
  const resolver: OnCallResolver = { whoIsOnCall: async (scheduleId) => schedules.get(scheduleId) ?? [] };
  const retryLimit = options.retryLimit ?? 2;
  const services: Services = createServices({
    database,
    masterKey: randomBytes(32),
    now: () => current,
    incidents: {
      ...allowLoopbackReceivers,
      resolver,
      publicUrl: 'https://klaxon.example.com',
      notificationRetryLimit: retryLimit,
      ...options.incidents,
    },
  });
  const incidentsRepository = createIncidentsRepository();
  const notificationsRepository = createNotificationsRepository();
  const db = database.db;
  const { userId: adminId } = await services.bootstrapAdminService.bootstrap({ email: 'admin@example.com' });
  const admin: Principal = { userId: adminId, email: 'admin@example.com', isPlatformAdmin: true, apiKeyId: null };
  const { integration, webhookSecret } = await services.integrationsService.create(
    { name: 'harness', type: 'generic' },
    adminId,
  );
  /** Tries per notification so far: a transient failure is retried on a later `runDue`, as pg-boss would. */
  const tries = new Map<string, number>();

  const harness = {
    database,
    services,
    admin,
    incidentsRepository,
    notificationsRepository,
    /** Who the stub resolver says is on call, per schedule id. */
    schedules,
    now: () => current,
    /** Sets the clock without running anything (time passing while no job runner is up). */
    setClock(at: Date) {
      current = at;
    },
    /** Moves the clock (minutes may be fractional) and runs whatever came due. */
    async advance(minutes: number) {
      current = new Date(current.getTime() + minutes * MINUTE_MS);
      return harness.runDue();
    },

    /**
     * The job runner, one pass per call: due steps, then due sends, then due acknowledgement
     * timeouts, repeated while a step or timeout made more work due at once. A send that fails
     * transiently stays pending and is tried again on the next call (its retry), the last of
     * `retryLimit + 1` tries as pg-boss's last. Returns what it ran, in order.
     */
    async runDue() {
      const ran: string[] = [];
      const triedNow = new Set<string>();
      for (let round = 0; round < 50; round += 1) {
        const at = current;
        let progressed = false;
        for (const incident of await incidentsRepository.listOverdue(db, at, BATCH)) {
          if (incident.escalationLevel === null) continue;
          const step = {
            incidentId: incident.id,
            level: incident.escalationLevel,
            repetition: incident.escalationRepetition,
          };
          if ((await services.escalationEngine.runStep(step)) === 'ran') {
            ran.push(`step ${step.level}:${step.repetition}`);
            progressed = true;
          }
        }
        for (const notification of await notificationsRepository.listOverduePending(db, at, BATCH)) {
          if (triedNow.has(notification.id)) continue;
          triedNow.add(notification.id);
          const attempt = (tries.get(notification.id) ?? 0) + 1;
          tries.set(notification.id, attempt);
          ran.push(`send ${notification.id}`);
          progressed = true;
          try {
            await services.escalationEngine.sendNotification(notification.id, attempt > retryLimit);
          } catch (error) {
            // A transient failure leaves the row pending for its retry; anything else is a bug.
            const row = await notificationsRepository.findById(db, notification.id);
            if (row?.status !== 'pending') throw error;
          }
        }
        for (const incident of await incidentsRepository.listAckTimeoutsOverdue(db, at, BATCH)) {
          const outcome = await services.incidentsService.acknowledgementTimedOut({
            incidentId: incident.id,
            firstRound: incident.escalationFirstRound,
          });
          if (outcome === 'retriggered') {
            ran.push(`ack timeout ${incident.id}`);
            progressed = true;
          }
        }
        if (!progressed) return ran;
      }
      throw new Error('runDue: work kept coming due (a loop?)');
    },

    async createUser(email: string) {
      return services.usersService.create({ email }, adminId);
    },

    /** A signed-webhook contact method for `userId`, and its Standard Webhooks signing secret. */
    async webhookMethod(userId: string, url: string) {
      const { method, signingSecret } = await services.contactMethodsService.create(admin, {
        type: 'webhook',
        address: url,
        userId,
      });
      return { method, signingSecret: signingSecret as string };
    },

    /** A team with these members, and a routing rule sending it alerts labelled `team=<name>`. */
    async team(name: string, userIds: string[]) {
      const team = await services.teamsService.create({ name }, admin);
      for (const userId of userIds)
        await services.teamsService.addMember(team.id, addMemberBody.parse({ userId }), admin);
      await services.routingService.create(
        createRuleBody.parse({
          name: `to ${name}`,
          teamId: team.id,
          matchers: [{ field: 'labels.team', op: 'equals', value: name }],
        }),
        admin,
      );
      return team.id;
    },

    /** The team's default policy, from the body the API takes. */
    async policy(teamId: string, body: Record<string, unknown>) {
      return services.escalationPoliciesService.create(
        admin,
        createPolicyBody.parse({ teamId, name: 'default', isDefault: true, ...body }),
      );
    },

    /** An alert for the team named `team` through the webhook receiver; the incident it opened or joined. */
    async fire(team: string, dedupKey: string, extra: Record<string, unknown> = {}) {
      const body = JSON.stringify({
        title: `${dedupKey} is down`,
        dedupKey,
        severity: 'critical',
        labels: { team },
        ...extra,
      });
      const outcome = await services.webhookReceiver.receive({
        name: integration.name,
        headers: { 'content-type': 'application/json', 'x-webhook-signature': hmacHex(webhookSecret, body) },
        rawBody: Buffer.from(body),
        sourceIp: '127.0.0.1',
        startedAt: performance.now(),
      });
      if (outcome.kind !== 'accepted') throw new Error(`alert not accepted: ${outcome.kind}`);
      const alertId = outcome.alerts[0]?.id;
      if (alertId === undefined || alertId === null) throw new Error('no alert stored');
      const [incident] = await incidentsRepository.incidentsOfAlertForUpdate(db, alertId);
      if (incident === undefined) throw new Error(`alert ${dedupKey} opened no incident`);
      return { alertId, incidentId: incident.id };
    },

    incident: async (id: string) => {
      const found = await incidentsRepository.findById(db, id);
      if (found === undefined) throw new Error(`no incident ${id}`);
      return found;
    },
    timeline: async (incidentId: string) => (await services.incidentsService.get(admin, incidentId)).timeline,
    notifications: (incidentId: string) =>
      notificationsRepository.listOfIncident(db, incidentId, 100).then((rows) => rows.reverse()),

    async close() {
      await services.escalationEngine.stop();
      services.heartbeatMonitor.stop();
      await database.close();
    },
  };
  return harness;
}

export type PagingHarness = Awaited<ReturnType<typeof createPagingHarness>>;
