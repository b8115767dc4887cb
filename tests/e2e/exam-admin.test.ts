import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createDb } from '../../src/lib/server/db';
import { saveExamAnswer, startExam, submitExam } from '../../src/lib/server/exams';
import { appDatabase, baseURL, get, loginCookie, post } from './http';
import { DESKTOP, PHONE, launchBrowser, loginThroughForm, snapshot } from './browser';
import { createExamFixture, type ExamFixture } from './exam-fixture';

/**
 * The exam admin pages (内容编写 → 试卷 / 考试) as the party school's admin uses them: the paper
 * editor and the exam form refuse bad input beside the field with what was typed kept and
 * nothing written, the editor's edits work without JavaScript, and the dashboard, the grading
 * page (anonymous: 答卷编号 only), the 成绩单 export and the printable 成绩单 render.
 */

const ADMIN = 'dangxiao';
/** 中阳县 cadres no other test uses: one sits the exam, one stays away. */
let sitter = '';
let absentee = '';
let cookie = '';
let browser: Browser;

function one<T>(query: string, ...params: unknown[]): T {
	const db = appDatabase();
	try {
		return db
			.prepare(query)
			.pluck()
			.get(...params) as T;
	} finally {
		db.close();
	}
}

const count = (table: string) => one<number>(`SELECT count(*) FROM ${table}`);

/** The message shown beside a field (Field.svelte: `<span class="error" id="f-<name>-error">`). */
function besideField(html: string, name: string): string | null {
	const escaped = name.replace(/[.]/g, '\\.');
	return new RegExp(`id="f-${escaped}-error"[^>]*>([^<]*)<`).exec(html)?.[1] ?? null;
}

/** A page's text as read: tags and Svelte's markers gone, white space collapsed. */
const textOf = (html: string) =>
	html
		.replace(/<!--[\s\S]*?-->/g, '')
		.replace(/<[^>]+>/g, ' ')
		.replace(/\s+/g, ' ');

/** Whether the field's input is marked invalid and still holds `value`. */
function fieldHolds(html: string, name: string, value: string): boolean {
	const tag = new RegExp(`<input[^>]*id="f-${name.replace(/[.]/g, '\\.')}"[^>]*>`).exec(html)?.[0] ?? '';
	return tag.includes(`value="${value}"`) && tag.includes('aria-invalid="true"');
}

/** A live single-choice question of a built-in module with fewer than 100 of them, and how many it has. */
function singlesModule(): { moduleId: number; questionId: number; singles: number } {
	const db = appDatabase();
	try {
		return db
			.prepare(
				`SELECT m.id AS moduleId, min(q.id) AS questionId, count(*) AS singles FROM modules m
				 JOIN questions q ON q.module_id = m.id AND q.type = 'single' AND q.archived_at IS NULL
				 WHERE m.archived_at IS NULL AND m.owner_school_id IS NULL AND m.owner_office_id IS NULL
				 GROUP BY m.id HAVING count(*) < 99 ORDER BY m.sort_order LIMIT 1`
			)
			.get() as { moduleId: number; questionId: number; singles: number };
	} finally {
		db.close();
	}
}

const FIXED_PAPER = (questionId: number, passMark: string, title = '超出总分的试卷') => ({
	title,
	instructions: '',
	passMark,
	'sections.0.kind': 'fixed',
	'sections.0.title': '一、单项选择题',
	'sections.0.instructions': '',
	'sections.0.items.0.questionId': String(questionId),
	'sections.0.items.0.points': '2'
});

beforeAll(async () => {
	const db = appDatabase();
	try {
		const two = db
			.prepare(
				`SELECT username FROM users WHERE office_id = (SELECT id FROM offices WHERE code = 'zhongyang')
				 AND role = 'cadre' AND active = 1 AND must_change_password = 0 ORDER BY username LIMIT 2`
			)
			.pluck()
			.all() as string[];
		sitter = two[0] ?? '';
		absentee = two[1] ?? '';
	} finally {
		db.close();
	}
	expect(absentee).toBeTruthy();
	cookie = await loginCookie(ADMIN);
	browser = await launchBrowser();
});

afterAll(async () => {
	await browser?.close();
});

describe('paper editor (without JavaScript)', () => {
	it('refuses a pass mark above the total beside the field, keeps what was typed, writes nothing', async () => {
		const { questionId } = singlesModule();
		const before = count('exam_papers');
		const res = await post('/author/papers/new?/save', FIXED_PAPER(questionId, '5'), cookie);
		expect(res.status).toBe(400);
		const html = await res.text();
		expect(besideField(html, 'passMark')).toBe('及格分不能高于试卷总分 2 分');
		expect(fieldHolds(html, 'passMark', '5')).toBe(true);
		expect(html).toContain('value="超出总分的试卷"');
		// The picked question is still in the paper (its hidden id and its points).
		expect(html).toContain(`name="sections.0.items.0.questionId" value="${questionId}"`);
		expect(count('exam_papers')).toBe(before);
	});

	it('refuses a rule asking for more questions than the bank holds, beside its count', async () => {
		const { moduleId, singles } = singlesModule();
		const before = count('exam_papers');
		const res = await post(
			'/author/papers/new?/save',
			{
				title: '抽题过多的试卷',
				instructions: '',
				passMark: '1',
				'sections.0.kind': 'rule',
				'sections.0.title': '一、单项选择题',
				'sections.0.instructions': '',
				'sections.0.rules.0.moduleId': String(moduleId),
				'sections.0.rules.0.type': 'single',
				'sections.0.rules.0.difficulty': '',
				'sections.0.rules.0.count': String(singles + 1),
				'sections.0.rules.0.points': '2'
			},
			cookie
		);
		expect(res.status).toBe(400);
		const html = await res.text();
		expect(besideField(html, 'sections.0.rules.0.count')).toBe(
			`第1部分第1条规则要抽 ${singles + 1} 道单选题，题库中只有 ${singles} 道`
		);
		expect(fieldHolds(html, 'sections.0.rules.0.count', String(singles + 1))).toBe(true);
		expect(count('exam_papers')).toBe(before);
	});

	it('adds a section and picks a question from the bank with plain form posts, saving nothing until 保存试卷', async () => {
		const { questionId } = singlesModule();
		const before = count('exam_papers');
		const added = await post(
			'/author/papers/new?/edit',
			{ ...FIXED_PAPER(questionId, '2', '逐步组卷的试卷'), op: 'add-rule' },
			cookie
		);
		expect(added.status).toBe(200);
		const html = await added.text();
		expect(html).toContain('第 2 部分');
		expect(html).toContain('name="sections.1.kind" value="rule"');
		expect(html).toContain('value="逐步组卷的试卷"');
		expect(count('exam_papers')).toBe(before);

		// The bank filtered to the module's single-choice questions: pick its second one.
		const { moduleId } = singlesModule();
		const other = one<number>(
			`SELECT id FROM questions WHERE module_id = ? AND type = 'single' AND archived_at IS NULL ORDER BY id LIMIT 1 OFFSET 1`,
			moduleId
		);
		const bank = { bankModule: String(moduleId), bankType: 'single', bankQ: '', op: 'search' };
		const listed = await post(
			'/author/papers/new?/edit',
			{ ...FIXED_PAPER(questionId, '2'), ...bank },
			cookie
		);
		expect(await listed.text()).toContain(`value="pick:${other}"`);
		const picked = await post(
			'/author/papers/new?/edit',
			{
				...FIXED_PAPER(questionId, '2', '逐步组卷的试卷'),
				shownModule: String(moduleId),
				shownType: 'single',
				shownQ: '',
				shownPage: '1',
				bankTarget: '0',
				bankPoints: '3',
				op: `pick:${other}`
			},
			cookie
		);
		const pickedHtml = await picked.text();
		expect(pickedHtml).toContain(`name="sections.0.items.1.questionId" value="${other}"`);
		expect(pickedHtml).toContain('name="sections.0.items.1.points" value="3"');
		expect(pickedHtml).toContain('已加入第1部分');
		expect(count('exam_papers')).toBe(before);
	});
});

describe('exam form (without JavaScript)', () => {
	let paperId = '';
	const EXAM = (changes: Record<string, string>) => ({
		title: '时段有误的考试',
		instructions: '',
		paperId,
		opensAt: '2030-05-08T09:00',
		closesAt: '2030-05-08T11:00',
		durationMinutes: '60',
		attemptsAllowed: '1',
		counting: 'highest',
		showReview: 'on',
		gradingMargin: '2',
		releaseAt: '',
		courseId: '',
		creditHours: '0',
		...changes
	});

	beforeAll(async () => {
		const { questionId } = singlesModule();
		const res = await post(
			'/author/papers/new?/save',
			FIXED_PAPER(questionId, '1', '考试表单用的试卷'),
			cookie
		);
		expect(res.status).toBe(303);
		paperId = /\/author\/papers\/(\d+)\?created=1$/.exec(res.headers.get('location') ?? '')?.[1] ?? '';
		expect(paperId).not.toBe('');
	});

	it('refuses a window that closes before it opens, beside 截止时间, and creates nothing', async () => {
		const before = count('exams');
		const res = await post('/author/exams/new?/create', EXAM({ closesAt: '2030-05-08T08:30' }), cookie);
		expect(res.status).toBe(400);
		const html = await res.text();
		expect(besideField(html, 'closesAt')).toBe('结束时间应晚于开始时间');
		expect(fieldHolds(html, 'closesAt', '2030-05-08T08:30')).toBe(true);
		expect(html).toContain('value="时段有误的考试"');
		expect(count('exams')).toBe(before);
	});

	it('refuses a duration longer than the window, beside 考试时长, and creates nothing', async () => {
		const before = count('exams');
		const res = await post(
			'/author/exams/new?/create',
			EXAM({ closesAt: '2030-05-08T10:00', durationMinutes: '90' }),
			cookie
		);
		expect(res.status).toBe(400);
		const html = await res.text();
		expect(besideField(html, 'durationMinutes')).toBe('考试时长 90 分钟，超过了考试时段的 60 分钟');
		expect(fieldHolds(html, 'durationMinutes', '90')).toBe(true);
		expect(count('exams')).toBe(before);
	});

	it('creates the exam when the window is right, and opens its page', async () => {
		const res = await post('/author/exams/new?/create', EXAM({ title: '时段正确的考试' }), cookie);
		expect(res.status).toBe(303);
		const location = res.headers.get('location') ?? '';
		expect(location).toMatch(/^\/author\/exams\/\d+\?created=1$/);
		const page = await get(location, cookie);
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(html).toContain('时段正确的考试');
		expect(html).toContain('2030年5月8日 09:00 至 11:00');
	});
});

describe('an exam with a sitting: dashboard, exports and the grading page', () => {
	let fx: ExamFixture;
	let code = '';
	let sitterName = '';
	let absentName = '';

	beforeAll(() => {
		fx = createExamFixture(inject('databasePath'), {
			title: '阅卷页测试考试',
			candidates: [sitter, absentee]
		});
		// The sitter answers the 简答 and submits (through the exam domain on the app's database).
		const db = createDb(inject('databasePath'));
		try {
			const userId = db.$client
				.prepare('SELECT id FROM users WHERE username = ?')
				.pluck()
				.get(sitter) as number;
			const started = startExam(db, { id: userId }, fx.examId);
			if (!started.ok) throw new Error(started.message);
			const essay = db.$client
				.prepare(
					`SELECT position FROM exam_attempt_items WHERE attempt_id = ? AND json_extract(snapshot, '$.type') = 'essay'`
				)
				.pluck()
				.get(started.attemptId) as number;
			const saved = saveExamAnswer(db, userId, started.attemptId, essay, {
				response: '代表联络站是联系群众的桥梁，要经常听取群众意见。'
			});
			if (!saved.ok) throw new Error(saved.message);
			const submitted = submitExam(db, userId, started.attemptId);
			if (!submitted.ok) throw new Error(submitted.message);
			code = db.$client
				.prepare('SELECT code FROM exam_attempts WHERE id = ?')
				.pluck()
				.get(started.attemptId) as string;
			const nameOf = db.$client.prepare('SELECT name FROM users WHERE username = ?').pluck();
			sitterName = nameOf.get(sitter) as string;
			absentName = nameOf.get(absentee) as string;
		} finally {
			db.$client.close();
		}
	});

	it('the dashboard shows participation, the distribution, offices, the absentee and export links', async () => {
		const res = await get(`/author/exams/${fx.examId}`, cookie);
		expect(res.status).toBe(200);
		const html = await res.text();
		for (const text of [
			'考试情况',
			'应考',
			'已交卷',
			'成绩分布',
			'各单位情况',
			'中阳县人大常委会',
			'未交卷的考生'
		])
			expect(html).toContain(text);
		// The one who has not sat it is listed (催考 reaches them while the window is open).
		expect(html).toContain(absentName);
		expect(html).toMatch(/催考（1 人）/);
		expect(html).toContain(`/author/exams/${fx.examId}/results.xlsx`);
		expect(html).toMatch(new RegExp(`/author/exams/${fx.examId}/print/\\d+`));
	});

	it('the exam list counts candidates, hand-ins and 简答 to grade, and 待我阅卷 leads to the queue', async () => {
		const text = textOf(await (await get('/author/exams', cookie)).text());
		expect(text).toMatch(/待我阅卷[\s\S]*阅卷页测试考试 1 份简答待评/);
		expect(text).toMatch(/阅卷页测试考试 进行中 .+? 考生 2 人 · 已交卷 1 人 · 1 份简答待评/);
		const papers = textOf(await (await get('/author/papers', cookie)).text());
		expect(papers).toMatch(/阅卷页测试考试（试卷） 1 场考试在用/);
	});

	it('exports the 成绩单 as .xlsx and prints the office 成绩单', async () => {
		const sheet = await get(`/author/exams/${fx.examId}/results.xlsx`, cookie);
		expect(sheet.status).toBe(200);
		expect(sheet.headers.get('content-type')).toContain('spreadsheetml');
		expect((await sheet.arrayBuffer()).byteLength).toBeGreaterThan(1000);
		const office = one<number>("SELECT id FROM offices WHERE code = 'zhongyang'");
		const print = await get(`/author/exams/${fx.examId}/print/${office}`, cookie);
		expect(print.status).toBe(200);
		const html = await print.text();
		expect(html).toContain('成绩单');
		expect(html).toContain(code);
		expect(html).toContain('缺考');
	});

	it('the grading page shows the answer by its 答卷编号 with the rubric, and no candidate name', async () => {
		const res = await get(`/author/exams/${fx.examId}/grading`, cookie);
		expect(res.status).toBe(200);
		const html = await res.text();
		expect(html).toContain(`答卷编号 ${code}`);
		expect(html).toContain('代表联络站是联系群众的桥梁');
		expect(html).toContain('按采分点评分');
		expect(html).toContain('name="scores.0"');
		for (const name of [sitterName, absentName]) expect(html).not.toContain(name);
		// Nor in the data a client-side navigation would fetch.
		const data = await (await get(`/author/exams/${fx.examId}/grading/__data.json`, cookie)).text();
		expect(data).toContain(code);
		for (const name of [sitterName, absentName]) expect(data).not.toContain(name);
	});

	it('screenshots of the dashboard and the grading page (phone and desktop)', async () => {
		for (const [name, viewport] of Object.entries({ phone: PHONE, desktop: DESKTOP })) {
			const ctx = await browser.newContext({ viewport, locale: 'zh-CN' });
			const page = await ctx.newPage();
			try {
				await loginThroughForm(page, baseURL(), ADMIN, 'Demo#2026');
				await page.goto(`${baseURL()}/author/exams/${fx.examId}`, { waitUntil: 'networkidle' });
				await page.getByRole('heading', { name: '考试情况' }).waitFor();
				await snapshot(page, `exam-admin-dashboard-${name}`);
				await page.goto(`${baseURL()}/author/exams/${fx.examId}/grading`, { waitUntil: 'networkidle' });
				await page.getByText(`答卷编号 ${code}`).waitFor();
				// The score inputs follow the rubric: their sum shows as it is typed.
				await page.locator('#f-scores\\.0').fill('1.5');
				await expect.poll(() => page.locator('.total').innerText()).toContain('1.5');
				await snapshot(page, `exam-admin-grading-${name}`);
			} finally {
				await ctx.close();
			}
		}
		expect(code).not.toBe('');
	});

	it('refuses marks above a scoring point beside it, writing no grade; a right grade is kept', async () => {
		const page = await (await get(`/author/exams/${fx.examId}/grading`, cookie)).text();
		const hidden = (name: string) => new RegExp(`name="${name}" value="(\\d+)"`).exec(page)?.[1] ?? '';
		const fields = { attemptId: hidden('attemptId'), position: hidden('position'), round: hidden('round') };
		const before = count('exam_grades');
		const refused = await post(
			`/author/exams/${fx.examId}/grading?/grade`,
			{ ...fields, 'scores.0': '9', 'scores.1': '1', 'scores.2': '1', comment: '' },
			cookie
		);
		expect(refused.status).toBe(400);
		const html = await refused.text();
		expect(besideField(html, 'scores.0')).toMatch(/^第1个采分点最多 \d+(\.5)? 分$/);
		expect(fieldHolds(html, 'scores.0', '9')).toBe(true);
		expect(html).toContain(`答卷编号 ${code}`);
		expect(count('exam_grades')).toBe(before);

		const graded = await post(
			`/author/exams/${fx.examId}/grading?/grade`,
			{ ...fields, 'scores.0': '2', 'scores.1': '1.5', 'scores.2': '0', comment: '要点不全。' },
			cookie
		);
		expect(graded.status).toBe(200);
		expect(await graded.text()).toContain('已评分');
		expect(count('exam_grades')).toBe(before + 1);
	});

	it('公布成绩 while the window is open is refused in Chinese, releasing nothing; 取消考试 asks first', async () => {
		const res = await post(`/author/exams/${fx.examId}?/release`, {}, cookie);
		expect(res.status).toBe(400);
		expect(textOf(await res.text())).toMatch(/考试还没有结束（.+截止），结束后才能公布成绩/);
		expect(one<number | null>('SELECT released_at FROM exams WHERE id = ?', fx.examId)).toBeNull();
		// The cancel button only opens a confirmation (a <details>, so it works without JavaScript).
		const html = await (await get(`/author/exams/${fx.examId}`, cookie)).text();
		expect(html).toMatch(
			/<details class="confirm[^"]*"[^>]*><summary[^>]*>取消考试<\/summary>\s*<form method="POST" action="\?\/cancel"/
		);
		expect(one<number | null>('SELECT cancelled_at FROM exams WHERE id = ?', fx.examId)).toBeNull();
	});

	it('another office admin cannot open the school’s exam', async () => {
		const res = await get(`/author/exams/${fx.examId}`, await loginCookie('lishi.admin'));
		expect(res.status).toBe(404);
		expect(await res.text()).toContain('没有找到这场考试，或不在您的管理范围内');
	});
});

describe('the paper editor in the browser', () => {
	for (const [name, viewport] of Object.entries({ phone: PHONE, desktop: DESKTOP })) {
		it(`${name}: the paper editor adds a section in place, keeping what was typed`, async () => {
			const ctx = await browser.newContext({ viewport, locale: 'zh-CN' });
			const page = await ctx.newPage();
			try {
				await loginThroughForm(page, baseURL(), ADMIN, 'Demo#2026');
				await page.goto(`${baseURL()}/author/papers/new`, { waitUntil: 'networkidle' });
				await page.getByLabel('试卷名称').fill(`浏览器组卷（${name}）`);
				await page.getByRole('button', { name: '添加随机抽题部分' }).click();
				await page.getByRole('heading', { name: /第 2 部分/ }).waitFor();
				expect(await page.getByLabel('试卷名称').inputValue()).toBe(`浏览器组卷（${name}）`);
				expect(page.url()).toBe(`${baseURL()}/author/papers/new`);
				// Picking the bank's first question puts it into the first section, totals follow.
				await page
					.getByRole('button', { name: /^加入：/ })
					.first()
					.click();
				await page.getByText('已加入第1部分').waitFor();
				await expect.poll(() => page.locator('#paper-summary').innerText()).toMatch(/总分 [1-9][\d.]* 分/);
				await snapshot(page, `exam-admin-paper-editor-${name}`);
			} finally {
				await ctx.close();
			}
		});
	}
});
