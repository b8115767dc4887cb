import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import axe from 'axe-core';
import { appDatabase, baseURL, get, loginCookie, post } from './http';
import { DESKTOP, PHONE, launchBrowser, loginThroughForm, snapshot } from './browser';

/**
 * 内容编写 end to end: a party-school admin writes a module, a second admin of the school reviews
 * it on the phone-frame preview and the diff and publishes it, a cadre studies it, a correction
 * reaches the cadre only once it is published again, and an old version comes back as a draft.
 * Beside it: the same flow without JavaScript, refusals beside the fields with nothing stored, and
 * an office with a single admin publishing through recorded self-approval.
 */

let browser: Browser;
beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

const AUTHOR = 'dangxiao';
const REVIEWER = 'dangxiao2';
/** Cadres no other test file studies with. */
const CADRE = 'jiaocheng.006';
const LISHI_CADRE = 'lishi.011';

const TITLE = '代表建议办理工作实务（测试）';
const FIRST_TEXT = '代表建议是人大代表依法履职的重要形式，承办单位要认真研究办理，按时答复代表。';
const CORRECTED_TEXT = '代表建议是人大代表依法履职的重要形式，承办单位应当在三个月内研究办理并答复代表。';
const SECOND_TEXT = '办理结果要向代表反馈，代表对答复不满意的，可以要求重新办理。';

function count(sql: string, ...params: unknown[]): number {
	const db = appDatabase();
	try {
		return (
			(db
				.prepare(sql)
				.pluck()
				.get(...params) as number) ?? 0
		);
	} finally {
		db.close();
	}
}

/** Lets reading time pass for a user's open lesson, as if they had kept reading. */
function backdateOpening(username: string, lessonSlug: string) {
	const db = appDatabase();
	db.prepare(
		`UPDATE lesson_progress SET opened_at = opened_at - 600000 WHERE user_id = (SELECT id FROM users WHERE username = ?)
		 AND lesson_id = (SELECT id FROM lessons WHERE slug = ?)`
	).run(username, lessonSlug);
	db.close();
}

/** The draft id in a redirect to /author/<id>…. */
function draftIdOf(location: string | null): number {
	const m = /^\/author\/(\d+)/.exec(location ?? '');
	if (!m) throw new Error(`not a module page: ${location}`);
	return Number(m[1]);
}

const lessonFields = (title: string, body: string) => ({ title, kind: 'text', body });

function singleQuestion(n: number, lessonKey: string) {
	return {
		type: 'single',
		stem: `测试题 ${n}：代表建议应当由谁研究办理？`,
		option0: `承办单位（${n}）`,
		option1: `代表本人（${n}）`,
		option2: `选民（${n}）`,
		correct: '0',
		explanation: '代表建议由承办单位研究办理并答复代表。',
		lessonKey,
		difficulty: '2'
	};
}

/** Lessons and questions through the lesson and question editors' own form actions (as without JavaScript). */
async function addLesson(cookie: string, draftId: number, title: string, body: string): Promise<string> {
	const res = await post(`/author/${draftId}/lessons/new?/save`, lessonFields(title, body), cookie);
	expect(res.status, `lesson ${title}`).toBe(303);
	const key = /\/lessons\/([^/?]+)/.exec(res.headers.get('location') ?? '')?.[1];
	if (!key) throw new Error(`no lesson key in ${res.headers.get('location')}`);
	return key;
}

async function addQuestions(cookie: string, draftId: number, lessonKey: string, from: number, to: number) {
	for (let n = from; n <= to; n++) {
		const res = await post(`/author/${draftId}/questions/new?/save`, singleQuestion(n, lessonKey), cookie);
		expect(res.status, `question ${n}`).toBe(303);
	}
}

async function lessonOrder(page: Page): Promise<string[]> {
	return page.locator('ol.lessons li a').allTextContents();
}

describe('a party school writes, reviews and publishes a module', () => {
	let draftId = 0;
	let firstKey = '';

	it('the author creates it (refusals beside the fields first), adds lessons and questions, orders them and submits', async () => {
		const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), AUTHOR, 'Demo#2026');
		await page.goto(`${baseURL()}/author`, { waitUntil: 'networkidle' });
		await page.getByRole('link', { name: '新建模块' }).click();
		await page.locator('#f-title').waitFor();

		// Nothing typed: each refusal beside its field, and no draft stored.
		const drafts = count('SELECT count(*) FROM module_drafts');
		await page.locator('#f-title').fill('');
		await page.getByRole('button', { name: '创建模块' }).click();
		await page.locator('#f-title-error').waitFor();
		expect(await page.locator('#f-title-error').textContent()).toContain('请填写模块标题');
		expect(await page.locator('#f-themeId-error').textContent()).toContain('请选择主题');
		expect(await page.locator('#f-summary-error').textContent()).toContain('请填写简介');
		expect(count('SELECT count(*) FROM module_drafts')).toBe(drafts);

		await page.locator('#f-title').fill(TITLE);
		await page.locator('#f-themeId').selectOption({ label: '全过程人民民主' });
		await page.locator('#f-summary').fill('承办单位怎样办理代表建议，怎样答复和反馈。');
		await page.locator('#f-minutes').fill('20');
		await page.locator('#f-creditHours').fill('1');
		await page.locator('#f-draw').fill('5');
		await page.getByRole('button', { name: '创建模块' }).click();
		await page.getByText('模块已创建').waitFor();
		draftId = draftIdOf(new URL(page.url()).pathname);
		await snapshot(page, 'author-editor-new');

		const cookie = await loginCookie(AUTHOR);
		firstKey = await addLesson(cookie, draftId, '建议的办理', FIRST_TEXT);
		const secondKey = await addLesson(cookie, draftId, '办理结果的反馈', SECOND_TEXT);
		await addQuestions(cookie, draftId, firstKey, 1, 3);

		// Submitting with fewer questions than a quiz draws: refused, each problem listed.
		await page.reload({ waitUntil: 'networkidle' });
		await page.getByRole('button', { name: '提交审核' }).click();
		await page.getByText('还有 1 处需要修改').waitFor();
		expect(await page.locator('.state .notice.danger li').allTextContents()).toEqual([
			expect.stringContaining('少于每次抽题数 5')
		]);
		await addQuestions(cookie, draftId, secondKey, 4, 5);

		// 下移 (a button, as without JavaScript), then drag and drop back.
		await page.reload({ waitUntil: 'networkidle' });
		expect(await lessonOrder(page)).toEqual(['建议的办理', '办理结果的反馈']);
		await page.getByRole('button', { name: '下移：建议的办理' }).click();
		await page.getByText('已下移').waitFor();
		expect(await lessonOrder(page)).toEqual(['办理结果的反馈', '建议的办理']);
		const items = page.locator('ol.lessons li');
		await items.nth(1).dragTo(items.nth(0), { targetPosition: { x: 40, y: 4 } });
		await page.getByText('课时顺序已保存').waitFor();
		await page.reload({ waitUntil: 'networkidle' });
		expect(await lessonOrder(page)).toEqual(['建议的办理', '办理结果的反馈']);
		expect(await page.locator('section', { has: page.locator('#bank-title') }).textContent()).toContain(
			'共 5 题'
		);

		await page.getByRole('button', { name: '提交审核' }).click();
		await page.getByText('已提交审核，等待本单位另一位管理员审核').waitFor();
		expect(await page.locator('.state').textContent()).toContain('正在等待审核');
		// Read-only while it waits: no field can be changed, no lesson moved.
		expect(await page.locator('#f-title').isDisabled()).toBe(true);
		expect(await page.getByRole('button', { name: /^上移/ }).count()).toBe(0);
		await snapshot(page, 'author-editor-submitted');

		// The author cannot publish their own submission while the school has a second admin.
		const own = await post(`/author/${draftId}/review?/approve`, {}, cookie);
		expect(own.status).toBe(400);
		expect(await own.text()).toContain('需要本单位另一位管理员审核');
		await context.close();
	});

	it('the second admin finds it under 待审核, sees it in the phone frame with the diff, returns it, then publishes it', async () => {
		const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), REVIEWER, 'Demo#2026');
		await page.goto(`${baseURL()}/author`, { waitUntil: 'networkidle' });
		const pending = page.locator('#pending');
		expect(await pending.textContent()).toContain('提交人 高志远');
		await pending.getByRole('link', { name: TITLE }).click();
		await page.getByRole('heading', { name: `审核：${TITLE}` }).waitFor();

		const phone = page.getByRole('region', { name: '学员在手机上看到的样子' });
		expect(await phone.textContent()).toContain(FIRST_TEXT);
		expect((await phone.boundingBox())!.width).toBeLessThanOrEqual(420);
		// Never published: everything is new.
		expect(await page.locator('.diff').textContent()).toContain('首次发布');
		expect(await page.locator('.diff .badge', { hasText: '新增' }).count()).toBe(7);
		await snapshot(page, 'author-review-desktop');

		// 退回修改 needs a comment, beside the field.
		await page.getByRole('button', { name: '退回修改' }).click();
		await page.locator('#f-comment-error').waitFor();
		await page.locator('#f-comment').fill('第二课时请补充反馈的时限。');
		await page.getByRole('button', { name: '退回修改' }).click();
		await page.getByText('已退回修改').waitFor();

		const author = await loginCookie(AUTHOR);
		const editor = await (await get(`/author/${draftId}`, author)).text();
		expect(editor).toContain('退回意见：');
		expect(editor).toContain('第二课时请补充反馈的时限。');
		expect(await (await post(`/author/${draftId}?/submit`, {}, author)).text()).toContain('已提交审核');

		await page.goto(`${baseURL()}/author/${draftId}/review`, { waitUntil: 'networkidle' });
		await page.getByRole('button', { name: '审核通过并发布' }).click();
		await page.getByText('已发布 v1').waitFor();
		expect(count('SELECT count(*) FROM module_versions WHERE draft_id = ?', draftId)).toBe(1);
		await context.close();
	});

	it('a cadre finds it in the catalog and studies it; a correction reaches them only once it is published', async () => {
		const slug = `a${draftId}`;
		const lessonSlug = `a${draftId}-${firstKey}`;
		const completed = () =>
			count(
				'SELECT count(*) FROM lesson_progress WHERE completed_at IS NOT NULL AND user_id = (SELECT id FROM users WHERE username = ?) AND lesson_id = (SELECT id FROM lessons WHERE slug = ?)',
				CADRE,
				lessonSlug
			);
		const cadre = await loginCookie(CADRE);
		expect(await (await get('/learn', cadre)).text()).toContain(TITLE);
		const lessonPath = `/learn/${slug}/${lessonSlug}`;
		expect(await (await get(lessonPath, cadre)).text()).toContain(FIRST_TEXT);
		backdateOpening(CADRE, lessonSlug);
		const done = await post(`${lessonPath}?/complete`, {}, cadre);
		expect(done.status).toBeLessThan(400);
		expect(completed()).toBe(1);

		// The author corrects the lesson: the draft changes, the cadre still reads v1.
		const author = await loginCookie(AUTHOR);
		const saved = await post(
			`/author/${draftId}/lessons/${firstKey}?/save`,
			lessonFields('建议的办理', CORRECTED_TEXT),
			author
		);
		expect(saved.status).toBe(200);
		expect(await saved.text()).toContain('已保存');
		expect(await (await get(lessonPath, cadre)).text()).toContain(FIRST_TEXT);
		const review = await (await get(`/author/${draftId}/review`, author)).text();
		expect(review).toContain('与线上版本 v1 的对比');
		expect(review).toMatch(/<ins[^>]*>[^<]*三个月内[^<]*<\/ins>/);
		expect(review).toMatch(/<del[^>]*>[^<]*认真[^<]*<\/del>/);

		expect(await (await post(`/author/${draftId}?/submit`, {}, author)).text()).toContain('已提交审核');
		expect(await (await get(lessonPath, cadre)).text()).toContain(FIRST_TEXT);
		const reviewer = await loginCookie(REVIEWER);
		const approved = await post(`/author/${draftId}/review?/approve`, {}, reviewer);
		expect(approved.headers.get('location')).toBe(`/author/${draftId}?published=2`);
		const now = await (await get(lessonPath, cadre)).text();
		expect(now).toContain(CORRECTED_TEXT);
		expect(now).not.toContain(FIRST_TEXT);
		// Same lesson, same identity: the cadre's progress stayed with it.
		expect(completed()).toBe(1);
	});

	it('the versions are listed, v1 is viewed in the phone frame and restored as a draft', async () => {
		const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), AUTHOR, 'Demo#2026');
		await page.goto(`${baseURL()}/author/${draftId}/versions`, { waitUntil: 'networkidle' });
		const rows = page.locator('tbody tr');
		expect(await rows.count()).toBe(2);
		expect(await rows.first().textContent()).toContain('v2');
		expect(await rows.first().textContent()).toContain('梁雅琴');
		await snapshot(page, 'author-versions-phone');
		await rows.nth(1).getByRole('link', { name: '查看' }).click();
		await page.getByRole('heading', { name: new RegExp(`^v1：`) }).waitFor();
		expect(await page.getByRole('region', { name: /v1/ }).textContent()).toContain(FIRST_TEXT);

		await page.locator('summary', { hasText: '恢复为草稿' }).click();
		await page.getByRole('button', { name: '确认恢复' }).click();
		await page.getByText('已将 v1 恢复为草稿').waitFor();
		await snapshot(page, 'author-restored-phone');
		const review = await (await get(`/author/${draftId}/review`, await loginCookie(AUTHOR))).text();
		expect(review).toMatch(/<ins[^>]*>[^<]*认真[^<]*<\/ins>/);
		// Learners keep the published v2 until the restored draft is reviewed and published.
		const lesson = await (
			await get(`/learn/a${draftId}/a${draftId}-${firstKey}`, await loginCookie(CADRE))
		).text();
		expect(lesson).toContain(CORRECTED_TEXT);
		await context.close();
	});

	it('下线 names the courses that use it and asks again before it goes', async () => {
		const author = await loginCookie(AUTHOR);
		const day = (offset: number) =>
			new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(
				new Date(Date.now() + offset * 86_400_000)
			);
		const moduleId = String(count('SELECT module_id FROM module_drafts WHERE id = ?', draftId));
		const course = await post(
			'/school/courses/new',
			{
				title: '代表建议办理专题班（测试）',
				description: '',
				hours: '2',
				required: 'elective',
				opensOn: day(0),
				dueOn: day(30),
				moduleIds: moduleId
			},
			author
		);
		expect(course.status).toBe(303);
		const courseId = /\/school\/courses\/(\d+)/.exec(course.headers.get('location') ?? '')![1];
		const assigned = await post(
			`/school/courses/${courseId}?/assign`,
			{ officeIds: String(count("SELECT id FROM offices WHERE code = 'lishi'")), usernames: '' },
			author
		);
		expect(assigned.status).toBe(200);

		const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), AUTHOR, 'Demo#2026');
		await page.goto(`${baseURL()}/author/${draftId}`, { waitUntil: 'networkidle' });
		await page.locator('summary', { hasText: '下线' }).click();
		await page.getByRole('button', { name: '确认下线' }).click();
		const warning = page.locator('.state .notice.warn', { hasText: '以下专题班正在使用这个模块' });
		await warning.waitFor();
		expect(await warning.locator('li').allTextContents()).toEqual(['代表建议办理专题班（测试）']);
		expect(count('SELECT count(*) FROM modules WHERE id = ? AND archived_at IS NULL', moduleId)).toBe(1);
		await snapshot(page, 'author-withdraw-courses');
		await page.getByRole('button', { name: '仍然下线' }).click();
		await page.getByText('模块已下线').waitFor();
		expect(count('SELECT count(*) FROM modules WHERE id = ? AND archived_at IS NULL', moduleId)).toBe(0);
		expect((await get(`/learn/a${draftId}`, await loginCookie(CADRE))).status).toBe(404);
		await context.close();
	});

	it("another owner's admin finds none of it", async () => {
		const office = await loginCookie('lishi.admin');
		for (const path of [`/author/${draftId}`, `/author/${draftId}/review`, `/author/${draftId}/versions`]) {
			const res = await get(path, office);
			expect(res.status, path).toBe(404);
			const text = await res.text();
			expect(text).toContain('没有找到这个模块，或不在您的管理范围内');
			expect(text).not.toContain(TITLE);
		}
		const before = count('SELECT count(*) FROM audit_log');
		expect((await post(`/author/${draftId}?/submit`, {}, office)).status).toBe(404);
		expect((await post(`/author/${draftId}/versions/1?/restore`, {}, office)).status).toBe(404);
		expect(count('SELECT count(*) FROM audit_log')).toBe(before);
	});
});

describe('without JavaScript, and an office with a single admin', () => {
	it('creates, refuses beside the fields, submits and self-approves with the confirmation; withdraws', async () => {
		const admin = await loginCookie('lishi.admin');
		const drafts = count('SELECT count(*) FROM module_drafts');
		const refused = await post(
			'/author/new?/create',
			{ title: '', themeId: '', summary: '', minutes: 'abc', creditHours: '-1', inCatalog: 'on' },
			admin
		);
		expect(refused.status).toBe(400);
		const page = await refused.text();
		expect(page).toMatch(/id="f-title-error"[^>]*>请填写模块标题/);
		expect(page).toMatch(/id="f-minutes-error"[^>]*>[^<]*预计学习时间/);
		expect(page).toMatch(/id="f-creditHours-error"[^>]*>学时为 0–20/);
		expect(count('SELECT count(*) FROM module_drafts')).toBe(drafts);

		const themeId = String(count("SELECT id FROM themes WHERE slug = 'whole-process-democracy'"));
		const created = await post(
			'/author/new?/create',
			{
				title: '离石区代表接待日须知（测试）',
				themeId,
				summary: '本单位代表接待日的安排和要求。',
				minutes: '10',
				creditHours: '0',
				inCatalog: 'on',
				intro: '',
				draw: '2',
				time_limit_minutes: '10',
				pass_mark: '60',
				attempts: '0'
			},
			admin
		);
		expect(created.status).toBe(303);
		const id = draftIdOf(created.headers.get('location'));
		expect(created.headers.get('location')).toBe(`/author/${id}?created=1`);

		// Submitting an empty module: refused with each problem, nothing changes.
		const empty = await post(`/author/${id}?/submit`, {}, admin);
		expect(empty.status).toBe(400);
		const emptyText = await empty.text();
		expect(emptyText).toContain('模块还没有课时');
		expect(emptyText).toContain('题库还没有题目');
		expect(count("SELECT count(*) FROM module_drafts WHERE id = ? AND status = 'editing'", id)).toBe(1);

		const key = await addLesson(
			admin,
			id,
			'接待日安排',
			'每月第一个星期三为代表接待日，代表在联络站接待群众。'
		);
		await addQuestions(admin, id, key, 1, 2);
		// Deleting needs the confirmation.
		const unconfirmed = await post(`/author/${id}?/remove`, { key }, admin);
		expect(unconfirmed.status).toBe(400);
		expect(count('SELECT count(*) FROM module_drafts WHERE id = ? AND doc LIKE ?', id, '%接待日安排%')).toBe(
			1
		);

		// 上移 and 删除 as plain forms.
		const extra = await addLesson(admin, id, '接待日记录', '接待结束后当天整理接待记录，交联络站登记。');
		const moved = await post(`/author/${id}?/move`, { key: extra, direction: 'up' }, admin);
		expect(moved.status).toBe(200);
		const movedPage = await moved.text();
		expect(movedPage).toContain('已上移');
		expect(movedPage.indexOf('接待日记录')).toBeLessThan(movedPage.indexOf('接待日安排'));
		const removed = await post(`/author/${id}?/remove`, { key: extra, confirm: '1' }, admin);
		expect(await removed.text()).toContain('已删除课时“接待日记录”');
		expect(count('SELECT count(*) FROM module_drafts WHERE id = ? AND doc LIKE ?', id, '%接待日记录%')).toBe(
			0
		);

		const submitted = await post(`/author/${id}?/submit`, {}, admin);
		expect(submitted.status).toBe(200);
		expect(await submitted.text()).toContain('已提交审核');
		const editor = await (await get(`/author/${id}`, admin)).text();
		expect(editor).toContain('本单位只有您一位管理员，可以在审核页自行审核发布');

		// The single admin reviews their own submission: only with the box ticked, recorded as self-approval.
		const review = await (await get(`/author/${id}/review`, admin)).text();
		expect(review).toContain('本单位只有我一位管理员，我确认自行审核发布（将记录为自审）');
		const unticked = await post(`/author/${id}/review?/approve`, {}, admin);
		expect(unticked.status).toBe(400);
		expect(await unticked.text()).toContain('请确认由您本人审核发布');
		expect(count('SELECT count(*) FROM module_versions WHERE draft_id = ?', id)).toBe(0);
		const ticked = await post(`/author/${id}/review?/approve`, { selfApprove: 'on' }, admin);
		expect(ticked.headers.get('location')).toBe(`/author/${id}?published=1`);
		expect(count('SELECT self_approved FROM module_versions WHERE draft_id = ?', id)).toBe(1);
		const versions = await (await get(`/author/${id}/versions`, admin)).text();
		expect(versions).toContain('自审');

		// Its office's cadres see it; 下线 takes it away again (no course uses it: no second question).
		const cadre = await loginCookie(LISHI_CADRE);
		expect((await get(`/learn/a${id}`, cadre)).status).toBe(200);
		const withdrawn = await post(`/author/${id}?/withdraw`, {}, admin);
		expect(withdrawn.headers.get('location')).toBe('/author?withdrawn=1');
		expect((await get(`/learn/a${id}`, cadre)).status).toBe(404);
		const list = await (await get('/author', admin)).text();
		expect(list).toContain('已下线');
	});

	it('a school adds a theme from the module form, and what was typed comes back with it chosen', async () => {
		const school = await loginCookie(AUTHOR);
		const typed = {
			title: '还没保存的标题（测试）',
			summary: '',
			minutes: '25',
			creditHours: '0',
			inCatalog: 'off'
		};
		const refused = await post('/author/new?/theme', { ...typed, themeName: '' }, school);
		expect(refused.status).toBe(400);
		expect(await refused.text()).toMatch(/id="f-themeName-error"[^>]*>请填写主题名称/);
		const themes = count('SELECT count(*) FROM themes');
		const added = await post('/author/new?/theme', { ...typed, themeName: '人大工作专题（测试）' }, school);
		expect(added.status).toBe(200);
		const page = await added.text();
		expect(count('SELECT count(*) FROM themes')).toBe(themes + 1);
		expect(page).toContain('value="还没保存的标题（测试）"');
		expect(page).toMatch(/<option value="\d+" selected[^>]*>人大工作专题（测试）<\/option>/);
		// Office admins choose among the themes; only schools add them.
		const office = await post(
			'/author/new?/theme',
			{ ...typed, themeName: '单位自建主题' },
			await loginCookie('lishi.admin')
		);
		expect(office.status).toBe(400);
		expect(count('SELECT count(*) FROM themes')).toBe(themes + 1);
	});

	it('copies a built-in module into an editable draft of its own', async () => {
		const admin = await loginCookie('lishi.admin');
		const builtIn = count(
			"SELECT id FROM modules WHERE slug = 'whole-process-democracy' AND owner_school_id IS NULL AND owner_office_id IS NULL"
		);
		const copied = await post('/author?/copy', { moduleId: String(builtIn) }, admin);
		expect(copied.status).toBe(303);
		const id = draftIdOf(copied.headers.get('location'));
		const editor = await (await get(`/author/${id}?copied=1`, admin)).text();
		expect(editor).toContain('已复制为您的草稿');
		expect(editor).toContain('课时（5）');
		const bad = await post('/author?/copy', { moduleId: 'abc' }, admin);
		expect(bad.status).toBe(400);
		expect(await bad.text()).toContain('请选择要复制的模块');
	});
});

describe('accessibility of the authoring pages (axe-core: no serious or critical violations)', () => {
	for (const [name, viewport] of Object.entries({ phone: PHONE, desktop: DESKTOP })) {
		it(`the list, a new module, the editor, the review, the versions and a version on a ${name}`, async () => {
			const published = count(
				"SELECT min(draft_id) FROM module_versions v JOIN module_drafts d ON d.id = v.draft_id WHERE d.owner_school_id = (SELECT school_id FROM users WHERE username = 'dangxiao')"
			);
			const context = await browser.newContext({ viewport, locale: 'zh-CN', bypassCSP: true });
			const page = await context.newPage();
			await loginThroughForm(page, baseURL(), AUTHOR, 'Demo#2026');
			const found: string[] = [];
			for (const path of [
				'/author',
				'/author/new',
				`/author/${published}`,
				`/author/${published}/review`,
				`/author/${published}/versions`,
				`/author/${published}/versions/1`
			]) {
				const response = await page.goto(baseURL() + path, { waitUntil: 'networkidle' });
				expect(response?.status(), path).toBe(200);
				await page.addScriptTag({ content: axe.source });
				const results = await page.evaluate(() =>
					(window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] })
				);
				found.push(
					...results.violations
						.filter((v) => v.impact === 'serious' || v.impact === 'critical')
						.flatMap((v) =>
							v.nodes.map((n) => `${path} ${v.id}: ${n.target.join(' ')} — ${n.failureSummary}`)
						)
				);
			}
			expect(found).toEqual([]);
			await context.close();
		});
	}
});
