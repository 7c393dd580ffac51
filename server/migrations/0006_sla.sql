CREATE TABLE "sla_calendars" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"time_zone" text NOT NULL,
	"hours" jsonb NOT NULL,
	"holidays" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sla_deadlines" (
	"ticket_id" uuid NOT NULL,
	"target" text NOT NULL,
	"cycle" integer NOT NULL,
	"policy_id" uuid,
	"group_id" uuid,
	"calendar_id" uuid,
	"start_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone,
	"at_risk_at" timestamp with time zone,
	"stopped_at" timestamp with time zone,
	"paused" boolean DEFAULT false NOT NULL,
	"budget_ms" bigint NOT NULL,
	"steps" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"next_action_at" timestamp with time zone,
	"computed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sla_deadlines_ticket_id_target_pk" PRIMARY KEY("ticket_id","target")
);
--> statement-breakpoint
CREATE TABLE "sla_escalations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"ticket_id" uuid NOT NULL,
	"target" text NOT NULL,
	"cycle" integer NOT NULL,
	"step_key" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"fired_at" timestamp with time zone NOT NULL,
	"actions" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sla_facts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"ticket_id" uuid NOT NULL,
	"target" text NOT NULL,
	"cycle" integer NOT NULL,
	"policy_id" uuid,
	"group_id" uuid,
	"start_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone,
	"at" timestamp with time zone NOT NULL,
	"business_ms" bigint NOT NULL,
	"calendar_ms" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sla_group_settings" (
	"group_id" uuid PRIMARY KEY NOT NULL,
	"calendar_id" uuid,
	"internal_target" jsonb,
	"ladder_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sla_ladders" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"steps" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sla_notifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"target" text NOT NULL,
	"step_key" text NOT NULL,
	"due_at" timestamp with time zone,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sla_policies" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"conditions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"targets" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"calendar_id" uuid,
	"ladder_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sla_deadlines" ADD CONSTRAINT "sla_deadlines_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_escalations" ADD CONSTRAINT "sla_escalations_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_facts" ADD CONSTRAINT "sla_facts_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_group_settings" ADD CONSTRAINT "sla_group_settings_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_group_settings" ADD CONSTRAINT "sla_group_settings_calendar_id_sla_calendars_id_fk" FOREIGN KEY ("calendar_id") REFERENCES "sla_calendars"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_group_settings" ADD CONSTRAINT "sla_group_settings_ladder_id_sla_ladders_id_fk" FOREIGN KEY ("ladder_id") REFERENCES "sla_ladders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_notifications" ADD CONSTRAINT "sla_notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_notifications" ADD CONSTRAINT "sla_notifications_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_calendar_id_sla_calendars_id_fk" FOREIGN KEY ("calendar_id") REFERENCES "sla_calendars"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_ladder_id_sla_ladders_id_fk" FOREIGN KEY ("ladder_id") REFERENCES "sla_ladders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "sla_calendars_name_key" ON "sla_calendars" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "sla_calendars_default_key" ON "sla_calendars" USING btree ("is_default") WHERE is_default;--> statement-breakpoint
CREATE INDEX "sla_deadlines_next_action_idx" ON "sla_deadlines" USING btree ("next_action_at") WHERE next_action_at is not null;--> statement-breakpoint
CREATE INDEX "sla_deadlines_due_idx" ON "sla_deadlines" USING btree ("due_at","ticket_id") WHERE stopped_at is null;--> statement-breakpoint
CREATE UNIQUE INDEX "sla_escalations_once_key" ON "sla_escalations" USING btree ("ticket_id","target","cycle","step_key");--> statement-breakpoint
CREATE UNIQUE INDEX "sla_facts_once_key" ON "sla_facts" USING btree ("ticket_id","target","cycle","kind");--> statement-breakpoint
CREATE INDEX "sla_facts_at_idx" ON "sla_facts" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX "sla_ladders_name_key" ON "sla_ladders" USING btree ("name");--> statement-breakpoint
CREATE INDEX "sla_notifications_user_idx" ON "sla_notifications" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "sla_policies_name_key" ON "sla_policies" USING btree ("name");