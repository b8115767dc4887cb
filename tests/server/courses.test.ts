import { beforeEach, describe, expect, it } from 'vitest';
import { and, eq, isNotNull } from 'drizzle-orm';
import { testDb, addUser, seedTree, SYSADMIN } from '../helpers/db';
import { syncContent } from '../../src/lib/server/content/sync';
import { saveCourse, type CourseActor } from '../../src/lib/server/courses/courses';
import { assignCourse, withdrawAssignment } from '../../src/lib/server/courses/enrol';
import { checkCourseCompletion, myTasks } from '../../src/lib/server/courses/progress';
import { hoursInYear, setYearlyRequirement, yearlyRequirement } from '../../src/lib/server/courses/hours';
import {
	issueCertificate,
	verifyCertificate,
	viewableCertificate
} from '../../src/lib/server/courses/certificates';
import { remindBehind, sendDueNotices } from '../../src/lib/server/courses/dashboard';
import { listNotifications } from '../../src/lib/server/notifications';
import { createMember } from '../../src/lib/server/users/members';
import { joinerDueOn } from '../../src/lib/server/courses/due';
import { courseMembers, officeFigures } from '../../src/lib/server/courses/dashboard';
import { refreshEnrolments } from '../../src/lib/server/courses/enrol';
import { compareOffices } from '../../src/lib/server/points/compare';
import { headline, memberTable } from '../../src/lib/server/participation/dashboard';
import { shanghaiDay } from '../../src/lib/server/time';
import {
	assignments,
	attempts,
	certificates,
	creditHours,
	enrolments,
	lessonProgress,
	lessons,
	modules,
	schools
} from '../../src/lib/server/db/schema';
import type { Db } from '../../src/lib/server/db';
import type { AuditActor } from '../../src/lib/server/audit';

let db: Db;
let tree: ReturnType<typeof seedTree>;
let school: CourseActor & AuditActor;
let otherSchool: CourseActor & AuditActor;
let moduleId: number;

beforeEach(async () => {
	db = testDb();
	syncContent(db, 'content');
	tree = seedTree(db);
	const s1 = db.insert(schools).values({ name: '中共吕梁市委党校' }).returning().get();
	const s2 = db.insert(schools).values({ name: '中共离石区委党校' }).returning().get();
	const a1 = await addUser(db, { username: 'dx1', role: 'school_admin' });
	const a2 = await addUser(db, { username: 'dx2', role: 'school_admin' });
	school = { id: a1.id, name: '市委党校管理员', role: 'school_admin', officeId: null, schoolId: s1.id };
	otherSchool = { id: a2.id, name: '区委党校管理员', role: 'school_admin', officeId: null, schoolId: s2.id };
	moduleId = db.select().from(modules).where(eq(modules.slug, 'education')).get()!.id;
});

function course(overrides: Record<string, unknown> = {}) {
	const r = saveCourse(db, school, {
		title: '教育专题班',
		description: '',
		hours: '6',
		required: 'required',
		opensOn: '2026-11-01',
		dueOn: '2026-12-20',
		moduleIds: [String(moduleId)],
		...overrides
	} as never);
	if (!r.ok) throw new Error(JSON.stringify(r.errors));
	return r.id;
}

/** Does everything the course asks: reads every lesson of the module and passes its quiz. */
function finishModule(userId: number, at: Date) {
	for (const l of db.select().from(lessons).where(eq(lessons.moduleId, moduleId)).all()) {
		db.insert(lessonProgress)
			.values({ userId, lessonId: l.id, openedAt: at, completedAt: at, completedDay: '2026-12-01' })
			.run();
	}
	db.insert(attempts)
		.values({
			userId,
			kind: 'module',
			moduleId,
			day: '2026-12-01',
			startedAt: at,
			deadline: at,
			submittedAt: at,
			passMark: 60,
			showAnswers: true,
			total: 10,
			correct: 10,
			percent: 100,
			passed: true
		})
		.run();
}

const enrolment = (courseId: number, userId: number) =>
	db
		.select()
		.from(enrolments)
		.where(and(eq(enrolments.courseId, courseId), eq(enrolments.userId, userId)))
		.get();

describe('courses', () => {
	it('validates the course form with a message per field and writes nothing', () => {
		const r = saveCourse(db, school, {
			title: '',
			hours: '0.3',
			required: '',
			opensOn: '2026-12-01',
			dueOn: '2026-11-01',
			moduleIds: []
		});
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.errors).toMatchObject({
			title: expect.any(String),
			hours: expect.any(String),
			required: '请选择必修或选修',
			moduleIds: '请至少选择一个学习模块'
		});
		const dates = saveCourse(db, school, {
			title: '课程',
			hours: '2',
			required: 'elective',
			opensOn: '2026-12-01',
			dueOn: '2026-11-01',
			moduleIds: [String(moduleId)]
		});
		expect(dates).toEqual({ ok: false, errors: { dueOn: '截止日期不能早于开课日期' } });
	});

	it('a school admin cannot edit or assign another school’s course', () => {
		const id = course();
		expect(
			saveCourse(
				db,
				otherSchool,
				{
					title: '改名',
					hours: '2',
					required: 'elective',
					opensOn: '2026-11-01',
					dueOn: '2026-12-01',
					moduleIds: [String(moduleId)]
				},
				id
			)
		).toEqual({ ok: false, errors: { _form: '只能修改本校的课程' } });
		expect(
			assignCourse(db, otherSchool, id, {
				officeIds: [tree.lishi.id],
				includeDescendants: false,
				usernames: []
			})
		).toEqual({ ok: false, errors: { _form: '只能布置本校的课程' } });
		expect(db.select().from(enrolments).all()).toHaveLength(0);
	});
});

describe('assignments and enrolment', () => {
	it('enrols current members (with descendants when asked) and, later, a cadre who joins an assigned office', async () => {
		const cityCadre = await addUser(db, { username: 'city.c', officeId: tree.city.id });
		const lishiCadre = await addUser(db, { username: 'lishi.c', officeId: tree.lishi.id });
		const id = course();
		expect(
			assignCourse(db, school, id, { officeIds: [tree.city.id], includeDescendants: true, usernames: [] })
		).toEqual({ ok: true, enrolled: 2 });
		expect(enrolment(id, cityCadre.id)?.active).toBe(true);
		expect(enrolment(id, lishiCadre.id)?.active).toBe(true);
		expect(listNotifications(db, lishiCadre.id).map((n) => n.kind)).toEqual(['assigned']);

		const admin = await addUser(db, {
			username: 'xiaoyi.admin',
			role: 'office_admin',
			officeId: tree.xiaoyi.id
		});
		const joined = await createMember(
			db,
			{ id: admin.id, name: admin.name, role: 'office_admin', officeId: tree.xiaoyi.id },
			{ name: '新同志', username: 'xiaoyi.new', officeId: String(tree.xiaoyi.id) }
		);
		if (!joined.ok) throw new Error();
		expect(enrolment(id, joined.id)?.active).toBe(true);
		// Joined after the course opened: the course's length (49 days) from the day they joined.
		const due = joinerDueOn({ opensOn: '2026-11-01', dueOn: '2026-12-20' }, shanghaiDay(new Date()));
		expect(myTasks(db, joined.id, new Date())).toMatchObject([
			{ id, status: 'not-started', dueOn: due ?? '2026-12-20' }
		]);
	});

	it('without descendants only the office itself is enrolled; named cadres can be added; unknown names are refused', async () => {
		const cityCadre = await addUser(db, { username: 'city.c', officeId: tree.city.id });
		const lishiCadre = await addUser(db, { username: 'lishi.c', officeId: tree.lishi.id });
		const id = course();
		expect(
			assignCourse(db, school, id, { officeIds: [], includeDescendants: false, usernames: ['nobody'] })
		).toEqual({ ok: false, errors: { usernames: '没有找到这些在用的学员：nobody' } });
		expect(
			assignCourse(db, school, id, {
				officeIds: [tree.city.id],
				includeDescendants: false,
				usernames: ['LISHI.C']
			})
		).toEqual({ ok: true, enrolled: 2 });
		expect(enrolment(id, cityCadre.id)?.active).toBe(true);
		expect(enrolment(id, lishiCadre.id)?.active).toBe(true);
	});

	it('withdrawal drops the obligation, keeps progress, and leaves those another assignment still reaches', async () => {
		const a = await addUser(db, { username: 'lishi.a', officeId: tree.lishi.id });
		const b = await addUser(db, { username: 'lishi.b', officeId: tree.lishi.id });
		const id = course();
		assignCourse(db, school, id, { officeIds: [tree.lishi.id], includeDescendants: false, usernames: [] });
		assignCourse(db, school, id, { officeIds: [], includeDescendants: false, usernames: ['lishi.b'] });
		const officeAssignment = db.select().from(assignments).where(isNotNull(assignments.officeId)).get()!;
		db.insert(lessonProgress)
			.values({
				userId: a.id,
				lessonId: db.select().from(lessons).where(eq(lessons.moduleId, moduleId)).get()!.id,
				openedAt: new Date()
			})
			.run();
		expect(withdrawAssignment(db, school, officeAssignment.id)).toEqual({ ok: true });
		expect(enrolment(id, a.id)?.active).toBe(false);
		expect(enrolment(id, b.id)?.active).toBe(true);
		expect(db.select().from(lessonProgress).where(eq(lessonProgress.userId, a.id)).all()).toHaveLength(1);
		expect(myTasks(db, a.id)).toEqual([]);
		expect(withdrawAssignment(db, school, officeAssignment.id)).toEqual({
			ok: false,
			message: '没有找到这项布置，或它已撤回'
		});
	});
});

describe('completion, 学时 and certificates', () => {
	it('completes when every lesson is read and the quiz passed, credits the hours once in the Shanghai year', async () => {
		const u = await addUser(db, { username: 'lishi.a', officeId: tree.lishi.id });
		const id = course();
		assignCourse(db, school, id, { officeIds: [tree.lishi.id], includeDescendants: false, usernames: [] });
		expect(db.transaction((tx) => checkCourseCompletion(tx, u.id, new Date()))).toBe(0);
		finishModule(u.id, new Date('2026-12-31T10:00:00Z'));
		// 23:30 on 31 December in Shanghai is 15:30 UTC: still 2026.
		const lateNight = new Date(Date.UTC(2026, 11, 31, 15, 30));
		expect(db.transaction((tx) => checkCourseCompletion(tx, u.id, lateNight))).toBe(1);
		expect(db.transaction((tx) => checkCourseCompletion(tx, u.id, new Date(Date.UTC(2027, 0, 2))))).toBe(0);
		expect(hoursInYear(db, u.id, 2026)).toBe(6);
		expect(hoursInYear(db, u.id, 2027)).toBe(0);
		expect(db.select().from(creditHours).all()).toHaveLength(1);
		expect(myTasks(db, u.id, lateNight)[0]).toMatchObject({ status: 'done' });
	});

	it('a completion ten minutes after Shanghai midnight counts in the new year', async () => {
		const u = await addUser(db, { username: 'lishi.a', officeId: tree.lishi.id });
		const id = course({ dueOn: '2027-01-20' });
		assignCourse(db, school, id, { officeIds: [tree.lishi.id], includeDescendants: false, usernames: [] });
		finishModule(u.id, new Date('2026-12-31T10:00:00Z'));
		db.transaction((tx) => checkCourseCompletion(tx, u.id, new Date(Date.UTC(2026, 11, 31, 16, 10))));
		expect(hoursInYear(db, u.id, 2027)).toBe(6);
		expect(hoursInYear(db, u.id, 2026)).toBe(0);
	});

	it('someone who already did the work completes on assignment; the certificate verifies; serials are unique', async () => {
		const u = await addUser(db, { username: 'lishi.a', officeId: tree.lishi.id, name: '田春梅' });
		finishModule(u.id, new Date('2026-11-20T02:00:00Z'));
		const id = course();
		assignCourse(db, school, id, { officeIds: [tree.lishi.id], includeDescendants: false, usernames: [] });
		const cert = db.select().from(certificates).get()!;
		expect(verifyCertificate(db, cert.serial)).toEqual({
			serial: cert.serial,
			name: '田春梅',
			courseTitle: '教育专题班',
			hours: 6,
			completedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/)
		});
		expect(verifyCertificate(db, cert.serial.toLowerCase())?.name).toBe('田春梅');
		expect(verifyCertificate(db, 'LL2026-XXXX-XXXX-XXXX')).toBeNull();
		// Issuing again returns the same certificate; many certificates never share a serial.
		expect(db.transaction((tx) => issueCertificate(tx, u.id, id, new Date()))).toBe(cert.serial);
		const serials = new Set<string>();
		for (let i = 0; i < 200; i++) {
			const c = saveCourse(db, school, {
				title: `课程${i}`,
				hours: '1',
				required: 'elective',
				opensOn: '2026-11-01',
				dueOn: '2026-12-01',
				moduleIds: [String(moduleId)]
			});
			if (!c.ok) throw new Error();
			serials.add(db.transaction((tx) => issueCertificate(tx, u.id, c.id, new Date())));
		}
		expect(serials.size).toBe(200);
	});

	it('the yearly requirement defaults to 50 and can be changed within bounds', () => {
		expect(yearlyRequirement(db)).toBe(50);
		expect(setYearlyRequirement(db, SYSADMIN, 'abc')).toMatchObject({ ok: false });
		expect(setYearlyRequirement(db, SYSADMIN, '0')).toMatchObject({ ok: false });
		expect(setYearlyRequirement(db, SYSADMIN, '60')).toEqual({ ok: true });
		expect(yearlyRequirement(db)).toBe(60);
	});
});

describe('reminders', () => {
	it('催学 reaches everyone behind once a day; due-soon and overdue notices are sent once', async () => {
		const a = await addUser(db, { username: 'lishi.a', officeId: tree.lishi.id });
		const b = await addUser(db, { username: 'lishi.b', officeId: tree.lishi.id });
		const id = course({ dueOn: '2026-11-26' });
		assignCourse(
			db,
			school,
			id,
			{ officeIds: [tree.lishi.id], includeDescendants: false, usernames: [] },
			new Date('2026-11-01T02:00:00Z')
		);
		finishModule(b.id, new Date('2026-11-02T02:00:00Z'));
		db.transaction((tx) => checkCourseCompletion(tx, b.id, new Date('2026-11-02T03:00:00Z')));
		const morning = new Date('2026-11-24T01:00:00Z');
		expect(remindBehind(db, school, id, undefined, morning)).toEqual({ sent: 1, skipped: 0 });
		expect(remindBehind(db, school, id, undefined, new Date('2026-11-24T09:00:00Z'))).toEqual({
			sent: 0,
			skipped: 1
		});
		expect(remindBehind(db, school, id, undefined, new Date('2026-11-25T01:00:00Z'))).toEqual({
			sent: 1,
			skipped: 0
		});
		expect(sendDueNotices(db, morning)).toBe(1);
		expect(sendDueNotices(db, morning)).toBe(0);
		expect(sendDueNotices(db, new Date('2026-11-27T02:00:00Z'))).toBe(1);
		expect(
			listNotifications(db, a.id)
				.map((n) => n.kind)
				.sort()
		).toEqual(['assigned', 'due-soon', 'overdue', 'remind', 'remind']);
		expect(
			listNotifications(db, b.id)
				.map((n) => n.kind)
				.sort()
		).toEqual(['assigned', 'completed']);
	});
});

describe('members who join after a course opened', () => {
	const at = (day: string) => new Date(`${day}T02:00:00Z`); // 10:00 in Shanghai
	const join = (userId: number, day: string) =>
		db.transaction((tx) => refreshEnrolments(tx, userId, at(day)));

	/** 离石: `early` was there when the course (1–20 Nov) was assigned and finished on time; `late` joins on 25 Nov. */
	async function lateJoiner() {
		const early = await addUser(db, { username: 'lishi.early', officeId: tree.lishi.id });
		const id = course({ opensOn: '2026-11-01', dueOn: '2026-11-20' });
		assignCourse(
			db,
			school,
			id,
			{ officeIds: [tree.lishi.id], includeDescendants: false, usernames: [] },
			at('2026-11-01')
		);
		finishModule(early.id, at('2026-11-10'));
		db.transaction((tx) => checkCourseCompletion(tx, early.id, at('2026-11-10')));
		const late = await addUser(db, { username: 'lishi.late', officeId: tree.lishi.id });
		join(late.id, '2026-11-25');
		return { id, early, late };
	}

	it('get the course’s length from the day they join, and are not overdue meanwhile', async () => {
		const { id, late } = await lateJoiner();
		expect(enrolment(id, late.id)?.dueOn).toBe('2026-12-14'); // 25 Nov + 19 days
		expect(myTasks(db, late.id, at('2026-11-26'))).toMatchObject([
			{ id, status: 'not-started', dueOn: '2026-12-14', daysLeft: 18 }
		]);
		const members = courseMembers(db, id, [tree.lishi.id], at('2026-11-26'));
		expect(members.find((m) => m.userId === late.id)).toMatchObject({
			status: 'not-started',
			dueOn: '2026-12-14'
		});
		expect(officeFigures(members)).toMatchObject([{ enrolled: 2, completed: 1, overdue: 0 }]);
		// Once their own day has passed they are overdue like anyone else.
		expect(myTasks(db, late.id, at('2026-12-15'))).toMatchObject([{ status: 'overdue' }]);
		expect(officeFigures(courseMembers(db, id, [tree.lishi.id], at('2026-12-15')))).toMatchObject([
			{ overdue: 1 }
		]);
	});

	it('do not lower the office’s 按期完成率 or its overdue counts until their own due day passes', async () => {
		const { late } = await lateJoiner();
		const onTime = (day: string) =>
			compareOffices(db, [tree.lishi.id], 'month', 'onTime', at(day))[0]!.onTime;
		expect(onTime('2026-11-26')).toBe(100);
		expect(headline(db, [tree.lishi.id], 'month', at('2026-11-26')).overdue).toBe(0);
		const row = (day: string) =>
			memberTable(db, [tree.lishi.id], { kind: 'month', pageSize: 20 }, at(day)).rows.find(
				(r) => r.userId === late.id
			);
		expect(row('2026-11-26')?.overdue).toBe(0);
		expect(onTime('2026-12-15')).toBe(50);
		expect(headline(db, [tree.lishi.id], 'month', at('2026-12-15')).overdue).toBe(1);
		expect(row('2026-12-15')?.overdue).toBe(1);
	});

	it('get due-soon and overdue notices by their own due day', async () => {
		const { late } = await lateJoiner();
		const kinds = () =>
			listNotifications(db, late.id)
				.map((n) => n.kind)
				.sort();
		sendDueNotices(db, at('2026-11-26'));
		expect(kinds()).toEqual(['assigned']);
		sendDueNotices(db, at('2026-12-12'));
		expect(kinds()).toEqual(['assigned', 'due-soon']);
		expect(listNotifications(db, late.id).find((n) => n.kind === 'due-soon')?.title).toContain('2026-12-14');
		sendDueNotices(db, at('2026-12-14'));
		expect(kinds()).toEqual(['assigned', 'due-soon']);
		sendDueNotices(db, at('2026-12-15'));
		expect(kinds()).toEqual(['assigned', 'due-soon', 'overdue']);
	});

	it('have at least 14 days, never less than the course’s own due day, and nothing of their own if they joined before it opened', async () => {
		expect(joinerDueOn({ opensOn: '2026-11-01', dueOn: '2026-11-05' }, '2026-11-25')).toBe('2026-12-09');
		expect(joinerDueOn({ opensOn: '2026-11-01', dueOn: '2026-12-31' }, '2026-11-01')).toBeNull();
		expect(joinerDueOn({ opensOn: '2026-11-10', dueOn: '2026-12-31' }, '2026-11-05')).toBeNull();
		// The school later moves the course's due day beyond the joiner's: the later one applies.
		const { id, late } = await lateJoiner();
		saveCourse(
			db,
			school,
			{
				title: '教育专题班',
				description: '',
				hours: '6',
				required: 'required',
				opensOn: '2026-11-01',
				dueOn: '2027-01-10',
				moduleIds: [String(moduleId)]
			},
			id
		);
		expect(myTasks(db, late.id, at('2026-12-20'))).toMatchObject([
			{ dueOn: '2027-01-10', status: 'not-started' }
		]);
	});

	it('an assignment made after the course’s due day gives everyone it reaches the course’s length', async () => {
		const u = await addUser(db, { username: 'lishi.u', officeId: tree.lishi.id });
		const id = course({ opensOn: '2026-11-01', dueOn: '2026-11-20' });
		assignCourse(
			db,
			school,
			id,
			{ officeIds: [tree.lishi.id], includeDescendants: false, usernames: [] },
			at('2026-11-25')
		);
		expect(myTasks(db, u.id, at('2026-11-25'))).toMatchObject([
			{ dueOn: '2026-12-14', status: 'not-started' }
		]);
		// Before the due day the course's dates are the plan for everyone it reaches.
		const v = await addUser(db, { username: 'lishi.v', officeId: tree.lishi.id });
		const other = course({ title: '另一个专题班', opensOn: '2026-11-01', dueOn: '2026-11-30' });
		assignCourse(
			db,
			school,
			other,
			{ officeIds: [tree.lishi.id], includeDescendants: false, usernames: [] },
			at('2026-11-25')
		);
		expect(enrolment(other, v.id)?.dueOn).toBeNull();
	});
});

describe('who may open a certificate', () => {
	it('its owner, the admins of the owner’s office and above, and the sysadmin; to anyone else it does not exist', async () => {
		const u = await addUser(db, { username: 'lishi.a', officeId: tree.lishi.id });
		finishModule(u.id, new Date('2026-11-20T02:00:00Z'));
		assignCourse(db, school, course(), {
			officeIds: [tree.lishi.id],
			includeDescendants: false,
			usernames: []
		});
		const { serial } = db.select().from(certificates).get()!;
		const viewer = async (username: string, role: 'cadre' | 'office_admin', officeId: number) => ({
			id: (await addUser(db, { username, role, officeId })).id,
			role,
			officeId
		});
		for (const allowed of [
			u,
			await viewer('lishi.admin', 'office_admin', tree.lishi.id),
			await viewer('city.admin', 'office_admin', tree.city.id),
			SYSADMIN
		]) {
			expect(viewableCertificate(db, allowed, serial)?.serial).toBe(serial);
		}
		for (const refused of [
			await viewer('xiaoyi.admin', 'office_admin', tree.xiaoyi.id),
			await viewer('lishi.b', 'cadre', tree.lishi.id)
		]) {
			expect(viewableCertificate(db, refused, serial)).toBeUndefined();
		}
		expect(viewableCertificate(db, SYSADMIN, 'LL2026-XXXX-XXXX-XXXX')).toBeUndefined();
	});
});
