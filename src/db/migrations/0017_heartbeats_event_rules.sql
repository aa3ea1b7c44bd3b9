CREATE TABLE "event_rules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"position" integer NOT NULL,
	"integration_id" uuid,
	"matchers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"actions" jsonb NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "heartbeats" (
	"id" uuid PRIMARY KEY NOT NULL,
	"team_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"integration_id" uuid,
	"interval_seconds" integer NOT NULL,
	"grace_seconds" integer NOT NULL,
	"severity" text DEFAULT 'critical' NOT NULL,
	"token_hash" text NOT NULL,
	"token_prefix" text NOT NULL,
	"watchdog_integration_id" uuid,
	"watchdog_matchers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"state" text DEFAULT 'up' NOT NULL,
	"last_ping_at" timestamp with time zone,
	"deadline_at" timestamp with time zone NOT NULL,
	"missed_at" timestamp with time zone,
	"alert_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "event_rules" ADD CONSTRAINT "event_rules_integration_id_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."integrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "heartbeats" ADD CONSTRAINT "heartbeats_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "heartbeats" ADD CONSTRAINT "heartbeats_integration_id_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."integrations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "heartbeats" ADD CONSTRAINT "heartbeats_watchdog_integration_id_integrations_id_fk" FOREIGN KEY ("watchdog_integration_id") REFERENCES "public"."integrations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "event_rules_position_idx" ON "event_rules" USING btree ("position","id");--> statement-breakpoint
CREATE UNIQUE INDEX "heartbeats_team_name_unique" ON "heartbeats" USING btree ("team_id",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "heartbeats_token_hash_unique" ON "heartbeats" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "heartbeats_deadline_idx" ON "heartbeats" USING btree ("deadline_at") WHERE "heartbeats"."is_active" AND "heartbeats"."state" = 'up';--> statement-breakpoint
CREATE INDEX "heartbeats_watchdog_idx" ON "heartbeats" USING btree ("watchdog_integration_id");--> statement-breakpoint
-- The ingest path caches which heartbeats each integration's watchdog alerts ping. Pings
-- change only last_ping_at/deadline_at/state: the trigger fires for changes to what is cached.
CREATE TRIGGER heartbeats_notify_change
  AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF watchdog_integration_id, watchdog_matchers ON heartbeats
  FOR EACH STATEMENT EXECUTE FUNCTION klaxon_notify_ingest_config_changed();
--> statement-breakpoint
-- Event rules are read on every webhook and cached the same way.
CREATE TRIGGER event_rules_notify_change
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON event_rules
  FOR EACH STATEMENT EXECUTE FUNCTION klaxon_notify_ingest_config_changed();
