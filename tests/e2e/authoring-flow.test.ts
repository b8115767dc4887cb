import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { appDatabase, baseURL, get, loginCookie, post } from './http';
import { row } from './pages';
import { DESKTOP, PHONE, answerRightly, launchBrowser, loginThroughForm, snapshot } from './browser';

/**
 * Issue #15's whole flow in the browser, as people do it through the pages (with JavaScript):
 * a party-school admin uploads a picture (drawn by the test) and a recorded lecture through the
 * media library, writes a text lesson with the picture and a 提法 block inserted through the
 * toolbar, a video lesson on the lecture and ten questions of the four types, and submits; the
 * school's second admin reviews it in the phone frame with the diff and publishes; a cadre finds
 * it in the catalog by its owner, reads, watches, takes its quiz (no answer or explanation reaches
 * the browser before handing in) and sees the explanations; a correction reaches the cadre only
 * once v2 is published, with their progress kept; v1 comes back as a draft while learners keep v2.
 *
 * authoring.test.ts covers refusals, self-approval, 下线 and the no-JavaScript paths; media.test.ts
 * and watch.test.ts the upload and watch-time rules in depth. This file is the happy path end to end.
 */

const AUTHOR = 'dangxiao';
const REVIEWER = 'dangxiao2';
/** A cadre of 石楼县, whom no other test file studies with. */
const CADRE = 'shilou.005';
const SCHOOL = '中共吕梁市委党校';

const TITLE = '人大代表联络站接待实务（流程测试）';
const LESSON1 = '接待群众的流程';
const LESSON2 = '接待日现场讲座';
const FIRST_TEXT = '联络站接待日要提前公示代表名单，群众来访逐件登记，办理结果及时反馈。';
const TIFA_QUOTE = '健全吸纳民意、汇集民智工作机制，建设好基层立法联系点。';
const NEW_SENTENCE = '接待记录要在三个工作日内录入履职平台，方便跟踪办理进度。';
const ALT = '联络站接待现场示意图';
const VIDEO = 'tests/fixtures/lecture-40s.mp4';

interface Question {
	type: 'single' | 'multiple' | 'truefalse' | 'fill';
	stem: string;
	options?: string[];
	correct?: number[];
	truth?: boolean;
	blanks?: string[];
	explanation: string;
	lesson: 1 | 2;
}

/** Ten questions of the four types; explanations quote option text, never letters. */
const QUESTIONS: Question[] = [
	{
		type: 'single',
		stem: '联络站接待日前要公示什么？（流程测试一）',
		options: ['代表名单和接待时间', '群众的姓名', '办理单位的预算', '代表的家庭住址'],
		correct: [0],
		explanation: '接待前公示代表名单和接待时间，群众才找得到代表（流程测试解析一）。',
		lesson: 1
	},
	{
		type: 'single',
		stem: '群众来访反映的意见应当怎样处理？（流程测试二）',
		options: ['逐件登记', '只记重要的', '口头答复即可', '转给信访部门了事'],
		correct: [0],
		explanation: '意见要逐件登记台账，写明办理单位和期限（流程测试解析二）。',
		lesson: 1
	},
	{
		type: 'single',
		stem: '讲座中代表进站接待的频次是？（流程测试三）',
		options: ['每月固定接待日', '每年一次', '只在换届时', '随机安排'],
		correct: [0],
		explanation: '联络站实行每月固定接待日制度（流程测试解析三）。',
		lesson: 2
	},
	{
		type: 'multiple',
		stem: '联络站接待工作的环节包括（　）。（流程测试四）',
		options: ['公示代表名单', '逐件登记意见', '及时反馈结果', '拒绝外选区群众'],
		correct: [0, 1, 2],
		explanation: '公示、登记、反馈是接待工作的环节；联络站不把群众拒之门外（流程测试解析四）。',
		lesson: 1
	},
	{
		type: 'multiple',
		stem: '让群众“找得到代表”的做法有（　）。（流程测试五）',
		options: ['固定接待日', '公示联系方式', '关闭联络站', '只在网上留言'],
		correct: [0, 1],
		explanation: '固定接待日和公示联系方式让群众找得到代表（流程测试解析五）。',
		lesson: 2
	},
	{
		type: 'multiple',
		stem: '接待记录录入履职平台的好处有（　）。（流程测试六）',
		options: ['方便跟踪办理进度', '便于汇总分析民意', '可以不再反馈群众', '可以不再登记'],
		correct: [0, 1],
		explanation: '录入平台便于跟踪进度和汇总民意，登记和反馈一样都不能少（流程测试解析六）。',
		lesson: 1
	},
	{
		type: 'truefalse',
		stem: '办理结果应当向反映意见的群众反馈。（流程测试七）',
		truth: true,
		explanation: '件件有回音，办理结果要向反映人反馈（流程测试解析七）。',
		lesson: 1
	},
	{
		type: 'truefalse',
		stem: '联络站只在人代会开会期间接待群众。（流程测试八）',
		truth: false,
		explanation: '联络站主要服务于闭会期间的履职，接待日常态化（流程测试解析八）。',
		lesson: 2
	},
	{
		type: 'fill',
		stem: '群众来访反映的意见要逐件____，办理结果及时____。（流程测试九）',
		blanks: ['登记｜登记台账', '反馈'],
		explanation: '逐件登记、及时反馈，是联络站接待工作的基本要求（流程测试解析九）。',
		lesson: 1
	},
	{
		type: 'fill',
		stem: '报告提出，建设好基层立法____点。（流程测试十）',
		blanks: ['联系'],
		explanation: '报告原文是“建设好基层立法联系点”（流程测试解析十）。',
		lesson: 1
	}
];

let browser: Browser;
beforeAll(async () => {
	// Muted playback started by the test, as in watch.test.ts.
	browser = await launchBrowser(['--autoplay-policy=no-user-gesture-required']);
});

/** Filled in as the flow goes. */
let draftId = 0;
let imageId = 0;
let videoId = 0;
let lesson1Key = '';
let lesson2Key = '';
const moduleSlug = () => `a${draftId}`;
const lessonPath = (key: string) => `/learn/${moduleSlug()}/${moduleSlug()}-${key}`;

afterAll(async () => {
	await browser?.close();
	// Out of every later test's way: the module leaves the catalog (下线, as an author would).
	if (!draftId) return;
	const cookie = await loginCookie(AUTHOR);
	const status = row<{ status: string }>('SELECT status FROM module_drafts WHERE id = ?', draftId).status;
	if (status === 'submitted') await post(`/author/${draftId}?/recall`, {}, cookie);
	await post(`/author/${draftId}?/withdraw`, { confirm: '1' }, cookie);
	const db = appDatabase();
	try {
		// Had the flow stopped before a publish, nothing is live; had 下线 been refused, archive it.
		db.prepare('UPDATE modules SET archived_at = ? WHERE slug = ? AND archived_at IS NULL').run(
			Date.now(),
			moduleSlug()
		);
	} finally {
		db.close();
	}
});

async function signedIn(username: string, viewport = DESKTOP): Promise<[BrowserContext, Page]> {
	const context = await browser.newContext({ viewport, locale: 'zh-CN' });
	const page = await context.newPage();
	await loginThroughForm(page, baseURL(), username, 'Demo#2026');
	return [context, page];
}

/** Opens a page and waits until it runs its script (toolbars, uploads and use:enhance need it). */
async function open(page: Page, path: string): Promise<void> {
	await page.goto(baseURL() + path, { waitUntil: 'networkidle' });
}

/** The width the browser decoded the picture at: 0 when it did not load. */
async function naturalWidth(img: Locator): Promise<number> {
	await img.scrollIntoViewIfNeeded();
	return img.evaluate((el: HTMLImageElement) =>
		el.complete
			? el.naturalWidth
			: new Promise<number>((resolve) => {
					el.addEventListener('load', () => resolve(el.naturalWidth), { once: true });
					el.addEventListener('error', () => resolve(0), { once: true });
				})
	);
}

function lessonDone(username: string, key: string): boolean {
	return (
		row<{ n: number }>(
			`SELECT count(*) AS n FROM lesson_progress WHERE completed_at IS NOT NULL
			 AND user_id = (SELECT id FROM users WHERE username = ?) AND lesson_id = (SELECT id FROM lessons WHERE slug = ?)`,
			username,
			`${moduleSlug()}-${key}`
		).n === 1
	);
}

function draftDoc(): { lessons: { key: string; title: string; body: string }[]; questions: unknown[] } {
	return JSON.parse(row<{ doc: string }>('SELECT doc FROM module_drafts WHERE id = ?', draftId).doc);
}

/** Uploads one file through the media library's form and progress bar: its media id and the percentages shown. */
async function upload(
	page: Page,
	file: { name: string; mimeType: string; buffer: Buffer }
): Promise<{ id: number; shown: number[] }> {
	await open(page, '/author/media');
	// A slow line, so the progress bar is there to be seen.
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('Network.enable');
	await cdp.send('Network.emulateNetworkConditions', {
		offline: false,
		latency: 20,
		downloadThroughput: -1,
		// About two seconds a file, whatever its size.
		uploadThroughput: Math.max(1024, file.buffer.length / 2)
	});
	await page.getByLabel('选择文件').setInputFiles(file);
	await page.getByRole('button', { name: '上传', exact: true }).click();
	const progress = page
		.getByRole('status')
		.filter({ has: page.getByRole('progressbar', { name: '上传进度' }) });
	await progress.waitFor();
	expect(await progress.textContent()).toMatch(/已上传 \d+%/);
	expect(await page.getByLabel('选择文件').isDisabled()).toBe(true);
	// The percentages the bar shows, frame by frame, until it goes.
	const shown = await page.evaluate(
		() =>
			new Promise<number[]>((resolve) => {
				const seen: number[] = [];
				const tick = () => {
					const text = document.querySelector('.progress span')?.textContent;
					if (!text) return resolve(seen);
					const percent = Number(/已上传 (\d+)%/.exec(text)?.[1]);
					if (seen.at(-1) !== percent) seen.push(percent);
					requestAnimationFrame(tick);
				};
				tick();
			})
	);
	expect(shown).toEqual([...shown].sort((a, b) => a - b));
	// Done: the bar gives way to the result, the file is listed and the form is ready again.
	await page.waitForURL(/\/author\/media\?uploaded=\d+/);
	await progress.waitFor({ state: 'detached' });
	await page
		.getByRole('status')
		.filter({ hasText: `已上传：${file.name}` })
		.waitFor();
	await page.getByRole('button', { name: '上传', exact: true }).waitFor();
	await cdp.send('Network.emulateNetworkConditions', {
		offline: false,
		latency: 0,
		downloadThroughput: -1,
		uploadThroughput: -1
	});
	await cdp.detach();
	expect(await page.getByRole('row').filter({ hasText: file.name }).count()).toBe(1);
	return { id: Number(new URL(page.url()).searchParams.get('uploaded')), shown };
}

/** Fills and saves one question through the question bank's form. */
async function addQuestion(page: Page, q: Question): Promise<void> {
	await open(page, `/author/${draftId}/questions/new`);
	const form = page.locator('form.question-form');
	await form
		.getByRole('radio', {
			name: { single: '单选', multiple: '多选', truefalse: '判断', fill: '填空' }[q.type],
			exact: true
		})
		.check();
	await form.getByRole('textbox', { name: '题干' }).fill(q.stem);
	if (q.options) {
		for (const [i, text] of q.options.entries())
			await form.getByRole('textbox', { name: `选项${'ABCD'[i]}`, exact: true }).fill(text);
		for (const i of q.correct!)
			await form
				.getByRole(q.type === 'single' ? 'radio' : 'checkbox', { name: `选项${'ABCD'[i]}是正确答案` })
				.check();
	}
	if (q.type === 'truefalse')
		await form.getByRole('radio', { name: q.truth ? '正确' : '错误', exact: true }).check();
	if (q.blanks) {
		// One answer field per ____ of the stem.
		expect(await form.getByRole('textbox', { name: /^第 \d 空$/ }).count()).toBe(q.blanks.length);
		for (const [i, accepted] of q.blanks.entries())
			await form.getByRole('textbox', { name: `第 ${i + 1} 空` }).fill(accepted);
	}
	await form.getByRole('textbox', { name: '解析' }).fill(q.explanation);
	await form.getByLabel('关联课时').selectOption({ index: q.lesson });
	expect(await page.getByText('解析提到了选项字母').count()).toBe(0);
	await form.getByRole('button', { name: '保存题目' }).click();
	await page.waitForURL(/\/questions\/q\d+\?created=1$/);
}

type Snap = { type: Question['type']; answer: unknown; options: string[]; explanation: string };

function attemptItems(attemptId: number): { position: number; snapshot: Snap }[] {
	const db = appDatabase();
	try {
		return (
			db
				.prepare('SELECT position, snapshot FROM attempt_items WHERE attempt_id = ? ORDER BY position')
				.all(attemptId) as { position: number; snapshot: string }[]
		).map((r) => ({ position: r.position, snapshot: JSON.parse(r.snapshot) as Snap }));
	} finally {
		db.close();
	}
}

/** What no response of a running attempt may carry: an explanation, an answer key, a correct flag. */
function expectNoLeak(where: string, body: string): void {
	for (const q of QUESTIONS)
		expect(body.includes(q.explanation), `${where} leaks “${q.explanation}”`).toBe(false);
	expect(body, where).not.toMatch(/"(answer|explanation|correct|correctAnswer|accepted)"\s*:/);
	expect(body, where).not.toMatch(/正确答案|解析：/);
}

describe('issue #15 end to end: write, review, publish, study, correct, restore', () => {
	// Each step builds on the one before: after a failure the rest would only fail again.
	let broken = false;
	afterEach(({ task }) => {
		if (task.result?.state === 'fail') broken = true;
	});
	beforeEach(({ skip }) => {
		if (broken) skip();
	});

	it('the author uploads a picture and a lecture, writes two lessons and ten questions through the editors, and submits', async () => {
		const [context, page] = await signedIn(AUTHOR);

		await open(page, '/author');
		await page.getByRole('link', { name: '新建模块' }).click();
		await page.getByLabel('模块名称').waitFor();
		await page.getByLabel('模块名称').fill(TITLE);
		await page.getByRole('combobox', { name: /^主题/ }).selectOption({ label: '全过程人民民主' });
		await page.getByLabel('预计学习时长（分钟）').fill('25');
		await page.getByLabel('简介').fill('联络站接待群众的流程，配一节接待日现场讲座。');
		// Ten questions drawn: the quiz shows the whole bank (default draw).
		expect(await page.getByLabel('每次抽题数').inputValue()).toBe('10');
		await page.getByRole('button', { name: '创建模块' }).click();
		await page.getByText('模块已创建').waitFor();
		draftId = Number(/\/author\/(\d+)/.exec(new URL(page.url()).pathname)?.[1]);
		expect(draftId).toBeGreaterThan(0);

		// A picture drawn in the browser (a real PNG from the canvas), then the 40 s lecture.
		await open(page, '/author/media');
		const dataUrl = await page.evaluate((label) => {
			const canvas = document.createElement('canvas');
			canvas.width = 320;
			canvas.height = 180;
			const g = canvas.getContext('2d')!;
			g.fillStyle = '#c8102e';
			g.fillRect(0, 0, 320, 180);
			g.fillStyle = '#fff';
			g.fillRect(20, 20, 120, 140);
			g.font = '24px sans-serif';
			g.fillText(label, 160, 100);
			return canvas.toDataURL('image/png');
		}, String(Date.now()));
		const picture = Buffer.from(dataUrl.split(',')[1]!, 'base64');
		expect(picture.subarray(1, 4).toString()).toBe('PNG');
		imageId = (await upload(page, { name: '联络站接待现场.png', mimeType: 'image/png', buffer: picture })).id;
		const lecture = await upload(page, {
			name: '接待日现场讲座.mp4',
			mimeType: 'video/mp4',
			buffer: readFileSync(VIDEO)
		});
		videoId = lecture.id;
		// The lecture took a couple of seconds on the slow line: the bar moved on the way.
		expect(lecture.shown.some((p) => p > 0 && p < 100)).toBe(true);
		const video = row<{ kind: string; duration: number }>(
			'SELECT kind, duration_seconds AS duration FROM media WHERE id = ?',
			videoId
		);
		expect(video).toEqual({ kind: 'video', duration: 40 });

		// Lesson 1: text, the picture through the toolbar's picker, a 提法 through its dialog.
		await open(page, `/author/${draftId}/lessons/new`);
		const body = page.getByRole('textbox', { name: '正文' });
		await page.getByRole('textbox', { name: '标题', exact: true }).fill(LESSON1);
		await body.fill(`## 接待前\n\n${FIRST_TEXT}\n\n`);
		await body.press('Control+End');
		await page.getByRole('toolbar', { name: '格式工具' }).getByRole('button', { name: '图片' }).click();
		const picker = page.getByRole('dialog', { name: '插入图片' });
		await picker.getByRole('button', { name: '联络站接待现场.png' }).click();
		await picker.waitFor({ state: 'hidden' });
		// The placeholder 说明 is selected: typing replaces it with the picture's description.
		await page.keyboard.type(ALT);
		expect(await body.inputValue()).toContain(`![${ALT}](/media/${imageId})`);
		await body.press('Control+End');
		await page.keyboard.type('\n\n');
		await page.getByRole('toolbar', { name: '格式工具' }).getByRole('button', { name: '提法' }).click();
		const tifa = page.getByRole('dialog', { name: '插入提法（原文引用）' });
		await tifa.getByLabel('部分', { exact: true }).selectOption('六');
		// Part 六 has sections: the quotation stands in （一）.
		await tifa.getByLabel('节', { exact: true }).selectOption('一');
		await tifa.getByLabel('段落', { exact: true }).fill('1');
		await tifa.getByLabel('原文', { exact: true }).fill(TIFA_QUOTE);
		await tifa.getByRole('button', { name: '插入' }).click();
		await tifa.waitFor({ state: 'hidden' });
		expect(await body.inputValue()).toContain(
			`> [!提法] 党的二十大报告 · 第六部分 · （一）第1段\n> ${TIFA_QUOTE}`
		);
		// The live preview, rendered by the server: the figure and the picture, loaded.
		const preview = page.getByRole('complementary', { name: '学员看到的样子' });
		await preview.locator('figure.tifa blockquote', { hasText: TIFA_QUOTE }).waitFor();
		const previewImage = preview.locator(`img[src="/media/${imageId}"]`);
		await previewImage.waitFor();
		expect(await previewImage.getAttribute('alt')).toBe(ALT);
		expect(await naturalWidth(previewImage)).toBe(320);
		await page.getByRole('button', { name: '保存课时' }).click();
		await page.waitForURL(/\/lessons\/l\d+\?created=1$/);
		lesson1Key = /\/lessons\/(l\d+)/.exec(page.url())![1]!;

		// Lesson 2: a video lesson on the uploaded lecture.
		await open(page, `/author/${draftId}/lessons/new`);
		await page.getByRole('textbox', { name: '标题', exact: true }).fill(LESSON2);
		await page.getByRole('radio', { name: '视频', exact: true }).check();
		await page.getByLabel('视频文件').selectOption(String(videoId));
		expect(await page.getByLabel('视频文件').locator('option:checked').textContent()).toBe(
			'接待日现场讲座.mp4'
		);
		await page
			.getByRole('textbox', { name: '说明文字（可选）' })
			.fill('观看接待日现场讲座，注意登记和反馈两个环节。');
		await preview.locator(`video[src="/media/${videoId}"]`).waitFor();
		await page.getByRole('button', { name: '保存课时' }).click();
		await page.waitForURL(/\/lessons\/l\d+\?created=1$/);
		lesson2Key = /\/lessons\/(l\d+)/.exec(page.url())![1]!;

		// Ten questions of the four types through the bank's form.
		for (const q of QUESTIONS) await addQuestion(page, q);
		await open(page, `/author/${draftId}/questions`);
		await page.getByText('题库 10 道，每次抽 10 道').waitFor();
		const doc = draftDoc();
		expect(doc.lessons.map((l) => l.title)).toEqual([LESSON1, LESSON2]);
		expect(doc.questions).toHaveLength(10);

		await open(page, `/author/${draftId}`);
		expect(await page.locator('ol.lessons li').allInnerTexts()).toEqual([
			expect.stringContaining(LESSON1),
			expect.stringContaining(LESSON2)
		]);
		await page.getByRole('button', { name: '提交审核' }).click();
		await page.getByText('已提交审核').first().waitFor();
		expect(row<{ status: string }>('SELECT status FROM module_drafts WHERE id = ?', draftId).status).toBe(
			'submitted'
		);
		await context.close();
	});

	it('the second admin finds it under 待审核, sees it in the phone frame (the picture loads) with the diff, and publishes', async () => {
		const [context, page] = await signedIn(REVIEWER, PHONE);
		await open(page, '/author/media');
		await page
			.getByRole('navigation', { name: '内容编写' })
			.getByRole('link', { name: /^待审核/ })
			.click();
		await page.locator('#pending').getByRole('link', { name: TITLE }).click();
		await page.getByRole('heading', { name: `审核：${TITLE}` }).waitFor();

		await snapshot(page, 'authoring-flow-review-top-phone');
		const phone = page.getByRole('region', { name: '学员在手机上看到的样子' });
		expect(await phone.textContent()).toContain(FIRST_TEXT);
		await phone.locator('figure.tifa', { hasText: TIFA_QUOTE }).waitFor();
		const picture = phone.locator(`img[src="/media/${imageId}"]`);
		expect(await naturalWidth(picture)).toBe(320);
		expect(await phone.locator(`video[src="/media/${videoId}"]`).count()).toBe(1);
		const diff = page.locator('.diff');
		expect(await diff.textContent()).toContain('首次发布');
		// Two lessons and ten questions, all new.
		expect(await diff.locator('.badge', { hasText: '新增' }).count()).toBe(12);
		await picture.scrollIntoViewIfNeeded();
		await snapshot(page, 'authoring-flow-review-phone');

		await page.getByRole('button', { name: '审核通过并发布' }).click();
		await page.getByText('已发布 v1').waitFor();
		expect(
			row<{ n: number }>('SELECT count(*) AS n FROM module_versions WHERE draft_id = ?', draftId).n
		).toBe(1);
		await context.close();
	});

	it('a cadre finds it by its owner, reads lesson 1 (the picture loads), watches lesson 2 and takes the quiz; nothing leaks before handing in', async () => {
		const [context, page] = await signedIn(CADRE, PHONE);
		await open(page, '/learn');
		await page.getByLabel('来源', { exact: true }).selectOption({ label: SCHOOL });
		await page.waitForURL(/[?&]owner=/);
		const card = page.locator('li.card', { has: page.getByRole('link', { name: TITLE }) });
		await card.waitFor();
		expect(await card.locator('.owner').textContent()).toBe(SCHOOL);
		await card.getByRole('link', { name: TITLE }).click();
		await page.getByRole('heading', { name: TITLE, level: 1 }).waitFor();
		expect(await page.locator('header.card .owner').textContent()).toBe(`来源：${SCHOOL}`);
		await page.getByRole('link', { name: '开始学习' }).click();
		await page.getByRole('heading', { name: LESSON1, level: 1 }).waitFor();

		// Lesson 1: the picture (the cadre may fetch it: it is in a lesson they may see) and the 提法.
		const picture = page.locator(`.reader img[src="/media/${imageId}"]`);
		expect(await picture.getAttribute('alt')).toBe(ALT);
		expect(await naturalWidth(picture)).toBe(320);
		await page.locator('.reader figure.tifa', { hasText: TIFA_QUOTE }).waitFor();
		// No passage of the report was named: no 出处 line (not “报告第部分“” 第0段”).
		expect(await page.locator('.reader .meta').innerText()).not.toContain('出处');
		// The minimum reading time passes (as if the cadre kept reading), then 完成本节.
		const db = appDatabase();
		db.prepare(
			`UPDATE lesson_progress SET opened_at = opened_at - 600000 WHERE user_id = (SELECT id FROM users WHERE username = ?)
			 AND lesson_id = (SELECT id FROM lessons WHERE slug = ?)`
		).run(CADRE, `${moduleSlug()}-${lesson1Key}`);
		db.close();
		await page.getByRole('button', { name: '完成本节' }).click();
		await page.getByRole('status').filter({ hasText: '本节已完成' }).waitFor();
		expect(lessonDone(CADRE, lesson1Key)).toBe(true);

		// Lesson 2: the lecture, played muted; the server credits what really played.
		await page.getByRole('link', { name: `下一节：${LESSON2}` }).click();
		await page.getByRole('heading', { name: LESSON2, level: 1 }).waitFor();
		const video = page.locator('video');
		expect(await video.getAttribute('src')).toBe(`/media/${videoId}`);
		expect(await page.locator('.reader .meta').innerText()).toBe('视频 0:40');
		await page.getByTestId('watched').filter({ hasText: '已观看 0%（需观看 90%）' }).waitFor();
		const watch = `${lessonPath(lesson2Key)}/watch`;
		const firstReport = page.waitForResponse(
			(r) => r.url().endsWith(watch) && r.request().method() === 'POST'
		);
		await video.evaluate((v: HTMLVideoElement) => {
			v.muted = true;
			return v.play();
		});
		expect((await firstReport).status()).toBe(200);
		await page.waitForFunction(() => (document.querySelector('video')?.currentTime ?? 0) >= 2);
		const paused = page.waitForResponse((r) => r.url().endsWith(watch) && r.request().method() === 'POST');
		await video.evaluate((v: HTMLVideoElement) => v.pause());
		await paused;
		await page.waitForFunction(
			() => !/已观看 0%/.test(document.querySelector('[data-testid=watched]')?.textContent ?? '')
		);
		// Most of it watched earlier (as watch.test.ts does), the rest played now.
		const progress = appDatabase();
		const changed = progress
			.prepare(
				`UPDATE watch_progress SET watched = '[[0,34]]', watched_seconds = 34, position_seconds = 34, reported_at = ?
				 WHERE lesson_id = (SELECT id FROM lessons WHERE slug = ?) AND user_id = (SELECT id FROM users WHERE username = ?)`
			)
			.run(Date.now(), `${moduleSlug()}-${lesson2Key}`, CADRE).changes;
		progress.close();
		expect(changed).toBe(1);
		await page.reload({ waitUntil: 'networkidle' });
		await page.getByText('从 0:34 继续').waitFor();
		expect(await page.getByTestId('watched').textContent()).toBe('已观看 85%（需观看 90%）');
		await page.waitForFunction(() => (document.querySelector('video')?.readyState ?? 0) >= 2);
		await snapshot(page, 'authoring-flow-video-lesson-phone');
		await video.evaluate((v: HTMLVideoElement) => {
			v.muted = true;
			return v.play();
		});
		await page
			.getByRole('status')
			.filter({ hasText: /已观看 \d+%，本节已完成/ })
			.waitFor({ timeout: 30_000 });
		expect(lessonDone(CADRE, lesson2Key)).toBe(true);
		await page.getByRole('link', { name: '返回模块' }).click();
		await page.getByText('已学 2 / 2 节').waitFor();

		// The quiz: ten questions; while it runs, no response carries a key or an explanation.
		await page.getByRole('link', { name: '参加本模块测验' }).click();
		const attemptResponses: Promise<[string, string]>[] = [];
		page.on('response', (r) => {
			if (/\/quiz\/attempt\/\d+/.test(r.url()) && !r.url().includes('/result') && r.status() === 200)
				attemptResponses.push(
					r.text().then(
						(t) => [r.url(), t] as [string, string],
						() => [r.url(), ''] as [string, string]
					)
				);
		});
		await page.getByRole('button', { name: '开始测验' }).click();
		await page.waitForFunction(() => /\/quiz\/attempt\/\d+/.test(location.pathname));
		const attemptId = Number(/\/quiz\/attempt\/(\d+)/.exec(page.url())![1]);
		await page.getByText('第 1 / 10 题').waitFor();
		const items = attemptItems(attemptId);
		expect(items).toHaveLength(10);
		expect(new Set(items.map((i) => i.snapshot.explanation))).toEqual(
			new Set(QUESTIONS.map((q) => q.explanation))
		);

		// The running attempt as any request of the cadre sees it: pages, their data, the module and lessons.
		const cookie = await loginCookie(CADRE);
		const paths = [
			...items.flatMap((i) => [
				`/quiz/attempt/${attemptId}?q=${i.position}`,
				`/quiz/attempt/${attemptId}/__data.json?q=${i.position}`
			]),
			`/quiz/attempt/${attemptId}?confirm`,
			`/quiz/attempt/${attemptId}/__data.json?confirm`,
			`/quiz/attempt/${attemptId}/result`,
			`/quiz/module/${moduleSlug()}`,
			`/quiz/module/${moduleSlug()}/__data.json`,
			`/learn/${moduleSlug()}`,
			`/learn/${moduleSlug()}/__data.json`,
			...[lesson1Key, lesson2Key].flatMap((k) => [lessonPath(k), `${lessonPath(k)}/__data.json`]),
			'/quiz',
			'/quiz/__data.json'
		];
		for (const path of paths) {
			const res = await get(path, cookie);
			expect([200, 303], path).toContain(res.status);
			expectNoLeak(path, await res.text());
		}

		for (const { position, snapshot: s } of items) {
			await page.getByText(`第 ${position} / 10 题`).waitFor();
			await answerRightly(page, s);
			await page.getByRole('button', { name: position < 10 ? '保存，下一题' : '保存，检查交卷' }).click();
		}
		await page.getByRole('heading', { name: '交卷前检查' }).waitFor();
		expect(await page.getByText('全部 10 题都已作答').count()).toBe(1);
		const seen = await Promise.all(attemptResponses);
		expect(seen.length).toBeGreaterThanOrEqual(10);
		for (const [url, text] of seen) expectNoLeak(url, text);

		await page.getByRole('button', { name: '确认交卷' }).click();
		await page.getByRole('heading', { name: '逐题回顾' }).waitFor();
		expect(await page.locator('.big').textContent()).toContain('100');
		expect(await page.getByText('解析：').count()).toBe(10);
		for (const q of QUESTIONS) await page.getByText(q.explanation).waitFor();
		expect(await page.locator('main').innerText()).not.toMatch(/第部分|第0段/);
		await snapshot(page, 'authoring-flow-quiz-result-phone');
		await context.close();
	});

	it('a correction reaches the cadre only once v2 is published, and lesson 1 stays completed', async () => {
		const [authorContext, author] = await signedIn(AUTHOR);
		await open(author, `/author/${draftId}/lessons/${lesson1Key}`);
		const body = author.getByRole('textbox', { name: '正文' });
		const before = await body.inputValue();
		await body.fill(before.replace(FIRST_TEXT, `${FIRST_TEXT}\n\n${NEW_SENTENCE}`));
		await author.getByRole('button', { name: '保存', exact: true }).click();
		await author.getByRole('status').filter({ hasText: '已保存' }).waitFor();
		expect(draftDoc().lessons[0]!.body).toContain(NEW_SENTENCE);

		// The cadre still reads v1.
		const [cadreContext, cadre] = await signedIn(CADRE, PHONE);
		await open(cadre, lessonPath(lesson1Key));
		expect(await cadre.locator('.reader').textContent()).toContain(FIRST_TEXT);
		expect(await cadre.locator('.reader').textContent()).not.toContain(NEW_SENTENCE);

		await open(author, `/author/${draftId}`);
		await author.getByRole('button', { name: '提交审核' }).click();
		await author.getByText('已提交审核').first().waitFor();
		await cadre.reload({ waitUntil: 'networkidle' });
		expect(await cadre.locator('.reader').textContent()).not.toContain(NEW_SENTENCE);

		const [reviewerContext, reviewer] = await signedIn(REVIEWER);
		await open(reviewer, `/author/${draftId}/review`);
		await reviewer.getByRole('heading', { name: '与线上版本 v1 的对比' }).waitFor();
		expect((await reviewer.locator('.diff ins').allTextContents()).join('')).toContain(NEW_SENTENCE);
		await reviewer.getByRole('button', { name: '审核通过并发布' }).click();
		await reviewer.getByText('已发布 v2').waitFor();
		await reviewerContext.close();

		await cadre.reload({ waitUntil: 'networkidle' });
		expect(await cadre.locator('.reader').textContent()).toContain(NEW_SENTENCE);
		// Same lesson, same identity: still completed, the picture still there.
		await cadre.getByText('您已学完本节').waitFor();
		expect(await cadre.locator('.reader .meta .badge', { hasText: '已完成' }).count()).toBe(1);
		expect(await naturalWidth(cadre.locator(`.reader img[src="/media/${imageId}"]`))).toBe(320);
		expect(lessonDone(CADRE, lesson1Key)).toBe(true);
		await open(cadre, `/learn/${moduleSlug()}`);
		await cadre.getByText('已学 2 / 2 节').waitFor();
		await cadreContext.close();
		await authorContext.close();
	});

	it('v1 is restored as a draft from the versions page; learners keep v2 until it is published', async () => {
		const [context, page] = await signedIn(AUTHOR);
		await open(page, `/author/${draftId}/versions`);
		const rows = page.locator('tbody tr');
		expect(await rows.count()).toBe(2);
		expect(await rows.first().textContent()).toContain('v2');
		await rows.nth(1).getByRole('link', { name: '查看' }).click();
		await page.getByRole('heading', { name: /^v1：/ }).waitFor();
		expect(await page.getByRole('region', { name: /v1/ }).textContent()).not.toContain(NEW_SENTENCE);
		await page.locator('summary', { hasText: '恢复为草稿' }).click();
		await page.getByRole('button', { name: '确认恢复' }).click();
		await page.getByText('已将 v1 恢复为草稿').waitFor();

		// The draft is v1 again: the lesson editor shows the text without the new sentence.
		await open(page, `/author/${draftId}/lessons/${lesson1Key}`);
		const text = await page.getByRole('textbox', { name: '正文' }).inputValue();
		expect(text).toContain(FIRST_TEXT);
		expect(text).not.toContain(NEW_SENTENCE);
		expect(draftDoc().questions).toHaveLength(10);
		// Against the live v2, the restored draft takes the sentence out again.
		await open(page, `/author/${draftId}/review`);
		await page.getByRole('heading', { name: '与线上版本 v2 的对比' }).waitFor();
		expect((await page.locator('.diff del').allTextContents()).join('')).toContain(NEW_SENTENCE);
		await context.close();

		const learner = await (await get(lessonPath(lesson1Key), await loginCookie(CADRE))).text();
		expect(learner).toContain(NEW_SENTENCE);
	});
});
