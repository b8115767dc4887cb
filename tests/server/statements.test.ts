// Statements on hot paths are prepared once per connection, in each domain's statements.ts
// (db/statements.ts), and run inside the caller's transaction.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { addUser, seedTree, testDb } from '../helpers/db';
import { users } from '../../src/lib/server/db/schema';
import { award, totalPoints } from '../../src/lib/server/points/ledger';
import { officeBoard } from '../../src/lib/server/points/board';
import { memberTable } from '../../src/lib/server/participation/dashboard';
import type { Db } from '../../src/lib/server/db';

let db: Db;
let tree: ReturnType<typeof seedTree>;
const NOW = new Date('2026-11-25T04:00:00Z');

beforeEach(() => {
	db = testDb();
	tree = seedTree(db);
});

const lesson = (userId: number, key: string) => ({
	userId,
	officeId: tree.lishi.id,
	rule: 'lesson_complete' as const,
	key,
	reason: '读完一课',
	at: NOW
});

describe('prepared statements in transactions', () => {
	it('an award in a transaction that fails is undone, board included, and the next award counts', async () => {
		const cadre = await addUser(db, { username: 'cadre', officeId: tree.lishi.id, name: '张三' });
		// The first use of the statements is inside the transaction (and one begun inside it).
		expect(() =>
			db.transaction((tx) =>
				tx.transaction((inner) => {
					expect(award(inner, lesson(cadre.id, 'lesson:1')).awarded).toBeGreaterThan(0);
					throw new Error('boom');
				})
			)
		).toThrow('boom');
		expect(totalPoints(db, cadre.id)).toBe(0);
		expect(officeBoard(db, tree.lishi.id, 'all', 1, 50, NOW).rows).toEqual([]);
		const again = db.transaction((tx) => award(tx, lesson(cadre.id, 'lesson:1')));
		expect(again.awarded).toBeGreaterThan(0);
		expect(totalPoints(db, cadre.id)).toBe(again.awarded);
		expect(officeBoard(db, tree.lishi.id, 'all', 1, 50, NOW).rows).toEqual([
			{ userId: cadre.id, name: '张三', points: again.awarded, rank: 1 }
		]);
	});
});

describe('the member table', () => {
	it('gives each member every figure by name, active as yes or no', async () => {
		const a = await addUser(db, { username: 'a', officeId: tree.lishi.id, name: '甲' });
		const b = await addUser(db, { username: 'b', officeId: tree.lishi.id, name: '乙' });
		db.transaction((tx) => award(tx, lesson(a.id, 'lesson:a')));
		db.update(users).set({ active: false }).where(eq(users.id, b.id)).run();
		const points = totalPoints(db, a.id);
		const figures = { officeName: '离石区人大常委会', lessons: 0, quizzes: 0, done: 0, overdue: 0, hours: 0 };
		expect(memberTable(db, [tree.lishi.id], { kind: 'all' }, NOW).rows).toEqual([
			{ userId: a.id, name: '甲', username: 'a', active: true, points, lastActive: '2026-11-25', ...figures }
		]);
		expect(
			memberTable(db, [tree.lishi.id, tree.xiaoyi.id], { kind: 'all', status: 'inactive' }, NOW).rows
		).toEqual([
			{ userId: b.id, name: '乙', username: 'b', active: false, points: 0, lastActive: null, ...figures }
		]);
	});
});

function files(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? files(path) : name.endsWith('.ts') ? [path] : [];
	});
}

describe('one way to prepare a statement', () => {
	it('server modules keep prepared and raw SQL reads in a statements.ts, and never reach into Drizzle', () => {
		// `.prepare(` prepares a statement, `.all<…>(sql…)`/`.get<…>` type raw SQL by assertion,
		// `session.client` is Drizzle's private connection.
		const offending = files('src/lib/server')
			.filter((file) => !file.endsWith('/statements.ts'))
			.filter((file) =>
				/\.prepare\(|\bprepared\(|\.(all|get|values)<|session\.client|connectionOf/.test(
					readFileSync(file, 'utf8')
				)
			);
		expect(offending, 'Keep them in <domain>/statements.ts with a row mapper (see db/statements.ts)').toEqual(
			[]
		);
	});
});
