CREATE TABLE "slack_links" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"slack_user_id" text NOT NULL,
	"linked_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "slack_messages" (
	"incident_id" uuid NOT NULL,
	"channel_id" text NOT NULL,
	"ts" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "slack_messages_channel_id_ts_pk" PRIMARY KEY("channel_id","ts")
);
--> statement-breakpoint
CREATE TABLE "slack_requests" (
	"digest" text PRIMARY KEY NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "slack_team_channels" (
	"team_id" uuid PRIMARY KEY NOT NULL,
	"channel_id" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "slack_links" ADD CONSTRAINT "slack_links_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slack_messages" ADD CONSTRAINT "slack_messages_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slack_team_channels" ADD CONSTRAINT "slack_team_channels_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "slack_links_slack_user_unique" ON "slack_links" USING btree ("slack_user_id");--> statement-breakpoint
CREATE INDEX "slack_messages_incident_idx" ON "slack_messages" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "slack_requests_received_idx" ON "slack_requests" USING btree ("received_at");