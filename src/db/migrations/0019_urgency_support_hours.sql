CREATE TABLE "team_urgency_settings" (
	"team_id" uuid PRIMARY KEY NOT NULL,
	"high_urgency_severities" text[] DEFAULT '{"critical","error"}' NOT NULL,
	"time_zone" text,
	"windows" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"outside_hours" text DEFAULT 'defer' NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
DROP INDEX "notification_rules_method_delay_unique";--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "urgency" text DEFAULT 'high' NOT NULL;--> statement-breakpoint
ALTER TABLE "notification_rules" ADD COLUMN "urgency" text DEFAULT 'any' NOT NULL;--> statement-breakpoint
ALTER TABLE "team_urgency_settings" ADD CONSTRAINT "team_urgency_settings_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "notification_rules_method_delay_urgency_unique" ON "notification_rules" USING btree ("contact_method_id","delay_minutes","urgency");--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_urgency_check" CHECK ("urgency" IN ('high', 'low'));--> statement-breakpoint
ALTER TABLE "notification_rules" ADD CONSTRAINT "notification_rules_urgency_check" CHECK ("urgency" IN ('high', 'low', 'any'));--> statement-breakpoint
ALTER TABLE "team_urgency_settings" ADD CONSTRAINT "team_urgency_settings_outside_hours_check" CHECK ("outside_hours" IN ('defer', 'never'));
