import { and, asc, eq, isNull } from 'drizzle-orm';
import { testDb, addUser, seedTree } from '../helpers/db';
import type { Db } from '../../src/lib/server/db';
import { syncContent } from '../../src/lib/server/content/sync';
import {
	examAttemptItems,
	lessons,
	modules,
	questions,
	schools,
	users,
	type QuestionType
} from '../../src/lib/server/db/schema';
import { auditActor, type AuditActor } from '../../src/lib/server/audit';
import type { Owner } from '../../src/lib/server/authoring/owner';
import type { QuestionSnapshot } from '../../src/lib/server/quiz/questions';
import {
	assignExam,
	createExam,
	createPaper,
	saveExamAnswer,
	startExam,
	submitExam,
	type EssayAnswer,
	type ExamSettings,
	type PaperDoc
} from '../../src/lib/server/exams';

/*
 * The exam tests' world (exams-*.test.ts): the content pack (seven built-in modules, no 简答),
 * two 简答 questions inserted into module A's bank, one party school (市委党校) with three
 * admins (s1, s2, s3: graders), the city office with two counties below it (an admin each),
 * three cadres in 离石 and two in 孝义.
 *
 * Times: tests pass `now` explicitly; NOW is a Tuesday 10:00 in Shanghai. makeExam opens the
 * window an hour before `now` and closes it two hours after, 60 minutes to sit it.
 */

export type Actor = Required<AuditActor>;
export type User = typeof users.$inferSelect;

export const NOW = new Date('2025-06-10T10:00:00+08:00');
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

const actorOf = (user: User): Actor => auditActor(user, '192.0.2.9');

/** A 简答 key: three scoring points worth 2, 2 and 1 (rubric total 5), at most 200 characters. */
export function essayKey(over: Partial<EssayAnswer> = {}): EssayAnswer {
	return {
		reference: '人大代表应当密切联系群众，依法履职，接受监督。',
		rubric: [
			{ point: '密切联系群众', points: 2 },
			{ point: '依法履职', points: 2 },
			{ point: '接受原选区选民监督', points: 1 }
		],
		maxLength: 200,
		...over
	};
}

/** Inserts a live 简答 question into a module's bank (as a published authored module would hold it). */
export function insertEssay(db: Db, moduleId: number, n: number, key: EssayAnswer = essayKey()): number {
	const lesson = db
		.select({ id: lessons.id })
		.from(lessons)
		.where(eq(lessons.moduleId, moduleId))
		.orderBy(asc(lessons.id))
		.get()!;
	return db
		.insert(questions)
		.values({
			key: `essay-test/${moduleId}/${n}`,
			moduleId,
			lessonId: lesson.id,
			type: 'essay',
			stem: `简述人大代表如何依法履职。（${n}）`,
			options: '[]',
			answer: JSON.stringify(key),
			explanation: '',
			difficulty: 2,
			contentHash: `essay-${n}`,
			updatedAt: new Date(0)
		})
		.returning({ id: questions.id })
		.get().id;
}

export async function examWorld() {
	const db = testDb();
	syncContent(db, 'content');
	const tree = seedTree(db);
	const school = db.insert(schools).values({ name: '中共吕梁市委党校' }).returning().get();
	const schoolAdmin = async (username: string, name: string) => {
		const u = await addUser(db, { username, role: 'school_admin', name });
		return actorOf(db.update(users).set({ schoolId: school.id }).where(eq(users.id, u.id)).returning().get());
	};
	const officeAdmin = async (username: string, officeId: number, name: string) =>
		actorOf(await addUser(db, { username, role: 'office_admin', officeId, name }));
	const actors = {
		s1: await schoolAdmin('dx.admin1', '党校甲'),
		s2: await schoolAdmin('dx.admin2', '党校乙'),
		s3: await schoolAdmin('dx.admin3', '党校丙'),
		city: await officeAdmin('city.admin', tree.city.id, '市人大管理员'),
		lishi: await officeAdmin('lishi.admin', tree.lishi.id, '离石管理员'),
		xiaoyi: await officeAdmin('xiaoyi.admin', tree.xiaoyi.id, '孝义管理员')
	};
	const cadre = (username: string, officeId: number, name: string) =>
		addUser(db, { username, officeId, name });
	const cadres = {
		lishi: [
			await cadre('lishi.001', tree.lishi.id, '张三'),
			await cadre('lishi.002', tree.lishi.id, '李四'),
			await cadre('lishi.003', tree.lishi.id, '王五')
		],
		xiaoyi: [
			await cadre('xiaoyi.001', tree.xiaoyi.id, '赵六'),
			await cadre('xiaoyi.002', tree.xiaoyi.id, '钱七')
		]
	};
	const owners = {
		school: { kind: 'school', schoolId: school.id } as Owner,
		city: { kind: 'office', officeId: tree.city.id } as Owner,
		lishi: { kind: 'office', officeId: tree.lishi.id } as Owner,
		xiaoyi: { kind: 'office', officeId: tree.xiaoyi.id } as Owner
	};
	const moduleId = (slug: string) => db.select().from(modules).where(eq(modules.slug, slug)).get()!.id;
	const moduleIds = { a: moduleId('whole-process-democracy'), b: moduleId('rule-of-law') };
	const essays = [insertEssay(db, moduleIds.a, 1), insertEssay(db, moduleIds.a, 2)];
	return { db, tree, school, actors, cadres, owners, modules: moduleIds, essays };
}

export type World = Awaited<ReturnType<typeof examWorld>>;

/** Live question ids of a module's bank of one type, in id order. */
export function bankIds(db: Db, moduleId: number, type: QuestionType): number[] {
	return db
		.select({ id: questions.id })
		.from(questions)
		.where(and(eq(questions.moduleId, moduleId), eq(questions.type, type), isNull(questions.archivedAt)))
		.orderBy(asc(questions.id))
		.all()
		.map((r) => r.id);
}

/**
 * The standard paper (total 17 points):
 * 一、固定题: module A's first two single-choice questions at 2 points, the first 简答 at 5;
 * 二、随机题: 3 single-choice from module A at 2 points, 2 true/false from any module at 1 point.
 * `essays: false` leaves the 简答 out (total 12: graded at submission).
 */
export function standardDoc(world: World, opts: { essays?: boolean } = {}): PaperDoc {
	const singles = bankIds(world.db, world.modules.a, 'single');
	const fixed = [
		{ questionId: singles[0]!, points: 2 },
		{ questionId: singles[1]!, points: 2 }
	];
	if (opts.essays !== false) fixed.push({ questionId: world.essays[0]!, points: 5 });
	return {
		sections: [
			{ kind: 'fixed', title: '一、固定题', instructions: '', items: fixed },
			{
				kind: 'rule',
				title: '二、随机题',
				instructions: '每位考生抽到的题目不同。',
				rules: [
					{ moduleId: world.modules.a, type: 'single', difficulty: null, count: 3, points: 2 },
					{ moduleId: null, type: 'truefalse', difficulty: null, count: 2, points: 1 }
				]
			}
		]
	};
}

/** The total of a doc, as the paper computes it. */
export function docTotal(doc: PaperDoc): number {
	return doc.sections.reduce(
		(sum, s) =>
			sum +
			(s.kind === 'fixed'
				? s.items.reduce((a, i) => a + i.points, 0)
				: s.rules.reduce((a, r) => a + r.count * r.points, 0)),
		0
	);
}

/** Creates a paper (default: the standard doc with 简答, pass mark 60 % of the total, owned by the school). */
export function makePaper(
	world: World,
	opts: { doc?: PaperDoc; passMark?: number; title?: string; actor?: Actor; owner?: Owner } = {}
): number {
	const doc = opts.doc ?? standardDoc(world);
	const saved = createPaper(world.db, opts.actor ?? world.actors.s1, opts.owner ?? world.owners.school, {
		title: opts.title ?? '2025 年度应知应会测试卷',
		instructions: '请独立作答。',
		passMark: opts.passMark ?? Math.round(docTotal(doc) * 0.6),
		doc
	});
	if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
	return saved.value.id;
}

/** Exam settings around `now`: open from an hour before to two hours after, 60 minutes, one attempt, no graders. */
export function examSettings(paperId: number, now: Date, over: Partial<ExamSettings> = {}): ExamSettings {
	return {
		title: '2025 年度应知应会考试',
		instructions: '考试期间请勿离开页面。',
		paperId,
		opensAt: new Date(now.getTime() - HOUR),
		closesAt: new Date(now.getTime() + 2 * HOUR),
		durationMinutes: 60,
		attemptsAllowed: 1,
		counting: 'highest',
		showReview: true,
		secondGrading: false,
		gradingMargin: 2,
		releaseAt: null,
		courseId: null,
		creditHours: 0,
		graderIds: [],
		...over
	};
}

/**
 * Creates an exam of `paperId` around `now` (examSettings). When the paper has 简答 and no
 * graders are given, s1 grades (school-owned exams only; office owners must pass graderIds).
 */
export function makeExam(
	world: World,
	paperId: number,
	now: Date,
	over: Partial<ExamSettings> = {},
	opts: { actor?: Actor; owner?: Owner } = {}
): number {
	const owner = opts.owner ?? world.owners.school;
	const graderIds = over.graderIds ?? (owner.kind === 'school' ? [world.actors.s1.id] : []);
	const saved = createExam(
		world.db,
		opts.actor ?? world.actors.s1,
		owner,
		examSettings(paperId, now, { ...over, graderIds }),
		now
	);
	if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
	return saved.value.id;
}

/** Assigns the exam to an office (with descendants by default) or a person; returns how many were enrolled. */
export function assign(
	world: World,
	examId: number,
	target: { officeId: number; includeDescendants?: boolean } | { userId: number },
	now: Date,
	opts: { actor?: Actor; owner?: Owner } = {}
): number {
	const t =
		'userId' in target
			? target
			: { officeId: target.officeId, includeDescendants: target.includeDescendants ?? true };
	const saved = assignExam(
		world.db,
		opts.actor ?? world.actors.s1,
		opts.owner ?? world.owners.school,
		examId,
		t,
		now
	);
	if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
	return saved.value.enrolled;
}

/**
 * A school exam of the standard paper (with 简答 unless `essays: false`), open around `now`,
 * assigned to the city office and its counties (all five cadres and three office admins).
 */
export function openExam(
	world: World,
	now: Date,
	opts: { essays?: boolean; settings?: Partial<ExamSettings>; passMark?: number } = {}
): { paperId: number; examId: number } {
	const paperId = makePaper(world, {
		doc: standardDoc(world, { essays: opts.essays }),
		passMark: opts.passMark
	});
	const examId = makeExam(world, paperId, now, opts.settings);
	assign(world, examId, { officeId: world.tree.city.id, includeDescendants: true }, now);
	return { paperId, examId };
}

export interface DrawnItem {
	position: number;
	section: number;
	questionId: number;
	points: number;
	snapshot: QuestionSnapshot;
	response: unknown;
	score: number | null;
	correct: boolean | null;
}

/** An attempt's items as stored (server side: with the keys). */
export function attemptItems(db: Db, attemptId: number): DrawnItem[] {
	return db
		.select()
		.from(examAttemptItems)
		.where(eq(examAttemptItems.attemptId, attemptId))
		.orderBy(asc(examAttemptItems.position))
		.all()
		.map((i) => ({
			position: i.position,
			section: i.section,
			questionId: i.questionId,
			points: i.points,
			snapshot: JSON.parse(i.snapshot) as QuestionSnapshot,
			response: i.response === null ? null : JSON.parse(i.response),
			score: i.score,
			correct: i.correct
		}));
}

/** The right response to an objective item; a 简答 gets `essayText`. */
export function rightResponse(
	s: QuestionSnapshot,
	essayText = '人大代表应当密切联系群众，依法履职。'
): unknown {
	if (s.type === 'essay') return essayText;
	if (s.type === 'fill') return (s.answer as string[][]).map((a) => a[0]!);
	return s.answer;
}

/** A wrong response to an objective item (an essay still gets a text). */
export function wrongResponse(s: QuestionSnapshot): unknown {
	switch (s.type) {
		case 'single':
			return ((s.answer as number) + 1) % s.options.length;
		case 'multiple':
			return [0, 1, 2].filter((i) => i < s.options.length && !(s.answer as number[]).includes(i)).slice(0, 1);
		case 'truefalse':
			return !(s.answer as boolean);
		case 'fill':
			return (s.answer as string[][]).map(() => '不对');
		case 'essay':
			return '不知道。';
	}
}

export type Answering = 'right' | 'wrong' | 'blank' | ((item: DrawnItem) => unknown);

/** Starts (or resumes) an attempt for a user; throws when refused. */
export function start(world: World, userId: number, examId: number, now: Date): number {
	const started = startExam(world.db, { id: userId }, examId, now);
	if (!started.ok) throw new Error(started.message);
	return started.attemptId;
}

/** Answers every item of a running attempt ('right', 'wrong', 'blank', or a response per item). */
export function answerAll(world: World, userId: number, attemptId: number, how: Answering, now: Date): void {
	if (how === 'blank') return;
	for (const item of attemptItems(world.db, attemptId)) {
		const response =
			typeof how === 'function'
				? how(item)
				: how === 'right'
					? rightResponse(item.snapshot)
					: wrongResponse(item.snapshot);
		const saved = saveExamAnswer(world.db, userId, attemptId, item.position, { response }, now);
		if (!saved.ok) throw new Error(saved.message);
	}
}

/**
 * A whole sitting: start at `now`, answer every item, submit at `submitAt` (default: ten
 * minutes later). Returns the attempt id.
 */
export function sit(
	world: World,
	userId: number,
	examId: number,
	now: Date,
	how: Answering = 'right',
	submitAt = new Date(now.getTime() + 10 * MINUTE)
): number {
	const attemptId = start(world, userId, examId, now);
	answerAll(world, userId, attemptId, how, now);
	const submitted = submitExam(world.db, userId, attemptId, submitAt);
	if (!submitted.ok) throw new Error(submitted.message);
	return attemptId;
}
