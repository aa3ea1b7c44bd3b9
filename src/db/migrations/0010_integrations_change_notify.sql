-- Processes cache what the ingest path reads on every request (integrations with their
-- decrypted secrets, routing rules). Any change to those tables, by any writer (the API, the
-- CLI's rotate-master-key, psql), tells every listening process to drop its cache: pg_notify
-- inside the changing transaction is delivered after it commits, and only if it commits.
CREATE OR REPLACE FUNCTION klaxon_notify_ingest_config_changed() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('klaxon_ingest_config', TG_TABLE_NAME);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER integrations_notify_change
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON integrations
  FOR EACH STATEMENT EXECUTE FUNCTION klaxon_notify_ingest_config_changed();
--> statement-breakpoint
CREATE TRIGGER routing_rules_notify_change
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON routing_rules
  FOR EACH STATEMENT EXECUTE FUNCTION klaxon_notify_ingest_config_changed();
