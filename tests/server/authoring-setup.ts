import { count, eq } from 'drizzle-orm';
import { testDb, addUser, seedTree } from '../helpers/db';
import type { Db } from '../../src/lib/server/db';
import { syncContent } from '../../src/lib/server/content/sync';
import { auditLog, media, moduleDrafts, schools, themes, users } from '../../src/lib/server/db/schema';
import { auditActor, type AuditActor } from '../../src/lib/server/audit';
import type { MediaKind } from '../../src/lib/server/db/schema';
import {
	approveDraft,
	createDraft,
	saveLesson,
	saveQuestion,
	submitDraft,
	type Fields,
	type Owner
} from '../../src/lib/server/authoring';

/*
 * The authoring tests' world: the content pack, two party schools (市委党校 with two admins,
 * 区委党校 with one), the city office with two counties below it (an admin each), and a cadre.
 */

export type Actor = Required<AuditActor>;

const actorOf = (user: typeof users.$inferSelect): Actor => auditActor(user, '192.0.2.7');

export async function authoringWorld() {
	const db = testDb();
	syncContent(db, 'content');
	const tree = seedTree(db);
	const schoolA = db.insert(schools).values({ name: '中共吕梁市委党校' }).returning().get();
	const schoolB = db.insert(schools).values({ name: '中共离石区委党校' }).returning().get();
	const schoolAdmin = async (username: string, schoolId: number, name: string) => {
		const u = await addUser(db, { username, role: 'school_admin', name });
		return actorOf(db.update(users).set({ schoolId }).where(eq(users.id, u.id)).returning().get());
	};
	const officeAdmin = async (username: string, officeId: number, name: string) =>
		actorOf(await addUser(db, { username, role: 'office_admin', officeId, name }));
	const actors = {
		a1: await schoolAdmin('dxa1', schoolA.id, '市校甲'),
		a2: await schoolAdmin('dxa2', schoolA.id, '市校乙'),
		b1: await schoolAdmin('dxb1', schoolB.id, '区校甲'),
		city: await officeAdmin('city.admin', tree.city.id, '市人大管理员'),
		lishi: await officeAdmin('lishi.admin', tree.lishi.id, '离石管理员'),
		xiaoyi: await officeAdmin('xiaoyi.admin', tree.xiaoyi.id, '孝义管理员')
	};
	const cadre = await addUser(db, { username: 'lishi.001', officeId: tree.lishi.id, name: '学员甲' });
	const themeId = db.select().from(themes).get()!.id;
	return { db, tree, schoolA, schoolB, actors, cadre, themeId };
}

export type World = Awaited<ReturnType<typeof authoringWorld>>;

export const moduleForm = (themeId: number, over: Fields = {}): Fields => ({
	title: '人大代表工作实务',
	themeId: String(themeId),
	summary: '代表履职的基本方法和要求',
	minutes: '30',
	creditHours: '1',
	inCatalog: 'on',
	intro: '本模块介绍人大代表履职的**基本方法**。',
	...over
});

export const textLesson = (over: Fields = {}): Fields => ({
	title: '代表的权利和义务',
	kind: 'text',
	body: '## 代表的权利\n\n人大代表依照宪法和法律行使职权，参加行使国家权力。\n\n## 代表的义务\n\n模范地遵守宪法和法律。',
	...over
});

/** A question of each type in turn, all answered right by `correctFields` below. */
export function questionForm(lessonKey: string, n: number, over: Fields = {}): Fields {
	const base = { explanation: `第 ${n} 题的解析：代表依法履职。`, lessonKey, difficulty: '2', sourceRef: '' };
	const forms: Fields[] = [
		{
			type: 'single',
			stem: `人大代表由谁选举产生？（${n}）`,
			option0: '选民或下一级人大',
			option1: '上级任命',
			option2: '单位推荐',
			correct: '0'
		},
		{
			type: 'multiple',
			stem: `代表的权利包括哪些？（${n}）`,
			option0: '审议权',
			option1: '表决权',
			option2: '任命权',
			correct: '0,1'
		},
		{ type: 'truefalse', stem: `代表应当模范地遵守宪法和法律。（${n}）`, truefalse: 'true' },
		{ type: 'fill', stem: `代表依照____和法律行使职权。（${n}）`, blank0: '宪法｜中华人民共和国宪法' }
	];
	return { ...base, ...forms[n % 4]!, ...over };
}

/** A module ready to submit: two text lessons and ten questions (draw 10). Returns the draft id. */
export function buildModule(world: World, actor: Actor, over: Fields = {}): number {
	const { db, themeId } = world;
	const created = createDraft(db, actor, moduleForm(themeId, over));
	if (!created.ok) throw new Error(JSON.stringify(created.errors));
	const draftId = created.id;
	for (const lesson of [
		textLesson(),
		textLesson({ title: '代表的联系群众', body: '代表应当与原选区选民保持密切联系。' })
	]) {
		const saved = saveLesson(db, actor, draftId, null, lesson);
		if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
	}
	for (let n = 0; n < 10; n++) {
		const saved = saveQuestion(db, actor, draftId, null, questionForm(n % 2 ? 'l2' : 'l1', n));
		if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
	}
	return draftId;
}

/** Submitted by `author`, approved by `reviewer` (the same person: self-approval). Returns the version. */
export function publish(world: World, author: Actor, reviewer: Actor, draftId: number): number {
	const submitted = submitDraft(world.db, author, draftId);
	if (!submitted.ok) throw new Error(JSON.stringify(submitted.errors));
	const approved = approveDraft(world.db, reviewer, draftId, author.id === reviewer.id);
	if (!approved.ok) throw new Error(JSON.stringify(approved.errors));
	return approved.version;
}

export function addMedia(db: Db, owner: Owner, kind: MediaKind, uploadedBy: number): number {
	const mime = { image: 'image/png', pdf: 'application/pdf', video: 'video/mp4', audio: 'audio/mpeg' }[kind];
	return db
		.insert(media)
		.values({
			sha256: `${kind}-${Math.random()}`,
			kind,
			mime,
			size: 1000,
			fileName: `file.${kind}`,
			durationSeconds: kind === 'video' || kind === 'audio' ? 120 : null,
			ownerSchoolId: owner.kind === 'school' ? owner.schoolId : null,
			ownerOfficeId: owner.kind === 'office' ? owner.officeId : null,
			uploadedBy,
			uploadedAt: new Date()
		})
		.returning({ id: media.id })
		.get().id;
}

export function auditCount(db: Db): number {
	return db.select({ n: count() }).from(auditLog).get()!.n;
}

/** The stored draft row as it is now (to compare before and after a refused change). */
export function storedDraft(db: Db, draftId: number) {
	return db.select().from(moduleDrafts).where(eq(moduleDrafts.id, draftId)).get();
}
