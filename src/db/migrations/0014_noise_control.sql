CREATE TABLE "alert_decisions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"alert_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"message" text NOT NULL,
	"refs" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inhibition_rules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"source_matchers" jsonb NOT NULL,
	"target_matchers" jsonb NOT NULL,
	"equal" text[] NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "maintenance_window_endings" (
	"window_id" uuid NOT NULL,
	"ended_at" timestamp with time zone NOT NULL,
	"handled_at" timestamp with time zone NOT NULL,
	CONSTRAINT "maintenance_window_endings_window_id_ended_at_pk" PRIMARY KEY("window_id","ended_at")
);
--> statement-breakpoint
CREATE TABLE "maintenance_windows" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"recurrence" jsonb,
	"integration_ids" uuid[] NOT NULL,
	"team_ids" uuid[] NOT NULL,
	"matchers" jsonb NOT NULL,
	"open_incidents_on_end" boolean DEFAULT false NOT NULL,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "silences" (
	"id" uuid PRIMARY KEY NOT NULL,
	"matchers" jsonb NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"created_by" text NOT NULL,
	"comment" text NOT NULL,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "suppressed_by" jsonb;--> statement-breakpoint
CREATE INDEX "alert_decisions_alert_idx" ON "alert_decisions" USING btree ("alert_id","id");--> statement-breakpoint
CREATE INDEX "silences_ends_at_idx" ON "silences" USING btree ("ends_at");--> statement-breakpoint
-- Silences, maintenance windows and inhibition rules are read on the ingest path from each
-- process's memory: a change by any writer tells every listening process to drop its copy.
CREATE TRIGGER silences_notify_change
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON silences
  FOR EACH STATEMENT EXECUTE FUNCTION klaxon_notify_ingest_config_changed();
--> statement-breakpoint
CREATE TRIGGER maintenance_windows_notify_change
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON maintenance_windows
  FOR EACH STATEMENT EXECUTE FUNCTION klaxon_notify_ingest_config_changed();
--> statement-breakpoint
CREATE TRIGGER inhibition_rules_notify_change
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON inhibition_rules
  FOR EACH STATEMENT EXECUTE FUNCTION klaxon_notify_ingest_config_changed();
