import { describe, expect, it } from 'vitest';
import { appDatabase, get, loginCookie, post } from './http';

/** The first column of the first row, read from the running app's database. */
function one(sql: string, ...params: unknown[]) {
	const db = appDatabase();
	try {
		return db
			.prepare(sql)
			.pluck()
			.get(...params) as number | string;
	} finally {
		db.close();
	}
}

/** The messages shown beside the fields of a form page. */
function fieldErrors(html: string): string[] {
	return [...html.matchAll(/<span class="error[^"]*"[^>]*>([^<]*)</g)].map((m) => m[1]!);
}

describe('search input', () => {
	it('answers every odd query with a page, never a 500', async () => {
		const cookie = await loginCookie('lishi.cadre');
		const queries = [
			'%00abc',
			'%00',
			'abc%00def',
			'%22',
			'%22%22%22',
			'%22%E7%A5%A8%E5%86%B3',
			'*',
			'%E7%A5%A8*',
			'NEAR',
			'NEAR(a%20b)',
			'a%20AND%20b',
			'AND',
			'%02%E7%A5%A8%E5%86%B3%E5%88%B6%03',
			'%ED%A0%80abc',
			'x'.repeat(500)
		];
		for (const q of queries) {
			const res = await get(`/search?q=${q}`, cookie);
			expect(res.status, q).toBe(200);
			expect(await res.text(), q).toContain('搜索');
		}
		// The NUL is dropped, not taken as the end of the query.
		expect(await (await get('/search?q=%00%E7%A5%A8%E5%86%B3%E5%88%B6', cookie)).text()).toContain(
			'<mark>票决制</mark>'
		);
	});
});

describe('dates that do not exist', () => {
	it('a study session on 30 February is refused beside the date field, and nothing is written', async () => {
		const cookie = await loginCookie('lishi.admin');
		const title = '二月三十日的集中学习';
		const res = await post(
			'/office/study-sessions/new',
			{ title, day: '2026-02-30', start: '09:00', end: '12:00', place: '会议室', leader: '主任', hours: '3' },
			cookie
		);
		expect(res.status).toBe(400);
		expect(await res.text()).toContain('日期不存在');
		expect(one('SELECT count(*) FROM study_sessions WHERE title = ?', title)).toBe(0);
	});

	it('a course due on 31 April is refused, not stored as given', async () => {
		const cookie = await loginCookie('dangxiao');
		const title = '四月三十一日截止的专题班';
		const moduleId = String(one('SELECT id FROM modules WHERE archived_at IS NULL LIMIT 1'));
		const res = await post(
			'/school/courses/new',
			{
				title,
				hours: '2',
				required: 'elective',
				opensOn: '2026-04-01',
				dueOn: '2026-04-31',
				moduleIds: moduleId
			},
			cookie
		);
		expect(res.status).toBe(400);
		expect(await res.text()).toContain('截止日期不存在');
		expect(one('SELECT count(*) FROM courses WHERE title = ?', title)).toBe(0);
	});
});

describe('messages on the sysadmin forms', () => {
	it('an office or school form posted without its fields answers in Chinese, naming each field', async () => {
		const cookie = await loginCookie('admin');
		const offices = one('SELECT count(*) FROM offices');
		const office = await post('/admin/offices', {}, cookie);
		expect(office.status).toBe(400);
		const officePage = await office.text();
		expect(fieldErrors(officePage)).toEqual(['请填写单位名称（至少 2 个字）', '请填写单位代码']);
		const sorted = await post(
			'/admin/offices',
			{ name: '测试排序单位', code: 'sorttest', sortOrder: '-5' },
			cookie
		);
		expect(sorted.status).toBe(400);
		expect(await sorted.text()).toContain('排序为 0–9999 的整数');
		expect(one('SELECT count(*) FROM offices')).toBe(offices);

		const school = await post('/admin/schools', {}, cookie);
		expect(school.status).toBe(400);
		const schoolPage = await school.text();
		expect(fieldErrors(schoolPage)).toEqual(['请填写党校名称（至少 2 个字）']);
	});
});
