import { createDb, type Db } from '../../src/lib/server/db';
import { auditActor } from '../../src/lib/server/audit';
import type { Role } from '../../src/lib/server/access';
import type { Owner } from '../../src/lib/server/authoring/owner';
import {
	assignExam,
	createExam,
	createPaper,
	gradeAnswer,
	gradingQueue,
	releaseResults,
	type EssayAnswer,
	type ExamSettings,
	type PaperDoc
} from '../../src/lib/server/exams';

/**
 * Exams the candidate-side tests sit, made in the test process through the exam domain's own
 * functions (as the admin pages would make them: validated, audited) on the running app's
 * database. exam-flow.test.ts makes its exam through the admin pages instead; these tests are
 * about the candidate's pages and what reaches their browser.
 *
 * The paper draws from the party school's banks (built-in modules and its own): objective rule
 * sections and one 简答 section. Its 简答 questions are the seeded ones when there are any
 * (the demo's school module holds some); otherwise two are added to a built-in module's bank.
 */

export const SCHOOL_ADMIN = 'dangxiao';
export const SECOND_ADMIN = 'dangxiao2';

/** The 简答 questions of the fixture when the seed holds none: their keys are what must never leak. */
export const FIXTURE_ESSAY: EssayAnswer = {
	reference: '人大代表要密切联系群众，依法履职，自觉接受原选区选民监督（夹具参考答案）。',
	rubric: [
		{ point: '密切联系群众（夹具采分点一）', points: 4 },
		{ point: '依法履职（夹具采分点二）', points: 4 },
		{ point: '接受选民监督（夹具采分点三）', points: 2 }
	],
	maxLength: 300
};

interface UserRow {
	id: number;
	name: string;
	role: Role;
	officeId: number | null;
	schoolId: number | null;
}

function userRow(db: Db, username: string): UserRow {
	const row = db.$client
		.prepare(
			'SELECT id, name, role, office_id AS officeId, school_id AS schoolId FROM users WHERE username = ?'
		)
		.get(username) as UserRow | undefined;
	if (!row) throw new Error(`no user ${username}`);
	return row;
}

/** Live 简答 questions the school's papers may draw (built-in modules or its own), adding two if none. */
function essayQuestions(db: Db, schoolId: number): number[] {
	const usable = `m.archived_at IS NULL AND q.archived_at IS NULL AND q.type = 'essay'
		AND ((m.owner_school_id IS NULL AND m.owner_office_id IS NULL) OR m.owner_school_id = ?)`;
	const found = () =>
		db.$client
			.prepare(
				`SELECT q.id FROM questions q JOIN modules m ON m.id = q.module_id WHERE ${usable} ORDER BY q.id`
			)
			.pluck()
			.all(schoolId) as number[];
	const seeded = found();
	if (seeded.length >= 2) return seeded;
	const lesson = db.$client
		.prepare(
			`SELECT l.id AS lessonId, m.id AS moduleId FROM lessons l JOIN modules m ON m.id = l.module_id
			 WHERE m.archived_at IS NULL AND l.archived_at IS NULL AND m.owner_school_id IS NULL AND m.owner_office_id IS NULL
			 ORDER BY m.sort_order, l.sort_order LIMIT 1`
		)
		.get() as { lessonId: number; moduleId: number };
	const insert = db.$client.prepare(
		`INSERT OR IGNORE INTO questions (key, module_id, lesson_id, type, stem, options, answer, explanation, difficulty, source_ref, content_hash, updated_at)
		 VALUES (?, ?, ?, 'essay', ?, '[]', ?, ?, 2, '', ?, ?)`
	);
	for (const n of [1, 2])
		insert.run(
			`e2e-essay/${n}`,
			lesson.moduleId,
			lesson.lessonId,
			`简述人大代表怎样做到密切联系群众。（夹具简答${n}）`,
			JSON.stringify(FIXTURE_ESSAY),
			`简答题解析：从联系群众、依法履职、接受监督三方面作答（夹具解析${n}）。`,
			`e2e-essay-${n}`,
			Date.now()
		);
	return found();
}

export interface ExamFixtureOptions {
	title: string;
	/** Candidates by login name (each assigned by name). */
	candidates: string[];
	durationMinutes?: number;
	/** Minutes from now the window opens (negative: already open) and closes. */
	opensIn?: number;
	closesIn?: number;
	attemptsAllowed?: number;
	showReview?: boolean;
}

export interface ExamFixture {
	examId: number;
	paperId: number;
	/** The 简答 questions the paper draws from. */
	essayIds: number[];
}

/** A school exam with objective rule sections and one 简答 section, open now, for these candidates. */
export function createExamFixture(databasePath: string, options: ExamFixtureOptions): ExamFixture {
	const db = createDb(databasePath);
	try {
		const admin = userRow(db, SCHOOL_ADMIN);
		const second = userRow(db, SECOND_ADMIN);
		const actor = auditActor(admin, '127.0.0.1');
		const owner: Owner = { kind: 'school', schoolId: admin.schoolId! };
		const essayIds = essayQuestions(db, admin.schoolId!);
		const doc: PaperDoc = {
			sections: [
				{
					kind: 'rule',
					title: '一、单项选择题',
					instructions: '每题只有一个选项符合题意。',
					rules: [{ moduleId: null, type: 'single', difficulty: null, count: 3, points: 10 }]
				},
				{
					kind: 'rule',
					title: '二、判断题',
					instructions: '',
					rules: [{ moduleId: null, type: 'truefalse', difficulty: null, count: 2, points: 10 }]
				},
				{
					kind: 'fixed',
					title: '三、简答题',
					instructions: '请结合工作实际作答。',
					items: [{ questionId: essayIds[0]!, points: 10 }]
				}
			]
		};
		const paper = createPaper(db, actor, owner, {
			title: `${options.title}（试卷）`,
			instructions: '',
			passMark: 36,
			doc
		});
		if (!paper.ok) throw new Error(`paper refused: ${JSON.stringify(paper.errors)}`);
		const now = Date.now();
		const settings: ExamSettings = {
			title: options.title,
			instructions: '闭卷作答，独立完成。',
			paperId: paper.value.id,
			opensAt: new Date(now + (options.opensIn ?? -5) * 60_000),
			closesAt: new Date(now + (options.closesIn ?? 180) * 60_000),
			durationMinutes: options.durationMinutes ?? 60,
			attemptsAllowed: options.attemptsAllowed ?? 1,
			counting: 'highest',
			showReview: options.showReview ?? true,
			secondGrading: false,
			gradingMargin: 2,
			releaseAt: null,
			courseId: null,
			creditHours: 0,
			graderIds: [admin.id, second.id]
		};
		const exam = createExam(db, actor, owner, settings);
		if (!exam.ok) throw new Error(`exam refused: ${JSON.stringify(exam.errors)}`);
		for (const username of options.candidates) {
			const assigned = assignExam(db, actor, owner, exam.value.id, { userId: userRow(db, username).id });
			if (!assigned.ok) throw new Error(`assignment refused: ${JSON.stringify(assigned.errors)}`);
		}
		return { examId: exam.value.id, paperId: paper.value.id, essayIds };
	} finally {
		db.$client.close();
	}
}

/**
 * Ends the fixture's exam and publishes its results as its admins would: the window closes now,
 * every 简答 answer gets full marks from the school's admin, then 公布成绩.
 */
export function releaseFixture(databasePath: string, examId: number): void {
	const db = createDb(databasePath);
	try {
		const admin = userRow(db, SCHOOL_ADMIN);
		const actor = auditActor(admin, '127.0.0.1');
		const owner: Owner = { kind: 'school', schoolId: admin.schoolId! };
		db.$client.prepare('UPDATE exams SET closes_at = ? WHERE id = ?').run(Date.now() - 1000, examId);
		for (
			let task = gradingQueue(db, admin.id, examId).next;
			task;
			task = gradingQueue(db, admin.id, examId).next
		) {
			const graded = gradeAnswer(db, actor, examId, task.attemptId, task.position, {
				scores: task.rubric.map((p) => p.points),
				comment: '要点齐全，联系实际（夹具评语）。'
			});
			if (!graded.ok) throw new Error(`grade refused: ${JSON.stringify(graded.errors)}`);
		}
		const released = releaseResults(db, actor, owner, examId, new Date());
		if (!released.ok) throw new Error(`release refused: ${JSON.stringify(released.errors)}`);
	} finally {
		db.$client.close();
	}
}
