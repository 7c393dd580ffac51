CREATE TABLE "channel_connectors" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"platform" text NOT NULL,
	"group_id" uuid,
	"active" boolean DEFAULT true NOT NULL,
	"webhook_secret_enc" text NOT NULL,
	"outbound_url" text,
	"outbound_token_enc" text,
	"last_received_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "social_inbound" (
	"id" uuid PRIMARY KEY NOT NULL,
	"connector_id" uuid NOT NULL,
	"event_key" text NOT NULL,
	"raw" text NOT NULL,
	"status" text DEFAULT 'received' NOT NULL,
	"reason" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"deliveries" integer DEFAULT 1 NOT NULL,
	"ticket_id" uuid,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "social_messages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"ticket_id" uuid NOT NULL,
	"ticket_message_id" uuid,
	"connector_id" uuid NOT NULL,
	"direction" text NOT NULL,
	"conversation" text NOT NULL,
	"handle" text NOT NULL,
	"external_id" text,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"meta" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "call_scripts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"category_id" uuid NOT NULL,
	"steps" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"checklist" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "calls" (
	"id" uuid PRIMARY KEY NOT NULL,
	"direction" text NOT NULL,
	"number" text NOT NULL,
	"contact_id" uuid,
	"ticket_id" uuid,
	"ticket_message_id" uuid,
	"agent_id" uuid,
	"category_id" uuid,
	"reason_code_id" uuid,
	"duration_seconds" integer NOT NULL,
	"outcome" text NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"checklist" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"telephony_call_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "telephony_calls" (
	"id" uuid PRIMARY KEY NOT NULL,
	"connector_id" uuid NOT NULL,
	"external_id" text NOT NULL,
	"state" text NOT NULL,
	"direction" text DEFAULT 'inbound' NOT NULL,
	"number" text NOT NULL,
	"contact_id" uuid,
	"agent_id" uuid,
	"ringing_at" timestamp with time zone,
	"answered_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"duration_seconds" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "channel_connectors" ADD CONSTRAINT "channel_connectors_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "social_inbound" ADD CONSTRAINT "social_inbound_connector_id_channel_connectors_id_fk" FOREIGN KEY ("connector_id") REFERENCES "channel_connectors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "social_inbound" ADD CONSTRAINT "social_inbound_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "social_messages" ADD CONSTRAINT "social_messages_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "social_messages" ADD CONSTRAINT "social_messages_ticket_message_id_ticket_messages_id_fk" FOREIGN KEY ("ticket_message_id") REFERENCES "ticket_messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "social_messages" ADD CONSTRAINT "social_messages_connector_id_channel_connectors_id_fk" FOREIGN KEY ("connector_id") REFERENCES "channel_connectors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_scripts" ADD CONSTRAINT "call_scripts_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "categories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "contacts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_ticket_message_id_ticket_messages_id_fk" FOREIGN KEY ("ticket_message_id") REFERENCES "ticket_messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_reason_code_id_reason_codes_id_fk" FOREIGN KEY ("reason_code_id") REFERENCES "reason_codes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "telephony_calls" ADD CONSTRAINT "telephony_calls_connector_id_channel_connectors_id_fk" FOREIGN KEY ("connector_id") REFERENCES "channel_connectors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "telephony_calls" ADD CONSTRAINT "telephony_calls_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "contacts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "telephony_calls" ADD CONSTRAINT "telephony_calls_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "social_inbound_event_key" ON "social_inbound" USING btree ("connector_id","event_key");--> statement-breakpoint
CREATE INDEX "social_inbound_pending_idx" ON "social_inbound" USING btree ("received_at") WHERE status = 'received';--> statement-breakpoint
CREATE UNIQUE INDEX "social_messages_external_key" ON "social_messages" USING btree ("connector_id","direction","external_id");--> statement-breakpoint
CREATE INDEX "social_messages_conversation_idx" ON "social_messages" USING btree ("connector_id","conversation","created_at");--> statement-breakpoint
CREATE INDEX "social_messages_ticket_idx" ON "social_messages" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "social_messages_pending_idx" ON "social_messages" USING btree ("created_at") WHERE status = 'queued';--> statement-breakpoint
CREATE UNIQUE INDEX "call_scripts_category_key" ON "call_scripts" USING btree ("category_id");--> statement-breakpoint
CREATE INDEX "calls_contact_idx" ON "calls" USING btree ("contact_id","created_at");--> statement-breakpoint
CREATE INDEX "calls_ticket_idx" ON "calls" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "calls_message_idx" ON "calls" USING btree ("ticket_message_id");--> statement-breakpoint
CREATE UNIQUE INDEX "telephony_calls_external_key" ON "telephony_calls" USING btree ("connector_id","external_id");--> statement-breakpoint
CREATE INDEX "telephony_calls_recent_idx" ON "telephony_calls" USING btree ("updated_at");