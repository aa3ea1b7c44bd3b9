-- The audit trail is append-only: nothing may rewrite or erase what it recorded.
CREATE OR REPLACE FUNCTION klaxon_audit_logs_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_logs is append-only';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER audit_logs_append_only
  BEFORE UPDATE OR DELETE ON audit_logs
  FOR EACH ROW EXECUTE FUNCTION klaxon_audit_logs_append_only();
