ALTER TABLE "tickets" ADD COLUMN "sla_due_at" timestamp with time zone DEFAULT 'infinity' NOT NULL;--> statement-breakpoint
ALTER TABLE "sla_notifications" ADD COLUMN "email_id" uuid;--> statement-breakpoint
-- Tickets that already have running clocks get their nearest deadline for the queue sort.
UPDATE "tickets" t SET "sla_due_at" = d.due FROM (SELECT ticket_id, min(due_at) AS due FROM "sla_deadlines" WHERE stopped_at IS NULL AND due_at IS NOT NULL GROUP BY ticket_id) d WHERE d.ticket_id = t.id;--> statement-breakpoint
CREATE INDEX "tickets_group_status_sla_due_idx" ON "tickets" USING btree ("group_id","status","sla_due_at","id");--> statement-breakpoint
CREATE INDEX "tickets_status_sla_due_idx" ON "tickets" USING btree ("status","sla_due_at","id");--> statement-breakpoint
CREATE INDEX "tickets_assignee_status_sla_due_idx" ON "tickets" USING btree ("assignee_id","status","sla_due_at","id");--> statement-breakpoint
CREATE INDEX "sla_notifications_email_idx" ON "sla_notifications" USING btree ("email_id") WHERE email_id is not null;