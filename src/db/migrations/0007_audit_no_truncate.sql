-- Row triggers do not fire on TRUNCATE, so 0001 left a way to erase the whole trail at once.
CREATE TRIGGER audit_logs_no_truncate
  BEFORE TRUNCATE ON audit_logs
  FOR EACH STATEMENT EXECUTE FUNCTION klaxon_audit_logs_append_only();
