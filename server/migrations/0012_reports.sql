CREATE TABLE "agent_presence" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"seen_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_facts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"kind" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"ticket_id" uuid,
	"ticket_number" bigint,
	"group_id" uuid,
	"agent_id" uuid,
	"account_id" uuid,
	"key_account" boolean DEFAULT false NOT NULL,
	"channel" text,
	"category_id" uuid,
	"reason_code_id" uuid,
	"priority" text,
	"country" text,
	"target" text,
	"business_ms" bigint,
	"calendar_ms" bigint,
	"extras" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agent_presence" ADD CONSTRAINT "agent_presence_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "report_facts_key_key" ON "report_facts" USING btree ("key");--> statement-breakpoint
CREATE INDEX "report_facts_kind_at_idx" ON "report_facts" USING btree ("kind","occurred_at");--> statement-breakpoint
CREATE INDEX "report_facts_group_kind_at_idx" ON "report_facts" USING btree ("group_id","kind","occurred_at");--> statement-breakpoint
CREATE INDEX "report_facts_agent_kind_at_idx" ON "report_facts" USING btree ("agent_id","kind","occurred_at");--> statement-breakpoint
CREATE INDEX "report_facts_account_kind_at_idx" ON "report_facts" USING btree ("account_id","kind","occurred_at");--> statement-breakpoint
CREATE INDEX "report_facts_channel_kind_at_idx" ON "report_facts" USING btree ("channel","kind","occurred_at");--> statement-breakpoint
CREATE INDEX "report_facts_category_kind_at_idx" ON "report_facts" USING btree ("category_id","kind","occurred_at");--> statement-breakpoint
CREATE INDEX "report_facts_ticket_idx" ON "report_facts" USING btree ("ticket_id","kind");