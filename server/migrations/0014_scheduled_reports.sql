CREATE TABLE "report_archive" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"period" text NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"period_end" timestamp with time zone NOT NULL,
	"time_zone" text NOT NULL,
	"data" jsonb NOT NULL,
	"trigger" text NOT NULL,
	"generated_by_id" uuid,
	"generated_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_deliveries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"archive_id" uuid NOT NULL,
	"email_message_id" uuid,
	"email" text NOT NULL,
	"language" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_recipients" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"email" text NOT NULL,
	"language" text DEFAULT 'en' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "report_archive" ADD CONSTRAINT "report_archive_generated_by_id_users_id_fk" FOREIGN KEY ("generated_by_id") REFERENCES "users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_deliveries" ADD CONSTRAINT "report_deliveries_archive_id_report_archive_id_fk" FOREIGN KEY ("archive_id") REFERENCES "report_archive"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_deliveries" ADD CONSTRAINT "report_deliveries_email_message_id_email_messages_id_fk" FOREIGN KEY ("email_message_id") REFERENCES "email_messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "report_archive_kind_period_key" ON "report_archive" USING btree ("kind","period");--> statement-breakpoint
CREATE INDEX "report_archive_generated_idx" ON "report_archive" USING btree ("kind","period_start");--> statement-breakpoint
CREATE UNIQUE INDEX "report_deliveries_archive_email_key" ON "report_deliveries" USING btree ("archive_id","email");--> statement-breakpoint
CREATE INDEX "report_deliveries_message_idx" ON "report_deliveries" USING btree ("email_message_id");--> statement-breakpoint
CREATE UNIQUE INDEX "report_recipients_kind_email_key" ON "report_recipients" USING btree ("kind","email");