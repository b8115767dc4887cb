DROP INDEX `outreach_talks_office_idx`;--> statement-breakpoint
CREATE INDEX `outreach_talks_office_day_idx` ON `outreach_talks` (`office_id`,`status`,`day`,`held_at`);