CREATE TABLE `outreach_photos` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`talk_id` integer NOT NULL,
	`position` integer NOT NULL,
	`sha256` text NOT NULL,
	`thumb_sha256` text NOT NULL,
	`width` integer NOT NULL,
	`height` integer NOT NULL,
	`size` integer NOT NULL,
	`uploaded_by` integer NOT NULL,
	`uploaded_at` integer NOT NULL,
	FOREIGN KEY (`talk_id`) REFERENCES `outreach_talks`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`uploaded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `outreach_photos_talk_idx` ON `outreach_photos` (`talk_id`,`position`);--> statement-breakpoint
CREATE TABLE `outreach_places` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`office_id` integer NOT NULL,
	`name` text NOT NULL,
	`township` text DEFAULT '' NOT NULL,
	`kind` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outreach_places_office_name_idx` ON `outreach_places` (`office_id`,`name`);--> statement-breakpoint
CREATE TABLE `outreach_talk_speakers` (
	`talk_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	PRIMARY KEY(`talk_id`, `user_id`),
	FOREIGN KEY (`talk_id`) REFERENCES `outreach_talks`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `outreach_speakers_user_idx` ON `outreach_talk_speakers` (`user_id`);--> statement-breakpoint
CREATE TABLE `outreach_talk_topics` (
	`talk_id` integer NOT NULL,
	`topic` text NOT NULL,
	PRIMARY KEY(`talk_id`, `topic`),
	FOREIGN KEY (`talk_id`) REFERENCES `outreach_talks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `outreach_talks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`office_id` integer NOT NULL,
	`recorded_by` integer NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`held_at` integer,
	`day` text,
	`place_id` integer,
	`format` text,
	`audience` integer,
	`summary` text DEFAULT '' NOT NULL,
	`topic_text` text DEFAULT '' NOT NULL,
	`other_speakers` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`submitted_at` integer,
	`corrected_at` integer,
	`corrected_by` integer,
	FOREIGN KEY (`office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`place_id`) REFERENCES `outreach_places`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`corrected_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `outreach_talks_office_idx` ON `outreach_talks` (`office_id`,`status`,`day`);--> statement-breakpoint
CREATE INDEX `outreach_talks_recorder_idx` ON `outreach_talks` (`recorded_by`,`status`);