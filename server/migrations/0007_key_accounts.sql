CREATE TABLE "currency_rates" (
	"currency" text PRIMARY KEY NOT NULL,
	"rate" numeric(18, 8) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "key_account_memberships" (
	"month" date NOT NULL,
	"account_id" uuid NOT NULL,
	"rank" integer NOT NULL,
	"revenue" numeric(20, 2) NOT NULL,
	"officer_id" uuid,
	CONSTRAINT "key_account_memberships_month_account_id_pk" PRIMARY KEY("month","account_id")
);
--> statement-breakpoint
CREATE TABLE "key_account_notifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"month" date NOT NULL,
	"account_id" uuid NOT NULL,
	"change" text NOT NULL,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "key_account_rankings" (
	"month" date PRIMARY KEY NOT NULL,
	"revenue_month" date NOT NULL,
	"top_n" integer NOT NULL,
	"base_currency" text NOT NULL,
	"ranked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "revenue_entries" (
	"account_id" uuid NOT NULL,
	"month" date NOT NULL,
	"amount" numeric(18, 2) NOT NULL,
	"currency" text NOT NULL,
	"import_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "revenue_entries_account_id_month_pk" PRIMARY KEY("account_id","month")
);
--> statement-breakpoint
CREATE TABLE "revenue_imports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"filename" text NOT NULL,
	"months" text[] DEFAULT '{}' NOT NULL,
	"imported" integer NOT NULL,
	"rejected" integer NOT NULL,
	"created_accounts" integer DEFAULT 0 NOT NULL,
	"rejections" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "agent_availability" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"away" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "group_assignment" (
	"group_id" uuid PRIMARY KEY NOT NULL,
	"mode" text DEFAULT 'manual' NOT NULL,
	"prefer_language" boolean DEFAULT false NOT NULL,
	"last_assigned_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "routing_rules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"conditions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"actions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "key_account" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "key_account_memberships" ADD CONSTRAINT "key_account_memberships_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "key_account_memberships" ADD CONSTRAINT "key_account_memberships_officer_id_users_id_fk" FOREIGN KEY ("officer_id") REFERENCES "users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "key_account_notifications" ADD CONSTRAINT "key_account_notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "key_account_notifications" ADD CONSTRAINT "key_account_notifications_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revenue_entries" ADD CONSTRAINT "revenue_entries_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revenue_imports" ADD CONSTRAINT "revenue_imports_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_availability" ADD CONSTRAINT "agent_availability_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_assignment" ADD CONSTRAINT "group_assignment_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_assignment" ADD CONSTRAINT "group_assignment_last_assigned_id_users_id_fk" FOREIGN KEY ("last_assigned_id") REFERENCES "users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "key_account_memberships_account_idx" ON "key_account_memberships" USING btree ("account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "key_account_notifications_key" ON "key_account_notifications" USING btree ("user_id","month","account_id");--> statement-breakpoint
CREATE INDEX "key_account_notifications_month_idx" ON "key_account_notifications" USING btree ("month");--> statement-breakpoint
CREATE INDEX "revenue_entries_month_idx" ON "revenue_entries" USING btree ("month");--> statement-breakpoint
-- Seed 001's routing, shipped so every installation starts with the Key Accounts policy in force.
INSERT INTO "routing_rules" ("id", "position", "name", "conditions", "actions") VALUES
  (gen_random_uuid(), 10, 'Key account: Key Accounts group of the account''s country', '{"keyAccount": true}', '{"group": {"kind": "key-accounts", "sameCountry": true}, "tags": ["key-account"]}'),
  (gen_random_uuid(), 20, 'Key account, no Key Accounts group in the country: that country''s Trace group', '{"keyAccount": true}', '{"group": {"kind": "trace", "sameCountry": true}, "tags": ["key-account"]}'),
  (gen_random_uuid(), 30, 'Everything else: Customer Service', '{"hasGroup": false}', '{"group": {"kind": "customer-service"}}');
--> statement-breakpoint
CREATE TABLE "contact_plans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"account_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"every_days" integer NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contact_tasks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"account_id" uuid NOT NULL,
	"plan_id" uuid,
	"officer_id" uuid,
	"kind" text NOT NULL,
	"due_on" date NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"outcome" text,
	"follow_up_ticket_number" integer,
	"done_at" timestamp with time zone,
	"done_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sales_meeting_notes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"account_id" uuid NOT NULL,
	"week" date NOT NULL,
	"trends" text DEFAULT '' NOT NULL,
	"problems" text DEFAULT '' NOT NULL,
	"opportunities" text DEFAULT '' NOT NULL,
	"author_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "supplies_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"account_id" uuid NOT NULL,
	"items" jsonb NOT NULL,
	"status" text DEFAULT 'requested' NOT NULL,
	"requested_on" date NOT NULL,
	"due_on" date NOT NULL,
	"delivered_on" date,
	"created_by_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "contact_plans" ADD CONSTRAINT "contact_plans_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_tasks" ADD CONSTRAINT "contact_tasks_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_tasks" ADD CONSTRAINT "contact_tasks_plan_id_contact_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "contact_plans"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_tasks" ADD CONSTRAINT "contact_tasks_officer_id_users_id_fk" FOREIGN KEY ("officer_id") REFERENCES "users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_tasks" ADD CONSTRAINT "contact_tasks_done_by_id_users_id_fk" FOREIGN KEY ("done_by_id") REFERENCES "users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_meeting_notes" ADD CONSTRAINT "sales_meeting_notes_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_meeting_notes" ADD CONSTRAINT "sales_meeting_notes_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplies_requests" ADD CONSTRAINT "supplies_requests_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplies_requests" ADD CONSTRAINT "supplies_requests_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contact_plans_account_idx" ON "contact_plans" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "contact_tasks_officer_due_idx" ON "contact_tasks" USING btree ("officer_id","status","due_on");--> statement-breakpoint
CREATE INDEX "contact_tasks_account_idx" ON "contact_tasks" USING btree ("account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sales_meeting_notes_week_key" ON "sales_meeting_notes" USING btree ("account_id","week");--> statement-breakpoint
CREATE INDEX "supplies_requests_account_idx" ON "supplies_requests" USING btree ("account_id");