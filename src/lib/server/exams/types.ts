import type { ExamCounting, QuestionType } from '../db/schema';
import type { Owner } from '../authoring/owner';

// The shapes the exam domain hands to routes. Scores and points are numbers in half-point
// steps; times are Date on the server (routes turn them into what pages show).

/** A 简答 question's key, stored in `questions.answer`: never sent to a browser before release. */
export interface EssayAnswer {
	/** 参考答案. */
	reference: string;
	/** 采分点: what earns points, and how many. */
	rubric: { point: string; points: number }[];
	/** The longest answer a candidate may give, in characters. */
	maxLength: number;
}

/** A section of fixed questions, picked one by one with points each. */
export interface FixedSection {
	kind: 'fixed';
	title: string;
	instructions: string;
	items: { questionId: number; points: number }[];
}

/** One draw rule: `count` questions of `type` from a module (or any the owner may use), `points` each. */
export interface DrawRule {
	/** null: any module the paper's owner may use (built-in or their own). */
	moduleId: number | null;
	type: QuestionType;
	/** null: any difficulty. */
	difficulty: 1 | 2 | 3 | null;
	count: number;
	points: number;
}

/** A section drawn per candidate by its rules: neighbours get different questions of equal weight. */
export interface RuleSection {
	kind: 'rule';
	title: string;
	instructions: string;
	rules: DrawRule[];
}

export type PaperSection = FixedSection | RuleSection;

/** `exam_papers.doc` and `exams.paper_doc`. */
export interface PaperDoc {
	sections: PaperSection[];
}

/** Field errors keyed by form field name, in Chinese (the form helper's shape). */
export type FieldErrors = Record<string, string>;

export type Saved<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

export interface PaperSummary {
	id: number;
	title: string;
	totalPoints: number;
	passMark: number;
	questionCount: number;
	sectionCount: number;
	/** Exams that use it (a paper in use is copied into each exam; editing it changes only future exams). */
	examCount: number;
	updatedAt: Date;
}

export interface PaperDetail {
	id: number;
	owner: Owner;
	title: string;
	instructions: string;
	doc: PaperDoc;
	totalPoints: number;
	passMark: number;
	/** Per fixed item: the question as the author sees it (stem, type, module title). */
	questions: Record<number, BankQuestion>;
	/** Per rule (section index, rule index): how many questions the bank holds for it now. */
	ruleCapacity: Record<string, number>;
}

/** A question of a bank the author may use, as the paper editor lists it. */
export interface BankQuestion {
	id: number;
	moduleId: number;
	moduleTitle: string;
	type: QuestionType;
	stem: string;
	difficulty: 1 | 2 | 3;
	/** For 简答: the rubric's total (the default points of the item). */
	rubricTotal: number | null;
}

/** Where an exam stands, as the admin sees it. */
export type ExamPhase = 'scheduled' | 'open' | 'closed' | 'released' | 'cancelled';

export interface ExamSummary {
	id: number;
	title: string;
	phase: ExamPhase;
	opensAt: Date;
	closesAt: Date;
	durationMinutes: number;
	candidates: number;
	submitted: number;
	/** 简答 answers still to grade (all rounds). */
	toGrade: number;
}

export interface ExamSettings {
	title: string;
	instructions: string;
	paperId: number;
	opensAt: Date;
	closesAt: Date;
	durationMinutes: number;
	attemptsAllowed: number;
	counting: ExamCounting;
	showReview: boolean;
	secondGrading: boolean;
	gradingMargin: number;
	releaseAt: Date | null;
	courseId: number | null;
	creditHours: number;
	/** User ids of the graders (admins of the owner). */
	graderIds: number[];
}

export interface ExamDetail extends ExamSettings {
	id: number;
	owner: Owner;
	phase: ExamPhase;
	totalPoints: number;
	passMark: number;
	questionCount: number;
	releasedAt: Date | null;
	/** Whether any candidate has started (the paper and timing can no longer change). */
	started: boolean;
	hasEssays: boolean;
}

/** What a candidate sees of an exam on their list and its start page. */
export type CandidateState =
	| 'upcoming' // window not open yet
	| 'open' // may start (attempts left)
	| 'running' // an attempt is in progress
	| 'pending' // 已交卷，待公布
	| 'released' // result out
	| 'missed' // window closed, never submitted
	| 'used'; // window open but no attempts left and nothing pending (rare: all released)

export interface CandidateExam {
	id: number;
	title: string;
	instructions: string;
	state: CandidateState;
	/** Their window: the exam's, or their own 补考 window. */
	opensAt: Date;
	closesAt: Date;
	durationMinutes: number;
	totalPoints: number;
	passMark: number;
	questionCount: number;
	attemptsAllowed: number;
	attemptsUsed: number;
	/** The running attempt, if any. */
	runningAttemptId: number | null;
	/** Released only: the result that counts. */
	result: { attemptId: number; score: number; passed: boolean } | null;
	counting: ExamCounting;
	showReview: boolean;
}

/** A question as the candidate's browser may see it during the exam (no key, no reference, no rubric). */
export interface ExamQuestionView {
	position: number;
	section: number;
	points: number;
	type: QuestionType;
	stem: string;
	options: string[];
	blanks: number;
	/** 简答 only: the longest answer allowed. */
	maxLength: number | null;
	response: unknown;
	flagged: boolean;
}

export interface RunningExam {
	attemptId: number;
	examId: number;
	title: string;
	deadline: Date;
	sections: { title: string; instructions: string }[];
	items: ExamQuestionView[];
}

export type ExamStartResult =
	{ ok: true; attemptId: number; resumed: boolean } | { ok: false; message: string };
export type ExamSaveResult =
	{ ok: true } | { ok: false; reason: 'missing' | 'closed' | 'late' | 'invalid'; message: string };
export type ExamSubmitResult =
	| { ok: true; attemptId: number; examId: number; late: boolean; already: boolean }
	| { ok: false; message: string };

/** One 简答 answer waiting for a grader, without the candidate's name. */
export interface GradingTask {
	attemptId: number;
	position: number;
	/** 答卷编号: the anonymous code. */
	code: string;
	round: number;
	stem: string;
	points: number;
	reference: string;
	rubric: { point: string; points: number }[];
	answer: string;
	/** The earlier rounds' scores (for round 3 only, shown without the graders' names). */
	earlier: { round: number; score: number; comment: string }[];
}

export interface GradingProgress {
	/** 简答 answers submitted. */
	answers: number;
	/** Grades needed in all (rounds included) and given. */
	needed: number;
	given: number;
	/** Answers waiting for a third grader. */
	thirdRound: number;
	/** Per grader: grades given. */
	byGrader: { userId: number; name: string; given: number }[];
	complete: boolean;
}

export type GradeResult = { ok: true } | { ok: false; errors: FieldErrors };

/** A candidate's released sitting, as they review it. */
export interface ExamReviewItem {
	position: number;
	section: number;
	type: QuestionType;
	stem: string;
	options: string[];
	points: number;
	score: number;
	correct: boolean | null;
	responseText: string;
	answerText: string;
	explanation: string;
	sourceRef: string;
	/** 简答: the rubric and the graders' comments (without names). */
	rubric: { point: string; points: number }[] | null;
	comments: string[];
}

export interface ExamResultView {
	examId: number;
	title: string;
	attempts: {
		id: number;
		number: number;
		submittedAt: Date;
		score: number | null;
		passed: boolean | null;
		counts: boolean;
		released: boolean;
	}[];
	counted: { attemptId: number; score: number; passed: boolean } | null;
	totalPoints: number;
	passMark: number;
	/** The reviewed attempt's items, when released and the exam allows review. */
	review: ExamReviewItem[] | null;
}

export interface ExamDashboard {
	assigned: number;
	started: number;
	submitted: number;
	absent: number;
	/** Released (or graded) counted results only: average in points (one decimal), pass rate in percent (one decimal). */
	average: number | null;
	passRate: number | null;
	/** Ten bins of the total (0–10 %, … 90–100 %). */
	histogram: { label: string; count: number }[];
	offices: {
		officeId: number;
		name: string;
		depth: number;
		assigned: number;
		submitted: number;
		average: number | null;
		passRate: number | null;
	}[];
	/** Candidates without a submitted attempt whose window has opened; `windowOpen`: 催考 still reaches them. */
	absentees: { userId: number; name: string; officeName: string; windowOpen: boolean }[];
	/** Candidates who left the exam page while writing (all attempts), in pinyin order. */
	leaveCounts: { userId: number; name: string; leaves: number }[];
}

export type ItemFlag = 'too-easy' | 'too-hard' | 'not-discriminating';

export interface ItemStat {
	questionId: number;
	stem: string;
	type: QuestionType;
	moduleTitle: string;
	responses: number;
	difficulty: number;
	discrimination: number | null;
	/** Option text → times chosen (choice questions). */
	optionCounts: Record<string, number>;
	flags: ItemFlag[];
}
