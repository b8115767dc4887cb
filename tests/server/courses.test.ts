import { beforeEach, describe, expect, it } from 'vitest';
import { and, eq, isNotNull } from 'drizzle-orm';
import { testDb, addUser, seedTree } from '../helpers/db';
import { syncContent } from '../../src/lib/server/content/sync';
import { saveCourse, type CourseActor } from '../../src/lib/server/courses/courses';
import { assignCourse, withdrawAssignment } from '../../src/lib/server/courses/enrol';
import { checkCourseCompletion, myTasks } from '../../src/lib/server/courses/progress';
import { hoursInYear, setYearlyRequirement, yearlyRequirement } from '../../src/lib/server/courses/hours';
import { issueCertificate, verifyCertificate } from '../../src/lib/server/courses/certificates';
import { remindBehind, sendDueNotices } from '../../src/lib/server/courses/dashboard';
import { listNotifications } from '../../src/lib/server/courses/notifications';
import { createMember } from '../../src/lib/server/users/members';
import { assignments, attempts, certificates, creditHours, enrolments, lessonProgress, lessons, modules, schools } from '../../src/lib/server/db/schema';
import type { Db } from '../../src/lib/server/db';

let db: Db;
let tree: ReturnType<typeof seedTree>;
let school: CourseActor & { id: number };
let otherSchool: CourseActor & { id: number };
let moduleId: number;

beforeEach(async () => {
	db = testDb();
	syncContent(db, 'content');
	tree = seedTree(db);
	const s1 = db.insert(schools).values({ name: '中共吕梁市委党校' }).returning().get();
	const s2 = db.insert(schools).values({ name: '中共离石区委党校' }).returning().get();
	const a1 = await addUser(db, { username: 'dx1', role: 'school_admin' });
	const a2 = await addUser(db, { username: 'dx2', role: 'school_admin' });
	school = { id: a1.id, role: 'school_admin', schoolId: s1.id };
	otherSchool = { id: a2.id, role: 'school_admin', schoolId: s2.id };
	moduleId = db.select().from(modules).where(eq(modules.slug, 'education')).get()!.id;
});

function course(overrides: Record<string, unknown> = {}) {
	const r = saveCourse(db, school, { title: '教育专题班', description: '', hours: '6', required: 'required', opensOn: '2026-11-01', dueOn: '2026-12-20', moduleIds: [String(moduleId)], ...overrides } as never);
	if (!r.ok) throw new Error(JSON.stringify(r.errors));
	return r.id;
}

/** Does everything the course asks: reads every lesson of the module and passes its quiz. */
function finishModule(userId: number, at: Date) {
	for (const l of db.select().from(lessons).where(eq(lessons.moduleId, moduleId)).all()) {
		db.insert(lessonProgress).values({ userId, lessonId: l.id, openedAt: at, completedAt: at, completedDay: '2026-12-01' }).run();
	}
	db.insert(attempts).values({ userId, kind: 'module', moduleId, day: '2026-12-01', startedAt: at, deadline: at, submittedAt: at, passMark: 60, showAnswers: true, total: 10, correct: 10, percent: 100, passed: true }).run();
}

const enrolment = (courseId: number, userId: number) => db.select().from(enrolments).where(and(eq(enrolments.courseId, courseId), eq(enrolments.userId, userId))).get();

describe('courses', () => {
	it('validates the course form with a message per field and writes nothing', () => {
		const r = saveCourse(db, school, { title: '', hours: '0.3', required: '', opensOn: '2026-12-01', dueOn: '2026-11-01', moduleIds: [] });
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.errors).toMatchObject({ title: expect.any(String), hours: expect.any(String), required: '请选择必修或选修', moduleIds: '请至少选择一个学习模块' });
		const dates = saveCourse(db, school, { title: '课程', hours: '2', required: 'elective', opensOn: '2026-12-01', dueOn: '2026-11-01', moduleIds: [String(moduleId)] });
		expect(dates).toEqual({ ok: false, errors: { dueOn: '截止日期不能早于开课日期' } });
	});

	it('a school admin cannot edit or assign another school’s course', () => {
		const id = course();
		expect(saveCourse(db, otherSchool, { title: '改名', hours: '2', required: 'elective', opensOn: '2026-11-01', dueOn: '2026-12-01', moduleIds: [String(moduleId)] }, id)).toEqual({ ok: false, errors: { _form: '只能修改本校的课程' } });
		expect(assignCourse(db, otherSchool, id, { officeIds: [tree.lishi.id], includeDescendants: false, usernames: [] })).toEqual({ ok: false, errors: { _form: '只能布置本校的课程' } });
		expect(db.select().from(enrolments).all()).toHaveLength(0);
	});
});

describe('assignments and enrolment', () => {
	it('enrols current members (with descendants when asked) and, later, a cadre who joins an assigned office', async () => {
		const cityCadre = await addUser(db, { username: 'city.c', officeId: tree.city.id });
		const lishiCadre = await addUser(db, { username: 'lishi.c', officeId: tree.lishi.id });
		const id = course();
		expect(assignCourse(db, school, id, { officeIds: [tree.city.id], includeDescendants: true, usernames: [] })).toEqual({ ok: true, enrolled: 2 });
		expect(enrolment(id, cityCadre.id)?.active).toBe(true);
		expect(enrolment(id, lishiCadre.id)?.active).toBe(true);
		expect(listNotifications(db, lishiCadre.id).map((n) => n.kind)).toEqual(['assigned']);

		const admin = await addUser(db, { username: 'xiaoyi.admin', role: 'office_admin', officeId: tree.xiaoyi.id });
		const joined = await createMember(db, { id: admin.id, role: 'office_admin', officeId: tree.xiaoyi.id }, { name: '新同志', username: 'xiaoyi.new', officeId: String(tree.xiaoyi.id) });
		if (!joined.ok) throw new Error();
		expect(enrolment(id, joined.id)?.active).toBe(true);
		expect(myTasks(db, joined.id, new Date('2026-11-24T02:00:00Z'))).toMatchObject([{ id, status: 'not-started', daysLeft: 26 }]);
	});

	it('without descendants only the office itself is enrolled; named cadres can be added; unknown names are refused', async () => {
		const cityCadre = await addUser(db, { username: 'city.c', officeId: tree.city.id });
		const lishiCadre = await addUser(db, { username: 'lishi.c', officeId: tree.lishi.id });
		const id = course();
		expect(assignCourse(db, school, id, { officeIds: [], includeDescendants: false, usernames: ['nobody'] })).toEqual({ ok: false, errors: { usernames: '找不到这些在用的学员：nobody' } });
		expect(assignCourse(db, school, id, { officeIds: [tree.city.id], includeDescendants: false, usernames: ['LISHI.C'] })).toEqual({ ok: true, enrolled: 2 });
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
		db.insert(lessonProgress).values({ userId: a.id, lessonId: db.select().from(lessons).where(eq(lessons.moduleId, moduleId)).get()!.id, openedAt: new Date() }).run();
		expect(withdrawAssignment(db, school, officeAssignment.id)).toEqual({ ok: true });
		expect(enrolment(id, a.id)?.active).toBe(false);
		expect(enrolment(id, b.id)?.active).toBe(true);
		expect(db.select().from(lessonProgress).where(eq(lessonProgress.userId, a.id)).all()).toHaveLength(1);
		expect(myTasks(db, a.id)).toEqual([]);
		expect(withdrawAssignment(db, school, officeAssignment.id)).toEqual({ ok: false, message: '这项布置不存在或已撤回' });
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
		expect(verifyCertificate(db, cert.serial)).toEqual({ serial: cert.serial, name: '田春梅', courseTitle: '教育专题班', hours: 6, completedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
		expect(verifyCertificate(db, cert.serial.toLowerCase())?.name).toBe('田春梅');
		expect(verifyCertificate(db, 'LL2026-XXXX-XXXX-XXXX')).toBeNull();
		// Issuing again returns the same certificate; many certificates never share a serial.
		expect(db.transaction((tx) => issueCertificate(tx, u.id, id, new Date()))).toBe(cert.serial);
		const serials = new Set<string>();
		for (let i = 0; i < 200; i++) {
			const c = saveCourse(db, school, { title: `课程${i}`, hours: '1', required: 'elective', opensOn: '2026-11-01', dueOn: '2026-12-01', moduleIds: [String(moduleId)] });
			if (!c.ok) throw new Error();
			serials.add(db.transaction((tx) => issueCertificate(tx, u.id, c.id, new Date())));
		}
		expect(serials.size).toBe(200);
	});

	it('the yearly requirement defaults to 50 and can be changed within bounds', () => {
		expect(yearlyRequirement(db)).toBe(50);
		expect(setYearlyRequirement(db, 'abc')).toMatchObject({ ok: false });
		expect(setYearlyRequirement(db, '0')).toMatchObject({ ok: false });
		expect(setYearlyRequirement(db, '60')).toEqual({ ok: true });
		expect(yearlyRequirement(db)).toBe(60);
	});
});

describe('reminders', () => {
	it('催学 reaches everyone behind once a day; due-soon and overdue notices are sent once', async () => {
		const a = await addUser(db, { username: 'lishi.a', officeId: tree.lishi.id });
		const b = await addUser(db, { username: 'lishi.b', officeId: tree.lishi.id });
		const id = course({ dueOn: '2026-11-26' });
		assignCourse(db, school, id, { officeIds: [tree.lishi.id], includeDescendants: false, usernames: [] }, new Date('2026-11-01T02:00:00Z'));
		finishModule(b.id, new Date('2026-11-02T02:00:00Z'));
		db.transaction((tx) => checkCourseCompletion(tx, b.id, new Date('2026-11-02T03:00:00Z')));
		const morning = new Date('2026-11-24T01:00:00Z');
		expect(remindBehind(db, id, undefined, morning)).toEqual({ sent: 1, skipped: 0 });
		expect(remindBehind(db, id, undefined, new Date('2026-11-24T09:00:00Z'))).toEqual({ sent: 0, skipped: 1 });
		expect(remindBehind(db, id, undefined, new Date('2026-11-25T01:00:00Z'))).toEqual({ sent: 1, skipped: 0 });
		expect(sendDueNotices(db, morning)).toBe(1);
		expect(sendDueNotices(db, morning)).toBe(0);
		expect(sendDueNotices(db, new Date('2026-11-27T02:00:00Z'))).toBe(1);
		expect(listNotifications(db, a.id).map((n) => n.kind).sort()).toEqual(['assigned', 'due-soon', 'overdue', 'remind', 'remind']);
		expect(listNotifications(db, b.id).map((n) => n.kind).sort()).toEqual(['assigned', 'completed']);
	});
});
