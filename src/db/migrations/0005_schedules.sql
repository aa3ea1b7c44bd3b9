CREATE TABLE "ical_feeds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"schedule_id" uuid,
	"user_id" uuid,
	"token_hash" text NOT NULL,
	"token_prefix" text NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "ical_feeds_one_target" CHECK (("ical_feeds"."schedule_id" is null) <> ("ical_feeds"."user_id" is null))
);
--> statement-breakpoint
CREATE TABLE "schedule_layer_versions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"layer_id" uuid NOT NULL,
	"effective_from" timestamp with time zone NOT NULL,
	"turn_unit" text NOT NULL,
	"turn_length" integer NOT NULL,
	"handoff_time" text,
	"handoff_weekday" integer,
	"restrictions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"participant_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"start_index" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "schedule_layer_versions_turn_length_positive" CHECK ("schedule_layer_versions"."turn_length" > 0)
);
--> statement-breakpoint
CREATE TABLE "schedule_layers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"schedule_id" uuid NOT NULL,
	"name" text NOT NULL,
	"position" integer NOT NULL,
	"time_zone" text,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "schedule_overrides" (
	"id" uuid PRIMARY KEY NOT NULL,
	"schedule_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"note" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "schedule_overrides_positive" CHECK ("schedule_overrides"."ends_at" > "schedule_overrides"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "schedules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"team_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"time_zone" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ical_feeds" ADD CONSTRAINT "ical_feeds_schedule_id_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."schedules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ical_feeds" ADD CONSTRAINT "ical_feeds_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_layer_versions" ADD CONSTRAINT "schedule_layer_versions_layer_id_schedule_layers_id_fk" FOREIGN KEY ("layer_id") REFERENCES "public"."schedule_layers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_layers" ADD CONSTRAINT "schedule_layers_schedule_id_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."schedules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_overrides" ADD CONSTRAINT "schedule_overrides_schedule_id_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."schedules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_overrides" ADD CONSTRAINT "schedule_overrides_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ical_feeds_token_hash_unique" ON "ical_feeds" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "ical_feeds_schedule_idx" ON "ical_feeds" USING btree ("schedule_id");--> statement-breakpoint
CREATE INDEX "ical_feeds_user_idx" ON "ical_feeds" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "schedule_layer_versions_layer_idx" ON "schedule_layer_versions" USING btree ("layer_id","effective_from");--> statement-breakpoint
CREATE INDEX "schedule_layers_schedule_idx" ON "schedule_layers" USING btree ("schedule_id","position");--> statement-breakpoint
CREATE INDEX "schedule_overrides_schedule_idx" ON "schedule_overrides" USING btree ("schedule_id","starts_at");--> statement-breakpoint
CREATE INDEX "schedule_overrides_user_idx" ON "schedule_overrides" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "schedules_team_name_unique" ON "schedules" USING btree ("team_id",lower("name"));--> statement-breakpoint
CREATE INDEX "schedules_team_idx" ON "schedules" USING btree ("team_id");