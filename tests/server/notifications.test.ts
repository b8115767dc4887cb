import { beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { testDb, addUser, seedTree } from '../helpers/db';
import {
	labelled,
	listNotifications,
	notify,
	openNotification,
	quoted,
	unreadCount
} from '../../src/lib/server/notifications';
import { scheduleStudySession } from '../../src/lib/server/study-sessions';
import type { Db } from '../../src/lib/server/db';

let db: Db;
let tree: ReturnType<typeof seedTree>;
let me: { id: number };
let other: { id: number };

beforeEach(async () => {
	db = testDb();
	tree = seedTree(db);
	me = await addUser(db, { username: 'lishi.m', officeId: tree.lishi.id });
	other = await addUser(db, { username: 'lishi.n', officeId: tree.lishi.id });
});

function send(userId: number, key: string, href: string | null = '/tasks') {
	notify(db, { userId, kind: 'remind', title: `通知 ${key}`, href: href ?? undefined, dedupeKey: key });
	return listNotifications(db, userId).find((n) => n.dedupeKey === key)!;
}

describe('opening one notice', () => {
	it('marks that notice read, and only that one, and says where it points', () => {
		const a = send(me.id, 'a');
		send(me.id, 'b');
		expect(unreadCount(db, me.id)).toBe(2);
		expect(openNotification(db, me.id, a.id)).toEqual({ href: '/tasks' });
		expect(unreadCount(db, me.id)).toBe(1);
		const read = listNotifications(db, me.id).find((n) => n.id === a.id)!;
		expect(read.readAt).not.toBeNull();
		// Opening it again keeps the first reading time.
		expect(openNotification(db, me.id, a.id, new Date(read.readAt!.getTime() + 60_000))).toEqual({
			href: '/tasks'
		});
		expect(listNotifications(db, me.id).find((n) => n.id === a.id)!.readAt).toEqual(read.readAt);
	});

	it('another person’s notice, or none, is not found and stays unread', () => {
		const theirs = send(other.id, 'c');
		expect(openNotification(db, me.id, theirs.id)).toBeNull();
		expect(openNotification(db, me.id, 999_999)).toBeNull();
		expect(unreadCount(db, other.id)).toBe(1);
	});

	it('a notice that points nowhere opens as read with no link', () => {
		const n = send(me.id, 'd', null);
		expect(openNotification(db, me.id, n.id)).toEqual({ href: null });
		expect(unreadCount(db, me.id)).toBe(0);
	});
});

describe('notice titles say their label once', () => {
	it('a session whose title already starts with 集中学习 is announced without a second prefix', async () => {
		const adminRow = await addUser(db, {
			username: 'lishi.admin',
			role: 'office_admin',
			officeId: tree.lishi.id
		});
		const admin = {
			id: adminRow.id,
			name: adminRow.name,
			role: 'office_admin' as const,
			officeId: tree.lishi.id
		};
		const base = {
			day: '2026-11-25',
			start: '09:00',
			end: '12:00',
			place: '机关三楼会议室',
			leader: '办公室主任',
			hours: '3'
		};
		for (const title of ['集中学习：全面推进乡村振兴', '党组理论学习中心组集中学习', '学习宪法']) {
			const r = scheduleStudySession(db, admin, { ...base, title } as never);
			expect(r.ok).toBe(true);
		}
		const titles = listNotifications(db, me.id)
			.map((n) => n.title)
			.sort();
		expect(titles).toEqual(
			['党组理论学习中心组集中学习', '集中学习：全面推进乡村振兴', '集中学习：学习宪法'].sort()
		);
		expect(titles.some((t) => t.includes('集中学习：集中学习'))).toBe(false);
	});

	it('labelled and quoted add their mark only when it is missing; notify never stores a doubled label', () => {
		expect(labelled('集中学习', '集中学习：乡村振兴')).toBe('集中学习：乡村振兴');
		expect(labelled('集中学习', ' 乡村振兴 ')).toBe('集中学习：乡村振兴');
		expect(quoted('《民法典》')).toBe('《民法典》');
		expect(quoted('民法典学习班')).toBe('《民法典学习班》');
		notify(db, {
			userId: me.id,
			kind: 'session',
			title: '集中学习：集中学习：集中学习：宪法',
			dedupeKey: 'x'
		});
		expect(listNotifications(db, me.id)[0]!.title).toBe('集中学习：宪法');
	});

	it('the migration repairs notices already stored with the label twice, and nothing else', () => {
		const insert = db.$client.prepare(
			`INSERT INTO notifications (user_id, kind, title, body, dedupe_key, created_at) VALUES (?, 'session', ?, '', ?, 0)`
		);
		insert.run(me.id, '集中学习：集中学习：全面推进乡村振兴', 'm1');
		insert.run(me.id, '集中学习：学习宪法', 'm2');
		db.$client.exec(readFileSync('drizzle/0019_notice_titles_once.sql', 'utf8'));
		expect(
			listNotifications(db, me.id)
				.map((n) => n.title)
				.sort()
		).toEqual(['集中学习：全面推进乡村振兴', '集中学习：学习宪法']);
	});
});
