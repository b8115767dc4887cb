import type { LessonKind, QuestionType } from '../db/schema';
import type { QuestionAnswer, QuizDefaults } from '../content/pack';
import type { EssayAnswer } from '../exams/types';

/**
 * An authored module as one document: what a draft holds (module_drafts.doc) and what each
 * published version keeps (module_versions.doc). Lessons and questions carry stable keys
 * (`l1`, `q7`) given once by the draft's counters; the live rows are keyed by them
 * (lesson slug `<module slug>-<key>`, question key `<module slug>/<key>`), so progress, the
 * wrong-book and quiz history stay attached across versions and restores.
 */
export interface ModuleDoc {
	title: string;
	themeId: number;
	summary: string;
	/** Estimated minutes of study. */
	minutes: number;
	/** 学时 credited once on completing the module (0: none). */
	creditHours: number;
	/** School modules: in every cadre's catalog (true) or only through courses (false). Office modules: true. */
	inCatalog: boolean;
	/** Markdown shown above the lesson list. */
	intro: string;
	quiz: QuizDefaults;
	lessons: LessonDoc[];
	questions: QuestionDoc[];
}

/** Where a lesson's text stands in the congress report (empty part: not from the report). */
export interface LessonSource {
	part: string;
	heading: string;
	section: string;
	paragraph: number;
}

export interface LessonDoc {
	key: string;
	title: string;
	kind: LessonKind;
	/** Markdown: the lesson text (text lessons), notes under the player (audio/video). */
	body: string;
	/** The audio/video of a watched lesson (a media row of the same owner). */
	mediaId: number | null;
	source: LessonSource | null;
}

export interface QuestionDoc {
	key: string;
	type: QuestionType;
	stem: string;
	/** Option texts (single/multiple); [] for truefalse, fill and essay. */
	options: string[];
	/**
	 * As stored in `questions.answer`: option index, sorted indexes, boolean, per blank the
	 * accepted variants, or a 简答's key (reference answer, rubric, length limit).
	 */
	answer: QuestionAnswer | EssayAnswer;
	/** Required, except for 简答 (graded by hand against the reference answer and rubric). */
	explanation: string;
	/** The lesson the question is about. */
	lessonKey: string;
	difficulty: 1 | 2 | 3;
	/** The source passage, e.g. 报告第六部分第3段. */
	sourceRef: string;
}

export const DEFAULT_QUIZ: QuizDefaults = {
	draw: 10,
	time_limit_minutes: 15,
	pass_mark: 60,
	attempts: 0,
	shuffle_questions: true,
	shuffle_options: true,
	show_answers: true
};

/** The live slugs of an authored module and its parts. */
export const authoredSlug = {
	module: (draftId: number) => `a${draftId}`,
	lesson: (draftId: number, key: string) => `a${draftId}-${key}`,
	question: (draftId: number, key: string) => `a${draftId}/${key}`
};
