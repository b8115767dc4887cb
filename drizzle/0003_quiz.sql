CREATE TABLE `attempt_items` (
	`attempt_id` integer NOT NULL,
	`position` integer NOT NULL,
	`question_id` integer NOT NULL,
	`snapshot` text NOT NULL,
	`response` text,
	`flagged` integer DEFAULT false NOT NULL,
	`answered_at` integer,
	`correct` integer,
	PRIMARY KEY(`attempt_id`, `position`),
	FOREIGN KEY (`attempt_id`) REFERENCES `attempts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`question_id`) REFERENCES `questions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`kind` text NOT NULL,
	`module_id` integer,
	`day` text NOT NULL,
	`started_at` integer NOT NULL,
	`deadline` integer NOT NULL,
	`submitted_at` integer,
	`auto_submitted` integer DEFAULT false NOT NULL,
	`pass_mark` integer NOT NULL,
	`show_answers` integer NOT NULL,
	`correct` integer,
	`total` integer NOT NULL,
	`percent` integer,
	`passed` integer,
	`points` integer DEFAULT 0 NOT NULL,
	`flagged_fast` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`module_id`) REFERENCES `modules`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `attempts_user_idx` ON `attempts` (`user_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `attempts_module_idx` ON `attempts` (`user_id`,`module_id`);--> statement-breakpoint
CREATE INDEX `attempts_open_idx` ON `attempts` (`submitted_at`,`deadline`);--> statement-breakpoint
CREATE UNIQUE INDEX `attempts_daily_once` ON `attempts` (`user_id`,`day`) WHERE kind = 'daily';--> statement-breakpoint
CREATE TABLE `quiz_settings` (
	`module_id` integer PRIMARY KEY NOT NULL,
	`draw` integer NOT NULL,
	`time_limit_minutes` integer NOT NULL,
	`pass_mark` integer NOT NULL,
	`attempts_allowed` integer NOT NULL,
	`shuffle_questions` integer NOT NULL,
	`shuffle_options` integer NOT NULL,
	`show_answers` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`module_id`) REFERENCES `modules`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `wrong_book` (
	`user_id` integer NOT NULL,
	`question_id` integer NOT NULL,
	`added_at` integer NOT NULL,
	`wrong_count` integer DEFAULT 1 NOT NULL,
	`last_wrong_at` integer NOT NULL,
	`hard` integer DEFAULT false NOT NULL,
	`due` integer NOT NULL,
	`stability` real DEFAULT 0 NOT NULL,
	`difficulty` real DEFAULT 0 NOT NULL,
	`elapsed_days` integer DEFAULT 0 NOT NULL,
	`scheduled_days` integer DEFAULT 0 NOT NULL,
	`learning_steps` integer DEFAULT 0 NOT NULL,
	`reps` integer DEFAULT 0 NOT NULL,
	`lapses` integer DEFAULT 0 NOT NULL,
	`state` integer DEFAULT 0 NOT NULL,
	`last_review` integer,
	`retired_at` integer,
	`removed_at` integer,
	PRIMARY KEY(`user_id`, `question_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`question_id`) REFERENCES `questions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `wrong_book_due_idx` ON `wrong_book` (`user_id`,`due`);