import { beforeEach, describe, expect, it } from 'vitest';
import { desc, eq } from 'drizzle-orm';
import {
	attemptItems,
	auditLog,
	examItemStats,
	examPapers,
	exams,
	modules,
	questions
} from '../../src/lib/server/db/schema';
import { items, ownAttempt, startModuleAttempt, submitAttempt } from '../../src/lib/server/quiz/attempts';
import {
	approveDraft,
	authoredDraft,
	bankItemStats,
	draftDiff,
	ITEM_FLAG_LABELS,
	objectiveCount,
	questionFields,
	questionWarnings,
	rubricTotal,
	saveModuleFields,
	saveQuestion,
	submitDraft,
	type Fields
} from '../../src/lib/server/authoring';
import { moduleFields } from '../../src/lib/server/authoring/drafts';
import type { EssayAnswer } from '../../src/lib/server/exams/types';
import {
	auditCount,
	authoringWorld,
	buildModule,
	publish,
	storedDraft,
	type Actor,
	type World
} from './authoring-setup';

/*
 * 简答 (essay) questions in the bank editor (issue #17): saved with their key (reference answer,
 * rubric, length limit), every bad input refused beside its field with nothing written,
 * published with the key in questions.answer, never drawn by a module quiz, and the module
 * quiz's draw counted against the objective questions only.
 */

let world: World;
let db: World['db'];
let a1: Actor, a2: Actor, lishi: Actor;

beforeEach(async () => {
	world = await authoringWorld();
	db = world.db;
	({ a1, a2, lishi } = world.actors);
});

const draftOf = (actor: Actor, id: number) => authoredDraft(db, actor, id)!;

/** A 简答's form: two scoring points (3 + 2), the third and later rows left empty as the form sends them. */
function essayForm(lessonKey: string, over: Fields = {}): Fields {
	const rows: Fields = {};
	for (let i = 0; i < 10; i++) {
		rows[`point${i}`] = '';
		rows[`points${i}`] = '';
	}
	return {
		type: 'essay',
		stem: '简述人大代表应当如何密切联系人民群众。',
		reference: '人大代表应当经常联系原选区选民，\r\n听取和反映他们的意见和要求。',
		...rows,
		point0: '经常联系原选区选民',
		points0: '3',
		point1: '听取和反映意见和要求',
		points1: '2',
		maxLength: '',
		explanation: '',
		lessonKey,
		difficulty: '3',
		sourceRef: '代表法第四条',
		...over
	};
}

describe('writing a 简答 question', () => {
	let id: number;
	beforeEach(() => {
		id = buildModule(world, a1);
	});

	it('stores the reference answer, the rubric in order and the length limit (500 by default); the explanation is optional', () => {
		const saved = saveQuestion(
			db,
			a1,
			id,
			null,
			essayForm('l2', {
				// A row skipped in the middle, full-width digits and half points.
				point1: '',
				points1: '',
				point4: '听取和反映意见和要求',
				points4: '２.5'
			})
		);
		expect(saved).toEqual({ ok: true, key: 'q11', warnings: [] });
		const question = draftOf(a1, id).doc.questions.at(-1)!;
		expect(question).toEqual({
			key: 'q11',
			type: 'essay',
			stem: '简述人大代表应当如何密切联系人民群众。',
			options: [],
			answer: {
				reference: '人大代表应当经常联系原选区选民，\n听取和反映他们的意见和要求。',
				rubric: [
					{ point: '经常联系原选区选民', points: 3 },
					{ point: '听取和反映意见和要求', points: 2.5 }
				],
				maxLength: 500
			},
			explanation: '',
			lessonKey: 'l2',
			difficulty: 3,
			sourceRef: '代表法第四条'
		});
		expect(rubricTotal(question)).toBe(5.5);
		expect(questionWarnings(question)).toEqual([]);
		const entry = db.select().from(auditLog).orderBy(desc(auditLog.id)).get()!;
		expect(entry.summary).toContain('新增题目（简答题）：简述人大代表应当如何密切联系人民群众。');
	});

	it('its form fields give the same question back, and an edit keeps its key', () => {
		saveQuestion(db, a1, id, null, essayForm('l1', { maxLength: '300', explanation: '依据代表法。' }));
		const stored = draftOf(a1, id).doc.questions.at(-1)!;
		const fields = questionFields(stored);
		expect(fields).toMatchObject({
			type: 'essay',
			reference: '人大代表应当经常联系原选区选民，\n听取和反映他们的意见和要求。',
			point0: '经常联系原选区选民',
			points0: '3',
			point1: '听取和反映意见和要求',
			points1: '2',
			maxLength: '300'
		});
		expect(saveQuestion(db, a1, id, stored.key, fields)).toEqual({ ok: true, key: stored.key, warnings: [] });
		expect(draftOf(a1, id).doc.questions.at(-1)).toEqual(stored);
		expect(saveQuestion(db, a1, id, stored.key, { ...fields, points1: '4', maxLength: '5000' }).ok).toBe(
			true
		);
		expect((draftOf(a1, id).doc.questions.at(-1)!.answer as EssayAnswer).maxLength).toBe(5000);
		expect(rubricTotal(draftOf(a1, id).doc.questions.at(-1)!)).toBe(7);
	});

	it('refuses every bad input beside its field, in Chinese, writing nothing', () => {
		const refused = (over: Fields, field: string, words: string) => {
			const before = storedDraft(db, id);
			const audits = auditCount(db);
			const r = saveQuestion(db, a1, id, null, essayForm('l1', over));
			expect(r.ok, `${field}: ${words}`).toBe(false);
			expect(!r.ok && r.errors[field], JSON.stringify(r)).toContain(words);
			expect(storedDraft(db, id)).toEqual(before);
			expect(auditCount(db)).toBe(audits);
		};
		refused({ reference: '' }, 'reference', '请填写参考答案');
		refused({ reference: '  \n ' }, 'reference', '请填写参考答案');
		refused({ reference: '长'.repeat(3001) }, 'reference', '参考答案不能超过 3,000 个字');
		refused({ point0: '', points0: '', point1: '', points1: '' }, 'point0', '请至少填写一个采分点');
		refused({ points1: '' }, 'points1', '请填写第 2 个采分点的分值');
		refused({ point1: '' }, 'point1', '请填写第 2 个采分点的内容');
		refused({ point1: '长'.repeat(201) }, 'point1', '第 2 个采分点不能超过 200 个字');
		for (const points of ['0', '0.3', '100.5', '101', '-1', 'abc', '3分', '1e1'])
			refused({ points0: points }, 'points0', '第 1 个采分点的分值为 0.5–100 分，且须为 0.5 的倍数');
		const eleven: Fields = {};
		for (let i = 0; i < 11; i++) {
			eleven[`point${i}`] = `要点${i + 1}`;
			eleven[`points${i}`] = '1';
		}
		refused(eleven, 'rubric', '采分点最多 10 个，这道题有 11 个');
		for (const maxLength of ['49', '5001', '12.5', 'abc', '0'])
			refused({ maxLength }, 'maxLength', '字数上限为 50–5000 字的整数');
		refused({ explanation: '长'.repeat(1001) }, 'explanation', '解析不能超过 1,000 个字');
		refused({ stem: '' }, 'stem', '请填写题干');
		refused({ lessonKey: 'l9' }, 'lessonKey', '所选课时不存在');
	});

	it('the reviewer sees what changed in the reference answer, the rubric and the limit', () => {
		saveQuestion(db, a1, id, null, essayForm('l1'));
		publish(world, a1, a2, id);
		const key = draftOf(a1, id).doc.questions.at(-1)!.key;
		saveQuestion(
			db,
			a1,
			id,
			key,
			essayForm('l1', { reference: '新的参考答案。', points1: '4', maxLength: '800' })
		);
		const change = draftDiff(db, draftOf(a1, id)).questions.find((q) => q.key === key)!;
		expect(change.details).toEqual([
			{
				label: '参考答案',
				from: '人大代表应当经常联系原选区选民，\n听取和反映他们的意见和要求。',
				to: '新的参考答案。'
			},
			{
				label: '采分点',
				from: '经常联系原选区选民（3分）；听取和反映意见和要求（2分）',
				to: '经常联系原选区选民（3分）；听取和反映意见和要求（4分）'
			},
			{ label: '字数上限', from: '500 字', to: '800 字' }
		]);
	});
});

describe('the module quiz and 简答 questions', () => {
	it('counts only objective questions against the draw; a bank of 简答 alone cannot be submitted', () => {
		const id = buildModule(world, a1);
		saveQuestion(db, a1, id, null, essayForm('l1'));
		saveQuestion(db, a1, id, null, essayForm('l2', { stem: '简述代表的义务。' }));
		expect(objectiveCount(draftOf(a1, id).doc)).toBe(10);
		// Twelve questions, ten of them objective: a draw of 11 cannot be filled.
		const fields = { ...moduleFields(draftOf(a1, id).doc), draw: '11' };
		expect(saveModuleFields(db, a1, id, fields).ok).toBe(true);
		const refused = submitDraft(db, a1, id);
		expect(refused.ok).toBe(false);
		expect(!refused.ok && refused.errors.draw).toBe(
			'题库中可用于模块测验的题目（不含简答题）只有 10 道，少于每次抽题数 11，请增加题目或减少抽题数'
		);
		expect(draftOf(a1, id).status).toBe('editing');
		expect(saveModuleFields(db, a1, id, { ...fields, draw: '10' }).ok).toBe(true);
		expect(submitDraft(db, a1, id)).toEqual({ ok: true });
	});

	it('a bank with only 简答 questions is refused on submission', () => {
		const id = buildModule(world, lishi);
		const doc = draftOf(lishi, id).doc;
		for (const q of doc.questions) {
			// Turn every question into a 简答 (same stems).
			const saved = saveQuestion(db, lishi, id, q.key, essayForm(q.lessonKey, { stem: q.stem }));
			expect(saved.ok).toBe(true);
		}
		const refused = submitDraft(db, lishi, id);
		expect(!refused.ok && refused.errors.questions).toBe(
			'题库只有简答题：模块测验只抽单选、多选、判断和填空题，请至少添加一道'
		);
	});

	it('published 简答 rows carry their key in questions.answer, and the module quiz never draws them', () => {
		const id = buildModule(world, a1);
		saveQuestion(db, a1, id, null, essayForm('l1'));
		saveQuestion(db, a1, id, null, essayForm('l2', { stem: '简述代表的义务。', maxLength: '200' }));
		expect(submitDraft(db, a1, id)).toEqual({ ok: true });
		expect(approveDraft(db, a2, id, false)).toEqual({ ok: true, version: 1 });
		const moduleId = db
			.select()
			.from(modules)
			.where(eq(modules.slug, `a${id}`))
			.get()!.id;
		const live = db.select().from(questions).where(eq(questions.moduleId, moduleId)).all();
		const essays = live.filter((q) => q.type === 'essay');
		expect(essays.map((q) => [q.key, q.options, JSON.parse(q.answer)])).toEqual([
			[
				`a${id}/q11`,
				'[]',
				{
					reference: '人大代表应当经常联系原选区选民，\n听取和反映他们的意见和要求。',
					rubric: [
						{ point: '经常联系原选区选民', points: 3 },
						{ point: '听取和反映意见和要求', points: 2 }
					],
					maxLength: 500
				}
			],
			[
				`a${id}/q12`,
				'[]',
				{
					reference: '人大代表应当经常联系原选区选民，\n听取和反映他们的意见和要求。',
					rubric: [
						{ point: '经常联系原选区选民', points: 3 },
						{ point: '听取和反映意见和要求', points: 2 }
					],
					maxLength: 200
				}
			]
		]);
		// Ten objective questions and two 简答 with a draw of ten: every sitting gets the ten.
		const viewer = { id: world.cadre.id, officeId: world.tree.lishi.id };
		const essayIds = new Set(essays.map((q) => q.id));
		for (let sitting = 0; sitting < 8; sitting++) {
			const started = startModuleAttempt(db, viewer, moduleId);
			expect(started.ok).toBe(true);
			const attemptId = (started as { attemptId: number }).attemptId;
			const drawn = db.select().from(attemptItems).where(eq(attemptItems.attemptId, attemptId)).all();
			expect(drawn).toHaveLength(10);
			expect(drawn.filter((item) => essayIds.has(item.questionId))).toEqual([]);
			expect(
				items(db, ownAttempt(db, viewer.id, attemptId)!.id).every((i) => i.snapshot.type !== 'essay')
			).toBe(true);
			expect(submitAttempt(db, viewer.id, attemptId).ok).toBe(true);
		}
	});
});

describe('item analysis beside the bank', () => {
	it('gives each published question its latest exam’s figures, of the owner’s own exams only', () => {
		const id = buildModule(world, a1);
		publish(world, a1, a2, id);
		const liveId = (key: string) =>
			db
				.select()
				.from(questions)
				.where(eq(questions.key, `a${id}/${key}`))
				.get()!.id;
		const now = Date.now();
		const paper = db
			.insert(examPapers)
			.values({
				ownerSchoolId: world.schoolA.id,
				title: '试卷',
				doc: '{"sections":[]}',
				totalPoints: 100,
				passMark: 60,
				createdBy: a1.id,
				createdAt: new Date(now),
				updatedBy: a1.id,
				updatedAt: new Date(now)
			})
			.returning()
			.get();
		const exam = (title: string, owner: { ownerSchoolId?: number; ownerOfficeId?: number }) =>
			db
				.insert(exams)
				.values({
					...owner,
					paperId: paper.id,
					title,
					paperDoc: '{"sections":[]}',
					totalPoints: 100,
					passMark: 60,
					opensAt: new Date(now - 7_200_000),
					closesAt: new Date(now - 3_600_000),
					durationMinutes: 30,
					createdBy: a1.id,
					createdAt: new Date(now),
					updatedAt: new Date(now)
				})
				.returning()
				.get().id;
		const older = exam('上半年考试', { ownerSchoolId: world.schoolA.id });
		const newer = exam('年度考试', { ownerSchoolId: world.schoolA.id });
		const theirs = exam('别校考试', { ownerSchoolId: world.schoolB.id });
		const stat = (examId: number, questionId: number, at: number, over: object = {}) =>
			db
				.insert(examItemStats)
				.values({
					examId,
					questionId,
					responses: 40,
					difficulty: 0.5,
					discrimination: 0.4,
					optionCounts: '{}',
					flags: '[]',
					computedAt: new Date(at),
					...over
				})
				.run();
		stat(older, liveId('q1'), now - 2000, { difficulty: 0.3 });
		stat(newer, liveId('q1'), now - 1000, {
			difficulty: 0.975,
			discrimination: 0.05,
			flags: JSON.stringify(['too-easy', 'not-discriminating'])
		});
		stat(older, liveId('q2'), now - 2000, { difficulty: 0.15, discrimination: null, flags: '["too-hard"]' });
		stat(theirs, liveId('q3'), now);

		const owner = { kind: 'school' as const, schoolId: world.schoolA.id };
		const stats = bankItemStats(db, owner, id, ['q1', 'q2', 'q3', 'q4', 'q99']);
		expect([...stats.keys()].sort()).toEqual(['q1', 'q2']);
		expect(stats.get('q1')).toEqual({
			examTitle: '年度考试',
			difficulty: 0.975,
			discrimination: 0.05,
			responses: 40,
			flags: ['too-easy', 'not-discriminating']
		});
		expect(stats.get('q2')).toMatchObject({
			examTitle: '上半年考试',
			discrimination: null,
			flags: ['too-hard']
		});
		expect(stats.get('q1')!.flags.map((f) => ITEM_FLAG_LABELS[f])).toEqual(['太容易', '区分度低']);
		expect(bankItemStats(db, owner, id, [])).toEqual(new Map());
	});
});
