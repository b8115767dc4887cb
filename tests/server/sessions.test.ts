import { beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { testDb, addUser, seedTree } from '../helpers/db';
import { checkIn, checkinCode, scheduleSession, setAttendance, shanghaiInstant, roster } from '../../src/lib/server/meetings/sessions';
import { hoursInYear } from '../../src/lib/server/courses/hours';
import { listNotifications } from '../../src/lib/server/courses/notifications';
import { studySessions } from '../../src/lib/server/db/schema';
import type { Db } from '../../src/lib/server/db';

let db: Db;
let tree: ReturnType<typeof seedTree>;
let admin: { id: number; role: 'office_admin'; officeId: number };
let member: { id: number; officeId: number };
let outsider: { id: number; officeId: number };

const input = { title: '党组理论学习中心组集中学习', day: '2026-11-25', start: '09:00', end: '11:30', place: '机关三楼会议室', leader: '办公室主任', hours: '3' };

beforeEach(async () => {
	db = testDb();
	tree = seedTree(db);
	const a = await addUser(db, { username: 'lishi.admin', role: 'office_admin', officeId: tree.lishi.id });
	admin = { id: a.id, role: 'office_admin', officeId: tree.lishi.id };
	member = { id: (await addUser(db, { username: 'lishi.m', officeId: tree.lishi.id })).id, officeId: tree.lishi.id };
	outsider = { id: (await addUser(db, { username: 'xiaoyi.m', officeId: tree.xiaoyi.id })).id, officeId: tree.xiaoyi.id };
});

function schedule(over: Record<string, unknown> = {}) {
	const r = scheduleSession(db, admin, { ...input, ...over } as never);
	if (!r.ok) throw new Error(JSON.stringify(r.errors));
	return db.select().from(studySessions).where(eq(studySessions.id, r.id)).get()!;
}

describe('study sessions', () => {
	it('validates the schedule form and notifies the office’s members', () => {
		expect(scheduleSession(db, admin, { ...input, title: '', end: '08:00' })).toMatchObject({ ok: false, errors: { title: expect.any(String), end: '结束时间须晚于开始时间' } });
		const s = schedule();
		expect(s.startsAt.toISOString()).toBe('2026-11-25T01:00:00.000Z');
		expect(listNotifications(db, member.id).map((n) => n.kind)).toEqual(['session']);
		expect(listNotifications(db, outsider.id)).toEqual([]);
	});

	it('check-in with the current code credits the session’s 学时 once', () => {
		const s = schedule();
		const during = new Date('2026-11-25T01:30:00Z');
		const r = checkIn(db, member, s.id, checkinCode(s, during), during);
		expect(r).toEqual({ ok: true, already: false, hours: 3, title: s.title });
		expect(checkIn(db, member, s.id, checkinCode(s, during), new Date(during.getTime() + 5000))).toMatchObject({ ok: true, already: true });
		expect(hoursInYear(db, member.id, 2026)).toBe(3);
		// The code of the previous minute still counts (a slow phone).
		const other = { id: admin.id, officeId: tree.lishi.id };
		expect(checkIn(db, other, s.id, checkinCode(s, new Date(during.getTime() - 60_000)), during)).toMatchObject({ ok: true });
	});

	it('refuses an expired code, another session’s code, a wrong code and an outsider', () => {
		const s = schedule();
		const t = schedule({ title: '另一场学习', place: '二楼' });
		const during = new Date('2026-11-25T01:30:00Z');
		expect(checkIn(db, member, s.id, checkinCode(s, new Date(during.getTime() - 5 * 60_000)), during)).toEqual({ ok: false, message: '签到码已过期，请输入屏幕上最新的签到码' });
		expect(checkIn(db, member, s.id, checkinCode(t, during), during)).toEqual({ ok: false, message: '这是另一场集中学习的签到码' });
		const wrong = String((Number(checkinCode(s, during)) + 1) % 1_000_000).padStart(6, '0');
		expect(checkIn(db, member, s.id, wrong, during)).toMatchObject({ ok: false });
		expect(checkIn(db, member, s.id, 'abc', during)).toEqual({ ok: false, message: '请输入 6 位数字签到码' });
		expect(checkIn(db, outsider, s.id, checkinCode(s, during), during)).toEqual({ ok: false, message: '你所在单位不在本次集中学习的参加范围内' });
		expect(checkIn(db, member, s.id, checkinCode(s, new Date('2026-11-25T05:00:00Z')), new Date('2026-11-25T05:00:00Z'))).toEqual({ ok: false, message: '签到已经结束' });
		expect(hoursInYear(db, member.id, 2026)).toBe(0);
	});

	it('members of invited offices may check in; the admin corrects attendance by hand', () => {
		const s = schedule({ invitedOfficeIds: [String(tree.xiaoyi.id)] });
		const during = new Date('2026-11-25T01:30:00Z');
		expect(checkIn(db, outsider, s.id, checkinCode(s, during), during)).toMatchObject({ ok: true });
		expect(setAttendance(db, admin, s.id, member.id, true)).toEqual({ ok: true });
		expect(roster(db, s.id).filter((r) => r.checkedInAt).map((r) => r.method).sort()).toEqual(['code', 'manual']);
		expect(hoursInYear(db, member.id, 2026)).toBe(3);
		expect(setAttendance(db, admin, s.id, member.id, false)).toEqual({ ok: true });
		expect(hoursInYear(db, member.id, 2026)).toBe(0);
		// An admin of another office cannot touch it.
		expect(setAttendance(db, { id: 0, role: 'office_admin', officeId: tree.xiaoyi.id }, s.id, member.id, true)).toMatchObject({ ok: false });
	});

	it('Shanghai wall-clock times convert to the right instant', () => {
		expect(shanghaiInstant('2027-01-01', '00:10').toISOString()).toBe('2026-12-31T16:10:00.000Z');
	});
});
