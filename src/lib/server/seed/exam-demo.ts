import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db';
import { examAttemptItems, examPapers, modules, offices, users } from '../db/schema';
import { auditActor, type AuditActor } from '../audit';
import { authorOwner, type Owner } from '../authoring/owner';
import {
	assignExam,
	createExam,
	createPaper,
	gradeAnswer,
	gradingQueue,
	releaseResults,
	saveExamAnswer,
	startExam,
	submitExam,
	type ExamSettings,
	type PaperDoc
} from '../exams';
import type { QuestionSnapshot } from '../quiz/questions';
import { rng } from './people';
import { shanghaiDay, shanghaiMidnight } from '../time';

/*
 * Exams for the demo, made through the exam API as 中共吕梁市委党校's admins would:
 * - a paper 《2026年度人大干部应知应会测试卷》 (100 points, pass 60): single, multiple and
 *   true/false questions drawn from the built-in banks, two 简答 from the school's own module
 *   《人大代表联络站工作实务》;
 * - 《第一期专题班结业考试》, held for 离石区 five weeks ago: sat, graded by 高志远 (dangxiao)
 *   and released, so results, the dashboard and the item analysis have something to show;
 * - 《2026年度应知应会测试》, open this week for the whole city: a few have handed in, their
 *   简答 wait in the graders' queue.
 * The people and their answers are fictional. Runs once: skipped when any paper exists.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const ESSAY_ANSWERS = [
	'联络站要定期接待群众，建立台账，逐件登记群众意见，并把办理结果反馈给群众。',
	'代表要经常进站，听取群众意见，推动问题解决。',
	'建好联络站，关键在用。要有接待制度和工作记录，意见要转交有关部门办理并向群众反馈，做到件件有回音。'
];

function paperDoc(stationModuleId: number): PaperDoc {
	return {
		sections: [
			{
				kind: 'rule',
				title: '一、单项选择题',
				instructions: '每题 2 分。每题只有一个正确答案。',
				rules: [{ moduleId: null, type: 'single', difficulty: null, count: 20, points: 2 }]
			},
			{
				kind: 'rule',
				title: '二、多项选择题',
				instructions: '每题 4 分。多选、少选、错选均不得分。',
				rules: [{ moduleId: null, type: 'multiple', difficulty: null, count: 5, points: 4 }]
			},
			{
				kind: 'rule',
				title: '三、判断题',
				instructions: '每题 2 分。',
				rules: [{ moduleId: null, type: 'truefalse', difficulty: null, count: 10, points: 2 }]
			},
			{
				kind: 'rule',
				title: '四、简答题',
				instructions: '每题 10 分，按采分点给分。',
				rules: [{ moduleId: stationModuleId, type: 'essay', difficulty: null, count: 2, points: 10 }]
			}
		]
	};
}

function ok<T>(
	result: { ok: true; value: T } | { ok: false; errors: Record<string, string> },
	what: string
): T {
	if (!result.ok) throw new Error(`exam demo: ${what}: ${JSON.stringify(result.errors)}`);
	return result.value;
}

function actor(db: Db, username: string): { actor: AuditActor; owner: Owner } | undefined {
	const user = db.select().from(users).where(eq(users.username, username)).get();
	const owner = user && authorOwner(user);
	return user && owner ? { actor: auditActor(user), owner } : undefined;
}

/** A response to one item: right with probability `skill`, else a plausible wrong one. */
function respond(s: QuestionSnapshot, skill: number, random: () => number): unknown {
	const right = random() < skill;
	switch (s.type) {
		case 'single': {
			const key = s.answer as number;
			return right ? key : (key + 1 + Math.floor(random() * (s.options.length - 1))) % s.options.length;
		}
		case 'multiple': {
			const key = s.answer as number[];
			return right || key.length < 2 ? key : key.slice(1);
		}
		case 'truefalse':
			return right ? s.answer : !(s.answer as boolean);
		case 'fill':
			return (s.answer as string[][]).map((accepted) => (right ? accepted[0]! : '不清楚'));
		case 'essay':
			return ESSAY_ANSWERS[Math.min(ESSAY_ANSWERS.length - 1, Math.floor(skill * ESSAY_ANSWERS.length))]!;
	}
}

/** Sits the exam for each cadre at `at`: answers every item and hands in after 40 minutes. */
function sit(db: Db, examId: number, cadreIds: number[], at: Date, random: () => number): number {
	let sat = 0;
	for (const userId of cadreIds) {
		const started = startExam(db, { id: userId }, examId, at);
		if (!started.ok) continue;
		const skill = 0.45 + random() * 0.5;
		const items = db
			.select({ position: examAttemptItems.position, snapshot: examAttemptItems.snapshot })
			.from(examAttemptItems)
			.where(eq(examAttemptItems.attemptId, started.attemptId))
			.all();
		for (const item of items) {
			const snapshot = JSON.parse(item.snapshot) as QuestionSnapshot;
			saveExamAnswer(
				db,
				userId,
				started.attemptId,
				item.position,
				{ response: respond(snapshot, skill, random) },
				at
			);
		}
		submitExam(db, userId, started.attemptId, new Date(at.getTime() + 40 * 60_000));
		sat++;
	}
	return sat;
}

/** Grades every waiting 简答 as `grader` would: marks per scoring point, a short comment. */
function gradeAll(db: Db, grader: AuditActor, examId: number, at: Date, random: () => number): void {
	for (;;) {
		const { next } = gradingQueue(db, grader.id, examId);
		if (!next) return;
		const marks = next.rubric.map((r) => Math.round(r.points * (0.4 + random() * 0.6) * 2) / 2);
		const comment = next.answer.length > 40 ? '要点齐全，表述清楚。' : '要点不全，请对照参考答案再学习。';
		const graded = gradeAnswer(
			db,
			grader,
			examId,
			next.attemptId,
			next.position,
			{ scores: marks, comment },
			at
		);
		if (!graded.ok) throw new Error(`exam demo: grade: ${JSON.stringify(graded.errors)}`);
	}
}

function membersOf(db: Db, officeCodes: string[]): number[] {
	return db
		.select({ id: users.id, code: offices.code })
		.from(users)
		.innerJoin(offices, eq(offices.id, users.officeId))
		.where(and(eq(users.role, 'cadre'), eq(users.active, true)))
		.all()
		.filter((u) => officeCodes.includes(u.code))
		.map((u) => u.id);
}

/** Writes the demo's paper and exams; returns how many exams were made. */
export function seedExams(db: Db, now = new Date()): number {
	if (db.select({ id: examPapers.id }).from(examPapers).limit(1).get()) return 0;
	const school = actor(db, 'dangxiao');
	const second = actor(db, 'dangxiao2');
	const station = db
		.select({ id: modules.id })
		.from(modules)
		.where(and(eq(modules.title, '人大代表联络站工作实务'), isNull(modules.archivedAt)))
		.get();
	const city = db.select({ id: offices.id }).from(offices).where(eq(offices.code, 'lvliang')).get();
	const lishi = db.select({ id: offices.id }).from(offices).where(eq(offices.code, 'lishi')).get();
	if (!school || !second || !station || !city || !lishi) return 0;
	const { actor: dangxiao, owner } = school;
	const random = rng(2026);
	// Exams are made as of their own time, so the past one is scheduled before it opened; both
	// open at a working hour of a Shanghai day.
	const morning = (daysAgo: number, hour: number) =>
		new Date(shanghaiMidnight(shanghaiDay(new Date(now.getTime() - daysAgo * DAY))).getTime() + hour * HOUR);

	const paper = ok(
		createPaper(
			db,
			dangxiao,
			owner,
			{
				title: '2026年度人大干部应知应会测试卷',
				instructions: '本卷满分 100 分，60 分及格。请独立作答。',
				passMark: 60,
				doc: paperDoc(station.id)
			},
			new Date(now.getTime() - 45 * DAY)
		),
		'paper'
	).id;
	const settings = (title: string, opensAt: Date, closesAt: Date): ExamSettings => ({
		title,
		instructions: '考试开始后请在规定时间内独立完成，到时系统自动交卷。',
		paperId: paper,
		opensAt,
		closesAt,
		durationMinutes: 60,
		attemptsAllowed: 1,
		counting: 'highest',
		showReview: true,
		secondGrading: false,
		gradingMargin: 2,
		releaseAt: null,
		courseId: null,
		creditHours: 1,
		graderIds: [dangxiao.id, second.actor.id]
	});

	// 第一期专题班结业考试: five weeks ago, for 离石区; graded and released.
	const pastOpens = morning(36, 9);
	const madeAt = new Date(pastOpens.getTime() - 2 * DAY);
	const past = ok(
		createExam(
			db,
			dangxiao,
			owner,
			settings('第一期专题班结业考试', pastOpens, new Date(pastOpens.getTime() + 8 * HOUR)),
			madeAt
		),
		'past exam'
	).id;
	ok(
		assignExam(db, dangxiao, owner, past, { officeId: lishi.id, includeDescendants: true }, madeAt),
		'assign'
	);
	const lishiCadres = membersOf(db, ['lishi']);
	// Nearly everyone sits it; the last two are absent.
	sit(
		db,
		past,
		lishiCadres.slice(0, Math.max(0, lishiCadres.length - 2)),
		new Date(pastOpens.getTime() + HOUR),
		random
	);
	const gradedAt = new Date(pastOpens.getTime() + DAY);
	gradeAll(db, dangxiao, past, gradedAt, random);
	ok(releaseResults(db, dangxiao, owner, past, new Date(gradedAt.getTime() + HOUR)), 'release');

	// 2026年度应知应会测试: open this week for the whole city; a few have handed in.
	const opens = morning(1, 8);
	const current = ok(
		createExam(
			db,
			dangxiao,
			owner,
			{
				...settings('2026年度应知应会测试', opens, new Date(opens.getTime() + 7 * DAY + 10 * HOUR)),
				durationMinutes: 90
			},
			new Date(opens.getTime() - DAY)
		),
		'current exam'
	).id;
	ok(
		assignExam(
			db,
			dangxiao,
			owner,
			current,
			{ officeId: city.id, includeDescendants: true },
			new Date(opens.getTime() - DAY)
		),
		'assign the current exam'
	);
	sit(
		db,
		current,
		membersOf(db, ['fenyang', 'xiaoyi']).slice(0, 12),
		new Date(opens.getTime() + 2 * HOUR),
		random
	);
	return 2;
}
