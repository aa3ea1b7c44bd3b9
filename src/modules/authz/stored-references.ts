/**
 * Every stored id of one resource that names another, and how the authorization module keeps it
 * honest. `test/authz-enumeration.test.ts` walks the Drizzle schema and fails when a column that
 * holds ids is missing here, so a new reference cannot be added without deciding its check.
 *
 * - `owner`: the team or person that owns the row; every access is decided on it (authz.authorize,
 *   authz.scopeOf, authz.isSelfOrAdmin).
 * - `team-reference`: chosen by the caller and pointing inside the owning team; checked when written
 *   (authz.assertReferences) and, where it pages someone, again when used (authz.partitionReferences).
 * - `actor`: who did something, taken from the authenticated principal, never from the request body.
 * - `system`: written by Klaxon from other rows (ingestion, escalation, routing), never from a request.
 * - `admin-only`: written only through platform-admin routes; its existence is checked.
 */
export type ReferenceCheck = 'owner' | 'team-reference' | 'actor' | 'system' | 'admin-only';

export const STORED_REFERENCES: Record<string, { check: ReferenceCheck; how: string }> = {
  'alert_decisions.alert_id': { check: 'system', how: 'recorded by ingestion about the alert it decided on' },
  'event_rules.integration_id': { check: 'admin-only', how: 'event rules are written through admin routes' },
  'heartbeats.alert_id': { check: 'system', how: 'the missed-heartbeat alert ingestion opened' },
  'heartbeats.integration_id': {
    check: 'admin-only',
    how: "an integration's routing; integrations are admin resources",
  },
  'heartbeats.team_id': { check: 'owner', how: 'authz.authorize(manage) on the team' },
  'heartbeats.watchdog_integration_id': { check: 'admin-only', how: 'only platform admins set a watchdog' },
  'import_refs.klaxon_id': {
    check: 'admin-only',
    how: 'written only by the import CLI, which acts as a platform admin through the services',
  },
  'maintenance_window_endings.window_id': { check: 'system', how: 'claimed by the endings sweep' },
  'maintenance_windows.created_by_user_id': { check: 'actor', how: 'the principal' },
  'maintenance_windows.integration_ids': { check: 'admin-only', how: 'maintenance windows are written by admins' },
  'maintenance_windows.team_ids': { check: 'admin-only', how: 'maintenance windows are written by admins' },
  'phone_messages.incident_id': { check: 'system', how: 'the incident a page was about' },
  'phone_messages.notification_id': { check: 'system', how: 'the notification that sent it' },
  'phone_messages.user_id': { check: 'system', how: 'the person paged' },
  'phone_verifications.contact_method_id': { check: 'owner', how: "the person's own contact method" },
  'silences.created_by_user_id': { check: 'actor', how: 'the principal' },
  'slack_links.user_id': { check: 'owner', how: 'the principal linking their own Slack account (slack.service link)' },
  'slack_messages.incident_id': { check: 'system', how: 'the incident a Slack message was posted about' },
  'slack_team_channels.team_id': { check: 'owner', how: 'authz.authorize(manage) on the team' },
  'alert_occurrences.alert_id': { check: 'system', how: 'written by ingestion and alert actions' },
  'alert_occurrences.delivery_id': { check: 'system', how: 'the delivery that carried the event' },
  'alert_occurrences.user_id': { check: 'actor', how: 'who acknowledged or resolved' },
  'alerts.integration_id': { check: 'system', how: 'the integration the webhook named' },
  'alerts.acknowledged_by': { check: 'actor', how: 'the principal' },
  'alerts.resolved_by': { check: 'actor', how: 'the principal' },
  'alerts.team_ids': { check: 'owner', how: 'set by routing; authz.scopeOf decides who sees the alert' },
  'api_keys.user_id': {
    check: 'owner',
    how: 'oneself, or anyone for admins (api-keys.service create); the key never does more than its owner',
  },
  'api_keys.team_id': {
    check: 'team-reference',
    how: "a team the owner belongs to (or any for admins), inside the creating key's own team limit",
  },
  'audit_logs.user_id': { check: 'actor', how: 'the principal; no foreign key so the trail outlives users' },
  'contact_methods.user_id': {
    check: 'owner',
    how: 'oneself, or an existing user for admins (contact-methods.service create, authz.userExists)',
  },
  'escalation_policies.team_id': { check: 'owner', how: 'authz.authorize(manage) on the team' },
  'escalation_policies.levels': {
    check: 'team-reference',
    how: 'user targets members of the team, schedule targets its schedules: assertReferences when saved, partitionReferences when a level runs',
  },
  'ical_feeds.schedule_id': { check: 'owner', how: 'read access to the schedule when created and when rendered' },
  'ical_feeds.user_id': { check: 'owner', how: 'oneself or admins; rendered only with the teams the person is in' },
  'ical_feeds.created_by': {
    check: 'actor',
    how: 'the principal; the feed ends when they lose access (standingOfUser)',
  },
  'incident_action_tokens.incident_id': { check: 'system', how: 'minted by the engine for a notification' },
  'incident_action_tokens.user_id': {
    check: 'system',
    how: 'the person notified; the link works only while they stand in the team (standingOfUser)',
  },
  'incident_alerts.incident_id': { check: 'system', how: 'grouping at ingestion' },
  'incident_alerts.alert_id': { check: 'system', how: 'grouping at ingestion' },
  'incident_alerts.team_id': { check: 'system', how: 'the routed team' },
  'incident_grouping_rules.team_id': { check: 'owner', how: 'authz.authorize(manage) on the team' },
  'team_urgency_settings.team_id': { check: 'owner', how: 'authz.authorize(manage) on the team' },
  'incident_timeline.incident_id': { check: 'system', how: 'the incident acted on' },
  'incident_timeline.user_id': { check: 'actor', how: 'the principal' },
  'incidents.team_id': { check: 'owner', how: 'the routed team; authz.scopeOf and authorize decide' },
  'incidents.escalation_policy_id': { check: 'system', how: "the team's default policy when opened" },
  'incidents.assignee_user_id': {
    check: 'team-reference',
    how: "reassign: a member of the incident's team (partitionReferences); the engine assigns paged members only",
  },
  'incidents.acknowledged_by': { check: 'actor', how: 'the principal, or the person a link was sent to' },
  'incidents.resolved_by': { check: 'actor', how: 'the principal, or the person a link was sent to' },
  'integrations.default_team_id': { check: 'admin-only', how: 'integrations are platform-admin resources' },
  'notification_attempts.notification_id': { check: 'system', how: 'the sender' },
  'notification_rules.user_id': { check: 'owner', how: "the contact method's owner" },
  'notification_rules.contact_method_id': { check: 'owner', how: "one of the owner's own methods (ownMethod)" },
  'notifications.incident_id': { check: 'system', how: 'the escalation step' },
  'notifications.user_id': { check: 'system', how: 'a paged member of the team (partitionReferences)' },
  'notifications.contact_method_id': { check: 'system', how: "one of the paged person's methods" },
  'notifications.team_id': {
    check: 'system',
    how: "the incident's own team, whose chat channel a level posts to (escalation-steps)",
  },
  'password_links.user_id': { check: 'admin-only', how: 'issued by platform admins' },
  'password_links.created_by': { check: 'actor', how: 'the principal' },
  'routing_rules.integration_id': { check: 'admin-only', how: 'routing rules are platform-admin resources' },
  'routing_rules.team_id': { check: 'admin-only', how: 'an existing team (foreign key, team-not-found)' },
  'schedule_layer_versions.layer_id': { check: 'system', how: 'the layer edited' },
  'schedule_layer_versions.participant_ids': {
    check: 'team-reference',
    how: "members of the schedule's team when saved; on-call people outside the team are skipped when paged",
  },
  'schedule_layer_versions.created_by': { check: 'actor', how: 'the principal' },
  'schedule_layers.schedule_id': { check: 'owner', how: "authz.authorize(manage) on the schedule's team" },
  'schedule_overrides.schedule_id': { check: 'owner', how: "authz.authorize(manage) on the schedule's team" },
  'schedule_overrides.user_id': {
    check: 'team-reference',
    how: "a member of the schedule's team when saved; skipped when paged if no longer",
  },
  'schedule_overrides.created_by': { check: 'actor', how: 'the principal' },
  'schedules.team_id': { check: 'owner', how: 'authz.authorize(manage) on the team' },
  'sessions.user_id': { check: 'owner', how: 'the person who signed in' },
  'team_members.team_id': { check: 'admin-only', how: 'memberships are managed by platform admins' },
  'team_members.user_id': { check: 'admin-only', how: 'an existing user (foreign key, user-not-found)' },
  'webhook_deliveries.integration_id': { check: 'system', how: 'the integration the webhook named' },
  'webhook_deliveries.alert_ids': { check: 'system', how: 'the alerts the delivery created or touched' },
};
