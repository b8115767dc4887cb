import { beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { testDb, addUser, seedTree } from '../helpers/db';
import { syncContent } from '../../src/lib/server/content/sync';
import {
	comment,
	getReflection,
	markExcellent,
	saveReflection,
	MIN_CHARS
} from '../../src/lib/server/reflections';
import { modules, pointsLedger, reflections } from '../../src/lib/server/db/schema';
import { scheduleStudySession } from '../../src/lib/server/study-sessions';
import type { Db } from '../../src/lib/server/db';

let db: Db;
let tree: ReturnType<typeof seedTree>;
type Who = { id: number; name: string; role: 'cadre' | 'office_admin' | 'sysadmin'; officeId: number | null };
let author: Who, colleague: Who, lishiAdmin: Who, cityAdmin: Who, xiaoyiAdmin: Who;
let moduleId: string;

const para =
	'学习报告关于全过程人民民主的论述，结合代表联络站的工作，我体会到要把群众的意见建议收集好、转办好、反馈好。';
const long = Array.from({ length: 8 }, () => para).join('\n\n');

beforeEach(async () => {
	db = testDb();
	syncContent(db, 'content');
	tree = seedTree(db);
	const mk = async (username: string, role: Who['role'], officeId: number) => ({
		id: (await addUser(db, { username, role, officeId, name: username })).id,
		name: username,
		role,
		officeId
	});
	author = await mk('author', 'cadre', tree.lishi.id);
	colleague = await mk('colleague', 'cadre', tree.lishi.id);
	lishiAdmin = await mk('lishi.admin', 'office_admin', tree.lishi.id);
	cityAdmin = await mk('city.admin', 'office_admin', tree.city.id);
	xiaoyiAdmin = await mk('xiaoyi.admin', 'office_admin', tree.xiaoyi.id);
	moduleId = String(db.select().from(modules).get()!.id);
});

describe('reflections', () => {
	it('keeps drafts of any length, refuses submissions under 300 or over 5,000 characters, and changes nothing when refused', () => {
		const draft = saveReflection(db, author, { title: '学习体会', body: '先写几句', moduleId }, false);
		expect(draft.ok).toBe(true);
		if (!draft.ok) return;
		const short = saveReflection(db, author, { title: '学习体会', body: '太短了', moduleId }, true, draft.id);
		expect(short).toEqual({ ok: false, errors: { body: expect.stringContaining(`至少 ${MIN_CHARS} 字`) } });
		const huge = saveReflection(
			db,
			author,
			{ title: '学习体会', body: '字'.repeat(5001), moduleId },
			false,
			draft.id
		);
		expect(huge).toMatchObject({ ok: false, errors: { body: expect.stringContaining('不能超过 5000 字') } });
		expect(db.select().from(reflections).where(eq(reflections.id, draft.id)).get()).toMatchObject({
			status: 'draft',
			body: '先写几句'
		});
		expect(saveReflection(db, author, { title: '', body: long }, true)).toMatchObject({
			ok: false,
			errors: { title: expect.any(String), topic: expect.any(String) }
		});
	});

	it('a submitted reflection earns its points once and can no longer be edited', () => {
		const r = saveReflection(db, author, { title: '学习体会', body: long, moduleId }, true);
		expect(r).toMatchObject({ ok: true, awarded: 3 });
		if (!r.ok) return;
		expect(saveReflection(db, author, { title: '改一改', body: long, moduleId }, true, r.id)).toEqual({
			ok: false,
			errors: { _form: '已提交的心得不能再修改' }
		});
		expect(
			db
				.select()
				.from(pointsLedger)
				.all()
				.map((p) => [p.rule, p.points])
		).toEqual([['reflection', 3]]);
	});

	it('is private to its author and the admins of their office chain; excellent ones reach the whole office', () => {
		const r = saveReflection(db, author, { title: '学习体会', body: long, moduleId }, true);
		if (!r.ok) throw new Error();
		expect(getReflection(db, author, r.id)).toBeDefined();
		expect(getReflection(db, lishiAdmin, r.id)?.canModerate).toBe(true);
		expect(getReflection(db, cityAdmin, r.id)?.canModerate).toBe(true);
		expect(getReflection(db, colleague, r.id)).toBeUndefined();
		expect(getReflection(db, xiaoyiAdmin, r.id)).toBeUndefined();
		expect(comment(db, xiaoyiAdmin, r.id, '写得好')).toMatchObject({ ok: false });
		expect(markExcellent(db, xiaoyiAdmin, r.id, true)).toMatchObject({ ok: false });
		expect(comment(db, lishiAdmin, r.id, '联系实际，写得很好。')).toEqual({ ok: true });
		expect(markExcellent(db, lishiAdmin, r.id, true)).toEqual({ ok: true });
		const seen = getReflection(db, colleague, r.id);
		expect(seen?.canModerate).toBe(false);
		expect(seen?.comments.map((c) => c.body)).toEqual(['联系实际，写得很好。']);
		// A draft is never shown to anyone but its author.
		const d = saveReflection(db, author, { title: '草稿', body: '未完', moduleId }, false);
		if (!d.ok) throw new Error();
		expect(getReflection(db, lishiAdmin, d.id)).toBeUndefined();
	});

	it('can be about a study session of the author’s own office only', () => {
		const host = (admin: Who, title: string) =>
			scheduleStudySession(
				db,
				{ id: admin.id, name: admin.name, role: 'office_admin', officeId: admin.officeId },
				{
					title,
					day: '2026-11-25',
					start: '09:00',
					end: '12:00',
					place: '会议室',
					leader: '主任',
					hours: '3'
				}
			);
		const theirs = host(xiaoyiAdmin, '孝义的集中学习');
		const ours = host(lishiAdmin, '离石的集中学习');
		if (!theirs.ok || !ours.ok) throw new Error('not scheduled');
		expect(
			saveReflection(db, author, { title: '学习体会', body: '先写几句', sessionId: String(theirs.id) }, false)
		).toEqual({
			ok: false,
			errors: { topic: '所选集中学习不存在，或您所在单位不在其参加范围内' }
		});
		expect(db.select().from(reflections).all()).toEqual([]);
		expect(
			saveReflection(db, author, { title: '学习体会', body: '先写几句', sessionId: String(ours.id) }, false)
		).toMatchObject({ ok: true });
	});
});
