CREATE TABLE `bookmarks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`lesson_id` integer,
	`paragraph_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`lesson_id`) REFERENCES `lessons`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "bookmarks_one_target" CHECK(("bookmarks"."lesson_id" IS NULL) <> ("bookmarks"."paragraph_id" IS NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `bookmarks_lesson_idx` ON `bookmarks` (`user_id`,`lesson_id`) WHERE "bookmarks"."lesson_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `bookmarks_paragraph_idx` ON `bookmarks` (`user_id`,`paragraph_id`) WHERE "bookmarks"."paragraph_id" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `notes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`lesson_id` integer,
	`paragraph_id` text,
	`passage` text DEFAULT '' NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`lesson_id`) REFERENCES `lessons`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "notes_one_target" CHECK(("notes"."lesson_id" IS NULL) <> ("notes"."paragraph_id" IS NULL))
);
--> statement-breakpoint
CREATE INDEX `notes_user_idx` ON `notes` (`user_id`,`updated_at`);--> statement-breakpoint
CREATE TABLE `report_reading` (
	`user_id` integer NOT NULL,
	`part` integer NOT NULL,
	`opened_at` integer NOT NULL,
	`completed_at` integer,
	`completed_day` text,
	PRIMARY KEY(`user_id`, `part`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "report_reading_part" CHECK("report_reading"."part" BETWEEN 0 AND 16)
);
--> statement-breakpoint
ALTER TABLE `users` ADD `text_size` text DEFAULT 'normal' NOT NULL;