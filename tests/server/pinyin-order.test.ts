import { beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { addUser, seedTree, testDb } from '../helpers/db';
import { fillNameKeys, nameKey } from '../../src/lib/server/users/name-key';
import { listMembers } from '../../src/lib/server/users/members';
import { listAccounts } from '../../src/lib/server/users/accounts';
import { memberTable } from '../../src/lib/server/participation/dashboard';
import {
	csvStream,
	exportHeading,
	memberQueryLines,
	memberSheet
} from '../../src/lib/server/participation/export';
import { award } from '../../src/lib/server/points/ledger';
import { syncContent } from '../../src/lib/server/content/sync';
import { courseModuleList, saveCourse } from '../../src/lib/server/courses/courses';
import { courseInputFrom } from '../../src/lib/server/courses/form';
import { modules, schools, users } from '../../src/lib/server/db/schema';
import type { Db } from '../../src/lib/server/db';

let db: Db;
let tree: ReturnType<typeof seedTree>;
let admin: Awaited<ReturnType<typeof addUser>>;

// In code-point order (任 冯 成 曹 李 单 曾) these come out scrambled; 单 and 曾 are read as surnames (shan, zeng).
const NAMES = ['任敏', '冯刚', '成龙', '曹雪', '李明', '单田芳', '曾国藩'];
const PINYIN = ['曹雪', '成龙', '冯刚', '李明', '任敏', '单田芳', '曾国藩'];
const NOW = new Date('2026-11-25T04:00:00Z'); // 12:00 in Shanghai

beforeEach(async () => {
	db = testDb();
	tree = seedTree(db);
	admin = await addUser(db, {
		username: 'lishi.admin',
		role: 'office_admin',
		officeId: tree.lishi.id,
		name: '阿管理'
	});
	let i = 0;
	for (const name of NAMES) await addUser(db, { username: `m${i++}`, officeId: tree.lishi.id, name });
});

const cadreNames = (rows: { name: string }[]) => rows.map((r) => r.name).filter((n) => n !== '阿管理');

describe('names in pinyin order', () => {
	it('the sort key is pinyin with tone, character by character, surnames read as surnames', () => {
		expect(nameKey('单田芳')).toBe('shan4 单 tian2 田 fang1 芳');
		expect(nameKey('曾国藩')).toBe('zeng1 曾 guo2 国 fan1 藩');
		expect(nameKey('吕布')).toBe('lv3 吕 bu4 布');
		// By syllable first (li before lin), then tone, and one surname's people together.
		const names = ['林一', '李明', '程亚楠', '成龙', '黎明', '程建华', '李'];
		const keyed = [...names].sort((a, b) => (nameKey(a) < nameKey(b) ? -1 : 1));
		expect(keyed).toEqual(['成龙', '程建华', '程亚楠', '黎明', '李', '李明', '林一']);
		expect(keyed).toEqual([...names].sort(new Intl.Collator('zh-Hans-CN-u-co-pinyin').compare));
	});

	it('the members list, the accounts list and the member table sort 曹 成 冯 李 任, across pages', () => {
		expect(cadreNames(listMembers(db, admin, {}).rows)).toEqual(PINYIN);
		expect(cadreNames(listAccounts(db, {}).rows)).toEqual(PINYIN);
		const page = (n: number, desc: boolean) =>
			memberTable(db, [tree.lishi.id], { kind: 'month', sort: 'name', desc, page: n, pageSize: 3 }, NOW).rows;
		const ascending = [1, 2, 3].flatMap((n) => page(n, false));
		expect(cadreNames(ascending)).toEqual(PINYIN);
		expect(cadreNames([1, 2, 3].flatMap((n) => page(n, true)))).toEqual([...PINYIN].reverse());
	});

	it('rows written without a key (older databases, scripts) get one at start-up', () => {
		db.update(users).set({ nameKey: null }).run();
		expect(fillNameKeys(db)).toBe(NAMES.length + 1);
		expect(fillNameKeys(db)).toBe(0);
		expect(cadreNames(listMembers(db, admin, {}).rows)).toEqual(PINYIN);
	});
});

describe('the dashboard export is the table as shown, and says what it is', () => {
	const give = (userId: number, points: number) =>
		db.transaction((tx) =>
			award(tx, {
				userId,
				officeId: tree.lishi.id,
				rule: 'quiz_first_pass',
				key: `t:${userId}`,
				reason: '测试',
				at: NOW,
				points
			})
		);

	async function exported(opts: Parameters<typeof memberSheet>[2]) {
		const heading = exportHeading(
			{ title: '成员参学情况', office: '离石区人大常委会', kind: opts.kind, lines: memberQueryLines(opts) },
			NOW
		);
		const text = await new Response(
			csvStream(memberSheet(db, [tree.lishi.id], opts, NOW, heading.preamble))
		).text();
		return {
			heading,
			lines: parse(text.replace(/^\uFEFF/, ''), {
				relax_column_count: true,
				skip_empty_lines: true
			}) as string[][]
		};
	}

	it('names in pinyin order when sorted by name, with office, period, filters, sort and export time above the table', async () => {
		const { heading, lines } = await exported({ kind: 'month', sort: 'name', desc: false });
		expect(lines.slice(0, 5).map((l) => l[0])).toEqual([
			'离石区人大常委会 成员参学情况',
			'统计周期：本月（2026-11）',
			'筛选：全部在用成员',
			'排序：姓名（拼音） A→Z',
			'导出时间：2026年11月25日 12:00（北京时间）'
		]);
		expect(lines[5]![0]).toBe('姓名');
		expect(
			lines
				.slice(6)
				.map((l) => l[0])
				.filter((n) => n !== '阿管理')
		).toEqual(PINYIN);
		expect(heading.fileName).toBe('离石区人大常委会-成员参学情况-本月2026-11-导出于2026-11-25');
	});

	it('the filter and sort of the screen: only members who studied, most points first', async () => {
		const members = db.select().from(users).all();
		const id = (name: string) => members.find((u) => u.name === name)!.id;
		give(id('李明'), 5);
		give(id('曾国藩'), 9);
		const { heading, lines } = await exported({
			kind: 'week',
			status: 'studying',
			q: '',
			sort: 'points',
			desc: true
		});
		expect(lines.slice(1, 4).map((l) => l[0])).toEqual([
			'统计周期：本周（2026-11-23 至 2026-11-29）',
			'筛选：本期有学习',
			'排序：本期积分 从高到低'
		]);
		expect(lines.slice(6).map((l) => [l[0], l[3]])).toEqual([
			['曾国藩', '9'],
			['李明', '5']
		]);
		expect(heading.fileName).toContain('本周2026-11-23至2026-11-29');
	});
});

describe('course modules', () => {
	it('are stored in the order the author gave, not the order of the page', async () => {
		syncContent(db, 'content');
		const [a, b, c, d] = db
			.select({ id: modules.id })
			.from(modules)
			.all()
			.map((m) => String(m.id));
		const schoolRow = db.insert(schools).values({ name: '中共吕梁市委党校' }).returning().get();
		const schoolAdmin = await addUser(db, { username: 'dx', role: 'school_admin' });
		const form = new FormData();
		for (const [k, v] of Object.entries({
			title: '顺序专题班',
			description: '',
			hours: '2',
			required: 'required',
			opensOn: '2026-11-01',
			dueOn: '2026-12-01'
		}))
			form.set(k, v);
		// Ticked c, then a, then b; the checkboxes still arrive in page order (a, b, c).
		for (const id of [a!, b!, c!]) form.append('moduleIds', id);
		form.set(`order.${c}`, '1');
		form.set(`order.${a}`, '2');
		form.set(`order.${b}`, '3');
		// An unticked module's number is ignored.
		form.set(`order.${d}`, '4');
		const input = courseInputFrom(form);
		expect(input.moduleIds).toEqual([c, a, b]);
		const saved = saveCourse(
			db,
			{ id: schoolAdmin.id, role: 'school_admin', schoolId: schoolRow.id, officeId: null } as never,
			input
		);
		expect(saved.ok).toBe(true);
		if (!saved.ok) return;
		expect(courseModuleList(db, saved.id).map((m) => String(m.id))).toEqual([c, a, b]);
		// Without numbers (no JavaScript, none typed) the page order is kept; numbered ones come first.
		const partial = new FormData();
		for (const id of [a!, b!, c!]) partial.append('moduleIds', id);
		partial.set(`order.${c}`, '1');
		expect(courseInputFrom(partial).moduleIds).toEqual([c, a, b]);
	});
});
