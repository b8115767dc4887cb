import { beforeEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { asc, eq, gt, sql } from 'drizzle-orm';
import { testDb, addUser, seedTree } from '../helpers/db';
import { syncContent } from '../../src/lib/server/content/sync';
import {
	auditDownload,
	auditFilters,
	auditOfficeOptions,
	auditRetentionDays,
	auditSheet,
	listAudit,
	purgeAudit,
	recordAudit,
	setAuditRetention,
	type AuditActor,
	type AuditEntry,
	type AuditFilters
} from '../../src/lib/server/audit';
import { getOffice, saveOffice } from '../../src/lib/server/org/offices';
import { saveSchool } from '../../src/lib/server/org/schools';
import { saveAccount } from '../../src/lib/server/users/accounts';
import {
	createMember,
	resetMemberPassword,
	setMemberActive,
	updateMember
} from '../../src/lib/server/users/members';
import { confirmImport, stageImport } from '../../src/lib/server/users/import';
import { setYearlyRequirement, yearlyRequirement } from '../../src/lib/server/courses/hours';
import { saveQuizSettings } from '../../src/lib/server/quiz/settings';
import { saveCourse } from '../../src/lib/server/courses/courses';
import { assignCourse, withdrawAssignment } from '../../src/lib/server/courses/enrol';
import { remindBehind } from '../../src/lib/server/courses/dashboard';
import { saveMinutes, scheduleStudySession, setAttendance } from '../../src/lib/server/study-sessions';
import { comment, markExcellent, saveReflection } from '../../src/lib/server/reflections';
import { advance, createLive } from '../../src/lib/server/live';
import { createSession } from '../../src/lib/server/auth/session';
import {
	assignments,
	auditLog,
	enrolments,
	modules,
	notifications,
	schools,
	sessions,
	users
} from '../../src/lib/server/db/schema';
import type { Db } from '../../src/lib/server/db';

let db: Db;
let tree: ReturnType<typeof seedTree>;
let sys: AuditActor,
	cityAdmin: AuditActor,
	lishiAdmin: AuditActor,
	xiaoyiAdmin: AuditActor,
	schoolAdmin: AuditActor;
let lishiCadre: { id: number; name: string; username: string };
let xiaoyiCadre: { id: number; name: string; username: string };
let schoolId: number;

const DAY = 86_400_000;

async function actor(
	username: string,
	name: string,
	role: AuditActor['role'],
	place: { officeId?: number; schoolId?: number },
	ip: string
): Promise<AuditActor> {
	const u = await addUser(db, { username, name, role, officeId: place.officeId ?? null });
	if (place.schoolId) db.update(users).set({ schoolId: place.schoolId }).where(eq(users.id, u.id)).run();
	return { id: u.id, name, role, officeId: place.officeId ?? null, schoolId: place.schoolId ?? null, ip };
}

beforeEach(async () => {
	db = testDb();
	tree = seedTree(db);
	schoolId = db.insert(schools).values({ name: '中共吕梁市委党校' }).returning().get().id;
	sys = await actor('root', '系统管理员甲', 'sysadmin', {}, '10.1.1.1');
	cityAdmin = await actor('city.admin', '市管理员', 'office_admin', { officeId: tree.city.id }, '10.2.2.2');
	lishiAdmin = await actor(
		'lishi.admin',
		'离石管理员',
		'office_admin',
		{ officeId: tree.lishi.id },
		'10.3.3.3'
	);
	xiaoyiAdmin = await actor(
		'xiaoyi.admin',
		'孝义管理员',
		'office_admin',
		{ officeId: tree.xiaoyi.id },
		'10.4.4.4'
	);
	schoolAdmin = await actor('dangxiao', '党校管理员', 'school_admin', { schoolId }, '10.5.5.5');
	const l = await addUser(db, { username: 'lishi.c1', name: '李明', officeId: tree.lishi.id });
	const x = await addUser(db, { username: 'xiaoyi.c1', name: '王芳', officeId: tree.xiaoyi.id });
	lishiCadre = { id: l.id, name: l.name, username: l.username };
	xiaoyiCadre = { id: x.id, name: x.name, username: x.username };
});

const lastId = () =>
	db
		.select({ n: sql<number>`coalesce(max(id), 0)` })
		.from(auditLog)
		.get()!.n;

/** The entries written while `work` ran, oldest first. */
async function written(work: () => unknown) {
	const since = lastId();
	await work();
	return db.select().from(auditLog).where(gt(auditLog.id, since)).orderBy(asc(auditLog.id)).all();
}

/** Exactly one entry was written, by `by` from their address, concerning the given office/school. */
function expectOne(
	entries: (typeof auditLog.$inferSelect)[],
	by: AuditActor,
	expected: { action: string; officeId?: unknown; schoolId?: unknown }
) {
	expect(entries).toHaveLength(1);
	expect(entries[0]).toMatchObject({
		actorUserId: by.id,
		actorName: by.name,
		ip: by.ip,
		officeId: null,
		schoolId: null,
		...expected
	});
	expect(entries[0]!.summary).toMatch(/\p{Script=Han}/u);
	return entries[0]!;
}

const changes = (e: typeof auditLog.$inferSelect) =>
	(JSON.parse(e.detail ?? '{}') as { changes?: { label: string; from: string; to: string }[] }).changes ?? [];

describe('every administrative action writes who, when, from where and what', () => {
	it('offices and schools', async () => {
		const created = await written(() =>
			saveOffice(db, sys, { name: '汾阳市人大常委会', code: 'fenyang', parentId: String(tree.city.id) })
		);
		const office = expectOne(created, sys, { action: 'office.create', officeId: expect.any(Number) });
		expect(office.officeId).toBeGreaterThan(tree.xiaoyi.id);
		expect(office.summary).toContain('汾阳市人大常委会');
		const edited = await written(() =>
			saveOffice(
				db,
				sys,
				{ name: '汾阳市人大常委会机关', code: 'fenyang', parentId: String(tree.lishi.id) },
				office.officeId!
			)
		);
		const e = expectOne(edited, sys, { action: 'office.update', officeId: office.officeId });
		expect(changes(e)).toEqual([
			{ label: '名称', from: '汾阳市人大常委会', to: '汾阳市人大常委会机关' },
			{ label: '上级单位', from: '吕梁市人大常委会', to: '离石区人大常委会' }
		]);
		const school = expectOne(await written(() => saveSchool(db, sys, { name: '中共离石区委党校' })), sys, {
			action: 'school.create',
			schoolId: expect.any(Number)
		});
		expectOne(
			await written(() => saveSchool(db, sys, { name: '中共离石区委党校（新）' }, school.schoolId!)),
			sys,
			{ action: 'school.update', schoolId: school.schoolId }
		);
	});

	it('accounts: created, edited, deactivated, reactivated, passwords reset — by the sysadmin and by office admins', async () => {
		const account = await written(() =>
			saveAccount(db, sys, {
				name: '赵一',
				username: 'zhao.yi',
				role: 'school_admin',
				schoolId: String(schoolId)
			})
		);
		const a = expectOne(account, sys, { action: 'account.create', schoolId });
		expect(a.summary).toBe('创建党校管理员账号 赵一（zhao.yi）');
		const moved = await written(() =>
			saveAccount(
				db,
				sys,
				{
					name: '李明',
					username: 'lishi.c1',
					role: 'cadre',
					officeId: String(tree.xiaoyi.id),
					title: '科员'
				},
				lishiCadre.id
			)
		);
		expect(changes(expectOne(moved, sys, { action: 'account.update', officeId: tree.xiaoyi.id }))).toEqual([
			{ label: '单位', from: '离石区人大常委会', to: '孝义市人大常委会' },
			{ label: '职务', from: '（空）', to: '科员' }
		]);
		expectOne(await written(() => setMemberActive(db, sys, xiaoyiCadre.id, false)), sys, {
			action: 'account.deactivate',
			officeId: tree.xiaoyi.id
		});
		expectOne(await written(() => setMemberActive(db, xiaoyiAdmin, xiaoyiCadre.id, true)), xiaoyiAdmin, {
			action: 'account.reactivate',
			officeId: tree.xiaoyi.id
		});
		const reset = expectOne(
			await written(() => resetMemberPassword(db, cityAdmin, xiaoyiCadre.id)),
			cityAdmin,
			{ action: 'account.reset_password', officeId: tree.xiaoyi.id }
		);
		expect(reset.summary).toBe('重置了 王芳（xiaoyi.c1） 的密码（发放一次性密码）');
		// The one-time password never reaches the log.
		expect(JSON.stringify(db.select().from(auditLog).all())).not.toMatch(/password_hash|argon2/);
		const added = await written(() =>
			createMember(db, lishiAdmin, { name: '新同志', username: 'lishi.new', officeId: String(tree.lishi.id) })
		);
		expectOne(added, lishiAdmin, { action: 'account.create', officeId: tree.lishi.id });
		const newId = db.select().from(users).where(eq(users.username, 'lishi.new')).get()!.id;
		const edited = await written(() =>
			updateMember(db, lishiAdmin, newId, {
				name: '新同志',
				officeId: String(tree.lishi.id),
				title: '',
				phone: '13800000009'
			})
		);
		expect(
			changes(expectOne(edited, lishiAdmin, { action: 'account.update', officeId: tree.lishi.id }))
		).toEqual([{ label: '手机号', from: '（空）', to: '13800000009' }]);
	});

	it('imports: one entry per office the file added members to', async () => {
		const csv = new TextEncoder().encode(
			'姓名,登录名,单位,职务,手机号\n田春梅,tian.cm,离石区人大常委会,,\n秦立新,qin.lx,孝义市人大常委会,,\n乔慧敏,qiao.hm,离石区人大常委会,,\n'
		);
		const preview = await stageImport(db, cityAdmin, '名单.csv', csv);
		expect(preview.errorCount).toBe(0);
		const entries = await written(() => confirmImport(db, cityAdmin, preview.id));
		expect(entries.map((e) => [e.action, e.officeId, e.ip, e.summary])).toEqual([
			[
				'import.confirm',
				tree.lishi.id,
				cityAdmin.ip,
				'确认导入“名单.csv”：向 离石区人大常委会 添加 2 名成员'
			],
			[
				'import.confirm',
				tree.xiaoyi.id,
				cityAdmin.ip,
				'确认导入“名单.csv”：向 孝义市人大常委会 添加 1 名成员'
			]
		]);
		expect(JSON.parse(entries[0]!.detail!)).toEqual({ members: ['田春梅（tian.cm）', '乔慧敏（qiao.hm）'] });
	});

	it('settings and quiz settings', async () => {
		expect(
			changes(
				expectOne(await written(() => setYearlyRequirement(db, sys, '60')), sys, {
					action: 'settings.update'
				})
			)
		).toEqual([{ label: '每年学时要求', from: '50', to: '60' }]);
		expect(
			changes(
				expectOne(await written(() => setAuditRetention(db, sys, '365')), sys, { action: 'settings.update' })
			)
		).toEqual([{ label: '操作日志保留天数', from: '1095', to: '365' }]);
		syncContent(db, 'content');
		const mod = db.select().from(modules).where(eq(modules.slug, 'education')).get()!;
		const quiz = await written(() =>
			saveQuizSettings(db, schoolAdmin, mod.id, {
				draw: '5',
				timeLimitMinutes: '10',
				passMark: '80',
				attemptsAllowed: '2'
			})
		);
		const e = expectOne(quiz, schoolAdmin, { action: 'quiz.settings', schoolId });
		expect(changes(e).map((c) => c.label)).toContain('及格分（百分制）');
	});

	it('courses: created, edited, assigned, withdrawn, 催学', async () => {
		syncContent(db, 'content');
		const moduleId = String(db.select().from(modules).where(eq(modules.slug, 'education')).get()!.id);
		const input = {
			title: '教育专题班',
			description: '',
			hours: '6',
			required: 'required',
			opensOn: '2026-11-01',
			dueOn: '2026-12-20',
			moduleIds: [moduleId]
		};
		const school = { ...schoolAdmin, schoolId };
		let id = 0;
		const created = await written(() => {
			const r = saveCourse(db, school, input);
			if (r.ok) id = r.id;
		});
		expectOne(created, schoolAdmin, { action: 'course.create', schoolId });
		const edited = await written(() => saveCourse(db, school, { ...input, dueOn: '2026-12-31' }, id));
		expect(changes(expectOne(edited, schoolAdmin, { action: 'course.update', schoolId }))).toEqual([
			{ label: '截止日期', from: '2026-12-20', to: '2026-12-31' }
		]);
		const assigned = await written(() =>
			assignCourse(db, school, id, {
				officeIds: [tree.lishi.id],
				includeDescendants: false,
				usernames: ['xiaoyi.c1']
			})
		);
		expect(assigned.map((e) => [e.action, e.officeId, e.schoolId, e.summary])).toEqual([
			['course.assign', tree.lishi.id, schoolId, '将专题班《教育专题班》布置给 离石区人大常委会'],
			['course.assign', tree.xiaoyi.id, schoolId, '将专题班《教育专题班》布置给 王芳（xiaoyi.c1）']
		]);
		const personal = db
			.select()
			.from(assignments)
			.all()
			.find((a) => a.userId === xiaoyiCadre.id)!;
		expectOne(await written(() => withdrawAssignment(db, school, personal.id)), schoolAdmin, {
			action: 'course.withdraw',
			officeId: tree.xiaoyi.id,
			schoolId
		});
		const reminded = await written(() => remindBehind(db, lishiAdmin, id, [tree.lishi.id]));
		const r = expectOne(reminded, lishiAdmin, { action: 'course.remind', officeId: tree.lishi.id, schoolId });
		expect(r.summary).toContain('离石区人大常委会');
	});

	it('study sessions and attendance corrections', async () => {
		const input = {
			title: '党组理论学习中心组集中学习',
			day: '2026-11-25',
			start: '09:00',
			end: '12:00',
			place: '会议室',
			leader: '主任',
			hours: '3'
		};
		let id = 0;
		const scheduled = await written(() => {
			const r = scheduleStudySession(db, lishiAdmin, input);
			if (r.ok) id = r.id;
		});
		expectOne(scheduled, lishiAdmin, { action: 'session.create', officeId: tree.lishi.id });
		const during = new Date('2026-11-25T02:00:00Z');
		const marked = await written(() => setAttendance(db, cityAdmin, id, lishiCadre.id, true, during));
		expect(
			expectOne(marked, cityAdmin, { action: 'session.attendance', officeId: tree.lishi.id }).summary
		).toContain('李明（lishi.c1）');
		expectOne(
			await written(() => setAttendance(db, lishiAdmin, id, lishiCadre.id, false, during)),
			lishiAdmin,
			{ action: 'session.attendance', officeId: tree.lishi.id }
		);
		expectOne(await written(() => saveMinutes(db, lishiAdmin, id, '会议纪要')), lishiAdmin, {
			action: 'session.minutes',
			officeId: tree.lishi.id
		});
	});

	it('reflections marked excellent and commented on', async () => {
		syncContent(db, 'content');
		const moduleId = String(db.select().from(modules).get()!.id);
		const body = '学习报告关于全过程人民民主的论述，结合代表联络站的工作体会很深。'.repeat(12);
		const r = saveReflection(
			db,
			{ id: lishiCadre.id, role: 'cadre', officeId: tree.lishi.id },
			{ title: '学习体会', body, moduleId },
			true
		);
		if (!r.ok) throw new Error(JSON.stringify(r.errors));
		const on = expectOne(await written(() => markExcellent(db, cityAdmin, r.id, true)), cityAdmin, {
			action: 'reflection.excellent',
			officeId: tree.lishi.id
		});
		expect(on.summary).toBe('将 李明 的心得《学习体会》评为优秀');
		expectOne(await written(() => markExcellent(db, lishiAdmin, r.id, false)), lishiAdmin, {
			action: 'reflection.unexcellent',
			officeId: tree.lishi.id
		});
		expectOne(await written(() => comment(db, lishiAdmin, r.id, '联系实际，写得很好。')), lishiAdmin, {
			action: 'reflection.comment',
			officeId: tree.lishi.id
		});
	});

	it('live quizzes created, started and finished (not every question)', async () => {
		syncContent(db, 'content');
		const moduleId = db.select().from(modules).where(eq(modules.slug, 'whole-process-democracy')).get()!.id;
		let id = 0;
		const created = await written(() => {
			const r = createLive(db, lishiAdmin, { moduleId, count: 2, seconds: 20, speedBonus: false });
			if (r.ok) id = r.id;
		});
		expectOne(created, lishiAdmin, { action: 'live.create', officeId: tree.lishi.id });
		const t0 = new Date(Date.now() - 3_600_000);
		expectOne(await written(() => advance(db, lishiAdmin, id, 'next', t0)), lishiAdmin, {
			action: 'live.start',
			officeId: tree.lishi.id
		});
		expect(await written(() => advance(db, lishiAdmin, id, 'reveal', t0))).toEqual([]);
		expect(await written(() => advance(db, lishiAdmin, id, 'next', t0))).toEqual([]);
		expectOne(await written(() => advance(db, lishiAdmin, id, 'finish', t0)), lishiAdmin, {
			action: 'live.finish',
			officeId: tree.lishi.id
		});
	});
});

describe('an action and its entry commit or roll back together', () => {
	const failAuditInserts = () =>
		db.$client.exec(
			`CREATE TRIGGER fail_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full'); END`
		);

	it('a refused action (validation, scope) writes no entry', async () => {
		expect(await written(() => saveOffice(db, sys, { name: '', code: '1' }))).toEqual([]);
		expect(await written(() => setMemberActive(db, lishiAdmin, xiaoyiCadre.id, false))).toEqual([]);
		expect(await written(() => resetMemberPassword(db, lishiAdmin, xiaoyiCadre.id))).toEqual([]);
		expect(await written(() => setYearlyRequirement(db, sys, 'abc'))).toEqual([]);
		expect(await written(() => setAuditRetention(db, sys, '30'))).toEqual([]);
	});

	it('an action that fails inside its transaction leaves no entry and no change', async () => {
		const before = db.select().from(users).where(eq(users.id, xiaoyiCadre.id)).get()!;
		db.$client.exec(
			`CREATE TRIGGER fail_users BEFORE UPDATE ON users BEGIN SELECT RAISE(ABORT, 'disk full'); END`
		);
		await expect(written(() => resetMemberPassword(db, sys, xiaoyiCadre.id))).rejects.toThrow('disk full');
		expect(db.select().from(auditLog).all()).toEqual([]);
		expect(db.select().from(users).where(eq(users.id, xiaoyiCadre.id)).get()).toEqual(before);
	});

	it('when the entry cannot be written, the action is rolled back', async () => {
		const { token } = createSession(db, xiaoyiCadre.id);
		const cadreBefore = db.select().from(users).where(eq(users.id, xiaoyiCadre.id)).get()!;
		failAuditInserts();
		await expect(resetMemberPassword(db, sys, xiaoyiCadre.id)).rejects.toThrow('disk full');
		expect(db.select().from(users).where(eq(users.id, xiaoyiCadre.id)).get()).toEqual(cadreBefore);
		expect(db.select().from(sessions).where(eq(sessions.userId, xiaoyiCadre.id)).all()).toHaveLength(1);
		expect(token).toBeTruthy();

		expect(() =>
			saveOffice(
				db,
				sys,
				{ name: '离石区人大常委会机关', code: 'lishi', parentId: String(tree.city.id) },
				tree.lishi.id
			)
		).toThrow('disk full');
		expect(getOffice(db, tree.lishi.id)?.name).toBe('离石区人大常委会');
		expect(() => setYearlyRequirement(db, sys, '80')).toThrow('disk full');
		expect(yearlyRequirement(db)).toBe(50);
		expect(() => setMemberActive(db, sys, xiaoyiCadre.id, false)).toThrow('disk full');
		expect(db.select().from(users).where(eq(users.id, xiaoyiCadre.id)).get()!.active).toBe(true);
	});

	it('a failed entry rolls back a whole assignment: no assignment, enrolment or notice remains', async () => {
		syncContent(db, 'content');
		const moduleId = String(db.select().from(modules).where(eq(modules.slug, 'education')).get()!.id);
		const school = { ...schoolAdmin, schoolId };
		const c = saveCourse(db, school, {
			title: '教育专题班',
			hours: '6',
			required: 'required',
			opensOn: '2026-11-01',
			dueOn: '2026-12-20',
			moduleIds: [moduleId]
		});
		if (!c.ok) throw new Error();
		failAuditInserts();
		expect(() =>
			assignCourse(db, school, c.id, { officeIds: [tree.city.id], includeDescendants: true, usernames: [] })
		).toThrow('disk full');
		expect(db.select().from(assignments).all()).toEqual([]);
		expect(db.select().from(enrolments).all()).toEqual([]);
		expect(db.select().from(notifications).all()).toEqual([]);
	});

	it('a failed entry rolls back an import: no member is created and the file stays staged', async () => {
		const csv = new TextEncoder().encode('姓名,登录名,单位,职务,手机号\n田春梅,tian.cm,离石区人大常委会,,\n');
		const preview = await stageImport(db, lishiAdmin, '名单.csv', csv);
		const count = db.select().from(users).all().length;
		failAuditInserts();
		await expect(confirmImport(db, lishiAdmin, preview.id)).rejects.toThrow('disk full');
		expect(db.select().from(users).all()).toHaveLength(count);
		db.$client.exec('DROP TRIGGER fail_audit');
		expect(await confirmImport(db, lishiAdmin, preview.id)).toMatchObject({ ok: true });
	});
});

describe('entries are append-only', () => {
	beforeEach(() => {
		saveOffice(db, sys, { name: '汾阳市人大常委会', code: 'fenyang' });
	});

	it('refuses UPDATE, DELETE within the retention period, and REPLACE of an existing row', () => {
		const row = db.select().from(auditLog).get()!;
		expect(() =>
			db.$client.prepare('UPDATE audit_log SET summary = ? WHERE id = ?').run('改写', row.id)
		).toThrow('append-only');
		expect(() => db.update(auditLog).set({ ip: '1.2.3.4' }).run()).toThrow('append-only');
		expect(() => db.$client.prepare('DELETE FROM audit_log WHERE id = ?').run(row.id)).toThrow('retention');
		expect(() => db.delete(auditLog).run()).toThrow('retention');
		expect(() =>
			db.$client
				.prepare(
					`INSERT OR REPLACE INTO audit_log (id, at, actor_name, action, summary) VALUES (?, ?, '伪造', 'office.create', '伪造')`
				)
				.run(row.id, Date.now())
		).toThrow('append-only');
		expect(() =>
			db
				.insert(auditLog)
				.values({ ...row, summary: '伪造' })
				.onConflictDoUpdate({ target: auditLog.id, set: { summary: '伪造' } })
				.run()
		).toThrow('append-only');
		expect(db.select().from(auditLog).all()).toEqual([row]);
	});
});

/** An entry written directly, at a given time, for the reading tests. */
function entry(by: AuditActor, e: Partial<AuditEntry> & { at: Date }) {
	db.transaction((tx) => recordAudit(tx, by, { action: 'office.update', summary: '测试记录', ...e }));
}

const none: AuditFilters = { q: '', action: '', officeId: null, from: '', to: '' };

describe('who sees what', () => {
	beforeEach(() => {
		const at = new Date('2026-03-01T02:00:00Z');
		entry(sys, { at, officeId: tree.city.id, summary: '市' });
		entry(sys, { at, officeId: tree.lishi.id, summary: '离石' });
		entry(sys, { at, officeId: tree.xiaoyi.id, summary: '孝义' });
		entry(sys, { at, schoolId, summary: '党校' });
		entry(sys, { at, officeId: tree.lishi.id, schoolId, summary: '布置给离石' });
		entry(sys, { at, summary: '系统设置' });
	});
	const seen = (viewer: { role: AuditActor['role']; officeId: number | null; schoolId: number | null }) =>
		listAudit(db, viewer, none)
			.rows.map((r) => r.summary)
			.sort();

	it('the sysadmin sees everything; an office admin their office and those below it; a school admin their school; a cadre nothing', () => {
		expect(seen({ role: 'sysadmin', officeId: null, schoolId: null })).toHaveLength(6);
		expect(seen({ role: 'office_admin', officeId: tree.lishi.id, schoolId: null })).toEqual(
			['布置给离石', '离石'].sort()
		);
		expect(seen({ role: 'office_admin', officeId: tree.city.id, schoolId: null })).toEqual(
			['市', '离石', '孝义', '布置给离石'].sort()
		);
		expect(seen({ role: 'school_admin', officeId: null, schoolId })).toEqual(['党校', '布置给离石'].sort());
		expect(seen({ role: 'cadre', officeId: tree.lishi.id, schoolId: null })).toEqual([]);
		expect(seen({ role: 'office_admin', officeId: null, schoolId: null })).toEqual([]);
	});

	it('an office admin cannot widen their view with the office filter, and is offered only their offices', () => {
		const lishi = { role: 'office_admin' as const, officeId: tree.lishi.id, schoolId: null };
		expect(listAudit(db, lishi, { ...none, officeId: tree.xiaoyi.id }).rows).toEqual([]);
		expect(
			listAudit(db, lishi, { ...none, officeId: tree.city.id })
				.rows.map((r) => r.summary)
				.sort()
		).toEqual(['布置给离石', '离石'].sort());
		expect(auditOfficeOptions(db, lishi)).toEqual([
			{ id: tree.lishi.id, name: '离石区人大常委会', depth: 0 }
		]);
	});

	it('exports only what the viewer may see, saying whose, which filters and when', async () => {
		const xiaoyi = { role: 'office_admin' as const, officeId: tree.xiaoyi.id, schoolId: null };
		const response = auditDownload(
			db,
			xiaoyi,
			new URLSearchParams('from=2026-03-01'),
			'csv',
			new Date('2026-03-10T04:00:00Z')
		);
		expect(decodeURIComponent(response.headers.get('content-disposition')!)).toContain(
			'孝义市人大常委会（含下级单位）-操作日志-导出于2026-03-10.csv'
		);
		const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
		expect(csv.startsWith('\uFEFF')).toBe(true);
		expect(csv.slice(1).trim().split('\r\n')).toEqual([
			'孝义市人大常委会（含下级单位） 操作日志',
			'筛选：日期：2026-03-01 至 今天',
			'导出时间：2026年3月10日 12:00（北京时间）',
			'',
			'时间,操作人,登录名,IP 地址,操作,单位,党校,对象,内容,变更',
			'2026-03-01 10:00:00,系统管理员甲,root,10.1.1.1,修改单位,孝义市人大常委会,,,孝义,'
		]);
	});
});

describe('filters', () => {
	it('by who (name or login name), action, office with the offices below it, and Shanghai calendar days', () => {
		// 16:30 UTC on 1 March is 00:30 on 2 March in Shanghai.
		entry(lishiAdmin, {
			at: new Date('2026-03-01T16:30:00Z'),
			action: 'account.reset_password',
			officeId: tree.lishi.id,
			summary: 'a'
		});
		entry(xiaoyiAdmin, {
			at: new Date('2026-03-01T15:30:00Z'),
			action: 'account.create',
			officeId: tree.xiaoyi.id,
			summary: 'b'
		});
		entry(sys, {
			at: new Date('2026-03-05T01:00:00Z'),
			action: 'office.create',
			officeId: tree.city.id,
			summary: 'c'
		});
		const find = (f: Partial<AuditFilters>) =>
			listAudit(db, sys, { ...none, ...f }).rows.map((r) => r.summary);
		expect(find({})).toEqual(['c', 'a', 'b']); // newest first
		expect(find({ q: '离石管理' })).toEqual(['a']);
		expect(find({ q: 'xiaoyi.ad' })).toEqual(['b']);
		expect(find({ q: '%' })).toEqual([]);
		expect(find({ action: 'account.reset_password' })).toEqual(['a']);
		expect(find({ officeId: tree.city.id })).toEqual(['c', 'a', 'b']);
		expect(find({ officeId: tree.lishi.id })).toEqual(['a']);
		expect(find({ from: '2026-03-02', to: '2026-03-02' })).toEqual(['a']);
		expect(find({ from: '2026-03-01', to: '2026-03-01' })).toEqual(['b']);
		expect(find({ from: '2026-03-02' })).toEqual(['c', 'a']);
		expect(find({ to: '2026-03-04' })).toEqual(['a', 'b']);
	});

	it('reads the query string, refusing impossible dates with a Chinese message', () => {
		const ok = auditFilters(
			new URLSearchParams('q=%20张%20&action=account.create&office=3&from=2026-02-01&to=2026-02-28')
		);
		expect(ok).toEqual({
			filters: { q: '张', action: 'account.create', officeId: 3, from: '2026-02-01', to: '2026-02-28' },
			errors: {}
		});
		const bad = auditFilters(new URLSearchParams('action=drop&office=x&from=2026-02-30&to=2026-13-01'));
		expect(bad.filters).toEqual(none);
		expect(bad.errors).toEqual({
			from: '请填写有效的日期，例如 2026-03-01',
			to: '请填写有效的日期，例如 2026-03-01'
		});
		expect(auditFilters(new URLSearchParams('from=2026-03-02&to=2026-03-01')).errors).toEqual({
			to: '结束日期不能早于开始日期'
		});
	});

	it('pages 50 entries at a time, and the export reads every entry once, in order, past equal times', async () => {
		const at = [
			new Date('2026-03-01T01:00:00Z'),
			new Date('2026-03-02T01:00:00Z'),
			new Date('2026-03-03T01:00:00Z')
		];
		db.transaction((tx) => {
			for (let i = 0; i < 1203; i++)
				recordAudit(tx, sys, { action: 'office.update', summary: String(i), at: at[i % 3]! });
		});
		const page1 = listAudit(db, sys, none, 1);
		expect(page1.total).toBe(1203);
		expect(page1.rows).toHaveLength(50);
		expect(listAudit(db, sys, none, 25).rows).toHaveLength(3);
		const read = [...auditSheet(db, sys, none).pages()].flat();
		expect(read).toHaveLength(1203);
		expect(new Set(read.map((r) => r.id)).size).toBe(1203);
		const keys = read.map((r) => `${r.when}|${String(r.id).padStart(10, '0')}`);
		expect(keys).toEqual([...keys].sort().reverse());
	});
});

describe('retention', () => {
	const old = (days: number, summary: string) =>
		entry(sys, { at: new Date(Date.now() - days * DAY), summary });
	const summaries = () =>
		db
			.select()
			.from(auditLog)
			.orderBy(asc(auditLog.id))
			.all()
			.map((r) => r.summary);

	it('keeps 3 years by default; the daily purge removes only older entries and notes it', () => {
		expect(auditRetentionDays(db)).toBe(1095);
		old(1100, '过期');
		old(1000, '保留');
		expect(purgeAudit(db)).toBe(1);
		expect(summaries()).toEqual(['保留', '清理了超过保留期限的操作日志 1 条']);
		expect(purgeAudit(db)).toBe(0);
		expect(summaries()).toHaveLength(2);
	});

	it('follows the setting, and never deletes an entry inside the period, whatever the setting says', () => {
		expect(setAuditRetention(db, sys, '180')).toEqual({ ok: true });
		old(200, '过期');
		old(100, '保留');
		expect(() => db.$client.prepare(`DELETE FROM audit_log WHERE summary = '保留'`).run()).toThrow(
			'retention'
		);
		expect(purgeAudit(db)).toBe(1);
		// A setting written behind the app's back cannot go under the legal minimum of 180 days.
		db.$client.prepare(`UPDATE app_settings SET value = '1' WHERE key = 'audit_retention_days'`).run();
		expect(() => db.$client.prepare(`DELETE FROM audit_log WHERE summary = '保留'`).run()).toThrow(
			'retention'
		);
		expect(purgeAudit(db)).toBe(0);
		expect(summaries()).toContain('保留');
	});

	it('refuses a retention outside 180–3650 days with a Chinese message, changing nothing', () => {
		for (const bad of ['30', '179', '3651', 'abc', '', '365.5', '-1']) {
			expect(setAuditRetention(db, sys, bad)).toEqual({
				ok: false,
				error: '请填写 180–3650 之间的天数（法规要求网络日志至少留存六个月）'
			});
		}
		expect(auditRetentionDays(db)).toBe(1095);
	});
});

describe('routes', () => {
	// Every admin action hands the domain the request's actor (with the client's address), never bare locals.user.
	const AUDITED =
		/\b(saveOffice|saveSchool|saveAccount|createMember|updateMember|setMemberActive|resetMemberPassword|confirmImport|saveCourse|assignCourse|withdrawAssignment|remindBehind|saveQuizSettings|scheduleStudySession|setAttendance|saveMinutes|markExcellent|comment|createLive|advance|setYearlyRequirement|setAuditRetention)\((getDb\(\)|db), locals\.user/;

	function files(dir: string): string[] {
		return readdirSync(dir).flatMap((name) => {
			const path = join(dir, name);
			return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
		});
	}

	it('pass actorOf(event) to every audited domain function', () => {
		const offenders = files('src/routes').filter((f) => AUDITED.test(readFileSync(f, 'utf8')));
		expect(offenders).toEqual([]);
		const withActor = files('src/routes').filter((f) => readFileSync(f, 'utf8').includes('actorOf(event)'));
		expect(withActor.length).toBeGreaterThanOrEqual(20);
	});
});
