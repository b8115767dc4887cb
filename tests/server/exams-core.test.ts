import { describe, expect, it } from 'vitest';
import { and, count, eq, inArray, ne } from 'drizzle-orm';
import {
	auditLog,
	examAttempts,
	examCandidates,
	examPapers,
	exams,
	notifications,
	questions,
	wrongBook
} from '../../src/lib/server/db/schema';
import type { Db } from '../../src/lib/server/db';
import {
	assignExam,
	candidateExam,
	cancelExam,
	createExam,
	createPaper,
	drawPaper,
	examQuestionAt,
	getExam,
	getPaper,
	grantRetake,
	listCandidates,
	listExams,
	listPapers,
	myExams,
	ownExamAttempt,
	parseExamForm,
	parsePaperForm,
	readExamResponse,
	recordLeave,
	refreshExamCandidates,
	runningExam,
	saveExamAnswer,
	startExam,
	submitExam,
	updateExam,
	updatePaper,
	validatePaper,
	withdrawExamAssignment,
	finaliseOverdueExams,
	finaliseExamAttempt,
	examAssignments,
	type PaperDoc
} from '../../src/lib/server/exams';
import {
	GRACE_MS,
	items as quizItems,
	startDailyPractice,
	startModuleAttempt
} from '../../src/lib/server/quiz/attempts';
import { bankSize } from '../../src/lib/server/quiz/settings';
import { createLive, pickableQuestions } from '../../src/lib/server/live';
import { createMember, updateMember } from '../../src/lib/server/users/members';
import {
	HOUR,
	MINUTE,
	NOW,
	assign,
	attemptItems,
	bankIds,
	essayKey,
	examSettings,
	examWorld,
	makeExam,
	makePaper,
	openExam,
	rightResponse,
	sit,
	standardDoc,
	start,
	wrongResponse,
	type World
} from './exams-setup';

const n = (db: Db, table: typeof examPapers | typeof exams | typeof auditLog | typeof examAttempts) =>
	db.select({ n: count() }).from(table).get()!.n;

/** Everything a refused change could have written. */
const written = (db: Db) => ({
	papers: n(db, examPapers),
	exams: n(db, exams),
	audit: n(db, auditLog),
	attempts: n(db, examAttempts)
});

const later = (at: Date, ms: number) => new Date(at.getTime() + ms);

function paperInput(world: World, doc: PaperDoc, passMark = 10) {
	return { title: '年度考试卷', instructions: '', passMark, doc };
}

describe('papers', () => {
	it('reads the editor form, totals it and records the creation', async () => {
		const w = await examWorld();
		const singles = bankIds(w.db, w.modules.a, 'single');
		const form = new FormData();
		form.set('title', ' 2025 年应知应会 ');
		form.set('instructions', '闭卷');
		form.set('passMark', '9');
		form.set('sections.0.kind', 'fixed');
		form.set('sections.0.title', '一、单选题');
		form.set('sections.0.items.0.questionId', String(singles[0]));
		form.set('sections.0.items.0.points', '2.5');
		form.set('sections.0.items.1.questionId', String(w.essays[0]));
		form.set('sections.0.items.1.points', '5');
		form.set('sections.1.kind', 'rule');
		form.set('sections.1.title', '二、判断题');
		form.set('sections.1.rules.0.moduleId', '');
		form.set('sections.1.rules.0.type', 'truefalse');
		form.set('sections.1.rules.0.difficulty', '');
		form.set('sections.1.rules.0.count', '4');
		form.set('sections.1.rules.0.points', '1');
		const input = parsePaperForm(form);
		expect(input.doc.sections[1]).toEqual({
			kind: 'rule',
			title: '二、判断题',
			instructions: '',
			rules: [{ moduleId: null, type: 'truefalse', difficulty: null, count: 4, points: 1 }]
		});
		const saved = createPaper(w.db, w.actors.s1, w.owners.school, input);
		expect(saved.ok).toBe(true);
		const [paper] = listPapers(w.db, w.owners.school);
		expect(paper).toMatchObject({
			title: '2025 年应知应会',
			totalPoints: 11.5,
			passMark: 9,
			questionCount: 6,
			sectionCount: 2
		});
		const detail = getPaper(w.db, w.owners.school, paper!.id)!;
		expect(detail.questions[w.essays[0]!]).toMatchObject({ type: 'essay', rubricTotal: 5 });
		expect(detail.ruleCapacity['1.0']).toBeGreaterThan(4);
		expect(w.db.select().from(auditLog).where(eq(auditLog.action, 'paper.create')).all()).toHaveLength(1);
	});

	it('refuses every bad paper in Chinese, with the field named, and writes nothing', async () => {
		const w = await examWorld();
		const singles = bankIds(w.db, w.modules.a, 'single');
		const before = written(w.db);
		const doc = standardDoc(w); // 17 points; module A's singles: 2 fixed, the rest left for rules
		const refuse = (d: PaperDoc, passMark = 10) => {
			const r = createPaper(w.db, w.actors.s1, w.owners.school, paperInput(w, d, passMark));
			expect(r.ok).toBe(false);
			return r.ok ? {} : r.errors;
		};
		expect(refuse(doc, 17.5)).toEqual({ passMark: '及格分不能高于试卷总分 17 分' });
		expect(refuse(doc, 0)).toEqual({ passMark: '及格分应大于 0，以 0.5 分为单位' });
		expect(refuse(doc, NaN)).toEqual({ passMark: '请填写及格分' });
		const tooMany = structuredClone(doc);
		const left = singles.length - 2;
		(tooMany.sections[1] as { rules: { count: number }[] }).rules[0]!.count = left + 1;
		expect(refuse(tooMany)).toEqual({
			'sections.1.rules.0.count': `第2部分第1条规则要抽 ${left + 1} 道单选题，题库中只有 ${left} 道`
		});
		// Two 简答 in the bank, one already fixed: a rule for two more cannot be filled.
		const essays = structuredClone(doc);
		(essays.sections[1] as { rules: unknown[] }).rules.push({
			moduleId: null,
			type: 'essay',
			difficulty: null,
			count: 2,
			points: 5
		});
		expect(refuse(essays)).toEqual({
			'sections.1.rules.2.count': '第2部分第3条规则要抽 2 道简答题，题库中只有 1 道'
		});
		// A rule over every module comes after the module rules: it cannot count what they take.
		const overlap: PaperDoc = {
			sections: [
				{
					kind: 'rule',
					title: '单选',
					instructions: '',
					rules: [
						{ moduleId: null, type: 'single', difficulty: null, count: 8, points: 1 },
						{ moduleId: w.modules.a, type: 'single', difficulty: 3, count: 1, points: 1 }
					]
				}
			]
		};
		expect(refuse(overlap, 5)).toEqual({
			'sections.0.rules.1.count': '第1部分第2条规则要抽 1 道较难单选题，题库中只有 0 道'
		});
		const bad: PaperDoc = {
			sections: [
				{ kind: 'fixed', title: '', instructions: '', items: [] },
				{
					kind: 'fixed',
					title: '二',
					instructions: '',
					items: [
						{ questionId: singles[0]!, points: 1.3 },
						{ questionId: singles[0]!, points: 2 },
						{ questionId: 999_999, points: 2 }
					]
				},
				{
					kind: 'rule',
					title: '三',
					instructions: '',
					rules: [{ moduleId: 999_999, type: 'single', difficulty: null, count: 0, points: 1 }]
				}
			]
		};
		expect(refuse(bad)).toEqual({
			'sections.0.title': '请填写第1部分的标题',
			'sections.0.items': '第1部分还没有题目，请从题库中选题',
			'sections.1.items.0.points': '第2部分第1题的分值应为 0.5–100 分，以 0.5 分为单位',
			'sections.1.items.1.questionId': '第2部分第2题与前面的题目重复',
			'sections.1.items.2.questionId': '第2部分第3题已下线，或不在您可用的题库中',
			'sections.2.rules.0.moduleId': '第3部分第1条规则的模块已下线，或不在您可用的题库中',
			'sections.2.rules.0.count': '第3部分第1条规则的抽题数应为 1–100 的整数'
		});
		expect(createPaper(w.db, w.actors.s1, w.owners.school, { ...paperInput(w, doc), title: ' ' })).toEqual({
			ok: false,
			errors: { title: '请填写试卷名称' }
		});
		expect(refuse({ sections: [] })).toMatchObject({ _form: '试卷还没有内容，请至少添加一个部分' });
		expect(written(w.db)).toEqual(before);
		// validatePaper says the same without writing.
		expect(validatePaper(w.db, w.owners.school, paperInput(w, doc, 18))).toEqual({
			passMark: '及格分不能高于试卷总分 17 分'
		});
	});

	it('uses only the banks its owner may use, and keeps papers to their owner', async () => {
		const w = await examWorld();
		// An archived question is out of every bank.
		const [gone] = bankIds(w.db, w.modules.b, 'single');
		w.db.update(questions).set({ archivedAt: NOW }).where(eq(questions.id, gone!)).run();
		const doc: PaperDoc = {
			sections: [{ kind: 'fixed', title: '一', instructions: '', items: [{ questionId: gone!, points: 2 }] }]
		};
		expect(validatePaper(w.db, w.owners.school, paperInput(w, doc, 1))).toEqual({
			'sections.0.items.0.questionId': '第1部分第1题已下线，或不在您可用的题库中'
		});
		const paperId = makePaper(w);
		expect(getPaper(w.db, w.owners.lishi, paperId)).toBeUndefined();
		expect(listPapers(w.db, w.owners.lishi)).toEqual([]);
		const before = written(w.db);
		expect(updatePaper(w.db, w.actors.lishi, w.owners.lishi, paperId, paperInput(w, standardDoc(w)))).toEqual(
			{
				ok: false,
				errors: { _form: '没有找到这份试卷，或不在您的管理范围内' }
			}
		);
		expect(written(w.db)).toEqual(before);
	});
});

describe('drawing a paper', () => {
	it('gives every candidate the same sections, types and points, with different questions and no repeats', async () => {
		const w = await examWorld();
		const singles = bankIds(w.db, w.modules.a, 'single');
		const doc: PaperDoc = {
			sections: [
				{
					kind: 'fixed',
					title: '一',
					instructions: '',
					items: [
						{ questionId: singles[0]!, points: 2 },
						{ questionId: w.essays[0]!, points: 5 }
					]
				},
				{
					kind: 'rule',
					title: '二',
					instructions: '',
					// Drawn from every module first, these could take module A's singles: the module rule goes first.
					rules: [
						{ moduleId: null, type: 'single', difficulty: null, count: 20, points: 1 },
						{ moduleId: w.modules.a, type: 'single', difficulty: null, count: 8, points: 2 },
						{ moduleId: null, type: 'multiple', difficulty: 2, count: 3, points: 3 }
					]
				}
			]
		};
		expect(validatePaper(w.db, w.owners.school, paperInput(w, doc))).toEqual({});
		const shape = (d: ReturnType<typeof drawPaper>) =>
			d
				.map((q) => `${q.section}:${q.snapshot.type}:${q.points}`)
				.sort()
				.join(',');
		const sets = new Set<string>();
		let first: string | undefined;
		for (let i = 0; i < 40; i++) {
			const drawn = drawPaper(w.db, w.owners.school, doc);
			expect(drawn).toHaveLength(2 + 20 + 8 + 3);
			expect(new Set(drawn.map((q) => q.questionId)).size).toBe(drawn.length);
			// Fixed items first and in order.
			expect(drawn.slice(0, 2).map((q) => q.questionId)).toEqual([singles[0], w.essays[0]]);
			// The module rule's questions are module A's singles (the fixed one excluded).
			const fromA = drawn.filter((q) => q.section === 1 && q.points === 2);
			expect(fromA.every((q) => q.snapshot.moduleId === w.modules.a && q.snapshot.type === 'single')).toBe(
				true
			);
			first ??= shape(drawn);
			expect(shape(drawn)).toBe(first);
			sets.add(
				drawn
					.map((q) => q.questionId)
					.sort((a, b) => a - b)
					.join()
			);
		}
		expect(sets.size).toBeGreaterThan(1);
	});

	it('shuffles choice options but keeps the key with them', async () => {
		const w = await examWorld();
		const { examId } = openExam(w, NOW, { essays: false });
		const attemptId = start(w, w.cadres.lishi[0]!.id, examId, NOW);
		for (const item of attemptItems(w.db, attemptId)) {
			const bank = w.db.select().from(questions).where(eq(questions.id, item.questionId)).get()!;
			if (item.snapshot.type !== 'single') continue;
			const original = JSON.parse(bank.options) as string[];
			expect(item.snapshot.options[item.snapshot.answer as number]).toBe(
				original[JSON.parse(bank.answer) as number]
			);
		}
	});
});

describe('exam settings', () => {
	it('refuses a bad window, duration, release time, graders or course in Chinese, writing nothing', async () => {
		const w = await examWorld();
		const paperId = makePaper(w); // with 简答
		const before = written(w.db);
		const create = (
			over: Parameters<typeof examSettings>[2],
			owner = w.owners.school,
			actor = w.actors.s1
		) => {
			const r = createExam(
				w.db,
				actor,
				owner,
				examSettings(paperId, NOW, { graderIds: [w.actors.s1.id], ...over }),
				NOW
			);
			expect(r.ok).toBe(false);
			return r.ok ? {} : r.errors;
		};
		expect(create({ closesAt: later(NOW, -2 * HOUR) })).toEqual({ closesAt: '结束时间应晚于开始时间' });
		expect(create({ durationMinutes: 240 })).toEqual({
			durationMinutes: '考试时长 240 分钟，超过了考试时段的 180 分钟'
		});
		expect(create({ durationMinutes: 3 })).toEqual({ durationMinutes: '考试时长应为 5–600 分钟的整数' });
		expect(create({ releaseAt: later(NOW, HOUR) })).toEqual({
			releaseAt: '成绩公布时间不能早于考试结束时间'
		});
		expect(create({ graderIds: [] })).toEqual({ graderIds: '试卷含简答题，请至少指定 1 名阅卷人' });
		expect(create({ secondGrading: true, graderIds: [w.actors.s1.id, w.actors.s2.id] })).toEqual({
			graderIds: '双评需要至少 3 名阅卷人：两人分差过大时，由第三人评定'
		});
		expect(create({ graderIds: [w.actors.lishi.id] })).toEqual({ graderIds: '阅卷人须为本校的管理员' });
		expect(create({ attemptsAllowed: 0, gradingMargin: 0.3, creditHours: 0.7 })).toEqual({
			attemptsAllowed: '作答次数应为 1–10 次',
			gradingMargin: '分差应为 0.5–100 分，以 0.5 分为单位',
			creditHours: '学时应为 0–20，以 0.5 为单位'
		});
		expect(create({ opensAt: later(NOW, -5 * HOUR), closesAt: later(NOW, -4 * HOUR) })).toEqual({
			closesAt: '结束时间已经过去，请重新选择'
		});
		expect(create({ opensAt: new Date(NaN) })).toEqual({ opensAt: '请选择开始时间（年-月-日 时:分）' });
		// An office may not use the school's paper, nor put its exam into a course.
		expect(create({ graderIds: [w.actors.lishi.id], courseId: 1 }, w.owners.lishi, w.actors.lishi)).toEqual({
			paperId: '所选试卷不存在或已删除',
			courseId: '单位组织的考试不能计入专题班'
		});
		expect(written(w.db)).toEqual(before);
	});

	it('reads the settings form in Shanghai time', () => {
		const form = new FormData();
		for (const [k, v] of Object.entries({
			title: '考试',
			paperId: '3',
			opensAt: '2025-06-10T09:00',
			closesAt: '2025-06-10T11:30',
			durationMinutes: '90',
			counting: 'last',
			showReview: 'on',
			gradingMargin: '1.5',
			releaseAt: '',
			courseId: '',
			creditHours: '2'
		}))
			form.set(k, v);
		form.append('graderIds', '7');
		form.append('graderIds', '8');
		expect(parseExamForm(form)).toMatchObject({
			paperId: 3,
			opensAt: new Date('2025-06-10T01:00:00Z'),
			closesAt: new Date('2025-06-10T03:30:00Z'),
			durationMinutes: 90,
			attemptsAllowed: 1,
			counting: 'last',
			showReview: true,
			secondGrading: false,
			gradingMargin: 1.5,
			releaseAt: null,
			courseId: null,
			creditHours: 2,
			graderIds: [7, 8]
		});
		form.set('opensAt', '2025-02-30T09:00');
		expect(Number.isNaN(parseExamForm(form).opensAt.getTime())).toBe(true);
	});

	it('copies the paper, and once a candidate has started lets only the safe settings change', async () => {
		const w = await examWorld();
		const paperId = makePaper(w);
		const otherPaper = makePaper(w, {
			doc: standardDoc(w, { essays: false }),
			passMark: 6,
			title: '客观题卷'
		});
		const examId = makeExam(w, paperId, NOW);
		expect(getExam(w.db, w.owners.school, examId)).toMatchObject({
			totalPoints: 17,
			hasEssays: true,
			started: false
		});
		// Before anyone starts: another paper is copied in.
		const settings = examSettings(otherPaper, NOW, { graderIds: [w.actors.s1.id] });
		expect(updateExam(w.db, w.actors.s1, w.owners.school, examId, settings, NOW).ok).toBe(true);
		expect(getExam(w.db, w.owners.school, examId)).toMatchObject({
			totalPoints: 12,
			passMark: 6,
			hasEssays: false
		});
		assign(w, examId, { officeId: w.tree.lishi.id }, NOW);
		start(w, w.cadres.lishi[0]!.id, examId, NOW);
		const before = written(w.db);
		const refused = updateExam(
			w.db,
			w.actors.s1,
			w.owners.school,
			examId,
			{ ...settings, paperId, durationMinutes: 30, closesAt: later(NOW, HOUR) },
			NOW
		);
		expect(refused).toEqual({
			ok: false,
			errors: {
				paperId: '已有考生开考，此项不能再修改',
				durationMinutes: '已有考生开考，此项不能再修改',
				closesAt: '已有考生开考，结束时间只能推后，不能提前'
			}
		});
		expect(written(w.db)).toEqual(before);
		const ok = updateExam(
			w.db,
			w.actors.s1,
			w.owners.school,
			examId,
			{
				...settings,
				title: '改名后的考试',
				closesAt: later(NOW, 3 * HOUR),
				showReview: false,
				graderIds: [w.actors.s2.id]
			},
			NOW
		);
		expect(ok.ok).toBe(true);
		expect(getExam(w.db, w.owners.school, examId)).toMatchObject({
			title: '改名后的考试',
			closesAt: later(NOW, 3 * HOUR),
			showReview: false,
			graderIds: [w.actors.s2.id],
			started: true
		});
		const audit = w.db.select().from(auditLog).where(eq(auditLog.action, 'exam.update')).all();
		expect(audit.at(-1)!.detail).toContain('改名后的考试');
	});

	it('is found only by its owner', async () => {
		const w = await examWorld();
		const paperId = makePaper(w, { owner: w.owners.lishi, actor: w.actors.lishi });
		const examId = makeExam(
			w,
			paperId,
			NOW,
			{ graderIds: [w.actors.lishi.id] },
			{ owner: w.owners.lishi, actor: w.actors.lishi }
		);
		expect(getExam(w.db, w.owners.lishi, examId)).toBeDefined();
		expect(getExam(w.db, w.owners.xiaoyi, examId)).toBeUndefined();
		expect(getExam(w.db, w.owners.school, examId)).toBeUndefined();
		expect(listExams(w.db, w.owners.xiaoyi, NOW)).toEqual([]);
		const before = written(w.db);
		const notFound = { ok: false, errors: { _form: '没有找到这场考试，或不在您的管理范围内' } };
		expect(cancelExam(w.db, w.actors.xiaoyi, w.owners.xiaoyi, examId, NOW)).toEqual(notFound);
		expect(
			assignExam(
				w.db,
				w.actors.xiaoyi,
				w.owners.xiaoyi,
				examId,
				{ officeId: w.tree.xiaoyi.id, includeDescendants: false },
				NOW
			)
		).toEqual(notFound);
		expect(listCandidates(w.db, w.owners.xiaoyi, examId, { page: 1 }, NOW)).toBeUndefined();
		// The office's own exam reaches only its office and those below it.
		expect(
			assignExam(
				w.db,
				w.actors.lishi,
				w.owners.lishi,
				examId,
				{ officeId: w.tree.xiaoyi.id, includeDescendants: false },
				NOW
			)
		).toEqual({ ok: false, errors: { officeId: '没有找到这个单位，或不在您的管理范围内' } });
		expect(
			assignExam(w.db, w.actors.lishi, w.owners.lishi, examId, { userId: w.cadres.xiaoyi[0]!.id }, NOW)
		).toEqual({ ok: false, errors: { userId: '没有找到这名学员，或不在您的管理范围内' } });
		expect(written(w.db)).toEqual(before);
		// A candidate who is not on the list cannot see or start it.
		expect(candidateExam(w.db, w.cadres.lishi[0]!.id, examId, NOW)).toBeUndefined();
		expect(startExam(w.db, w.cadres.lishi[0]!, examId, NOW)).toEqual({
			ok: false,
			message: '没有找到这场考试，或您不在考生名单中'
		});
	});
});

describe('candidates', () => {
	it('enrols the members an assignment reaches, notifies them once, and lists them in pinyin order', async () => {
		const w = await examWorld();
		const examId = makeExam(w, makePaper(w), NOW);
		// 离石: three cadres and its admin.
		expect(assign(w, examId, { officeId: w.tree.lishi.id, includeDescendants: false }, NOW)).toBe(4);
		expect(assign(w, examId, { userId: w.cadres.xiaoyi[0]!.id }, NOW)).toBe(1);
		// The city with the counties: the city admin, 孝义's admin and the other 孝义 cadre are new.
		expect(assign(w, examId, { officeId: w.tree.city.id }, NOW)).toBe(3);
		const list = listCandidates(w.db, w.owners.school, examId, { page: 1 }, NOW)!;
		expect(list.total).toBe(8);
		expect(list.rows.map((r) => r.name)).toEqual([
			'离石管理员',
			'李四',
			'钱七',
			'市人大管理员',
			'王五',
			'孝义管理员',
			'张三',
			'赵六'
		]);
		expect(list.rows.every((r) => r.state === '未参加')).toBe(true);
		const notes = w.db
			.select()
			.from(notifications)
			.where(eq(notifications.userId, w.cadres.xiaoyi[0]!.id))
			.all();
		expect(notes).toHaveLength(1);
		expect(notes[0]).toMatchObject({ title: '新的考试：“2025 年度应知应会考试”', href: `/exams/${examId}` });
		expect(w.db.select().from(auditLog).where(eq(auditLog.action, 'exam.assign')).all()).toHaveLength(3);
		// The same assignment twice is refused.
		expect(
			assignExam(
				w.db,
				w.actors.s1,
				w.owners.school,
				examId,
				{ officeId: w.tree.city.id, includeDescendants: true },
				NOW
			)
		).toEqual({ ok: false, errors: { officeId: '已经布置给 吕梁市人大常委会及其下级单位' } });
	});

	it('withdraws an assignment from those no other assignment covers, keeping their attempts', async () => {
		const w = await examWorld();
		const examId = makeExam(w, makePaper(w), NOW);
		assign(w, examId, { officeId: w.tree.lishi.id, includeDescendants: false }, NOW);
		assign(w, examId, { userId: w.cadres.lishi[0]!.id }, NOW);
		const attemptId = sit(w, w.cadres.lishi[1]!.id, examId, NOW);
		const officeAssignment = examAssignments(w.db, examId).find((a) => a.label === '离石区人大常委会')!;
		expect(
			withdrawExamAssignment(w.db, w.actors.s1, w.owners.school, examId, officeAssignment.id, NOW).ok
		).toBe(true);
		const active = w.db
			.select({ userId: examCandidates.userId })
			.from(examCandidates)
			.where(and(eq(examCandidates.examId, examId), eq(examCandidates.active, true)))
			.all();
		expect(active.map((c) => c.userId)).toEqual([w.cadres.lishi[0]!.id]);
		expect(ownExamAttempt(w.db, w.cadres.lishi[1]!.id, attemptId)).toBeDefined();
		expect(startExam(w.db, w.cadres.lishi[2]!, examId, NOW)).toEqual({
			ok: false,
			message: '您已不在这场考试的考生名单中'
		});
		expect(examAssignments(w.db, examId).find((a) => a.id === officeAssignment.id)!.withdrawnAt).toEqual(NOW);
	});

	it('enrols people who join a covered office while the window is open, and not after it closes', async () => {
		const w = await examWorld();
		// createMember works in real time: the window is around now.
		const now = new Date();
		const examId = makeExam(w, makePaper(w), now);
		assign(w, examId, { officeId: w.tree.lishi.id, includeDescendants: false }, now);
		const candidate = (userId: number) =>
			w.db
				.select()
				.from(examCandidates)
				.where(and(eq(examCandidates.examId, examId), eq(examCandidates.userId, userId)))
				.get();
		const created = await createMember(w.db, w.actors.lishi, {
			name: '新来的',
			username: 'lishi.new',
			officeId: String(w.tree.lishi.id)
		});
		if (!created.ok) throw new Error('not created');
		expect(candidate(created.id)?.active).toBe(true);
		expect(candidateExam(w.db, created.id, examId, now)?.state).toBe('open');
		expect(w.db.select().from(notifications).where(eq(notifications.userId, created.id)).all()).toHaveLength(
			1
		);
		const move = (userId: number, officeId: number, name: string, at: Date) =>
			expect(
				updateMember(
					w.db,
					w.actors.city,
					userId,
					{ name, officeId: String(officeId), title: '', phone: '' },
					at
				)
			).toEqual({ ok: true });
		// Moved in while open: enrolled. Moved out: off the list.
		move(w.cadres.xiaoyi[1]!.id, w.tree.lishi.id, '钱七', now);
		expect(candidate(w.cadres.xiaoyi[1]!.id)?.active).toBe(true);
		move(w.cadres.lishi[0]!.id, w.tree.xiaoyi.id, '张三', now);
		expect(candidate(w.cadres.lishi[0]!.id)?.active).toBe(false);
		// After the window closes a move changes nobody's list.
		const closed = later(now, 3 * HOUR);
		move(w.cadres.xiaoyi[0]!.id, w.tree.lishi.id, '赵六', closed);
		expect(candidate(w.cadres.xiaoyi[0]!.id)).toBeUndefined();
		move(w.cadres.xiaoyi[1]!.id, w.tree.xiaoyi.id, '钱七', closed);
		expect(candidate(w.cadres.xiaoyi[1]!.id)?.active).toBe(true);
		// The hook itself, for an account made active again while the window is open.
		refreshExamCandidates(w.db, w.cadres.xiaoyi[0]!.id, now);
		expect(candidate(w.cadres.xiaoyi[0]!.id)?.active).toBe(true);
	});
});

describe('sitting an exam', () => {
	it("fixes the deadline at start: the duration, or the window's close if earlier", async () => {
		const w = await examWorld();
		const { examId } = openExam(w, NOW); // open NOW−1h to NOW+2h, 60 minutes
		const early = start(w, w.cadres.lishi[0]!.id, examId, NOW);
		expect(ownExamAttempt(w.db, w.cadres.lishi[0]!.id, early)!.deadline).toEqual(later(NOW, HOUR));
		const lateStart = later(NOW, 100 * MINUTE);
		const late = start(w, w.cadres.lishi[1]!.id, examId, lateStart);
		expect(ownExamAttempt(w.db, w.cadres.lishi[1]!.id, late)!.deadline).toEqual(later(NOW, 2 * HOUR));
		expect(startExam(w.db, w.cadres.lishi[2]!, examId, later(NOW, -2 * HOUR))).toEqual({
			ok: false,
			message: '考试尚未开始，开考时间为 6月10日 09:00'
		});
		expect(startExam(w.db, w.cadres.lishi[2]!, examId, later(NOW, 2 * HOUR))).toEqual({
			ok: false,
			message: '考试已经结束'
		});
		// Starting again resumes the running attempt (two tabs get one sitting).
		expect(startExam(w.db, w.cadres.lishi[0]!, examId, later(NOW, MINUTE))).toEqual({
			ok: true,
			attemptId: early,
			resumed: true
		});
	});

	it('lets a 补考 candidate sit in their own window, with the attempts granted', async () => {
		const w = await examWorld();
		const { examId } = openExam(w, NOW, { essays: false });
		const user = w.cadres.lishi[0]!;
		sit(w, user.id, examId, NOW, 'wrong');
		expect(startExam(w.db, user, examId, later(NOW, 20 * MINUTE))).toEqual({
			ok: false,
			message: '这场考试最多可作答 1 次，您的次数已用完'
		});
		const opensAt = later(NOW, 24 * HOUR);
		const closesAt = later(opensAt, 30 * MINUTE);
		const before = written(w.db);
		const grant = (g: Parameters<typeof grantRetake>[5]) =>
			grantRetake(w.db, w.actors.s1, w.owners.school, examId, user.id, g, NOW);
		expect(grant({ extraAttempts: 0, opensAt: null, closesAt: null })).toEqual({
			ok: false,
			errors: { _form: '请增加作答次数，或安排补考时段，或两者都安排' }
		});
		expect(grant({ extraAttempts: 1, opensAt: closesAt, closesAt: opensAt })).toEqual({
			ok: false,
			errors: { closesAt: '结束时间应晚于开始时间' }
		});
		expect(grant({ extraAttempts: 1, opensAt, closesAt: later(opensAt, 20 * MINUTE) })).toEqual({
			ok: false,
			errors: { durationMinutes: '考试时长 60 分钟，超过了考试时段的 20 分钟' }
		});
		expect(written(w.db)).toEqual(before);
		expect(grant({ extraAttempts: 1, opensAt, closesAt: later(opensAt, 90 * MINUTE) }).ok).toBe(true);
		expect(candidateExam(w.db, user.id, examId, later(NOW, 3 * HOUR))).toMatchObject({
			state: 'upcoming',
			opensAt,
			attemptsAllowed: 2,
			attemptsUsed: 1
		});
		// The exam's own window has closed; theirs opens tomorrow.
		expect(startExam(w.db, user, examId, later(opensAt, -MINUTE)).ok).toBe(false);
		const retake = start(w, user.id, examId, later(opensAt, 45 * MINUTE));
		// 60 minutes would run past their window's close (90 minutes after it opens).
		expect(ownExamAttempt(w.db, user.id, retake)).toMatchObject({
			number: 2,
			deadline: later(opensAt, 90 * MINUTE)
		});
		// Nobody else's window moved.
		expect(startExam(w.db, w.cadres.lishi[1]!, examId, later(opensAt, MINUTE))).toEqual({
			ok: false,
			message: '考试已经结束'
		});
		expect(w.db.select().from(auditLog).where(eq(auditLog.action, 'exam.retake')).all()).toHaveLength(1);
	});

	it('scores objective items on submission and grades a paper without 简答 at once', async () => {
		const w = await examWorld();
		const { examId } = openExam(w, NOW, { essays: false, passMark: 7 });
		const user = w.cadres.lishi[0]!;
		// Everything right except the single-choice items of the rule section.
		const attemptId = sit(w, user.id, examId, NOW, (item) =>
			item.section === 1 && item.snapshot.type === 'single'
				? wrongResponse(item.snapshot)
				: rightResponse(item.snapshot)
		);
		expect(ownExamAttempt(w.db, user.id, attemptId)).toMatchObject({
			objectiveScore: 6,
			score: 6,
			passed: false,
			gradedAt: later(NOW, 10 * MINUTE),
			autoSubmitted: false
		});
		const scored = attemptItems(w.db, attemptId);
		expect(scored.filter((i) => i.correct).map((i) => i.score)).toEqual([2, 2, 1, 1]);
		// A multiple-choice answer counts only when exactly right; and exams never fill the wrong-book.
		expect(w.db.select().from(wrongBook).all()).toEqual([]);
		expect(candidateExam(w.db, user.id, examId, later(NOW, 11 * MINUTE))!.state).toBe('pending');
	});

	it('keeps 简答 for grading: no score until graded, the essay item unscored', async () => {
		const w = await examWorld();
		const { examId } = openExam(w, NOW);
		const attemptId = sit(w, w.cadres.lishi[0]!.id, examId, NOW);
		expect(ownExamAttempt(w.db, w.cadres.lishi[0]!.id, attemptId)).toMatchObject({
			objectiveScore: 12,
			score: null,
			passed: null,
			gradedAt: null
		});
		const essay = attemptItems(w.db, attemptId).find((i) => i.snapshot.type === 'essay')!;
		expect(essay).toMatchObject({
			score: null,
			correct: null,
			response: '人大代表应当密切联系群众，依法履职。'
		});
		expect(listExams(w.db, w.owners.school, NOW)[0]).toMatchObject({
			candidates: 8,
			submitted: 1,
			toGrade: 1
		});
	});

	it('refuses saves after the deadline plus grace and closes the attempt at its deadline', async () => {
		const w = await examWorld();
		const { examId } = openExam(w, NOW, { essays: false });
		const user = w.cadres.lishi[0]!;
		const attemptId = start(w, user.id, examId, NOW);
		const [first, second] = attemptItems(w.db, attemptId);
		const deadline = later(NOW, HOUR);
		// Within the grace (a locked phone, a slow network): still saved.
		expect(
			saveExamAnswer(
				w.db,
				user.id,
				attemptId,
				1,
				{ response: rightResponse(first!.snapshot) },
				later(deadline, GRACE_MS - 1000)
			)
		).toEqual({ ok: true });
		expect(
			saveExamAnswer(
				w.db,
				user.id,
				attemptId,
				2,
				{ response: rightResponse(second!.snapshot) },
				later(deadline, GRACE_MS + 1000)
			)
		).toEqual({ ok: false, reason: 'late', message: '考试时间已到，系统已按截止前保存的答案自动交卷' });
		expect(ownExamAttempt(w.db, user.id, attemptId)).toMatchObject({
			submittedAt: deadline,
			autoSubmitted: true,
			objectiveScore: 2
		});
		expect(attemptItems(w.db, attemptId)[1]!.response).toBeNull();
		expect(saveExamAnswer(w.db, user.id, attemptId, 2, { flagged: true }, later(deadline, HOUR))).toEqual({
			ok: false,
			reason: 'closed',
			message: '本场考试已交卷，答案不能再修改'
		});
		expect(runningExam(w.db, user.id, attemptId, later(deadline, HOUR))).toBeUndefined();
	});

	it('closes abandoned attempts when their time runs out, scoring what was saved', async () => {
		const w = await examWorld();
		const { examId } = openExam(w, NOW, { essays: false });
		const a = start(w, w.cadres.lishi[0]!.id, examId, NOW);
		const b = start(w, w.cadres.lishi[1]!.id, examId, later(NOW, 30 * MINUTE));
		const first = attemptItems(w.db, a)[0]!;
		saveExamAnswer(
			w.db,
			w.cadres.lishi[0]!.id,
			a,
			1,
			{ response: rightResponse(first.snapshot) },
			later(NOW, MINUTE)
		);
		expect(finaliseOverdueExams(w.db, later(NOW, HOUR + GRACE_MS / 2))).toBe(0);
		expect(finaliseOverdueExams(w.db, later(NOW, HOUR + GRACE_MS + 1))).toBe(1);
		expect(ownExamAttempt(w.db, w.cadres.lishi[0]!.id, a)).toMatchObject({
			submittedAt: later(NOW, HOUR),
			autoSubmitted: true,
			score: 2
		});
		expect(ownExamAttempt(w.db, w.cadres.lishi[1]!.id, b)!.submittedAt).toBeNull();
		// The list closes one's own overdue attempt too.
		const lateView = myExams(w.db, w.cadres.lishi[1]!.id, later(NOW, 2 * HOUR));
		expect(lateView[0]).toMatchObject({ id: examId, state: 'pending', runningAttemptId: null });
	});

	it('scores a sitting once however often it is submitted', async () => {
		const w = await examWorld();
		const { examId } = openExam(w, NOW, { essays: false });
		const user = w.cadres.lishi[0]!;
		const attemptId = start(w, user.id, examId, NOW);
		const items = attemptItems(w.db, attemptId);
		saveExamAnswer(w.db, user.id, attemptId, 1, { response: rightResponse(items[0]!.snapshot) }, NOW);
		const first = submitExam(w.db, user.id, attemptId, later(NOW, 5 * MINUTE));
		expect(first).toEqual({ ok: true, attemptId, examId, late: false, already: false });
		// A second tab submits later, after changing nothing it could: one result.
		expect(
			saveExamAnswer(
				w.db,
				user.id,
				attemptId,
				2,
				{ response: rightResponse(items[1]!.snapshot) },
				later(NOW, 6 * MINUTE)
			).ok
		).toBe(false);
		expect(submitExam(w.db, user.id, attemptId, later(NOW, 7 * MINUTE))).toEqual({
			ok: true,
			attemptId,
			examId,
			late: false,
			already: true
		});
		// Two transactions racing to close it: only the first scores.
		const row = ownExamAttempt(w.db, user.id, attemptId)!;
		expect(finaliseExamAttempt(w.db, row, later(NOW, 8 * MINUTE), false)).toBe(false);
		expect(ownExamAttempt(w.db, user.id, attemptId)).toMatchObject({
			submittedAt: later(NOW, 5 * MINUTE),
			score: 2
		});
		expect(submitExam(w.db, w.cadres.lishi[1]!.id, attemptId, NOW)).toEqual({
			ok: false,
			message: '没有找到这次考试作答，或您无权查看'
		});
	});

	it('counts leaving the page while the attempt runs, only for its own candidate', async () => {
		const w = await examWorld();
		const { examId } = openExam(w, NOW, { essays: false });
		const user = w.cadres.lishi[0]!;
		const attemptId = start(w, user.id, examId, NOW);
		expect(recordLeave(w.db, user.id, attemptId, later(NOW, MINUTE))).toBe(true);
		expect(recordLeave(w.db, user.id, attemptId, later(NOW, 2 * MINUTE))).toBe(true);
		expect(recordLeave(w.db, w.cadres.lishi[1]!.id, attemptId, later(NOW, 2 * MINUTE))).toBe(false);
		submitExam(w.db, user.id, attemptId, later(NOW, 3 * MINUTE));
		expect(recordLeave(w.db, user.id, attemptId, later(NOW, 4 * MINUTE))).toBe(false);
		expect(ownExamAttempt(w.db, user.id, attemptId)!.leaveCount).toBe(2);
		const row = listCandidates(w.db, w.owners.school, examId, { page: 1, q: '张三' }, NOW)!.rows[0]!;
		expect(row).toMatchObject({ name: '张三', attempts: 1, leaves: 2, state: '已交卷', best: 0 });
	});

	it('never sends a key, reference answer, rubric or explanation to the candidate before release', async () => {
		const w = await examWorld();
		const key = essayKey({
			reference: '参考答案：代表应当依法履职',
			rubric: [{ point: '采分点：联系群众', points: 5 }]
		});
		w.db
			.update(questions)
			.set({ answer: JSON.stringify(key), explanation: '解析不应外泄' })
			.where(eq(questions.id, w.essays[0]!))
			.run();
		const { examId } = openExam(w, NOW);
		const user = w.cadres.lishi[0]!;
		const attemptId = start(w, user.id, examId, NOW);
		const running = runningExam(w.db, user.id, attemptId, NOW)!;
		expect(running.items).toHaveLength(8);
		const text = JSON.stringify(running);
		for (const secret of [
			'参考答案',
			'采分点',
			'解析不应外泄',
			'"answer"',
			'"explanation"',
			'"rubric"',
			'"reference"'
		])
			expect(text).not.toContain(secret);
		for (const item of attemptItems(w.db, attemptId)) {
			if (item.snapshot.explanation) expect(text).not.toContain(item.snapshot.explanation);
			expect(JSON.stringify(examQuestionAt(w.db, user.id, attemptId, item.position))).not.toContain(
				'"answer"'
			);
		}
		const essay = running.items.find((i) => i.type === 'essay')!;
		expect(essay).toMatchObject({ maxLength: 200, options: [], points: 5 });
		submitExam(w.db, user.id, attemptId, later(NOW, MINUTE));
		const listed = JSON.stringify([
			myExams(w.db, user.id, later(NOW, MINUTE)),
			candidateExam(w.db, user.id, examId, later(NOW, MINUTE))
		]);
		expect(listed).not.toContain('参考答案');
		expect(listed).not.toContain('"score":12');
		// Someone else's attempt is as missing as none.
		expect(runningExam(w.db, w.cadres.lishi[1]!.id, attemptId, NOW)).toBeUndefined();
		expect(examQuestionAt(w.db, w.cadres.lishi[1]!.id, attemptId, 1)).toBeUndefined();
	});

	it('refuses a 简答 longer than its limit, or an answer that is not one, storing nothing', async () => {
		const w = await examWorld();
		const { examId } = openExam(w, NOW);
		const user = w.cadres.lishi[0]!;
		const attemptId = start(w, user.id, examId, NOW);
		const items = attemptItems(w.db, attemptId);
		const essay = items.find((i) => i.snapshot.type === 'essay')!;
		const question = examQuestionAt(w.db, user.id, attemptId, essay.position)!;
		const form = new FormData();
		form.set('essay', '字'.repeat(201));
		expect(readExamResponse(question, form)).toEqual({ error: '答案不能超过 200 个字，您写了 201 个字' });
		expect(
			saveExamAnswer(w.db, user.id, attemptId, essay.position, { response: '字'.repeat(201) }, NOW)
		).toEqual({
			ok: false,
			reason: 'invalid',
			message: '答案不能超过 200 个字，您写了 201 个字'
		});
		const single = items.find((i) => i.snapshot.type === 'single')!;
		expect(saveExamAnswer(w.db, user.id, attemptId, single.position, { response: 'A' }, NOW)).toMatchObject({
			ok: false,
			reason: 'invalid'
		});
		expect(saveExamAnswer(w.db, user.id, attemptId, 99, { response: 1 }, NOW)).toMatchObject({
			ok: false,
			reason: 'missing'
		});
		expect(attemptItems(w.db, attemptId).every((i) => i.response === null)).toBe(true);
		form.set('essay', '  依法履职  ');
		const read = readExamResponse(question, form);
		expect(read).toEqual({ response: '依法履职' });
		expect(
			saveExamAnswer(
				w.db,
				user.id,
				attemptId,
				essay.position,
				{ response: '字'.repeat(200), flagged: true },
				NOW
			)
		).toEqual({
			ok: true
		});
		expect(attemptItems(w.db, attemptId).find((i) => i.position === essay.position)).toMatchObject({
			response: '字'.repeat(200)
		});
		expect(
			runningExam(w.db, user.id, attemptId, NOW)!.items.find((i) => i.position === essay.position)!.flagged
		).toBe(true);
	});

	it("lists a candidate's exams: open first, then upcoming, then past", async () => {
		const w = await examWorld();
		const user = w.cadres.lishi[0]!;
		const paperId = makePaper(w, { doc: standardDoc(w, { essays: false }) });
		const make = (title: string, opensIn: number) => {
			const id = makeExam(w, paperId, later(NOW, opensIn + HOUR), { title });
			assign(w, id, { officeId: w.tree.lishi.id }, NOW);
			return id;
		};
		const missed = make('已错过', -6 * HOUR);
		const done = make('已交卷', -3 * HOUR);
		const open = make('进行中', 0);
		const upcoming = make('明天', 24 * HOUR);
		// Sat earlier, within its window.
		sit(w, user.id, done, later(NOW, -90 * MINUTE), 'right', later(NOW, -80 * MINUTE));
		const cancelled = make('已取消', 0);
		expect(cancelExam(w.db, w.actors.s1, w.owners.school, cancelled, NOW).ok).toBe(true);
		const list = myExams(w.db, user.id, NOW);
		expect(list.map((e) => [e.title, e.state])).toEqual([
			['进行中', 'open'],
			['明天', 'upcoming'],
			['已交卷', 'pending'],
			['已错过', 'missed']
		]);
		expect(list.map((e) => e.id)).toEqual([open, upcoming, done, missed]);
		expect(startExam(w.db, user, cancelled, NOW)).toEqual({ ok: false, message: '这场考试已取消' });
		expect(candidateExam(w.db, user.id, cancelled, NOW)).toBeUndefined();
	});

	it('closes running attempts when an exam is cancelled', async () => {
		const w = await examWorld();
		const { examId } = openExam(w, NOW, { essays: false });
		const attemptId = start(w, w.cadres.lishi[0]!.id, examId, NOW);
		expect(cancelExam(w.db, w.actors.s1, w.owners.school, examId, later(NOW, MINUTE)).ok).toBe(true);
		expect(ownExamAttempt(w.db, w.cadres.lishi[0]!.id, attemptId)!.submittedAt).toEqual(later(NOW, MINUTE));
		expect(cancelExam(w.db, w.actors.s1, w.owners.school, examId, later(NOW, MINUTE))).toEqual({
			ok: false,
			errors: { _form: '这场考试已经取消' }
		});
		const actions = w.db
			.select({ action: auditLog.action })
			.from(auditLog)
			.all()
			.map((r) => r.action);
		expect(actions).toEqual(['paper.create', 'exam.create', 'exam.assign', 'exam.cancel']);
	});
});

describe('简答 stay out of practice', () => {
	/** Leaves one live objective question (module A's first single) and module A's two 简答. */
	function onlyEssaysAndOne(w: World): number {
		const keep = bankIds(w.db, w.modules.a, 'single')[0]!;
		w.db
			.update(questions)
			.set({ archivedAt: NOW })
			.where(and(ne(questions.id, keep), ne(questions.type, 'essay')))
			.run();
		return keep;
	}

	it('module quizzes, daily practice and live quizzes never draw a 简答', async () => {
		const w = await examWorld();
		const keep = onlyEssaysAndOne(w);
		const user = w.cadres.lishi[0]!;
		expect(bankSize(w.db, w.modules.a)).toBe(1);
		const quiz = startModuleAttempt(w.db, user, w.modules.a, NOW);
		if (!quiz.ok) throw new Error(quiz.message);
		expect(quizItems(w.db, quiz.attemptId).map((i) => i.questionId)).toEqual([keep]);
		const daily = startDailyPractice(w.db, user, NOW);
		if (!daily.ok) throw new Error(daily.message);
		expect(quizItems(w.db, daily.attemptId).map((i) => i.questionId)).toEqual([keep]);
		const live = createLive(
			w.db,
			w.actors.lishi,
			{ moduleId: w.modules.a, count: 5, seconds: 20, speedBonus: false },
			NOW
		);
		expect(live.ok).toBe(true);
		const picked = createLive(
			w.db,
			w.actors.lishi,
			{ moduleId: 0, count: 1, seconds: 20, speedBonus: false, questionIds: [w.essays[0]!] },
			NOW
		);
		expect(picked).toEqual({ ok: false, errors: { questionIds: '所选题目不存在或已下线' } });
		const pickable = pickableQuestions(w.db, w.tree.lishi.id).map((q) => q.id);
		expect(pickable).toEqual([keep]);
		const liveRow = w.db.$client.prepare('SELECT questions FROM live_quizzes').get() as { questions: string };
		expect((JSON.parse(liveRow.questions) as { type: string }[]).map((q) => q.type)).toEqual(['single']);
		expect(w.db.select({ n: count() }).from(questions).where(inArray(questions.id, w.essays)).get()!.n).toBe(
			2
		);
	});
});
