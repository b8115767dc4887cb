CREATE TABLE `exam_assignments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`exam_id` integer NOT NULL,
	`office_id` integer,
	`include_descendants` integer DEFAULT false NOT NULL,
	`user_id` integer,
	`assigned_by` integer,
	`assigned_at` integer NOT NULL,
	`withdrawn_at` integer,
	FOREIGN KEY (`exam_id`) REFERENCES `exams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assigned_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `exam_assignments_exam_idx` ON `exam_assignments` (`exam_id`);--> statement-breakpoint
CREATE INDEX `exam_assignments_office_idx` ON `exam_assignments` (`office_id`);--> statement-breakpoint
CREATE TABLE `exam_attempt_items` (
	`attempt_id` integer NOT NULL,
	`position` integer NOT NULL,
	`section` integer NOT NULL,
	`question_id` integer NOT NULL,
	`points` real NOT NULL,
	`snapshot` text NOT NULL,
	`response` text,
	`flagged` integer DEFAULT false NOT NULL,
	`answered_at` integer,
	`score` real,
	`correct` integer,
	PRIMARY KEY(`attempt_id`, `position`),
	FOREIGN KEY (`attempt_id`) REFERENCES `exam_attempts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`question_id`) REFERENCES `questions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `exam_items_question_idx` ON `exam_attempt_items` (`question_id`);--> statement-breakpoint
CREATE TABLE `exam_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`exam_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`number` integer NOT NULL,
	`code` text NOT NULL,
	`started_at` integer NOT NULL,
	`deadline` integer NOT NULL,
	`submitted_at` integer,
	`auto_submitted` integer DEFAULT false NOT NULL,
	`objective_score` real,
	`score` real,
	`passed` integer,
	`graded_at` integer,
	`released_at` integer,
	`leave_count` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`exam_id`) REFERENCES `exams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `exam_attempts_number` ON `exam_attempts` (`exam_id`,`user_id`,`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `exam_attempts_code` ON `exam_attempts` (`exam_id`,`code`);--> statement-breakpoint
CREATE INDEX `exam_attempts_user_idx` ON `exam_attempts` (`user_id`);--> statement-breakpoint
CREATE INDEX `exam_attempts_open_idx` ON `exam_attempts` (`submitted_at`,`deadline`);--> statement-breakpoint
CREATE TABLE `exam_candidates` (
	`exam_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`office_id` integer,
	`enrolled_at` integer NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`extra_attempts` integer DEFAULT 0 NOT NULL,
	`opens_at` integer,
	`closes_at` integer,
	PRIMARY KEY(`exam_id`, `user_id`),
	FOREIGN KEY (`exam_id`) REFERENCES `exams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `exam_candidates_user_idx` ON `exam_candidates` (`user_id`);--> statement-breakpoint
CREATE TABLE `exam_graders` (
	`exam_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	PRIMARY KEY(`exam_id`, `user_id`),
	FOREIGN KEY (`exam_id`) REFERENCES `exams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `exam_graders_user_idx` ON `exam_graders` (`user_id`);--> statement-breakpoint
CREATE TABLE `exam_grades` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`attempt_id` integer NOT NULL,
	`position` integer NOT NULL,
	`round` integer NOT NULL,
	`grader_id` integer NOT NULL,
	`scores` text NOT NULL,
	`score` real NOT NULL,
	`comment` text DEFAULT '' NOT NULL,
	`graded_at` integer NOT NULL,
	FOREIGN KEY (`attempt_id`) REFERENCES `exam_attempts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`grader_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `exam_grades_round` ON `exam_grades` (`attempt_id`,`position`,`round`);--> statement-breakpoint
CREATE UNIQUE INDEX `exam_grades_grader` ON `exam_grades` (`attempt_id`,`position`,`grader_id`);--> statement-breakpoint
CREATE INDEX `exam_grades_grader_idx` ON `exam_grades` (`grader_id`);--> statement-breakpoint
CREATE TABLE `exam_item_stats` (
	`exam_id` integer NOT NULL,
	`question_id` integer NOT NULL,
	`responses` integer NOT NULL,
	`difficulty` real NOT NULL,
	`discrimination` real,
	`option_counts` text NOT NULL,
	`flags` text NOT NULL,
	`computed_at` integer NOT NULL,
	PRIMARY KEY(`exam_id`, `question_id`),
	FOREIGN KEY (`exam_id`) REFERENCES `exams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`question_id`) REFERENCES `questions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `exam_item_stats_question_idx` ON `exam_item_stats` (`question_id`);--> statement-breakpoint
CREATE TABLE `exam_papers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`owner_school_id` integer,
	`owner_office_id` integer,
	`title` text NOT NULL,
	`instructions` text DEFAULT '' NOT NULL,
	`doc` text NOT NULL,
	`total_points` real NOT NULL,
	`pass_mark` real NOT NULL,
	`created_by` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_by` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`archived_at` integer,
	FOREIGN KEY (`owner_school_id`) REFERENCES `schools`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`owner_office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `exam_papers_owner_school_idx` ON `exam_papers` (`owner_school_id`);--> statement-breakpoint
CREATE INDEX `exam_papers_owner_office_idx` ON `exam_papers` (`owner_office_id`);--> statement-breakpoint
CREATE TABLE `exams` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`owner_school_id` integer,
	`owner_office_id` integer,
	`paper_id` integer NOT NULL,
	`title` text NOT NULL,
	`instructions` text DEFAULT '' NOT NULL,
	`paper_doc` text NOT NULL,
	`total_points` real NOT NULL,
	`pass_mark` real NOT NULL,
	`opens_at` integer NOT NULL,
	`closes_at` integer NOT NULL,
	`duration_minutes` integer NOT NULL,
	`attempts_allowed` integer DEFAULT 1 NOT NULL,
	`counting` text DEFAULT 'highest' NOT NULL,
	`show_review` integer DEFAULT true NOT NULL,
	`second_grading` integer DEFAULT false NOT NULL,
	`grading_margin` real DEFAULT 2 NOT NULL,
	`release_at` integer,
	`released_at` integer,
	`course_id` integer,
	`credit_hours` real DEFAULT 0 NOT NULL,
	`created_by` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`cancelled_at` integer,
	FOREIGN KEY (`owner_school_id`) REFERENCES `schools`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`owner_office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`paper_id`) REFERENCES `exam_papers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `exams_owner_school_idx` ON `exams` (`owner_school_id`);--> statement-breakpoint
CREATE INDEX `exams_owner_office_idx` ON `exams` (`owner_office_id`);--> statement-breakpoint
CREATE INDEX `exams_course_idx` ON `exams` (`course_id`);