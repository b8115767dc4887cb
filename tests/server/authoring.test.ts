import { beforeEach, describe, expect, it } from 'vitest';
import { and, desc, eq } from 'drizzle-orm';
import { auditLog, lessons, modules, questions, themes } from '../../src/lib/server/db/schema';
import { minReadSeconds } from '../../src/lib/server/content/render';
import {
	approveDraft,
	authoredDraft,
	copyModule,
	createDraft,
	createTheme,
	DEFAULT_QUIZ,
	draftDiff,
	LETTER_WARNING,
	lessonPreview,
	listAuthored,
	moveLesson,
	NOT_FOUND,
	questionWarnings,
	recallDraft,
	removeLesson,
	removeQuestion,
	reorderLessons,
	restoreVersion,
	returnDraft,
	saveLesson,
	saveModuleFields,
	saveQuestion,
	submitDraft,
	themeOptions,
	withdrawModule,
	type QuestionDoc
} from '../../src/lib/server/authoring';
import {
	addMedia,
	auditCount,
	authoringWorld,
	buildModule,
	moduleForm,
	questionForm,
	storedDraft,
	textLesson,
	type Actor,
	type World
} from './authoring-setup';

let world: World;
let db: World['db'];
let a1: Actor, a2: Actor, b1: Actor, city: Actor, lishi: Actor, xiaoyi: Actor;

beforeEach(async () => {
	world = await authoringWorld();
	db = world.db;
	({ a1, a2, b1, city, lishi, xiaoyi } = world.actors);
});

const draftOf = (actor: Actor, id: number) => authoredDraft(db, actor, id);

describe('drafts', () => {
	it('a school admin creates a module with the default quiz, logged for the school', () => {
		const r = createDraft(db, a1, moduleForm(world.themeId));
		expect(r.ok).toBe(true);
		const draft = draftOf(a1, (r as { id: number }).id)!;
		expect(draft.doc).toMatchObject({
			title: '人大代表工作实务',
			inCatalog: true,
			creditHours: 1,
			minutes: 30,
			lessons: [],
			questions: []
		});
		expect(draft.doc.quiz).toEqual(DEFAULT_QUIZ);
		expect(draft).toMatchObject({
			status: 'editing',
			version: 0,
			ownerName: '中共吕梁市委党校',
			singleAdmin: false
		});
		const entry = db.select().from(auditLog).orderBy(desc(auditLog.id)).get()!;
		expect(entry).toMatchObject({
			action: 'module.create',
			schoolId: world.schoolA.id,
			officeId: null,
			targetType: 'draft',
			targetId: String(draft.id)
		});
	});

	it('a school may keep a module out of the catalog; an office module is always in it', () => {
		const school = createDraft(db, a1, moduleForm(world.themeId, { inCatalog: '' }));
		const office = createDraft(db, lishi, moduleForm(world.themeId, { inCatalog: '' }));
		expect(school.ok && draftOf(a1, school.id)!.doc.inCatalog).toBe(false);
		expect(office.ok && draftOf(lishi, office.id)!.doc.inCatalog).toBe(true);
		expect(office.ok && draftOf(lishi, office.id)!.singleAdmin).toBe(true);
	});

	it('takes quiz settings from the form when given', () => {
		const r = createDraft(
			db,
			a1,
			moduleForm(world.themeId, {
				draw: '5',
				time_limit_minutes: '20',
				pass_mark: '80',
				attempts: '3',
				shuffle_options: 'on'
			})
		);
		expect(r.ok && draftOf(a1, r.id)!.doc.quiz).toEqual({
			draw: 5,
			time_limit_minutes: 20,
			pass_mark: 80,
			attempts: 3,
			shuffle_questions: false,
			shuffle_options: true,
			show_answers: false
		});
	});

	it('refuses anyone who is not a school or office admin, writing nothing', () => {
		const before = auditCount(db);
		const cadre = {
			...a1,
			id: world.cadre.id,
			role: 'cadre' as const,
			schoolId: null,
			officeId: world.tree.lishi.id
		};
		const sysadmin = { ...a1, role: 'sysadmin' as const, schoolId: null };
		for (const actor of [cadre, sysadmin]) {
			const r = createDraft(db, actor, moduleForm(world.themeId));
			expect(r.ok).toBe(false);
		}
		expect(auditCount(db)).toBe(before);
		expect(listAuthored(db, { kind: 'school', schoolId: world.schoolA.id })).toEqual([]);
	});

	it('saving module fields records what changed', () => {
		const id = buildModule(world, a1);
		const r = saveModuleFields(
			db,
			a1,
			id,
			moduleForm(world.themeId, { title: '代表工作实务（修订）', minutes: '45' })
		);
		expect(r).toEqual({ ok: true });
		const entry = db.select().from(auditLog).orderBy(desc(auditLog.id)).get()!;
		expect(entry.action).toBe('module.update');
		expect(entry.summary).toContain('修改了模块信息');
		expect(JSON.parse(entry.detail!).changes).toEqual([
			{ label: '模块标题', from: '人大代表工作实务', to: '代表工作实务（修订）' },
			{ label: '预计学习时间（分钟）', from: '30', to: '45' }
		]);
	});

	it('lists the owner’s modules only, with their counts and status', () => {
		const id = buildModule(world, a1);
		buildModule(world, b1);
		const rows = listAuthored(db, { kind: 'school', schoolId: world.schoolA.id });
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({
			draftId: id,
			lessonCount: 2,
			questionCount: 10,
			status: 'editing',
			version: 0,
			returned: false,
			withdrawn: false,
			updatedByName: '市校甲'
		});
		expect(rows[0]!.themeName).not.toBe('');
	});
});

describe('who may see and change a draft', () => {
	/** Every action an author can take on a draft, as `actor`. */
	function everyAction(actor: Actor, id: number) {
		return [
			saveModuleFields(db, actor, id, moduleForm(world.themeId, { title: '闯入' })),
			saveLesson(db, actor, id, null, textLesson()),
			saveLesson(db, actor, id, 'l1', textLesson()),
			moveLesson(db, actor, id, 'l2', 'up'),
			reorderLessons(db, actor, id, ['l2', 'l1']),
			removeLesson(db, actor, id, 'l2', true),
			saveQuestion(db, actor, id, null, questionForm('l1', 0)),
			removeQuestion(db, actor, id, 'q1'),
			submitDraft(db, actor, id),
			recallDraft(db, actor, id),
			approveDraft(db, actor, id, true),
			returnDraft(db, actor, id, '不行'),
			withdrawModule(db, actor, id, true),
			restoreVersion(db, actor, id, 1)
		];
	}

	function expectUntouchable(actor: Actor, id: number) {
		const before = storedDraft(db, id);
		const audits = auditCount(db);
		expect(draftOf(actor, id)).toBeUndefined();
		for (const r of everyAction(actor, id)) expect(r).toEqual({ ok: false, errors: { _form: NOT_FOUND } });
		expect(copyModule(db, actor, 999_999)).toEqual({ ok: false, errors: { _form: NOT_FOUND } });
		expect(storedDraft(db, id)).toEqual(before);
		expect(auditCount(db)).toBe(audits);
	}

	it('a school’s drafts: its admins only, not another school, not an office', () => {
		const id = buildModule(world, a1);
		expect(draftOf(a2, id)?.id).toBe(id);
		for (const outsider of [b1, city, lishi]) expectUntouchable(outsider, id);
	});

	it('an office’s drafts: its own admins only, neither the office above nor beside it', () => {
		const id = buildModule(world, lishi);
		expect(draftOf(lishi, id)?.id).toBe(id);
		for (const outsider of [city, xiaoyi, a1]) expectUntouchable(outsider, id);
	});

	it('a parent office’s drafts are not its child office’s', () => {
		const id = buildModule(world, city);
		expectUntouchable(lishi, id);
	});

	it('an unknown draft is the same not-found', () => {
		expect(draftOf(a1, 12345)).toBeUndefined();
		expect(saveLesson(db, a1, 12345, null, textLesson())).toEqual({
			ok: false,
			errors: { _form: NOT_FOUND }
		});
	});
});

describe('copying a module', () => {
	it('copies a built-in module with its lessons (Markdown), sources and questions under new keys', () => {
		const mod = db.select().from(modules).where(eq(modules.slug, 'education')).get()!;
		const live = db.select().from(lessons).where(eq(lessons.moduleId, mod.id)).all();
		const bank = db.select().from(questions).where(eq(questions.moduleId, mod.id)).all();
		const r = copyModule(db, lishi, mod.id);
		expect(r.ok).toBe(true);
		const draft = draftOf(lishi, (r as { id: number }).id)!;
		expect(draft.doc.title).toBe(`${mod.title}（副本）`);
		expect(draft.doc.lessons.map((l) => l.key)).toEqual(live.map((_, i) => `l${i + 1}`));
		expect(draft.doc.questions.map((q) => q.key)).toEqual(bank.map((_, i) => `q${i + 1}`));
		const first = draft.doc.lessons[0]!;
		const firstRow = live.sort((a, b) => a.sortOrder - b.sortOrder)[0]!;
		expect(first.body).toBe(firstRow.bodyMd || first.body);
		expect(first.body.length).toBeGreaterThan(20);
		expect(first.source?.part).toBe(firstRow.sourcePart);
		const q = draft.doc.questions[0]!;
		const qRow = bank.sort((a, b) => a.id - b.id)[0]!;
		expect(q.answer).toEqual(JSON.parse(qRow.answer));
		expect(q.stem).toBe(qRow.stem);
		expect(draft.doc.lessons.some((l) => l.key === q.lessonKey)).toBe(true);
		expect(storedDraft(db, draft.id)).toMatchObject({
			nextLesson: live.length + 1,
			nextQuestion: bank.length + 1,
			copiedFromModuleId: mod.id
		});
		expect(db.select().from(auditLog).orderBy(desc(auditLog.id)).get()!.action).toBe('module.copy');
	});

	it('copies a live module of the same owner, never another owner’s', () => {
		const id = buildModule(world, b1);
		expect(approveDraft(db, b1, id, true).ok).toBe(false); // not submitted yet
		expect(submitDraft(db, b1, id)).toEqual({ ok: true });
		expect(approveDraft(db, b1, id, true)).toEqual({ ok: true, version: 1 });
		const moduleId = draftOf(b1, id)!.moduleId!;
		const copy = copyModule(db, b1, moduleId);
		expect(copy.ok && draftOf(b1, copy.id)!.doc.lessons).toHaveLength(2);
		const before = auditCount(db);
		expect(copyModule(db, a1, moduleId)).toEqual({ ok: false, errors: { _form: NOT_FOUND } });
		expect(copyModule(db, lishi, moduleId)).toEqual({ ok: false, errors: { _form: NOT_FOUND } });
		expect(auditCount(db)).toBe(before);
	});

	it('keeps the copy’s title within 40 characters', () => {
		const mod = db.select().from(modules).get()!;
		db.update(modules)
			.set({ title: '很'.repeat(40) })
			.where(eq(modules.id, mod.id))
			.run();
		const r = copyModule(db, a1, mod.id);
		expect(r.ok && draftOf(a1, r.id)!.doc.title).toBe('很'.repeat(36) + '（副本）');
	});
});

describe('lessons', () => {
	let id: number;
	beforeEach(() => {
		id = buildModule(world, a1);
	});
	const keys = () => draftOf(a1, id)!.doc.lessons.map((l) => l.key);

	it('adds lessons with new keys at the end and edits them in place', () => {
		const added = saveLesson(db, a1, id, null, textLesson({ title: '第三课' }));
		expect(added).toEqual({ ok: true, key: 'l3' });
		expect(saveLesson(db, a1, id, 'l1', textLesson({ title: '第一课（改）' }))).toEqual({
			ok: true,
			key: 'l1'
		});
		const doc = draftOf(a1, id)!.doc;
		expect(doc.lessons.map((l) => l.title)).toEqual(['第一课（改）', '代表的联系群众', '第三课']);
		const entry = db.select().from(auditLog).orderBy(desc(auditLog.id)).get()!;
		expect(entry.summary).toContain('修改课时《第一课（改）》');
	});

	it('moves lessons up and down, and reorders them by drag', () => {
		saveLesson(db, a1, id, null, textLesson({ title: '第三课' }));
		expect(moveLesson(db, a1, id, 'l3', 'up')).toEqual({ ok: true });
		expect(keys()).toEqual(['l1', 'l3', 'l2']);
		expect(moveLesson(db, a1, id, 'l1', 'up')).toEqual({ ok: true }); // already first: nothing
		expect(keys()).toEqual(['l1', 'l3', 'l2']);
		expect(moveLesson(db, a1, id, 'l1', 'down')).toEqual({ ok: true });
		expect(keys()).toEqual(['l3', 'l1', 'l2']);
		expect(reorderLessons(db, a1, id, ['l2', 'l1', 'l3'])).toEqual({ ok: true });
		expect(keys()).toEqual(['l2', 'l1', 'l3']);
	});

	it('refuses a reorder that is not the same set of lessons', () => {
		const before = storedDraft(db, id);
		for (const bad of [['l1'], ['l1', 'l1'], ['l1', 'l9'], ['l1', 'l2', 'l3']]) {
			expect(reorderLessons(db, a1, id, bad).ok).toBe(false);
		}
		expect(moveLesson(db, a1, id, 'l9', 'up').ok).toBe(false);
		expect(storedDraft(db, id)).toEqual(before);
	});

	it('refuses removing a lesson that questions link to, naming how many, unless removing them too', () => {
		const before = storedDraft(db, id);
		const refused = removeLesson(db, a1, id, 'l1');
		expect(refused.ok).toBe(false);
		expect(!refused.ok && refused.errors._form).toContain('有 5 道题目关联课时《代表的权利和义务》');
		expect(storedDraft(db, id)).toEqual(before);
		expect(removeLesson(db, a1, id, 'l1', true)).toEqual({ ok: true, removedQuestions: 5 });
		const doc = draftOf(a1, id)!.doc;
		expect(doc.lessons.map((l) => l.key)).toEqual(['l2']);
		expect(doc.questions).toHaveLength(5);
		expect(doc.questions.every((q) => q.lessonKey === 'l2')).toBe(true);
	});

	it('removes a lesson without questions, and never gives its key again', () => {
		saveLesson(db, a1, id, null, textLesson({ title: '第三课' }));
		expect(removeLesson(db, a1, id, 'l3')).toEqual({ ok: true, removedQuestions: 0 });
		expect(saveLesson(db, a1, id, null, textLesson({ title: '第四课' }))).toEqual({ ok: true, key: 'l4' });
	});

	it('a watched lesson uses a video or audio of the owner', () => {
		const video = addMedia(db, { kind: 'school', schoolId: world.schoolA.id }, 'video', a1.id);
		const r = saveLesson(db, a1, id, null, {
			title: '讲座录像',
			kind: 'video',
			mediaId: String(video),
			body: ''
		});
		expect(r).toEqual({ ok: true, key: 'l3' });
		expect(draftOf(a1, id)!.doc.lessons[2]).toMatchObject({ kind: 'video', mediaId: video, body: '' });
	});
});

describe('refused input leaves nothing written', () => {
	let id: number;
	beforeEach(() => {
		id = buildModule(world, a1);
	});

	/** The result refuses `field` with a message containing `words`; the draft and the log are as before. */
	function expectRefused(
		run: () => { ok: boolean; errors?: Record<string, string> },
		field: string,
		words: string
	) {
		const before = storedDraft(db, id);
		const audits = auditCount(db);
		const r = run();
		expect(r.ok, `${field}: ${words}`).toBe(false);
		expect(r.errors?.[field], JSON.stringify(r.errors)).toContain(words);
		expect(storedDraft(db, id)).toEqual(before);
		expect(auditCount(db)).toBe(audits);
	}

	it('module fields: empty, too long, out of range, unknown theme, unsafe introduction', () => {
		const save = (over: Record<string, string>) => () =>
			saveModuleFields(db, a1, id, moduleForm(world.themeId, over));
		expectRefused(save({ title: '' }), 'title', '请填写模块标题');
		expectRefused(save({ title: '长'.repeat(41) }), 'title', '不能超过 40 个字');
		expectRefused(save({ summary: '' }), 'summary', '请填写简介');
		expectRefused(save({ summary: '长'.repeat(121) }), 'summary', '不能超过 120 个字');
		expectRefused(save({ minutes: '0' }), 'minutes', '1–600');
		expectRefused(save({ minutes: '601' }), 'minutes', '1–600');
		expectRefused(save({ minutes: '半小时' }), 'minutes', '预计学习时间');
		expectRefused(save({ creditHours: '0.3' }), 'creditHours', '0.5 的倍数');
		expectRefused(save({ creditHours: '21' }), 'creditHours', '0–20');
		expectRefused(save({ themeId: '99999' }), 'themeId', '主题不存在');
		expectRefused(
			save({ draw: '0', time_limit_minutes: '15', pass_mark: '60', attempts: '0' }),
			'draw',
			'每次抽题数'
		);
		expectRefused(save({ intro: '<script>alert(1)</script>' }), 'intro', '正文不能包含脚本或网页代码');
		expectRefused(save({ intro: '![图](/media/1)' }), 'intro', '模块介绍中不能插入图片');
	});

	it('lessons: empty title or text, oversized text, unsafe Markdown, media that is not the owner’s', () => {
		const save = (over: Record<string, string>) => () => saveLesson(db, a1, id, 'l1', textLesson(over));
		expectRefused(save({ title: '' }), 'title', '请填写课时标题');
		expectRefused(save({ title: '长'.repeat(41) }), 'title', '不能超过 40 个字');
		expectRefused(save({ body: '' }), 'body', '请填写课时正文');
		expectRefused(save({ body: '<div></div>' }), 'body', '请填写课时正文');
		expectRefused(save({ body: '字'.repeat(50_001) }), 'body', '不能超过 50,000 个字');
		expectRefused(
			save({ body: '正文<script>alert(1)</script>' }),
			'body',
			'正文不能包含脚本或网页代码：<script>'
		);
		expectRefused(
			save({ body: '正文<img src=x onerror=alert(1)>' }),
			'body',
			'正文不能包含脚本或网页代码：事件属性 onerror='
		);
		expectRefused(save({ body: '[点我](javascript:alert(1))' }), 'body', 'javascript: 链接');
		expectRefused(save({ body: '![图](data:image/png;base64,AAAA)' }), 'body', 'data: 链接');
		expectRefused(save({ body: '<iframe src="https://example.com"></iframe>' }), 'body', '<iframe>');
		expectRefused(save({ body: '<style>p{}</style>' }), 'body', '<style>');
		expectRefused(save({ body: '<object data="x"></object>' }), 'body', '<object>');
		expectRefused(save({ body: '<embed src="x">' }), 'body', '<embed>');
		const theirs = addMedia(db, { kind: 'school', schoolId: world.schoolB.id }, 'image', b1.id);
		expectRefused(save({ body: `正文 ![图](/media/${theirs})` }), 'body', '不是本单位的素材');
		expectRefused(save({ body: `正文 [讲义](/media/${theirs})` }), 'body', '不是本单位的素材');
		expectRefused(
			save({ body: '正文 ![图](https://example.com/a.png)' }),
			'body',
			'图片只能使用本单位上传的素材'
		);
		const pdf = addMedia(db, { kind: 'school', schoolId: world.schoolA.id }, 'pdf', a1.id);
		expectRefused(save({ body: `正文 ![图](/media/${pdf})` }), 'body', '不是图片');
		expectRefused(save({ sourcePart: '六' }), 'sourceHeading', '请填写这一部分的标题');
		expectRefused(
			save({ sourcePart: '六', sourceHeading: '标题', sourceParagraph: '零' }),
			'sourceParagraph',
			'1–999'
		);
		expectRefused(save({ kind: 'slides' }), 'kind', '请选择课时类型');
	});

	it('watched lessons: no media, another owner’s, or the wrong kind', () => {
		const save = (over: Record<string, string>) => () =>
			saveLesson(db, a1, id, 'l1', { title: '录像', kind: 'video', body: '', ...over });
		const audio = addMedia(db, { kind: 'school', schoolId: world.schoolA.id }, 'audio', a1.id);
		const theirs = addMedia(db, { kind: 'office', officeId: world.tree.lishi.id }, 'video', lishi.id);
		expectRefused(save({}), 'mediaId', '请选择视频');
		expectRefused(save({ mediaId: String(theirs) }), 'mediaId', '不是本单位的素材');
		expectRefused(save({ mediaId: '999999' }), 'mediaId', '不存在');
		expectRefused(save({ mediaId: String(audio) }), 'mediaId', '不是视频文件');
		expectRefused(save({ mediaId: 'abc' }), 'mediaId', '请选择素材');
		expectRefused(
			() => saveLesson(db, a1, id, 'l1', { title: '录音', kind: 'audio', body: '' }),
			'mediaId',
			'请选择音频'
		);
	});

	it('questions: no correct answer, fill-ins without answers, oversized or missing fields, unknown lesson', () => {
		const save = (n: number, over: Record<string, string>) => () =>
			saveQuestion(db, a1, id, null, questionForm('l1', n, over));
		const single = 0,
			multiple = 1,
			truefalse = 2,
			fill = 3;
		expectRefused(save(single, { correct: '' }), 'correct', '请选择一个正确答案');
		expectRefused(save(single, { correct: '5' }), 'correct', '请选择一个正确答案');
		expectRefused(save(single, { correct: '0,1' }), 'correct', '请选择一个正确答案');
		expectRefused(save(multiple, { correct: '1' }), 'correct', '至少要有两个正确答案');
		expectRefused(save(truefalse, { truefalse: '' }), 'truefalse', '正确还是错误');
		expectRefused(save(fill, { blank0: '' }), 'blank0', '请填写第 1 空的答案');
		expectRefused(save(fill, { blank0: '｜ | ' }), 'blank0', '请填写第 1 空的答案');
		expectRefused(save(fill, { stem: '代表依照宪法行使职权。' }), 'stem', '填空题题干中没有空');
		expectRefused(save(fill, { blank1: '多余' }), 'blank1', '题干只有 1 个空');
		expectRefused(save(fill, { stem: '____和____', blank0: '宪法' }), 'blank1', '请填写第 2 空的答案');
		expectRefused(save(single, { stem: '' }), 'stem', '请填写题干');
		expectRefused(save(single, { stem: '长'.repeat(501) }), 'stem', '不能超过 500 个字');
		expectRefused(save(single, { option1: '长'.repeat(201) }), 'option1', '不能超过 200 个字');
		expectRefused(save(single, { option1: '' }), 'option1', '请填写选项B');
		expectRefused(save(single, { option1: '选民或下一级人大' }), 'option1', '与选项A重复');
		expectRefused(save(single, { option1: '', option2: '' }), 'option1', '至少要有两个选项');
		expectRefused(save(single, { explanation: '' }), 'explanation', '请填写解析');
		expectRefused(save(single, { explanation: '长'.repeat(1001) }), 'explanation', '不能超过 1,000 个字');
		expectRefused(save(single, { lessonKey: '' }), 'lessonKey', '请选择本题对应的课时');
		expectRefused(save(single, { lessonKey: 'l9' }), 'lessonKey', '所选课时不存在');
		expectRefused(save(single, { difficulty: '4' }), 'difficulty', '请选择难度');
		expectRefused(save(single, { type: 'lecture' }), 'type', '请选择题型');
		expectRefused(save(single, { sourceRef: '长'.repeat(101) }), 'sourceRef', '不能超过 100 个字');
	});

	it('a submitted draft cannot be changed until it is recalled', () => {
		expect(submitDraft(db, a1, id)).toEqual({ ok: true });
		const frozen = '待审核期间不能修改，请先撤回提交';
		expectRefused(() => saveModuleFields(db, a1, id, moduleForm(world.themeId)), '_form', frozen);
		expectRefused(() => saveLesson(db, a2, id, 'l1', textLesson()), '_form', frozen);
		expectRefused(() => removeQuestion(db, a1, id, 'q1'), '_form', frozen);
		expectRefused(() => moveLesson(db, a1, id, 'l2', 'up'), '_form', frozen);
		expectRefused(() => restoreVersion(db, a1, id, 1), '_form', frozen);
		expect(recallDraft(db, a1, id)).toEqual({ ok: true });
		expect(saveLesson(db, a1, id, 'l1', textLesson({ title: '撤回后修改' }))).toEqual({
			ok: true,
			key: 'l1'
		});
	});
});

describe('questions', () => {
	let id: number;
	beforeEach(() => {
		id = buildModule(world, a1);
	});

	it('stores each type in the shape the quiz engine scores', () => {
		const doc = draftOf(a1, id)!.doc;
		const byType = (t: string) => doc.questions.find((q) => q.type === t)!;
		expect(byType('single')).toMatchObject({
			options: ['选民或下一级人大', '上级任命', '单位推荐'],
			answer: 0,
			difficulty: 2
		});
		expect(byType('multiple').answer).toEqual([0, 1]);
		expect(byType('truefalse')).toMatchObject({ options: [], answer: true });
		expect(byType('fill')).toMatchObject({ options: [], answer: [['宪法', '中华人民共和国宪法']] });
	});

	it('edits and removes questions by key', () => {
		expect(
			saveQuestion(
				db,
				a1,
				id,
				'q1',
				questionForm('l2', 2, { stem: '判断：代表可以不联系群众。', truefalse: 'false' })
			)
		).toEqual({
			ok: true,
			key: 'q1',
			warnings: []
		});
		expect(draftOf(a1, id)!.doc.questions[0]).toMatchObject({
			key: 'q1',
			type: 'truefalse',
			answer: false,
			lessonKey: 'l2'
		});
		expect(removeQuestion(db, a1, id, 'q1')).toEqual({ ok: true });
		expect(removeQuestion(db, a1, id, 'q1').ok).toBe(false);
		expect(draftOf(a1, id)!.doc.questions.map((q) => q.key)).not.toContain('q1');
	});

	it('warns when an explanation names option letters while options are shuffled', () => {
		const q = (explanation: string, type: QuestionDoc['type'] = 'single'): QuestionDoc => ({
			key: 'q1',
			type,
			stem: '下列说法正确的是',
			options: ['甲', '乙'],
			answer: 0,
			explanation,
			lessonKey: 'l1',
			difficulty: 2,
			sourceRef: ''
		});
		for (const text of ['A 项正确', '选项C说法片面', 'D错误', '本题选AB', '答案为B', '故选Ｂ']) {
			expect(questionWarnings(q(text)), text).toEqual([LETTER_WARNING]);
		}
		for (const text of ['“依法履职”一项正确', 'GDP 增长', 'APEC 会议'])
			expect(questionWarnings(q(text)), text).toEqual([]);
		expect(questionWarnings(q('答案为B'), false)).toEqual([]);
		expect(questionWarnings(q('答案为B', 'truefalse'))).toEqual([]);
		const saved = saveQuestion(
			db,
			a1,
			id,
			null,
			questionForm('l1', 0, { explanation: '正确答案为A，其余不对' })
		);
		expect(saved).toMatchObject({ ok: true, warnings: [LETTER_WARNING] });
	});
});

describe('lesson preview', () => {
	it('renders as learners get it, with the reading time and what would be refused', () => {
		const body =
			'## 小标题\n\n正文'.padEnd(300, '字') +
			'\n\n![示意图](/media/12) [讲义](/media/13?download=1) [站内](/quiz)';
		const preview = lessonPreview(body);
		expect(preview.html).toContain('<img src="/media/12" alt="示意图" />');
		expect(preview.html).toContain('<a href="/media/13?download=1">讲义</a>');
		expect(preview.html).not.toContain('href="/quiz"');
		expect(preview.minReadSeconds).toBe(minReadSeconds(preview.charCount));
		expect(preview.problem).toBeNull();
		const unsafe = lessonPreview('正文<script>alert(1)</script><img src=x onerror=alert(2)>');
		expect(unsafe.problem).toContain('正文不能包含脚本或网页代码');
		expect(unsafe.html).not.toMatch(/script|onerror/);
		expect(lessonPreview('![x](https://tracker.example/a.png)').html).not.toContain('<img');
		expect(lessonPreview('字'.repeat(50_001)).problem).toContain('不能超过 50,000 个字');
	});
});

describe('themes', () => {
	it('a school adds a theme everyone can then choose; offices cannot add one', () => {
		const before = themeOptions(db, { kind: 'office', officeId: world.tree.lishi.id }).length;
		const r = createTheme(db, a1, '  基层人大建设 ');
		expect(r.ok).toBe(true);
		const options = themeOptions(db, { kind: 'office', officeId: world.tree.lishi.id });
		expect(options).toHaveLength(before + 1);
		expect(options.at(-1)!.name).toBe('基层人大建设');
		expect(db.select().from(themes).where(eq(themes.name, '基层人大建设')).get()!.ownerSchoolId).toBe(
			world.schoolA.id
		);
		expect(db.select().from(auditLog).orderBy(desc(auditLog.id)).get()).toMatchObject({
			action: 'theme.create',
			schoolId: world.schoolA.id,
			targetType: 'theme'
		});
		const audits = auditCount(db);
		expect(createTheme(db, a2, '基层人大建设')).toEqual({ ok: false, errors: { name: '已有同名主题' } });
		expect(createTheme(db, a1, '建')).toMatchObject({
			ok: false,
			errors: { name: expect.stringContaining('2–20') }
		});
		expect(createTheme(db, a1, '长'.repeat(21))).toMatchObject({
			ok: false,
			errors: { name: expect.stringContaining('20 个字') }
		});
		expect(createTheme(db, lishi, '单位主题')).toMatchObject({
			ok: false,
			errors: { _form: '只有党校管理员可以新建主题' }
		});
		expect(auditCount(db)).toBe(audits);
		expect(themeOptions(db, { kind: 'office', officeId: world.tree.lishi.id })).toHaveLength(before + 1);
	});
});

describe('reviewer’s diff of a never-published draft', () => {
	it('shows every lesson and question as added', () => {
		const id = buildModule(world, a1);
		const diff = draftDiff(db, draftOf(a1, id)!);
		expect(diff.lessons.map((l) => l.change)).toEqual(['added', 'added']);
		expect(diff.questions).toHaveLength(10);
		expect(diff.questions.every((q) => q.change === 'added')).toBe(true);
		expect(diff.fields.find((f) => f.label === '模块标题')).toEqual({
			label: '模块标题',
			from: '（无）',
			to: '人大代表工作实务'
		});
	});
});

describe('audit entries of edits', () => {
	it('name the draft and say what changed', () => {
		const id = buildModule(world, lishi);
		const entries = db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.targetType, 'draft'), eq(auditLog.targetId, String(id))))
			.all();
		expect(entries[0]).toMatchObject({
			action: 'module.create',
			officeId: world.tree.lishi.id,
			schoolId: null
		});
		expect(entries[1]!.summary).toContain('新增课时《代表的权利和义务》');
		expect(entries.at(-1)!.summary).toContain('新增题目（');
		expect(entries.every((e) => e.actorUserId === lishi.id && e.ip === '192.0.2.7')).toBe(true);
	});
});
