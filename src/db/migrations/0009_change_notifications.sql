-- Live console updates (GET /api/events/stream). Changes to alerts, webhook deliveries and incidents
-- NOTIFY the channel `klaxon_changes` from statement-level triggers, inside the changing
-- transaction: every writer (ingest, the API, the escalation engine, another process) is covered,
-- nothing is sent for a rolled-back change, and no extra round trip is made. A payload names only
-- the topic and the teams concerned (never content, well under NOTIFY's 8000-byte limit), so
-- PostgreSQL's folding of identical notifications within a transaction leaves one per topic and
-- team set however many rows a batch writes.
CREATE OR REPLACE FUNCTION klaxon_notify_teams(topic text, team_list uuid[]) RETURNS void AS $$
DECLARE
  chunk_start integer;
BEGIN
  IF team_list IS NULL OR cardinality(team_list) = 0 THEN
    -- Rows of no team concern platform admins only.
    PERFORM pg_notify('klaxon_changes', json_build_object('topic', topic, 'teams', '[]'::json)::text);
    RETURN;
  END IF;
  -- 150 team ids are about 5.9 kB of JSON: more teams go out in several messages.
  FOR chunk_start IN 1 .. cardinality(team_list) BY 150 LOOP
    PERFORM pg_notify(
      'klaxon_changes',
      json_build_object('topic', topic, 'teams', team_list[chunk_start:chunk_start + 149])::text
    );
  END LOOP;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION klaxon_alerts_changed() RETURNS trigger AS $$
DECLARE
  team_list uuid[];
BEGIN
  IF TG_OP = 'UPDATE' THEN
    -- A re-routed alert leaves its old teams' lists: they hear of it too.
    SELECT array_agg(DISTINCT team_id) INTO team_list FROM (
      SELECT unnest(team_ids) AS team_id FROM changed_rows
      UNION ALL SELECT unnest(team_ids) FROM previous_rows
    ) AS touched;
  ELSE
    SELECT array_agg(DISTINCT team_id) INTO team_list FROM (SELECT unnest(team_ids) AS team_id FROM changed_rows) AS touched;
  END IF;
  IF team_list IS NOT NULL OR EXISTS (SELECT 1 FROM changed_rows) THEN
    PERFORM klaxon_notify_teams('alerts', team_list);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER alerts_notify_insert
  AFTER INSERT ON alerts REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION klaxon_alerts_changed();
--> statement-breakpoint
CREATE TRIGGER alerts_notify_update
  AFTER UPDATE ON alerts REFERENCING OLD TABLE AS previous_rows NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION klaxon_alerts_changed();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION klaxon_incidents_changed() RETURNS trigger AS $$
DECLARE
  team_list uuid[];
BEGIN
  IF TG_OP = 'UPDATE' THEN
    SELECT array_agg(DISTINCT team_id) INTO team_list FROM (
      SELECT team_id FROM changed_rows UNION ALL SELECT team_id FROM previous_rows
    ) AS touched;
  ELSE
    SELECT array_agg(DISTINCT team_id) INTO team_list FROM changed_rows;
  END IF;
  IF team_list IS NOT NULL THEN
    PERFORM klaxon_notify_teams('incidents', team_list);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER incidents_notify_insert
  AFTER INSERT ON incidents REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION klaxon_incidents_changed();
--> statement-breakpoint
CREATE TRIGGER incidents_notify_update
  AFTER UPDATE ON incidents REFERENCING OLD TABLE AS previous_rows NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION klaxon_incidents_changed();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION klaxon_incident_timeline_changed() RETURNS trigger AS $$
DECLARE
  team_list uuid[];
BEGIN
  -- Notes and other timeline entries change what an incident's page shows.
  SELECT array_agg(DISTINCT incidents.team_id) INTO team_list
    FROM changed_rows JOIN incidents ON incidents.id = changed_rows.incident_id;
  IF team_list IS NOT NULL THEN
    PERFORM klaxon_notify_teams('incidents', team_list);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER incident_timeline_notify_insert
  AFTER INSERT ON incident_timeline REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION klaxon_incident_timeline_changed();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION klaxon_deliveries_changed() RETURNS trigger AS $$
BEGIN
  -- Deliveries are shown to platform admins only: no team list needed.
  PERFORM pg_notify('klaxon_changes', '{"topic":"deliveries","teams":[]}');
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER webhook_deliveries_notify_insert
  AFTER INSERT ON webhook_deliveries
  FOR EACH STATEMENT EXECUTE FUNCTION klaxon_deliveries_changed();
