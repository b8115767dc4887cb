// The exam benchmark's world: a 50-question paper drawn by rule from the built-in banks, an
// exam open now for every cadre, sessions made directly (logging 2,000 people in through
// argon2 would take minutes and measure nothing the benchmark is about), and each
// candidate's sitting started through the exam domain itself, so every paper is a real draw.
import { createSession } from '../../src/lib/server/auth/session';
import { auditActor } from '../../src/lib/server/audit';
import type { Db } from '../../src/lib/server/db';
import {
	assignExam,
	createExam,
	createPaper,
	startExam,
	type ExamSettings,
	type PaperDoc
} from '../../src/lib/server/exams';
import type { Owner } from '../../src/lib/server/authoring/owner';

/** 50 questions, 100 points: 25 single at 2, 10 multiple at 2, 15 true/false at 2. */
export const BENCH_PAPER: PaperDoc = {
	sections: [
		{
			kind: 'rule',
			title: '一、单项选择题',
			instructions: '',
			rules: [{ moduleId: null, type: 'single', difficulty: null, count: 25, points: 2 }]
		},
		{
			kind: 'rule',
			title: '二、多项选择题',
			instructions: '',
			rules: [{ moduleId: null, type: 'multiple', difficulty: null, count: 10, points: 2 }]
		},
		{
			kind: 'rule',
			title: '三、判断题',
			instructions: '',
			rules: [{ moduleId: null, type: 'truefalse', difficulty: null, count: 15, points: 2 }]
		}
	]
};

function unwrap<T>(saved: { ok: true; value: T } | { ok: false; errors: Record<string, string> }): T {
	if (!saved.ok) throw new Error(`refused: ${JSON.stringify(saved.errors)}`);
	return saved.value;
}

/** The demo school's first admin, as the owner and actor of the benchmark's paper and exam. */
function schoolAdmin(db: Db) {
	const admin = db.$client
		.prepare("SELECT * FROM users WHERE role = 'school_admin' AND school_id IS NOT NULL ORDER BY id LIMIT 1")
		.get() as { id: number; name: string; role: 'school_admin'; office_id: null; school_id: number };
	const actor = auditActor(
		{ id: admin.id, name: admin.name, role: admin.role, officeId: null, schoolId: admin.school_id },
		'127.0.0.1'
	);
	const owner: Owner = { kind: 'school', schoolId: admin.school_id };
	return { actor, owner };
}

/**
 * Creates the paper and an exam whose window is [opensAt, closesAt], assigned to the root
 * office with everything below it, as of `madeAt`. `attemptsAllowed` lets the load reuse candidates.
 */
export function createBenchExam(
	db: Db,
	window: { opensAt: Date; closesAt: Date },
	attemptsAllowed: number,
	madeAt = new Date()
): { examId: number; actor: ReturnType<typeof schoolAdmin>['actor']; owner: Owner } {
	const { actor, owner } = schoolAdmin(db);
	const paper = unwrap(
		createPaper(
			db,
			actor,
			owner,
			{
				title: '压测试卷',
				instructions: '',
				passMark: 60,
				doc: BENCH_PAPER
			},
			madeAt
		)
	);
	const settings: ExamSettings = {
		title: '压测考试',
		instructions: '',
		paperId: paper.id,
		opensAt: window.opensAt,
		closesAt: window.closesAt,
		durationMinutes: Math.floor((window.closesAt.getTime() - window.opensAt.getTime()) / 60_000),
		attemptsAllowed,
		counting: 'highest',
		showReview: true,
		secondGrading: false,
		gradingMargin: 2,
		releaseAt: null,
		courseId: null,
		creditHours: 0,
		graderIds: []
	};
	const exam = unwrap(createExam(db, actor, owner, settings, madeAt));
	const root = db.$client
		.prepare('SELECT id FROM offices WHERE parent_id IS NULL ORDER BY id LIMIT 1')
		.get() as {
		id: number;
	};
	unwrap(assignExam(db, actor, owner, exam.id, { officeId: root.id, includeDescendants: true }, madeAt));
	return { examId: exam.id, actor, owner };
}

/** Every enrolled candidate of the exam, in id order. */
export function candidateIds(db: Db, examId: number, limit: number): number[] {
	return (
		db.$client
			.prepare(
				'SELECT user_id AS id FROM exam_candidates WHERE exam_id = ? AND active = 1 ORDER BY user_id LIMIT ?'
			)
			.all(examId, limit) as { id: number }[]
	).map((r) => r.id);
}

/** A session cookie for the user, made the way logging in makes one. */
export function sessionCookie(db: Db, userId: number): string {
	return `session=${createSession(db, userId).token}`;
}

/** Starts the user's sitting through the domain (a real draw); returns its id. */
export function startSitting(db: Db, userId: number, examId: number, now = new Date()): number {
	const started = startExam(db, { id: userId }, examId, now);
	if (!started.ok) throw new Error(`starting the exam for user ${userId} failed: ${started.message}`);
	return started.attemptId;
}

/**
 * More open sittings for the owner of `templateId` (numbers 2, 3, …, each a copy of the
 * drawn paper, unanswered), so submissions can be mixed into a run longer than one sitting.
 */
export function cloneSittings(db: Db, templateId: number, copies: number): number[] {
	const sqlite = db.$client;
	const cloneAttempt = sqlite.prepare(
		`INSERT INTO exam_attempts (exam_id, user_id, number, code, started_at, deadline)
		 SELECT exam_id, user_id, number + ?, code || '-' || ?, started_at, deadline FROM exam_attempts WHERE id = ?
		 RETURNING id`
	);
	const cloneItems = sqlite.prepare(
		`INSERT INTO exam_attempt_items (attempt_id, position, section, question_id, points, snapshot)
		 SELECT ?, position, section, question_id, points, snapshot FROM exam_attempt_items WHERE attempt_id = ?`
	);
	const ids: number[] = [templateId];
	sqlite.transaction(() => {
		for (let i = 1; i <= copies; i++) {
			const { id } = cloneAttempt.get(i, i, templateId) as { id: number };
			cloneItems.run(id, templateId);
			ids.push(id);
		}
	})();
	return ids;
}
