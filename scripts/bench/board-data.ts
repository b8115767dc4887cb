// The board benchmark's database: 100,000 users in 200 offices and 10 million points
// ledger rows over ~400 days, written with raw better-sqlite3 prepared statements (no
// journal, no fsync, secondary indexes dropped during the load) so it takes minutes.
// points_period is then filled by the app's own rebuildPeriods.
import type Database from 'better-sqlite3';
import { hashPassword } from '../../src/lib/server/auth/password';
import { syncContent } from '../../src/lib/server/content/sync';
import { createDb, migrateDb } from '../../src/lib/server/db';
import { rebuildPeriods } from '../../src/lib/server/points/periods';
import { generateTalks } from './board-talks';
import { POINT_RULES, type RuleKey } from '../../src/lib/server/points/rules';
import { fictionalName, rng, TITLES } from '../../src/lib/server/seed/people';
import { shanghaiDay, shanghaiMidnight } from '../../src/lib/server/time';

export const BOARD_PASSWORD = 'Bench#2026';

export interface BoardDataOptions {
	users: number;
	offices: number;
	ledgerRows: number;
	days: number;
	now: Date;
	/** Progress messages (to stderr). */
	log: (message: string) => void;
}

export interface KnownUser {
	id: number;
	username: string;
	officeId: number;
}

export interface BoardData {
	/** Office admin of 测试单位001 (a leaf office of 1/200 of the users). */
	admin: KnownUser;
	/** A cadre of 测试单位001 with an average history. */
	cadre: KnownUser;
	/** Office admin of the root office: their dashboard rolls up all 100,000 users. */
	rootAdmin: KnownUser;
	ledgerRows: number;
	periodRows: number;
	/** Milliseconds per step, for the report. */
	timings: Record<string, number>;
}

const DAY_MS = 86_400_000;
// A user's active day earns ~4 ledger rows on average (a daily practice, a few lessons).
const ROWS_PER_ACTIVE_DAY = 4;
// Nobody plausibly earns more: 5 rows on each of 400 days.
const MAX_ROWS_PER_USER = 2_000;
// Share of users who never earned a point (new, or never logged in).
const IDLE_SHARE = 0.12;
const INACTIVE_SHARE = 0.01;

const RULES: RuleKey[] = [
	'lesson_complete',
	'daily_practice',
	'quiz_first_pass',
	'quiz_perfect',
	'reflection'
];
const [LESSON, DAILY, QUIZ_PASS, QUIZ_PERFECT, REFLECTION] = [0, 1, 2, 3, 4] as const;
// Multi-row INSERTs: 8 bound columns × 500 rows stays far below SQLite's 32,766 variables.
const ROWS_PER_INSERT = 500;
const LEDGER_COLUMNS = 8;
const ROWS_PER_TRANSACTION = 1_000_000;

function since(t0: number): number {
	return Math.round(performance.now() - t0);
}

/** Standard normal from two uniforms (Box–Muller). */
function normal(random: () => number): number {
	return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** The secondary indexes of a table, to drop before a bulk load and re-create after it. */
function takeIndexes(sqlite: Database.Database, table: string): string[] {
	const rows = sqlite
		.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL")
		.all(table) as { name: string; sql: string }[];
	for (const r of rows) sqlite.exec(`DROP INDEX "${r.name}"`);
	return rows.map((r) => r.sql);
}

/**
 * Per-user row quotas summing exactly to `total`: a skewed (log-normal) spread, a
 * share of idle users with none, capped at what one person could plausibly earn.
 */
function quotas(users: number, total: number, random: () => number, keep: Set<number>): Int32Array {
	const weights = new Float64Array(users);
	let sum = 0;
	for (let u = 0; u < users; u++) {
		if (!keep.has(u) && random() < IDLE_SHARE) continue;
		weights[u] = Math.exp(0.9 * normal(random));
		sum += weights[u]!;
	}
	const out = new Int32Array(users);
	let assigned = 0;
	for (let u = 0; u < users; u++) {
		out[u] = Math.min(MAX_ROWS_PER_USER, Math.round((weights[u]! / sum) * total));
		assigned += out[u]!;
	}
	// Rounding and the cap leave a difference: spread it one row at a time over users who already earn.
	while (assigned !== total) {
		const u = Math.floor(random() * users);
		if (weights[u] === 0) continue;
		const step = assigned < total ? 1 : -1;
		if ((step > 0 && out[u]! >= MAX_ROWS_PER_USER) || (step < 0 && out[u]! <= 1)) continue;
		out[u]! += step;
		assigned += step;
	}
	return out;
}

/** Ledger events as parallel typed arrays (10M objects would cost gigabytes and GC time). */
interface Events {
	user: Int32Array; // index into the users, 0-based
	day: Int16Array; // 0 = oldest day
	rule: Uint8Array; // index into RULES
	points: Uint8Array;
	seq: Int32Array; // lesson / module / reflection number, for the key and the reason
	second: Int32Array; // second of the Shanghai day
}

/**
 * Each user's history under the real rules: at most one daily practice (1–5 points)
 * and six lesson points per day, one reflection per day, a quiz pass per module with
 * sometimes a perfect score on the same day. Days are spread over the whole window.
 */
function generateEvents(
	quota: Int32Array,
	total: number,
	days: number,
	todaySeconds: number,
	random: () => number
): Events {
	const ev: Events = {
		user: new Int32Array(total),
		day: new Int16Array(total),
		rule: new Uint8Array(total),
		points: new Uint8Array(total),
		seq: new Int32Array(total),
		second: new Int32Array(total)
	};
	const pool = Int16Array.from({ length: days }, (_, i) => i);
	const dailyUsed = new Uint8Array(days);
	const reflectionUsed = new Uint8Array(days);
	const lessons = new Uint8Array(days);
	const dailyCap = POINT_RULES.daily_practice.dailyCap;
	const lessonCap = POINT_RULES.lesson_complete.dailyCap / POINT_RULES.lesson_complete.points;
	let n = 0;
	let reflectionSeq = 0;
	const push = (u: number, day: number, rule: number, points: number, seq: number) => {
		ev.user[n] = u;
		ev.day[n] = day;
		ev.rule[n] = rule;
		ev.points[n] = points;
		ev.seq[n] = seq;
		// Working hours 07:30–22:30 Shanghai; today only up to now.
		ev.second[n] =
			day === days - 1 ? Math.floor(random() * todaySeconds) : 27_000 + Math.floor(random() * 54_000);
		n++;
	};
	for (let u = 0; u < quota.length; u++) {
		let left = quota[u]!;
		if (left === 0) continue;
		const active = Math.min(days, Math.max(1, Math.round(left / ROWS_PER_ACTIVE_DAY)));
		// Partial Fisher–Yates: the first `active` entries of the pool become this user's days.
		for (let i = 0; i < active; i++) {
			const j = i + Math.floor(random() * (days - i));
			const t = pool[i]!;
			pool[i] = pool[j]!;
			pool[j] = t;
			dailyUsed[i] = 0;
			reflectionUsed[i] = 0;
			lessons[i] = 0;
		}
		let lessonSeq = 0;
		let moduleSeq = 0;
		while (left > 0) {
			const i = Math.floor(random() * active);
			const day = pool[i]!;
			const r = random();
			// Rule mix by rows: ~25% daily practice, ~3% reflections, ~5% quiz passes (+ perfect scores), the rest lessons.
			// A draw that hits a used-up cap is simply drawn again.
			if (r < 0.25) {
				if (dailyUsed[i]) continue;
				dailyUsed[i] = 1;
				// Most people answer most of the five questions right.
				push(u, day, DAILY, Math.min(dailyCap, 1 + Math.floor(Math.sqrt(random()) * dailyCap)), 0);
				left--;
			} else if (r < 0.28) {
				if (reflectionUsed[i]) continue;
				reflectionUsed[i] = 1;
				push(u, day, REFLECTION, POINT_RULES.reflection.points, ++reflectionSeq);
				left--;
			} else if (r < 0.33 || (lessons[i]! >= lessonCap && random() < 0.2)) {
				moduleSeq++;
				push(u, day, QUIZ_PASS, POINT_RULES.quiz_first_pass.points, moduleSeq);
				left--;
				if (left > 0 && random() < 0.35) {
					push(u, day, QUIZ_PERFECT, POINT_RULES.quiz_perfect.points, moduleSeq);
					left--;
				}
			} else if (lessons[i]! < lessonCap) {
				lessons[i]!++;
				push(u, day, LESSON, POINT_RULES.lesson_complete.points, ++lessonSeq);
				left--;
			}
		}
	}
	if (n !== total) throw new Error(`generated ${n} ledger events, expected ${total}`);
	return ev;
}

/** Event indexes in time order (day, then second), so ledger ids grow with time as in production. */
function timeOrder(ev: Events): Float64Array {
	// day × 86,400 + second fits in 25 bits and the index in 24: the pair sorts exactly as one double.
	const keys = new Float64Array(ev.user.length);
	for (let i = 0; i < keys.length; i++) keys[i] = (ev.day[i]! * 86_400 + ev.second[i]!) * 16_777_216 + i;
	return keys.sort();
}

export async function generateBoardDb(path: string, o: BoardDataOptions): Promise<BoardData> {
	if (o.ledgerRows >= 16_777_216) throw new Error('ledgerRows must stay below 2^24 (see timeOrder)');
	// The known users sit in the first child office: it must exist and have room for them.
	if (o.offices < 2 || o.users < 2 * o.offices)
		throw new Error('need at least 2 offices and 2 users per office');
	const timings: Record<string, number> = {};
	let t0 = performance.now();
	const db = createDb(path);
	migrateDb(db);
	syncContent(db, undefined, o.now);
	const sqlite = db.$client;
	timings.migrate_and_content_ms = since(t0);

	// Bulk-load settings for this connection only; WAL is restored before the app opens the file.
	sqlite.pragma('journal_mode = OFF');
	sqlite.pragma('synchronous = OFF');
	sqlite.pragma('foreign_keys = OFF');
	// Two sorter threads for CREATE INDEX and rebuildPeriods' GROUP BY. The sorter works best
	// with the default small page cache and file temp storage: with a 4 GB cache and
	// temp_store=MEMORY the same GROUP BY ran single-threaded and 3–4 times slower.
	sqlite.pragma('threads = 2');

	t0 = performance.now();
	const random = rng(20_261_124);
	const createdAt = o.now.getTime() - 450 * DAY_MS;
	const officeIds: number[] = [];
	const codes: string[] = [];
	sqlite.transaction(() => {
		const insert = sqlite.prepare(
			'INSERT INTO offices (id, name, code, parent_id, sort_order, created_at) VALUES (?, ?, ?, ?, ?, ?)'
		);
		for (let i = 0; i < o.offices; i++) {
			const num = String(i).padStart(3, '0');
			insert.run(i + 1, `测试单位${num}`, `b${num}`, i === 0 ? null : 1, i, createdAt);
			officeIds.push(i + 1);
			codes.push(`b${num}`);
		}
	})();

	// One shared hash: hashing 100,000 passwords would take longer than everything else.
	const hash = await hashPassword(BOARD_PASSWORD);
	const perOffice = Math.ceil(o.users / o.offices);
	// Users are numbered office by office; id = index + 1. The known users sit in 测试单位001 and the root.
	const officeOfUser = new Int32Array(o.users);
	const known = { rootAdmin: 0, admin: perOffice, cadre: perOffice + 1 };
	const usernames = new Map<number, string>([
		[known.rootAdmin, 'bench.root'],
		[known.admin, 'bench.admin'],
		[known.cadre, 'bench.cadre']
	]);
	sqlite.transaction(() => {
		const insert = sqlite.prepare(
			`INSERT INTO users (id, username, name, role, office_id, title, phone, password_hash, must_change_password, active, created_at, updated_at)
			 VALUES (?, ?, ?, ?, ?, ?, '', ?, 0, ?, ?, ?)`
		);
		for (let u = 0; u < o.users; u++) {
			const office = Math.min(o.offices - 1, Math.floor(u / perOffice));
			officeOfUser[u] = officeIds[office]!;
			const special = usernames.get(u);
			const role = u === known.rootAdmin || u === known.admin ? 'office_admin' : 'cadre';
			const active = special || random() >= INACTIVE_SHARE ? 1 : 0;
			const username = special ?? `${codes[office]}.${String(u % perOffice).padStart(4, '0')}`;
			const title = TITLES[Math.floor(random() * TITLES.length)]!;
			insert.run(
				u + 1,
				username,
				fictionalName(random),
				role,
				officeIds[office],
				title,
				hash,
				active,
				createdAt,
				createdAt
			);
		}
	})();
	timings.offices_and_users_ms = since(t0);
	o.log(`${o.offices} offices and ${o.users} users in ${timings.offices_and_users_ms} ms (hash included)`);

	t0 = performance.now();
	const todayStart = shanghaiMidnight(shanghaiDay(o.now)).getTime();
	const todaySeconds = Math.max(1, Math.floor((o.now.getTime() - todayStart) / 1000));
	const dayNames: string[] = [];
	const dayStarts: number[] = [];
	for (let d = 0; d < o.days; d++) {
		const name = shanghaiDay(new Date(todayStart - (o.days - 1 - d) * DAY_MS + 12 * 3_600_000));
		dayNames.push(name);
		dayStarts.push(shanghaiMidnight(name).getTime());
	}
	const quota = quotas(o.users, o.ledgerRows, random, new Set([known.admin, known.cadre, known.rootAdmin]));
	const ev = generateEvents(quota, o.ledgerRows, o.days, todaySeconds, random);
	const order = timeOrder(ev);
	timings.generate_events_ms = since(t0);
	o.log(`${o.ledgerRows} ledger events generated and put in time order in ${timings.generate_events_ms} ms`);

	// Real titles in the reasons, cycled: the reasons read like production ones.
	const lessonTitles = (
		sqlite.prepare('SELECT title FROM lessons ORDER BY id').all() as { title: string }[]
	).map((r) => r.title);
	const moduleTitles = (
		sqlite.prepare('SELECT title FROM modules ORDER BY id').all() as { title: string }[]
	).map((r) => r.title);
	if (lessonTitles.length === 0 || moduleTitles.length === 0)
		throw new Error('no content: is content/ in place?');

	t0 = performance.now();
	const ledgerIndexes = takeIndexes(sqlite, 'points_ledger');
	const values = `(${Array(LEDGER_COLUMNS).fill('?').join(', ')})`;
	const insertSql = (rows: number) =>
		`INSERT INTO points_ledger (user_id, office_id, rule, points, reason, idempotency_key, created_at, day) VALUES ${Array(rows).fill(values).join(', ')}`;
	const insertMany = sqlite.prepare(insertSql(ROWS_PER_INSERT));
	const params: (string | number)[] = new Array(ROWS_PER_INSERT * LEDGER_COLUMNS);
	const fill = (at: number, i: number) => {
		const u = ev.user[i]!;
		const day = ev.day[i]!;
		const rule = ev.rule[i]!;
		const points = ev.points[i]!;
		const seq = ev.seq[i]!;
		const userId = u + 1;
		let reason: string;
		let key: string;
		switch (rule) {
			case LESSON:
				reason = `完成课程《${lessonTitles[seq % lessonTitles.length]}》`;
				key = `lesson:${userId}:${seq}`;
				break;
			case DAILY:
				reason = `每日一练答对 ${points} 题`;
				key = `daily:${userId}:${dayNames[day]}`;
				break;
			case QUIZ_PASS:
				reason = `《${moduleTitles[seq % moduleTitles.length]}》测验首次及格`;
				key = `quiz-pass:${userId}:${seq}`;
				break;
			case QUIZ_PERFECT:
				reason = `《${moduleTitles[seq % moduleTitles.length]}》测验满分`;
				key = `quiz-perfect:${userId}:${seq}`;
				break;
			default:
				reason = `提交心得体会《学习心得${seq}》`;
				key = `reflection:${seq}`;
		}
		const p = at * LEDGER_COLUMNS;
		params[p] = userId;
		params[p + 1] = officeOfUser[u]!;
		params[p + 2] = RULES[rule]!;
		params[p + 3] = points;
		params[p + 4] = reason;
		params[p + 5] = key;
		params[p + 6] = dayStarts[day]! + ev.second[i]! * 1000 + (i % 1000);
		params[p + 7] = dayNames[day]!;
	};
	const indexOf = (k: number) => order[k]! % 16_777_216;
	for (let start = 0; start < o.ledgerRows; start += ROWS_PER_TRANSACTION) {
		const end = Math.min(o.ledgerRows, start + ROWS_PER_TRANSACTION);
		sqlite.transaction(() => {
			let k = start;
			for (; k + ROWS_PER_INSERT <= end; k += ROWS_PER_INSERT) {
				for (let r = 0; r < ROWS_PER_INSERT; r++) fill(r, indexOf(k + r));
				insertMany.run(params);
			}
			const rest = end - k;
			if (rest > 0) {
				for (let r = 0; r < rest; r++) fill(r, indexOf(k + r));
				sqlite.prepare(insertSql(rest)).run(params.slice(0, rest * LEDGER_COLUMNS));
			}
		})();
		o.log(`ledger: ${end} rows (${since(t0)} ms)`);
	}
	timings.insert_ledger_ms = since(t0);

	t0 = performance.now();
	for (const statement of ledgerIndexes) sqlite.exec(statement);
	timings.ledger_indexes_ms = since(t0);
	o.log(`ledger indexes re-created in ${timings.ledger_indexes_ms} ms`);

	// The aggregates come from the app's own rebuild SQL; only the board index is built after it.
	t0 = performance.now();
	const periodIndexes = takeIndexes(sqlite, 'points_period');
	sqlite.transaction(() => rebuildPeriods(db))();
	timings.rebuild_periods_ms = since(t0);
	o.log(`rebuildPeriods in ${timings.rebuild_periods_ms} ms`);
	t0 = performance.now();
	for (const statement of periodIndexes) sqlite.exec(statement);
	timings.period_indexes_ms = since(t0);
	o.log(`points_period indexes re-created in ${timings.period_indexes_ms} ms`);

	t0 = performance.now();
	const talks = generateTalks(sqlite, { offices: o.offices, perOffice, days: o.days, now: o.now }, random);
	o.log(`${talks} 宣讲 talks in ${since(t0)} ms`);

	const count = (table: string) =>
		(sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
	const ledgerRows = count('points_ledger');
	const periodRows = count('points_period');
	const problems = sqlite.pragma('foreign_key_check') as unknown[];
	if (problems.length > 0) throw new Error(`${problems.length} foreign key problems after the bulk load`);
	sqlite.pragma('journal_mode = WAL');
	sqlite.close();

	const user = (u: number): KnownUser => ({
		id: u + 1,
		username: usernames.get(u)!,
		officeId: officeOfUser[u]!
	});
	return {
		admin: user(known.admin),
		cadre: user(known.cadre),
		rootAdmin: user(known.rootAdmin),
		ledgerRows,
		periodRows,
		timings
	};
}

/** The known users of a database made earlier by generateBoardDb (BENCH_BOARD_DB reuse). */
export function findKnownUsers(path: string): Pick<BoardData, 'admin' | 'cadre' | 'rootAdmin'> {
	const db = createDb(path);
	try {
		const find = (username: string): KnownUser => {
			const row = db.$client
				.prepare('SELECT id, username, office_id AS officeId FROM users WHERE username = ?')
				.get(username) as KnownUser | undefined;
			if (!row) throw new Error(`${path} has no user ${username}: not a board benchmark database`);
			return row;
		};
		return { admin: find('bench.admin'), cadre: find('bench.cadre'), rootAdmin: find('bench.root') };
	} finally {
		db.$client.close();
	}
}
