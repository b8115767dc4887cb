import { beforeEach, describe, expect, it } from 'vitest';
import { and, desc, eq, sql } from 'drizzle-orm';
import {
	assignments,
	auditLog,
	courseModules,
	courses,
	lessonMedia,
	lessons,
	moduleDrafts,
	modules,
	moduleVersions,
	questions,
	quizSettings,
	wrongBook
} from '../../src/lib/server/db/schema';
import { syncContent } from '../../src/lib/server/content/sync';
import { search } from '../../src/lib/server/content/search';
import { completeLesson, openLesson } from '../../src/lib/server/learning/progress';
import { findLesson, getModule, moduleLessons, moduleCards } from '../../src/lib/server/learning/catalog';
import { questionAt, runningView, startModuleAttempt, ownAttempt } from '../../src/lib/server/quiz/attempts';
import { recordWrong } from '../../src/lib/server/quiz/wrongbook';
import {
	approveDraft,
	authoredDraft,
	CONFIRM_SELF_APPROVAL,
	draftDiff,
	listAuthored,
	listVersions,
	recallDraft,
	removeLesson,
	removeQuestion,
	renderDoc,
	reorderLessons,
	restoreVersion,
	returnDraft,
	saveLesson,
	saveModuleFields,
	saveQuestion,
	SECOND_ADMIN_NEEDED,
	submitDraft,
	versionDoc,
	withdrawModule
} from '../../src/lib/server/authoring';
import {
	addMedia,
	auditCount,
	authoringWorld,
	buildModule,
	moduleForm,
	publish,
	questionForm,
	storedDraft,
	textLesson,
	type Actor,
	type World
} from './authoring-setup';

let world: World;
let db: World['db'];
let a1: Actor, a2: Actor, b1: Actor, lishi: Actor;

beforeEach(async () => {
	world = await authoringWorld();
	db = world.db;
	({ a1, a2, b1, lishi } = world.actors);
});

const draftOf = (actor: Actor, id: number) => authoredDraft(db, actor, id)!;
const lastAudit = () => db.select().from(auditLog).orderBy(desc(auditLog.id)).get()!;
const liveModule = (draftId: number) =>
	db
		.select()
		.from(modules)
		.where(eq(modules.slug, `a${draftId}`))
		.get();
const liveLesson = (draftId: number, key: string) =>
	db
		.select()
		.from(lessons)
		.where(eq(lessons.slug, `a${draftId}-${key}`))
		.get();
const liveQuestion = (draftId: number, key: string) =>
	db
		.select()
		.from(questions)
		.where(eq(questions.key, `a${draftId}/${key}`))
		.get();
const viewer = () => ({ id: world.cadre.id, officeId: world.tree.lishi.id });

describe('submitting', () => {
	it('lists every problem of the document, and changes nothing', () => {
		const id = buildModule(world, a1);
		saveLesson(db, a1, id, null, { title: '录像', kind: 'video', body: '', mediaId: '' }); // refused: stays out
		db.update(moduleDrafts)
			.set({
				doc: JSON.stringify({
					...draftOf(a1, id).doc,
					lessons: [
						{ key: 'l1', title: '空课时', kind: 'text', body: '', mediaId: null, source: null },
						{ key: 'l2', title: '录像课', kind: 'video', body: '', mediaId: null, source: null }
					],
					questions: [
						{
							key: 'q1',
							type: 'single',
							stem: '没有答案的题',
							options: ['甲', '乙'],
							answer: 7,
							explanation: '解析',
							lessonKey: 'l1',
							difficulty: 2,
							sourceRef: ''
						},
						{
							key: 'q2',
							type: 'fill',
							stem: '填____',
							options: [],
							answer: [[]],
							explanation: '解析',
							lessonKey: 'l1',
							difficulty: 2,
							sourceRef: ''
						}
					]
				})
			})
			.where(eq(moduleDrafts.id, id))
			.run();
		const before = storedDraft(db, id);
		const audits = auditCount(db);
		const r = submitDraft(db, a1, id);
		expect(r.ok).toBe(false);
		const errors = (r as { errors: Record<string, string> }).errors;
		expect(errors._form).toBe('还有 5 处需要修改，才能提交审核');
		expect(errors['lesson.l1']).toBe('课时《空课时》：请填写课时正文');
		expect(errors['lesson.l2']).toBe('课时《录像课》：请选择视频');
		expect(errors['question.q1']).toBe('第 1 题：请选择一个正确答案');
		expect(errors['question.q2']).toBe('第 2 题：请填写第 1 空的答案（多个可接受的答案用｜分隔）');
		expect(errors.draw).toContain('题库只有 2 道题，少于每次抽题数 10');
		expect(storedDraft(db, id)).toEqual(before);
		expect(auditCount(db)).toBe(audits);
	});

	it('refuses a module without lessons or questions', () => {
		const created = buildModule(world, a1);
		removeLesson(db, a1, created, 'l1', true);
		removeLesson(db, a1, created, 'l2', true);
		const r = submitDraft(db, a1, created);
		expect(r).toMatchObject({
			ok: false,
			errors: {
				lessons: expect.stringContaining('还没有课时'),
				questions: expect.stringContaining('还没有题目')
			}
		});
	});

	it('refuses a quiz draw larger than the bank', () => {
		const id = buildModule(world, a1);
		removeQuestion(db, a1, id, 'q1');
		const r = submitDraft(db, a1, id);
		expect(r).toEqual({
			ok: false,
			errors: {
				_form: '还有 1 处需要修改，才能提交审核',
				draw: '题库只有 9 道题，少于每次抽题数 10，请增加题目或减少抽题数'
			}
		});
		expect(
			saveModuleFields(
				db,
				a1,
				id,
				moduleForm(world.themeId, {
					draw: '9',
					time_limit_minutes: '15',
					pass_mark: '60',
					attempts: '0',
					shuffle_options: 'on'
				})
			)
		).toEqual({ ok: true });
		expect(submitDraft(db, a1, id)).toEqual({ ok: true });
	});

	it('submits, records who, and can be recalled', () => {
		const id = buildModule(world, a1);
		expect(submitDraft(db, a1, id)).toEqual({ ok: true });
		expect(draftOf(a2, id)).toMatchObject({ status: 'submitted', submittedByName: '市校甲' });
		expect(lastAudit()).toMatchObject({ action: 'module.submit', schoolId: world.schoolA.id });
		expect(submitDraft(db, a1, id).ok).toBe(false);
		expect(recallDraft(db, a1, id)).toEqual({ ok: true });
		expect(draftOf(a1, id)).toMatchObject({ status: 'editing', submittedAt: null });
		expect(lastAudit().action).toBe('module.recall');
		expect(recallDraft(db, a1, id).ok).toBe(false);
	});
});

describe('approval', () => {
	it('needs a second admin where the owner has two, even with the self-approval flag', () => {
		const id = buildModule(world, a1);
		submitDraft(db, a1, id);
		const audits = auditCount(db);
		expect(approveDraft(db, a1, id, true)).toEqual({ ok: false, errors: { _form: SECOND_ADMIN_NEEDED } });
		expect(approveDraft(db, a1, id, false)).toEqual({ ok: false, errors: { _form: SECOND_ADMIN_NEEDED } });
		expect(auditCount(db)).toBe(audits);
		expect(liveModule(id)).toBeUndefined();
		expect(approveDraft(db, a2, id, false)).toEqual({ ok: true, version: 1 });
		const version = db.select().from(moduleVersions).where(eq(moduleVersions.draftId, id)).get()!;
		expect(version).toMatchObject({ version: 1, submittedBy: a1.id, approvedBy: a2.id, selfApproved: false });
		expect(lastAudit()).toMatchObject({
			action: 'module.approve',
			actorUserId: a2.id,
			schoolId: world.schoolA.id
		});
		expect(JSON.parse(lastAudit().detail!)).toEqual({ version: 1, selfApproved: false });
	});

	it('lets the single admin of an owner approve their own submission only when they confirm it, recorded as such', () => {
		const id = buildModule(world, b1);
		submitDraft(db, b1, id);
		expect(draftOf(b1, id).singleAdmin).toBe(true);
		expect(approveDraft(db, b1, id, false)).toEqual({
			ok: false,
			errors: { _form: CONFIRM_SELF_APPROVAL, selfApprove: CONFIRM_SELF_APPROVAL }
		});
		expect(liveModule(id)).toBeUndefined();
		expect(approveDraft(db, b1, id, true)).toEqual({ ok: true, version: 1 });
		expect(db.select().from(moduleVersions).where(eq(moduleVersions.draftId, id)).get()).toMatchObject({
			approvedBy: b1.id,
			selfApproved: true
		});
		expect(lastAudit().summary).toContain('自行审核');
		expect(JSON.parse(lastAudit().detail!)).toEqual({ version: 1, selfApproved: true });
		expect(listVersions(db, draftOf(b1, id))).toMatchObject([
			{ version: 1, submittedByName: '区校甲', approvedByName: '区校甲', selfApproved: true }
		]);
	});

	it('only approves a submitted draft', () => {
		const id = buildModule(world, a1);
		expect(approveDraft(db, a2, id, false)).toEqual({
			ok: false,
			errors: { _form: '只有待审核的模块可以审核发布' }
		});
	});

	it('returns with a required comment, which the author then sees', () => {
		const id = buildModule(world, a1);
		submitDraft(db, a1, id);
		const audits = auditCount(db);
		expect(returnDraft(db, a2, id, '')).toMatchObject({ ok: false, errors: { comment: '请填写退回意见' } });
		expect(returnDraft(db, a2, id, '长'.repeat(501))).toMatchObject({
			ok: false,
			errors: { comment: expect.stringContaining('500') }
		});
		expect(auditCount(db)).toBe(audits);
		expect(draftOf(a1, id).status).toBe('submitted');
		expect(returnDraft(db, a2, id, '第二课的表述请与报告原文核对')).toEqual({ ok: true });
		expect(draftOf(a1, id)).toMatchObject({
			status: 'editing',
			reviewComment: '第二课的表述请与报告原文核对',
			reviewedByName: '市校乙'
		});
		expect(listAuthored(db, { kind: 'school', schoolId: world.schoolA.id })[0]).toMatchObject({
			returned: true,
			status: 'editing'
		});
		expect(JSON.parse(lastAudit().detail!)).toEqual({ comment: '第二课的表述请与报告原文核对' });
		expect(returnDraft(db, a2, id, '再退').ok).toBe(false);
	});
});

describe('publishing', () => {
	it('writes the live module, lessons, questions, quiz settings, media links and search rows', () => {
		const owner = { kind: 'office' as const, officeId: world.tree.lishi.id };
		const image = addMedia(db, owner, 'image', lishi.id);
		const video = addMedia(db, owner, 'video', lishi.id);
		const id = buildModule(world, lishi);
		saveLesson(
			db,
			lishi,
			id,
			'l1',
			textLesson({ body: `代表的权利和义务：依法履职。\n\n![示意图](/media/${image})` })
		);
		saveLesson(db, lishi, id, null, {
			title: '讲座录像',
			kind: 'video',
			mediaId: String(video),
			body: '观看讲座录像。'
		});
		expect(publish(world, lishi, lishi, id)).toBe(1);

		const mod = liveModule(id)!;
		expect(mod).toMatchObject({
			ownerOfficeId: world.tree.lishi.id,
			ownerSchoolId: null,
			inCatalog: true,
			creditHours: 1,
			version: 1,
			sortOrder: 1000 + id,
			archivedAt: null
		});
		expect(mod.introHtml).toContain('<strong>基本方法</strong>');
		const l1 = liveLesson(id, 'l1')!;
		expect(l1).toMatchObject({
			moduleId: mod.id,
			sortOrder: 1,
			kind: 'text',
			sourcePart: '',
			sourceParagraph: 0
		});
		expect(l1.bodyHtml).toContain(`<img src="/media/${image}" alt="示意图" />`);
		expect(liveLesson(id, 'l3')).toMatchObject({
			kind: 'video',
			mediaId: video,
			durationSeconds: 120,
			sortOrder: 3
		});
		expect(db.select().from(questions).where(eq(questions.moduleId, mod.id)).all()).toHaveLength(10);
		expect(liveQuestion(id, 'q1')).toMatchObject({
			type: 'single',
			answer: '0',
			difficulty: 2,
			lessonId: l1.id
		});
		expect(db.select().from(quizSettings).where(eq(quizSettings.moduleId, mod.id)).get()).toMatchObject({
			draw: 10,
			timeLimitMinutes: 15,
			shuffleOptions: true
		});
		const links = db.select().from(lessonMedia).all();
		expect(links).toEqual(
			expect.arrayContaining([
				{ lessonId: l1.id, mediaId: image },
				{ lessonId: liveLesson(id, 'l3')!.id, mediaId: video }
			])
		);
		expect(links).toHaveLength(2);
		expect(draftOf(lishi, id)).toMatchObject({
			status: 'published',
			version: 1,
			moduleSlug: `a${id}`,
			moduleId: mod.id
		});

		// Learners of the office find it at once: catalog, search, the lesson page.
		expect(moduleCards(db, viewer()).some((c) => c.slug === `a${id}`)).toBe(true);
		expect(search(db, viewer(), '原选区选民').some((r) => r.moduleSlug === `a${id}`)).toBe(true);
		expect(findLesson(db, viewer(), `a${id}`, `a${id}-l1`)?.lesson.id).toBe(l1.id);
	});

	it('survives a content sync', () => {
		const id = buildModule(world, a1);
		publish(world, a1, a2, id);
		const before = db
			.select()
			.from(lessons)
			.where(eq(lessons.moduleId, liveModule(id)!.id))
			.all();
		syncContent(db, 'content');
		expect(liveModule(id)!.archivedAt).toBeNull();
		expect(
			db
				.select()
				.from(lessons)
				.where(eq(lessons.moduleId, liveModule(id)!.id))
				.all()
		).toEqual(before);
		expect(liveQuestion(id, 'q3')!.archivedAt).toBeNull();
		expect(search(db, viewer(), '原选区选民').some((r) => r.moduleSlug === `a${id}`)).toBe(true);
	});

	it('editing a published module leaves learners on the published version until the next publish', () => {
		const id = buildModule(world, a1);
		publish(world, a1, a2, id);
		const published = liveLesson(id, 'l1')!.bodyHtml;
		expect(saveLesson(db, a1, id, 'l1', textLesson({ body: '修订后的课文内容，更加详细。' }))).toEqual({
			ok: true,
			key: 'l1'
		});
		expect(draftOf(a1, id).status).toBe('editing');
		expect(liveLesson(id, 'l1')!.bodyHtml).toBe(published);
		publish(world, a1, a2, id);
		expect(liveLesson(id, 'l1')!.bodyHtml).toContain('修订后的课文内容');
		// The module's search rows were replaced, not added to.
		const moduleId = liveModule(id)!.id;
		const rows = db.all<{ kind: string; body: string }>(sql`SELECT kind, body FROM search_index
			WHERE (kind = 'module' AND ref_id = ${moduleId})
			OR (kind = 'lesson' AND ref_id IN (SELECT id FROM lessons WHERE module_id = ${moduleId}))`);
		expect(rows.map((r) => r.kind).sort()).toEqual(['lesson', 'lesson', 'module']);
		expect(rows.some((r) => r.body.includes('修订后的课文内容'))).toBe(true);
	});
});

describe('version identity', () => {
	it('keeps lesson and question ids, progress and the wrong-book across versions; removed parts are archived and come back on restore', () => {
		const id = buildModule(world, a1);
		publish(world, a1, a2, id);
		const l1 = liveLesson(id, 'l1')!;
		const q1 = liveQuestion(id, 'q1')!;
		const q2 = liveQuestion(id, 'q2')!;
		// The cadre reads l1 and misses q1.
		const opened = new Date('2026-11-24T02:00:00Z');
		openLesson(db, world.cadre.id, l1.id, opened);
		const read = completeLesson(db, viewer(), l1.id, new Date(opened.getTime() + l1.minReadSeconds * 1000));
		expect(read.ok).toBe(true);
		recordWrong(db, world.cadre.id, q1.id, opened);

		// Version 2: l1's text edited, q2 removed, a lesson added and the order changed.
		saveLesson(db, a1, id, 'l1', textLesson({ body: '第二版的课文：代表依法履职，接受监督。' }));
		removeQuestion(db, a1, id, 'q2');
		expect(saveQuestion(db, a1, id, null, questionForm('l2', 2))).toMatchObject({ ok: true, key: 'q11' });
		saveLesson(db, a1, id, null, textLesson({ title: '第三课', body: '新增的课文内容。' }));
		reorderLessons(db, a1, id, ['l2', 'l1', 'l3']);
		const draft = draftOf(a1, id);
		const diff = draftDiff(db, draft);
		expect(diff.lessons.map((l) => [l.key, l.change])).toEqual([
			['l1', 'changed'],
			['l3', 'added']
		]);
		const text = diff.lessons[0]!.text!;
		expect(text.some((p) => p.added && p.value.includes('第二版'))).toBe(true);
		expect(text.some((p) => p.removed)).toBe(true);
		expect(diff.questions).toEqual([
			{ key: 'q11', stem: expect.stringContaining('代表应当模范地遵守宪法'), change: 'added' },
			{ key: 'q2', stem: expect.stringContaining('代表的权利包括哪些'), change: 'removed' }
		]);
		expect(publish(world, a1, a2, id)).toBe(2);

		const l1v2 = liveLesson(id, 'l1')!;
		expect(l1v2.id).toBe(l1.id);
		expect(l1v2.bodyHtml).toContain('第二版的课文');
		expect(l1v2.sortOrder).toBe(2);
		expect(moduleLessons(db, liveModule(id)!.id, world.cadre.id).find((l) => l.id === l1.id)!.done).toBe(
			true
		);
		expect(liveQuestion(id, 'q1')!.id).toBe(q1.id);
		expect(db.select().from(wrongBook).where(eq(wrongBook.userId, world.cadre.id)).all()).toMatchObject([
			{ questionId: q1.id }
		]);
		expect(liveQuestion(id, 'q2')).toMatchObject({ id: q2.id, archivedAt: expect.any(Date) });
		expect(liveModule(id)!.version).toBe(2);

		// Restore version 1 as the draft, publish it as version 3: q2 and l1's old text are back, l3 archived.
		expect(restoreVersion(db, a1, id, 1)).toEqual({ ok: true });
		expect(lastAudit()).toMatchObject({ action: 'module.restore', targetId: String(id) });
		expect(draftOf(a1, id)).toMatchObject({ status: 'editing' });
		expect(draftOf(a1, id).doc).toEqual(versionDoc(db, draftOf(a1, id), 1));
		// Counters are kept: the next lesson is l4, never l3 again.
		expect(saveLesson(db, a1, id, null, textLesson({ title: '第四课' }))).toEqual({ ok: true, key: 'l4' });
		removeLesson(db, a1, id, 'l4');
		expect(publish(world, a1, a2, id)).toBe(3);
		expect(liveQuestion(id, 'q2')).toMatchObject({ id: q2.id, archivedAt: null });
		expect(liveLesson(id, 'l1')!.bodyHtml).toBe(l1.bodyHtml);
		expect(liveLesson(id, 'l3')!.archivedAt).not.toBeNull();
		expect(listVersions(db, draftOf(a1, id)).map((v) => v.version)).toEqual([3, 2, 1]);
	});

	it('a running attempt keeps its snapshot when the bank changes', () => {
		const id = buildModule(world, a1);
		publish(world, a1, a2, id);
		const moduleId = liveModule(id)!.id;
		const started = startModuleAttempt(db, viewer(), moduleId);
		expect(started.ok).toBe(true);
		const attemptId = (started as { attemptId: number }).attemptId;
		const before = runningView(db, ownAttempt(db, world.cadre.id, attemptId)!);
		saveQuestion(db, a1, id, 'q1', questionForm('l1', 0, { stem: '改过的题干（第二版）' }));
		publish(world, a1, a2, id);
		expect(runningView(db, ownAttempt(db, world.cadre.id, attemptId)!)).toEqual(before);
	});

	it('refuses restoring an unknown version', () => {
		const id = buildModule(world, a1);
		publish(world, a1, a2, id);
		expect(restoreVersion(db, a1, id, 7)).toEqual({ ok: false, errors: { _form: '没有找到这个版本' } });
		expect(versionDoc(db, draftOf(a1, id), 7)).toBeUndefined();
	});
});

describe('the reviewer’s view', () => {
	it('renders the draft as learners get it and compares questions field by field', () => {
		const id = buildModule(world, a1);
		saveLesson(db, a1, id, null, textLesson({ title: '第三课', body: '第三课的课文。' }));
		publish(world, a1, a2, id);
		saveQuestion(
			db,
			a1,
			id,
			'q1',
			questionForm('l2', 0, { correct: '1', explanation: '新的解析', difficulty: '3' })
		);
		const diff = draftDiff(db, draftOf(a1, id));
		expect(diff.questions).toHaveLength(1);
		expect(diff.questions[0]!.details).toEqual([
			{ label: '正确答案', from: 'A. 选民或下一级人大', to: 'B. 上级任命' },
			{ label: '解析', from: '第 0 题的解析：代表依法履职。', to: '新的解析' },
			{ label: '难度', from: '中', to: '难' },
			{ label: '所属课时', from: '代表的权利和义务', to: '代表的联系群众' }
		]);
		reorderLessons(db, a1, id, ['l3', 'l1', 'l2']);
		expect(draftDiff(db, draftOf(a1, id)).lessons).toEqual([{ key: 'l3', title: '第三课', change: 'moved' }]);
		const rendered = renderDoc(draftOf(a1, id).doc);
		expect(rendered.lessons.map((l) => l.key)).toEqual(['l3', 'l1', 'l2']);
		expect(rendered.lessons[1]!.html).toContain('<h2>代表的权利</h2>');
		expect(rendered).toMatchObject({ title: '人大代表工作实务', questionCount: 10 });
		expect(rendered.introHtml).toContain('<strong>');
	});
});

describe('withdrawing (下线)', () => {
	function activeCourse(moduleId: number, title: string) {
		const course = db
			.insert(courses)
			.values({
				schoolId: world.schoolA.id,
				title,
				hours: 2,
				required: true,
				opensOn: '2026-01-01',
				dueOn: '2026-12-31',
				createdAt: new Date(),
				updatedAt: new Date()
			})
			.returning()
			.get();
		db.insert(courseModules).values({ courseId: course.id, moduleId, position: 1 }).run();
		db.insert(assignments)
			.values({ courseId: course.id, officeId: world.tree.lishi.id, assignedAt: new Date() })
			.run();
		return course.id;
	}

	it('asks for confirmation naming the active courses, then archives; a new publish brings it back', () => {
		const id = buildModule(world, a1);
		publish(world, a1, a2, id);
		const moduleId = liveModule(id)!.id;
		activeCourse(moduleId, '代表履职专题班');
		const withdrawnCourse = activeCourse(moduleId, '已撤回的班');
		db.update(assignments)
			.set({ withdrawnAt: new Date() })
			.where(eq(assignments.courseId, withdrawnCourse))
			.run();
		const audits = auditCount(db);
		const refused = withdrawModule(db, a2, id, false);
		expect(refused).toMatchObject({ ok: false, courses: ['代表履职专题班'] });
		expect(!refused.ok && refused.errors._form).toContain('《代表履职专题班》');
		expect(liveModule(id)!.archivedAt).toBeNull();
		expect(auditCount(db)).toBe(audits);

		expect(withdrawModule(db, a2, id, true)).toEqual({ ok: true });
		expect(liveModule(id)!.archivedAt).not.toBeNull();
		expect(getModule(db, viewer(), `a${id}`)).toBeUndefined();
		expect(search(db, viewer(), '原选区选民').some((r) => r.moduleSlug === `a${id}`)).toBe(false);
		expect(startModuleAttempt(db, viewer(), moduleId).ok).toBe(false);
		expect(lastAudit()).toMatchObject({ action: 'module.withdraw', schoolId: world.schoolA.id });
		expect(draftOf(a1, id).withdrawnAt).not.toBeNull();
		expect(withdrawModule(db, a2, id, true).ok).toBe(false);

		// Back through review.
		expect(submitDraft(db, a1, id)).toEqual({ ok: true });
		expect(approveDraft(db, a2, id, false)).toEqual({ ok: true, version: 2 });
		expect(liveModule(id)!.archivedAt).toBeNull();
		expect(draftOf(a1, id).withdrawnAt).toBeNull();
		expect(getModule(db, viewer(), `a${id}`)?.id).toBe(moduleId);
	});

	it('withdraws at once when no course uses it; refuses a module never published', () => {
		const id = buildModule(world, a1);
		expect(withdrawModule(db, a1, id, false)).toEqual({
			ok: false,
			errors: { _form: '这个模块还没有发布，无需下线' }
		});
		publish(world, a1, a2, id);
		expect(withdrawModule(db, a1, id, false)).toEqual({ ok: true });
		expect(submitDraft(db, a1, id)).toEqual({ ok: true });
	});

	it('a published module without changes is not submitted again', () => {
		const id = buildModule(world, a1);
		publish(world, a1, a2, id);
		expect(submitDraft(db, a1, id)).toEqual({
			ok: false,
			errors: { _form: '当前内容已经发布，修改后才能再次提交审核' }
		});
	});
});

describe('answers stay on the server for authored questions too', () => {
	it('no learner-facing read of an authored module returns an answer or explanation', () => {
		const id = buildModule(world, a1);
		saveQuestion(
			db,
			a1,
			id,
			'q4',
			questionForm('l1', 3, { blank0: '独特答案甲｜独特答案乙', explanation: '独特的解析文字' })
		);
		publish(world, a1, a2, id);
		const moduleId = liveModule(id)!.id;
		const started = startModuleAttempt(db, viewer(), moduleId);
		expect(started.ok).toBe(true);
		const attemptId = (started as { attemptId: number }).attemptId;
		const attempt = ownAttempt(db, world.cadre.id, attemptId)!;
		const seen = JSON.stringify([
			runningView(db, attempt),
			...Array.from({ length: attempt.total }, (_, i) => questionAt(db, world.cadre.id, attemptId, i + 1)),
			getModule(db, viewer(), `a${id}`),
			moduleLessons(db, moduleId, world.cadre.id),
			moduleCards(db, viewer()).find((c) => c.id === moduleId)
		]);
		expect(seen).not.toMatch(/"(answer|explanation|correct|correctAnswer)"\s*:/);
		expect(seen).not.toContain('独特答案');
		expect(seen).not.toContain('独特的解析文字');
		const bank = db
			.select()
			.from(questions)
			.where(and(eq(questions.moduleId, moduleId), sql`${questions.archivedAt} IS NULL`))
			.all();
		for (const q of bank) expect(seen).not.toContain(q.explanation);
	});
});
