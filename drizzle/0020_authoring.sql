CREATE TABLE `lesson_media` (
	`lesson_id` integer NOT NULL,
	`media_id` integer NOT NULL,
	PRIMARY KEY(`lesson_id`, `media_id`),
	FOREIGN KEY (`lesson_id`) REFERENCES `lessons`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`media_id`) REFERENCES `media`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `lesson_media_media_idx` ON `lesson_media` (`media_id`);--> statement-breakpoint
CREATE TABLE `media` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`sha256` text NOT NULL,
	`kind` text NOT NULL,
	`mime` text NOT NULL,
	`size` integer NOT NULL,
	`file_name` text NOT NULL,
	`duration_seconds` integer,
	`owner_school_id` integer,
	`owner_office_id` integer,
	`uploaded_by` integer NOT NULL,
	`uploaded_at` integer NOT NULL,
	FOREIGN KEY (`owner_school_id`) REFERENCES `schools`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`owner_office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`uploaded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `media_owner_file_idx` ON `media` (`owner_school_id`,`owner_office_id`,`sha256`);--> statement-breakpoint
CREATE INDEX `media_sha_idx` ON `media` (`sha256`);--> statement-breakpoint
CREATE TABLE `module_drafts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`owner_school_id` integer,
	`owner_office_id` integer,
	`module_id` integer,
	`status` text DEFAULT 'editing' NOT NULL,
	`doc` text NOT NULL,
	`next_lesson` integer DEFAULT 1 NOT NULL,
	`next_question` integer DEFAULT 1 NOT NULL,
	`copied_from_module_id` integer,
	`submitted_by` integer,
	`submitted_at` integer,
	`review_comment` text,
	`reviewed_by` integer,
	`reviewed_at` integer,
	`created_by` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_by` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`withdrawn_at` integer,
	FOREIGN KEY (`owner_school_id`) REFERENCES `schools`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`owner_office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`module_id`) REFERENCES `modules`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`copied_from_module_id`) REFERENCES `modules`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`submitted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reviewed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `module_drafts_module` ON `module_drafts` (`module_id`);--> statement-breakpoint
CREATE INDEX `module_drafts_owner_school_idx` ON `module_drafts` (`owner_school_id`);--> statement-breakpoint
CREATE INDEX `module_drafts_owner_office_idx` ON `module_drafts` (`owner_office_id`);--> statement-breakpoint
CREATE TABLE `module_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`draft_id` integer NOT NULL,
	`module_id` integer NOT NULL,
	`version` integer NOT NULL,
	`doc` text NOT NULL,
	`submitted_by` integer NOT NULL,
	`approved_by` integer NOT NULL,
	`self_approved` integer DEFAULT false NOT NULL,
	`published_at` integer NOT NULL,
	FOREIGN KEY (`draft_id`) REFERENCES `module_drafts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`module_id`) REFERENCES `modules`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`submitted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`approved_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `module_versions_number` ON `module_versions` (`module_id`,`version`);--> statement-breakpoint
CREATE TABLE `watch_progress` (
	`user_id` integer NOT NULL,
	`lesson_id` integer NOT NULL,
	`position_seconds` real DEFAULT 0 NOT NULL,
	`reported_at` integer NOT NULL,
	`watched` text DEFAULT '[]' NOT NULL,
	`watched_seconds` real DEFAULT 0 NOT NULL,
	PRIMARY KEY(`user_id`, `lesson_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`lesson_id`) REFERENCES `lessons`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `lessons` ADD `body_md` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `lessons` ADD `kind` text DEFAULT 'text' NOT NULL;--> statement-breakpoint
ALTER TABLE `lessons` ADD `media_id` integer REFERENCES media(id);--> statement-breakpoint
ALTER TABLE `lessons` ADD `duration_seconds` integer;--> statement-breakpoint
ALTER TABLE `modules` ADD `owner_school_id` integer REFERENCES schools(id);--> statement-breakpoint
ALTER TABLE `modules` ADD `owner_office_id` integer REFERENCES offices(id);--> statement-breakpoint
ALTER TABLE `modules` ADD `in_catalog` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `modules` ADD `credit_hours` real DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `modules` ADD `version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `modules_owner_office_idx` ON `modules` (`owner_office_id`);--> statement-breakpoint
ALTER TABLE `questions` ADD `difficulty` integer DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE `questions` ADD `source_ref` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `themes` ADD `owner_school_id` integer REFERENCES schools(id);--> statement-breakpoint
-- A published version is history: it can be read and restored as a new draft, never changed.
CREATE TRIGGER `module_versions_no_update` BEFORE UPDATE ON `module_versions`
BEGIN SELECT RAISE(ABORT, 'module_versions is append-only'); END;--> statement-breakpoint
CREATE TRIGGER `module_versions_no_delete` BEFORE DELETE ON `module_versions`
BEGIN SELECT RAISE(ABORT, 'module_versions is append-only'); END;
