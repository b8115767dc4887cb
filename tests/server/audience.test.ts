import { beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { testDb, addUser, seedTree } from '../helpers/db';
import { writePack } from '../helpers/pack';
import type { Db } from '../../src/lib/server/db';
import {
	assignments,
	courses,
	creditHours,
	lessonProgress,
	lessons,
	liveQuizzes,
	modules,
	offices,
	questions,
	reflections,
	schools,
	studySessions,
	themes
} from '../../src/lib/server/db/schema';
import { syncContent } from '../../src/lib/server/content/sync';
import { ContentError, readPack } from '../../src/lib/server/content/pack';
import { search } from '../../src/lib/server/content/search';
import {
	catalogPage,
	findLesson,
	getModule,
	moduleCards,
	moduleOptions,
	NOT_PICKABLE
} from '../../src/lib/server/learning/catalog';
import type { Viewer } from '../../src/lib/server/learning/audience';
import { completeLesson, openLesson } from '../../src/lib/server/learning/progress';
import {
	items,
	saveAnswer,
	startDailyPractice,
	startModuleAttempt,
	submitAttempt
} from '../../src/lib/server/quiz/attempts';
import { moduleQuizzes } from '../../src/lib/server/quiz/overview';
import { listBook } from '../../src/lib/server/quiz/wrongbook';
import { nextReview } from '../../src/lib/server/quiz/review';
import { quizModules, schoolQuizModuleBySlug } from '../../src/lib/server/quiz/settings';
import { courseModuleOptions, saveCourse } from '../../src/lib/server/courses/courses';
import { assignCourse, withdrawAssignment } from '../../src/lib/server/courses/enrol';
import { CREDIT_SOURCE_LABELS, hoursInYear } from '../../src/lib/server/courses/hours';
import { recordView } from '../../src/lib/server/courses/views';
import { scheduleStudySession } from '../../src/lib/server/study-sessions';
import { createLive, pickableQuestions } from '../../src/lib/server/live';
import { saveReflection } from '../../src/lib/server/reflections';
import { topicOptions } from '../../src/lib/server/reflections/topics';
import { DEFAULT_QUIZ } from '../../src/lib/server/authoring/doc';

/** The built-in modules the content pack holds. */
const BUILT_IN = readPack('content').modules.length;

/*
 * Who sees which module, everywhere a learner reads modules, lessons or questions, and what an
 * admin may pick. Authored modules are inserted as publishing would leave them (owner columns
 * set, lessons, questions and search rows), since the publishing code lives elsewhere.
 */

let db: Db;
let tree: ReturnType<typeof seedTree> & { lishiSub: typeof offices.$inferSelect };
let school: typeof schools.$inferSelect;
let otherSchool: typeof schools.$inferSelect;
let themeId: number;

type Mod = { id: number; slug: string; token: string; lessonSlugs: string[]; questionIds: number[] };
let officeMod: Mod; // 离石区人大常委会's module
let schoolMod: Mod; // the party school's, in the catalog
let coursesOnly: Mod; // the party school's, only through courses
let archivedMod: Mod; // the office's, archived
let builtIn: { id: number; slug: string };

let draftIds = 0;
/** An authored module as publishing leaves it: owner, lessons, questions (true/false, answer true) and search rows. */
function authored(o: {
	token: string;
	ownerSchoolId?: number;
	ownerOfficeId?: number;
	inCatalog?: boolean;
	creditHours?: number;
	archived?: boolean;
	lessons?: number;
	questions?: number;
}): Mod {
	const draft = ++draftIds;
	const slug = `a${draft}`;
	const now = new Date();
	const title = `${o.token}色学习材料`;
	const mod = db
		.insert(modules)
		.values({
			slug,
			themeId,
			title,
			summary: `关于${o.token}色的本单位学习材料`,
			minutes: 10,
			sortOrder: 1000 + draft,
			introHtml: '<p>导语</p>',
			ownerSchoolId: o.ownerSchoolId ?? null,
			ownerOfficeId: o.ownerOfficeId ?? null,
			inCatalog: o.inCatalog ?? true,
			creditHours: o.creditHours ?? 0,
			version: 1,
			quizDefaults: JSON.stringify({ ...DEFAULT_QUIZ, draw: 5 }),
			contentHash: 'v1',
			archivedAt: o.archived ? now : null,
			updatedAt: now
		})
		.returning()
		.get();
	db.run(
		sql`INSERT INTO search_index (kind, ref_id, title, body) VALUES ('module', ${mod.id}, ${title}, ${mod.summary})`
	);
	const lessonSlugs: string[] = [];
	const lessonIds: number[] = [];
	for (let i = 1; i <= (o.lessons ?? 2); i++) {
		const text = `第${i}课讲${o.token}色的由来。`;
		const lesson = db
			.insert(lessons)
			.values({
				slug: `${slug}-l${i}`,
				moduleId: mod.id,
				title: `${o.token}色第${i}课`,
				sortOrder: i,
				sourcePart: '',
				sourceHeading: '',
				sourceSection: null,
				sourceParagraph: 0,
				bodyMd: text,
				bodyHtml: `<p>${text}</p>`,
				plainText: text,
				charCount: text.length,
				minReadSeconds: 15,
				contentHash: 'v1',
				updatedAt: now
			})
			.returning()
			.get();
		lessonSlugs.push(lesson.slug);
		lessonIds.push(lesson.id);
		db.run(
			sql`INSERT INTO search_index (kind, ref_id, title, body) VALUES ('lesson', ${lesson.id}, ${lesson.title}, ${text})`
		);
	}
	const questionIds: number[] = [];
	for (let i = 1; i <= (o.questions ?? 6); i++) {
		questionIds.push(
			db
				.insert(questions)
				.values({
					key: `${slug}/q${i}`,
					moduleId: mod.id,
					lessonId: lessonIds[0]!,
					type: 'truefalse',
					stem: `${o.token}色第${i}题：这是正确的说法。`,
					options: '[]',
					answer: 'true',
					explanation: '说法正确。',
					contentHash: 'v1',
					updatedAt: now
				})
				.returning()
				.get().id
		);
	}
	return { id: mod.id, slug, token: o.token, lessonSlugs, questionIds };
}

const actorOf = (u: { id: number; role: string; officeId: number | null }, schoolId: number | null = null) =>
	({ id: u.id, name: '测试', role: u.role, officeId: u.officeId, schoolId }) as never;

let viewers: Record<'lishi' | 'lishiSub' | 'city' | 'xiaoyi' | 'enrolled' | 'noOffice', Viewer>;
let schoolAdmin: { id: number; role: string; officeId: null };
let assignmentId: number;

beforeEach(async () => {
	db = testDb();
	syncContent(db, 'content');
	const base = seedTree(db);
	const lishiSub = db
		.insert(offices)
		.values({ name: '离石区人大常委会机关', code: 'lishisub', parentId: base.lishi.id })
		.returning()
		.get();
	tree = { ...base, lishiSub };
	school = db.insert(schools).values({ name: '中共吕梁市委党校' }).returning().get();
	otherSchool = db.insert(schools).values({ name: '中共离石区委党校' }).returning().get();
	themeId = db.select().from(themes).orderBy(themes.sortOrder).get()!.id;
	builtIn = db
		.select({ id: modules.id, slug: modules.slug })
		.from(modules)
		.where(eq(modules.slug, 'education'))
		.get()!;
	officeMod = authored({ token: '琥珀', ownerOfficeId: base.lishi.id });
	schoolMod = authored({ token: '翡翠', ownerSchoolId: school.id, inCatalog: true });
	coursesOnly = authored({ token: '玳瑁', ownerSchoolId: school.id, inCatalog: false });
	archivedMod = authored({ token: '琉璃', ownerOfficeId: base.lishi.id, archived: true });

	const user = async (username: string, officeId: number | null) => {
		const u = await addUser(db, { username, officeId });
		return { id: u.id, officeId };
	};
	viewers = {
		lishi: await user('lishi.001', base.lishi.id),
		lishiSub: await user('lishisub.001', lishiSub.id),
		city: await user('lvliang.001', base.city.id),
		xiaoyi: await user('xiaoyi.001', base.xiaoyi.id),
		enrolled: await user('xiaoyi.002', base.xiaoyi.id),
		noOffice: await user('nobody', null)
	};
	const admin = await addUser(db, { username: 'dx', role: 'school_admin' });
	schoolAdmin = { id: admin.id, role: 'school_admin', officeId: null };
	// A course of the school using its "courses only" module, assigned to one cadre by name.
	const saved = saveCourse(db, actorOf(schoolAdmin, school.id), {
		title: '玳瑁色专题班',
		hours: '2',
		required: 'required',
		opensOn: '2026-01-01',
		dueOn: '2026-12-31',
		moduleIds: [String(coursesOnly.id)]
	});
	if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
	const assigned = assignCourse(db, actorOf(schoolAdmin, school.id), saved.id, {
		officeIds: [],
		includeDescendants: false,
		usernames: ['xiaoyi.002']
	});
	if (!assigned.ok) throw new Error(JSON.stringify(assigned.errors));
	assignmentId = db.select().from(assignments).get()!.id;
});

/** Every learner-facing reader: whether the viewer meets the module there. */
function seenBy(viewer: Viewer, m: Mod, day: number): Record<string, boolean> {
	const inResults = (q: string, kind: 'module' | 'lesson') =>
		search(db, viewer, q).some((r) => r.moduleSlug === m.slug && r.kind === kind);
	// The daily practice draws from modules the viewer started reading: start only this one.
	db.delete(lessonProgress).where(eq(lessonProgress.userId, viewer.id)).run();
	const firstLesson = db.select().from(lessons).where(eq(lessons.slug, m.lessonSlugs[0]!)).get()!;
	openLesson(db, viewer.id, firstLesson.id);
	const daily = startDailyPractice(db, viewer, new Date(Date.UTC(2026, 10, day, 2)));
	if (!daily.ok) throw new Error(daily.message);
	const drawn = items(db, daily.attemptId).map((i) => i.questionId);
	const fromModule = drawn.filter((id) => m.questionIds.includes(id)).length;
	if (fromModule !== 0 && fromModule !== drawn.length) throw new Error('daily practice mixed modules');
	return {
		catalog: moduleCards(db, viewer).some((c) => c.slug === m.slug),
		modulePage: getModule(db, viewer, m.slug) !== undefined,
		lessonPage: findLesson(db, viewer, m.slug, m.lessonSlugs[1]!) !== undefined,
		quizList: moduleQuizzes(db, viewer).some((q) => q.slug === m.slug),
		quizStart: startModuleAttempt(db, viewer, m.id).ok,
		dailyPool: fromModule > 0,
		searchModule: inResults(`${m.token}色`, 'module'),
		searchLesson: inResults(`${m.token}色`, 'lesson'),
		shortSearch: inResults(m.token, 'module') && inResults(m.token, 'lesson'),
		reflectionTopics: topicOptions(db, viewer).modules.some((t) => t.id === m.id)
	};
}

const everywhere = (seen: boolean) => ({
	catalog: seen,
	modulePage: seen,
	lessonPage: seen,
	quizList: seen,
	quizStart: seen,
	dailyPool: seen,
	searchModule: seen,
	searchLesson: seen,
	shortSearch: seen,
	reflectionTopics: seen
});

describe('who sees which module, in every reader', () => {
	it('an office module: its office and the offices below, not a sibling or the office above', () => {
		expect(seenBy(viewers.lishi, officeMod, 1)).toEqual(everywhere(true));
		expect(seenBy(viewers.lishiSub, officeMod, 2)).toEqual(everywhere(true));
		expect(seenBy(viewers.city, officeMod, 3)).toEqual(everywhere(false));
		expect(seenBy(viewers.xiaoyi, officeMod, 4)).toEqual(everywhere(false));
		expect(seenBy(viewers.noOffice, officeMod, 5)).toEqual(everywhere(false));
		// A refused quiz start says the same as for an archived module.
		expect(startModuleAttempt(db, viewers.xiaoyi, officeMod.id)).toEqual({
			ok: false,
			message: '没有找到这个模块的测验，或它已下线'
		});
	});

	it('a school module in the catalog: everyone', () => {
		for (const [i, v] of Object.values(viewers).entries())
			expect(seenBy(v, schoolMod, 10 + i)).toEqual(everywhere(true));
	});

	it('a school module for courses only: those actively enrolled in a course using it, and no longer after withdrawal', () => {
		expect(seenBy(viewers.enrolled, coursesOnly, 1)).toEqual(everywhere(true));
		for (const [i, v] of [viewers.lishi, viewers.xiaoyi, viewers.city, viewers.noOffice].entries())
			expect(seenBy(v, coursesOnly, 2 + i)).toEqual(everywhere(false));
		expect(withdrawAssignment(db, actorOf(schoolAdmin, school.id), assignmentId)).toEqual({ ok: true });
		expect(seenBy(viewers.enrolled, coursesOnly, 10)).toEqual(everywhere(false));
	});

	it('an archived module: nobody, not even its own office', () => {
		for (const [i, v] of Object.values(viewers).entries())
			expect(seenBy(v, archivedMod, 10 + i)).toEqual(everywhere(false));
	});

	it('built-in modules stay visible to everyone', () => {
		for (const v of Object.values(viewers)) {
			expect(getModule(db, v, builtIn.slug)).toMatchObject({ owner: { key: 'system', name: '系统内容' } });
			expect(moduleCards(db, v).filter((c) => c.owner.key === 'system')).toHaveLength(BUILT_IN);
		}
	});

	it('authored modules come after the built-in ones in the catalog', () => {
		const cards = moduleCards(db, viewers.lishi);
		expect(cards.map((c) => c.slug).slice(-2)).toEqual([officeMod.slug, schoolMod.slug]);
	});

	it('the wrong-book keeps questions of a module the learner no longer sees (their attempt stands)', () => {
		const started = startModuleAttempt(db, viewers.enrolled, coursesOnly.id);
		if (!started.ok) throw new Error(started.message);
		withdrawAssignment(db, actorOf(schoolAdmin, school.id), assignmentId);
		// The running attempt can still be answered and submitted.
		for (const item of items(db, started.attemptId))
			expect(
				saveAnswer(db, viewers.enrolled.id, started.attemptId, item.position, { response: false })
			).toEqual({
				ok: true
			});
		expect(submitAttempt(db, viewers.enrolled.id, started.attemptId)).toMatchObject({ ok: true });
		expect(listBook(db, viewers.enrolled.id)).toHaveLength(5);
		expect(nextReview(db, viewers.enrolled.id, new Date(Date.now() + 30 * 86_400_000))).not.toBeNull();
	});
});

describe('the catalog shows and filters by owner', () => {
	it('each card names its owner; the owners offered are those in the viewer’s catalog', () => {
		const page = catalogPage(db, viewers.lishi, { theme: null, owner: null });
		expect(page.owners).toEqual([
			{ key: 'system', name: '系统内容' },
			{ key: `office-${tree.lishi.id}`, name: '离石区人大常委会' },
			{ key: `school-${school.id}`, name: '中共吕梁市委党校' }
		]);
		expect(page.modules.find((m) => m.slug === officeMod.slug)?.owner.name).toBe('离石区人大常委会');
		expect(page.modules.find((m) => m.slug === schoolMod.slug)?.owner.name).toBe('中共吕梁市委党校');
		// 孝义 sees no 离石 owner to filter by.
		expect(catalogPage(db, viewers.xiaoyi, { theme: null, owner: null }).owners.map((o) => o.name)).toEqual([
			'系统内容',
			'中共吕梁市委党校'
		]);
		expect(getModule(db, viewers.lishi, officeMod.slug)?.owner.name).toBe('离石区人大常委会');
	});

	it('filters by owner, together with the theme; nothing matching gives an empty list, not everything', () => {
		const only = (owner: string | null, theme: string | null = null) =>
			catalogPage(db, viewers.lishi, { theme, owner }).modules.map((m) => m.slug);
		expect(only(`office-${tree.lishi.id}`)).toEqual([officeMod.slug]);
		expect(only(`school-${school.id}`)).toEqual([schoolMod.slug]);
		expect(only('system')).toHaveLength(BUILT_IN);
		const authoredTheme = db.select().from(themes).where(eq(themes.id, themeId)).get()!.slug;
		expect(only(`school-${school.id}`, authoredTheme)).toEqual([schoolMod.slug]);
		const otherTheme = db
			.select()
			.from(themes)
			.where(sql`${themes.id} <> ${themeId}`)
			.get()!.slug;
		const empty = catalogPage(db, viewers.lishi, { theme: otherTheme, owner: `school-${school.id}` });
		expect(empty.modules).toEqual([]);
		// Everything the viewer sees: the built-in modules and the office's and the school's own.
		expect(empty.total).toBe(BUILT_IN + 2);
		// An owner the viewer has nothing of (or nonsense) is no filter.
		expect(only(`office-${tree.xiaoyi.id}`)).toHaveLength(BUILT_IN + 2);
		expect(only('school-abc')).toHaveLength(BUILT_IN + 2);
		expect(
			catalogPage(db, viewers.lishi, { theme: null, owner: `office-${tree.xiaoyi.id}` }).owner
		).toBeNull();
	});
});

describe('module pickers', () => {
	const ids = (list: { id: number }[]) => list.map((m) => m.id);

	it('a school picks built-in modules, every school’s catalog modules and all its own, never an office’s', () => {
		const own = ids(courseModuleOptions(db, school.id));
		expect(own).toEqual(expect.arrayContaining([builtIn.id, schoolMod.id, coursesOnly.id]));
		expect(own).not.toContain(officeMod.id);
		expect(own).not.toContain(archivedMod.id);
		const other = ids(courseModuleOptions(db, otherSchool.id));
		expect(other).toContain(schoolMod.id);
		expect(other).not.toContain(coursesOnly.id);
		expect(courseModuleOptions(db, school.id).find((m) => m.id === schoolMod.id)?.ownerName).toBe(
			'中共吕梁市委党校'
		);
	});

	it('an office picks what its members may see: its own modules and those of offices above, not courses-only ones', () => {
		const pick = (officeId: number) => ids(moduleOptions(db, { kind: 'office', officeId }));
		expect(pick(tree.lishi.id)).toEqual(expect.arrayContaining([builtIn.id, schoolMod.id, officeMod.id]));
		expect(pick(tree.lishi.id)).not.toContain(coursesOnly.id);
		expect(pick(tree.lishiSub.id)).toContain(officeMod.id);
		expect(pick(tree.city.id)).not.toContain(officeMod.id);
		expect(pick(tree.xiaoyi.id)).not.toContain(officeMod.id);
	});

	it('a course refuses a module outside the school’s list, storing nothing', () => {
		const before = db.select().from(courses).all().length;
		const input = (moduleId: number) => ({
			title: '专题班',
			hours: '2',
			required: 'required',
			opensOn: '2026-01-01',
			dueOn: '2026-12-31',
			moduleIds: [String(builtIn.id), String(moduleId)]
		});
		expect(saveCourse(db, actorOf(schoolAdmin, school.id), input(officeMod.id))).toEqual({
			ok: false,
			errors: { moduleIds: NOT_PICKABLE }
		});
		expect(saveCourse(db, actorOf(schoolAdmin, otherSchool.id), input(coursesOnly.id))).toEqual({
			ok: false,
			errors: { moduleIds: NOT_PICKABLE }
		});
		expect(saveCourse(db, actorOf(schoolAdmin, school.id), input(archivedMod.id))).toMatchObject({
			ok: false
		});
		expect(saveCourse(db, actorOf(schoolAdmin, school.id), input(999_999))).toMatchObject({ ok: false });
		expect(db.select().from(courses).all()).toHaveLength(before);
		expect(saveCourse(db, actorOf(schoolAdmin, school.id), input(coursesOnly.id))).toMatchObject({
			ok: true
		});
	});

	it('a course keeps a module it already has when that module leaves the school’s list', () => {
		const id = db.select().from(courses).get()!.id;
		// Another school's catalog module, taken out of the catalog after the course chose it.
		const other = authored({ token: '珊瑚', ownerSchoolId: otherSchool.id, inCatalog: true });
		const input = {
			title: '玳瑁色专题班',
			hours: '2',
			required: 'required',
			opensOn: '2026-01-01',
			dueOn: '2026-12-31',
			moduleIds: [String(coursesOnly.id), String(other.id)]
		};
		expect(saveCourse(db, actorOf(schoolAdmin, school.id), input, id)).toMatchObject({ ok: true });
		db.update(modules).set({ inCatalog: false }).where(eq(modules.id, other.id)).run();
		expect(ids(courseModuleOptions(db, school.id))).not.toContain(other.id);
		expect(ids(courseModuleOptions(db, school.id, id))).toContain(other.id);
		expect(saveCourse(db, actorOf(schoolAdmin, school.id), { ...input, title: '改名' }, id)).toMatchObject({
			ok: true
		});
		expect(saveCourse(db, actorOf(schoolAdmin, school.id), input)).toEqual({
			ok: false,
			errors: { moduleIds: NOT_PICKABLE }
		});
	});

	it('collective study, live quizzes and reflections refuse a module the office’s members may not see', async () => {
		const xiaoyiAdmin = await addUser(db, {
			username: 'xiaoyi.admin',
			role: 'office_admin',
			officeId: tree.xiaoyi.id
		});
		const lishiAdmin = await addUser(db, {
			username: 'lishi.admin',
			role: 'office_admin',
			officeId: tree.lishi.id
		});
		const session = (moduleId: number) => ({
			title: '集中学习',
			day: '2026-12-01',
			start: '09:00',
			end: '10:00',
			place: '三楼会议室',
			leader: '张主任',
			hours: '1',
			moduleIds: [String(moduleId)],
			invitedOfficeIds: []
		});
		expect(scheduleStudySession(db, actorOf(xiaoyiAdmin), session(officeMod.id))).toEqual({
			ok: false,
			errors: { moduleIds: NOT_PICKABLE }
		});
		expect(scheduleStudySession(db, actorOf(xiaoyiAdmin), session(coursesOnly.id))).toMatchObject({
			ok: false
		});
		expect(db.select().from(studySessions).all()).toHaveLength(0);
		expect(scheduleStudySession(db, actorOf(lishiAdmin), session(officeMod.id))).toMatchObject({ ok: true });

		const live = { count: 3, seconds: 20, speedBonus: false };
		expect(createLive(db, actorOf(xiaoyiAdmin), { ...live, moduleId: officeMod.id })).toEqual({
			ok: false,
			errors: { moduleId: NOT_PICKABLE }
		});
		expect(
			createLive(db, actorOf(xiaoyiAdmin), {
				...live,
				moduleId: 0,
				questionIds: officeMod.questionIds.slice(0, 2)
			})
		).toMatchObject({ ok: false, errors: { questionIds: '所选题目不存在或已下线' } });
		expect(db.select().from(liveQuizzes).all()).toHaveLength(0);
		expect(pickableQuestions(db, tree.xiaoyi.id).some((q) => q.moduleId === officeMod.id)).toBe(false);
		expect(pickableQuestions(db, tree.lishi.id).filter((q) => q.moduleId === officeMod.id)).toHaveLength(6);
		expect(createLive(db, actorOf(lishiAdmin), { ...live, moduleId: officeMod.id })).toMatchObject({
			ok: true
		});

		const xiaoyiCadre = { ...viewers.xiaoyi, role: 'cadre' as const };
		const reflection = { title: '学习体会', body: '体会', moduleId: String(officeMod.id) };
		expect(saveReflection(db, xiaoyiCadre, reflection, false)).toEqual({
			ok: false,
			errors: { topic: NOT_PICKABLE }
		});
		expect(db.select().from(reflections).all()).toHaveLength(0);
		const lishiCadre = { ...viewers.lishi, role: 'cadre' as const };
		expect(saveReflection(db, lishiCadre, reflection, false)).toMatchObject({ ok: true });
	});

	it('the 党校 quiz settings list only built-in modules: an authored quiz is set in its draft', () => {
		const list = quizModules(db).map((m) => m.id);
		expect(list).toContain(builtIn.id);
		for (const authored of [schoolMod, coursesOnly, officeMod]) expect(list).not.toContain(authored.id);
		expect(list).toHaveLength(BUILT_IN);
		expect(schoolQuizModuleBySlug(db, schoolMod.slug)).toBeUndefined();
	});
});

describe('the content sync leaves authored content alone', () => {
	it('a sync updates built-in rows only: authored modules, lessons, questions, search rows and school themes stay', () => {
		const schoolTheme = db
			.insert(themes)
			.values({ slug: 's1-theme', name: '党校专题', sortOrder: 0, ownerSchoolId: school.id })
			.returning()
			.get();
		const snapshot = () => ({
			modules: db
				.select()
				.from(modules)
				.where(sql`${modules.slug} GLOB 'a*'`)
				.all(),
			lessons: db
				.select()
				.from(lessons)
				.where(sql`${lessons.slug} GLOB 'a*'`)
				.all(),
			questions: db
				.select()
				.from(questions)
				.where(sql`${questions.key} GLOB 'a*'`)
				.all(),
			theme: db.select().from(themes).where(eq(themes.id, schoolTheme.id)).get()
		});
		const before = snapshot();
		expect(syncContent(db, 'content')).toEqual(
			expect.objectContaining({ archived: 0, created: 0, updated: 0 })
		);
		expect(snapshot()).toEqual(before);
		expect(search(db, viewers.lishi, '琥珀色').length).toBe(3);

		// A pack that drops every built-in module but one archives those, and nothing authored.
		const pack = writePack();
		const summary = syncContent(db, pack.dir);
		expect(summary.archived).toBeGreaterThan(0);
		expect(snapshot()).toEqual(before);
		expect(
			db
				.select()
				.from(modules)
				.where(and(isNull(modules.archivedAt), isNull(modules.ownerSchoolId), isNull(modules.ownerOfficeId)))
				.all()
				.map((m) => m.slug)
		).toEqual(['demo']);
		expect(moduleCards(db, viewers.lishi).map((c) => c.slug)).toEqual([
			'demo',
			officeMod.slug,
			schoolMod.slug
		]);
		expect(search(db, viewers.lishi, '琥珀色').length).toBe(3);
	});

	it('keeps each built-in lesson’s Markdown, filling in rows synced before it was kept', () => {
		const l = db.select().from(lessons).where(eq(lessons.slug, 'cm-essence')).get();
		const any =
			l ??
			db
				.select()
				.from(lessons)
				.where(sql`${lessons.slug} NOT GLOB 'a*'`)
				.get()!;
		expect(any.bodyMd.length).toBeGreaterThan(50);
		expect(any.bodyMd).not.toContain('<p>');
		db.update(lessons)
			.set({ bodyMd: '' })
			.where(sql`${lessons.slug} NOT GLOB 'a*'`)
			.run();
		syncContent(db, 'content');
		expect(db.select().from(lessons).where(eq(lessons.id, any.id)).get()!.bodyMd).toBe(any.bodyMd);
	});

	it('refuses pack slugs that look authored, saying why', () => {
		const pack = writePack();
		pack.write('demo/module.md', readFileText(pack.dir, 'demo/module.md').replace('slug: demo', 'slug: a12'));
		expect(() => readPack(pack.dir)).toThrow(/a\+数字/);
		const lessonPack = writePack();
		lessonPack.write(
			'demo/01-one.md',
			readFileText(lessonPack.dir, 'demo/01-one.md').replace('slug: lesson-one', 'slug: a3-l1')
		);
		expect(() => readPack(lessonPack.dir)).toThrow(ContentError);
		// "a" followed by letters is fine.
		const fine = writePack();
		fine.write(
			'demo/module.md',
			readFileText(fine.dir, 'demo/module.md').replace('slug: demo', 'slug: agenda')
		);
		expect(readPack(fine.dir).modules[0]!.meta.slug).toBe('agenda');
	});

	it('stops, writing nothing, when a pack theme would land on a theme a school added', () => {
		const fresh = testDb();
		const s = fresh.insert(schools).values({ name: '中共吕梁市委党校' }).returning().get();
		fresh.insert(themes).values({ slug: 'democracy', name: '党校的主题', ownerSchoolId: s.id }).run();
		const pack = writePack();
		expect(() => syncContent(fresh, pack.dir)).toThrow(/党校在应用内添加的主题/);
		expect(fresh.select().from(modules).all()).toHaveLength(0);
		expect(fresh.select().from(themes).get()!.name).toBe('党校的主题');
	});
});

describe('module 学时', () => {
	const t0 = new Date('2026-11-24T02:00:00Z');
	let at = t0.getTime();

	/** Reads every lesson of the module, each after its reading time. */
	function readAll(viewer: Viewer, m: Mod) {
		for (const slug of m.lessonSlugs) {
			const l = db.select().from(lessons).where(eq(lessons.slug, slug)).get()!;
			openLesson(db, viewer.id, l.id, new Date(at));
			at += l.minReadSeconds * 1000;
			expect(completeLesson(db, viewer, l.id, new Date(at))).toMatchObject({ ok: true, alreadyDone: false });
		}
	}
	function passQuiz(viewer: Viewer, m: Mod) {
		const started = startModuleAttempt(db, viewer, m.id, new Date(at));
		if (!started.ok) throw new Error(started.message);
		for (const item of items(db, started.attemptId))
			saveAnswer(db, viewer.id, started.attemptId, item.position, { response: true }, new Date(at));
		at += 60_000;
		expect(submitAttempt(db, viewer.id, started.attemptId, new Date(at))).toMatchObject({ ok: true });
	}
	const credits = (userId: number) =>
		db.select().from(creditHours).where(eq(creditHours.userId, userId)).all();

	it('are credited once when the module is complete: every lesson read and its quiz passed', () => {
		const m = authored({ token: '砗磲', ownerOfficeId: tree.lishi.id, creditHours: 2 });
		const v = viewers.lishi;
		expect(getModule(db, v, m.slug)).toMatchObject({ creditHours: 2, hasQuiz: true, credited: false });
		readAll(v, m);
		expect(credits(v.id)).toEqual([]);
		passQuiz(v, m);
		expect(credits(v.id)).toEqual([
			expect.objectContaining({
				source: 'module',
				sourceId: m.id,
				title: '砗磲色学习材料',
				hours: 2,
				year: 2026
			})
		]);
		passQuiz(v, m);
		expect(credits(v.id)).toHaveLength(1);
		expect(hoursInYear(db, v.id, 2026)).toBe(2);
		expect(getModule(db, v, m.slug)?.credited).toBe(true);
		expect(recordView(db, v.id, new Date(at))?.moduleHours).toEqual([
			{ id: m.id, title: '砗磲色学习材料', hours: 2, day: '2026-11-24' }
		]);
		expect(CREDIT_SOURCE_LABELS.module).toBe('模块学时');
	});

	it('the quiz passed first: credited when the last lesson is read', () => {
		const m = authored({ token: '砗磲', ownerOfficeId: tree.lishi.id, creditHours: 1.5 });
		const v = viewers.lishiSub;
		passQuiz(v, m);
		expect(credits(v.id)).toEqual([]);
		readAll(v, m);
		expect(credits(v.id)).toEqual([
			expect.objectContaining({ source: 'module', sourceId: m.id, hours: 1.5 })
		]);
	});

	it('a module without questions completes with its lessons', () => {
		const m = authored({ token: '砗磲', ownerSchoolId: school.id, creditHours: 1, questions: 0 });
		expect(getModule(db, viewers.city, m.slug)).toMatchObject({ hasQuiz: false });
		// No quiz to list on the 答题 tab either.
		expect(moduleQuizzes(db, viewers.city).some((q) => q.slug === m.slug)).toBe(false);
		readAll(viewers.city, m);
		expect(credits(viewers.city.id)).toEqual([expect.objectContaining({ source: 'module', hours: 1 })]);
	});

	it('nothing for a module without 学时 (credit_hours 0), built-in ones included', () => {
		const v = viewers.lishi;
		readAll(v, officeMod);
		passQuiz(v, officeMod);
		const edu = db.select().from(lessons).where(eq(lessons.moduleId, builtIn.id)).all();
		readAll(v, { ...officeMod, id: builtIn.id, lessonSlugs: edu.map((l) => l.slug) });
		expect(credits(v.id)).toEqual([]);
		expect(recordView(db, v.id)?.moduleHours).toEqual([]);
	});
});

function readFileText(dir: string, path: string): string {
	return readFileSync(join(dir, path), 'utf8');
}
