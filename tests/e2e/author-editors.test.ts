import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { baseURL, loginCookie, post } from './http';
import { row } from './pages';
import { DESKTOP, PHONE, launchBrowser, loginThroughForm, snapshot } from './browser';
import { readingTimeLabel } from '../../src/lib/lesson-editor';
import { minReadSeconds } from '../../src/lib/server/content/render';

/**
 * The lesson editor and the question bank editor of /author, as a party-school admin uses them:
 * the Markdown toolbar and the 提法 helper, the live preview rendered by the server in a phone
 * frame (and the 预览 button without JavaScript), every bad input refused beside its field with
 * nothing stored, the option-letter warning, and a draft under review that nobody can change.
 */

let browser: Browser;
let cookie: string;
let draftId: number;

const QUOTE = '全过程人民民主是社会主义民主政治的本质属性，是最广泛、最真实、最管用的民主。';

interface Doc {
	lessons: { key: string; title: string; body: string }[];
	questions: { key: string; type: string; explanation: string }[];
}

function draft(): { status: string; doc: Doc } {
	const r = row<{ status: string; doc: string }>(
		'SELECT status, doc FROM module_drafts WHERE id = ?',
		draftId
	);
	return { status: r.status, doc: JSON.parse(r.doc) as Doc };
}

beforeAll(async () => {
	browser = await launchBrowser();
	cookie = await loginCookie('dangxiao');
	const theme = row<{ id: number }>('SELECT id FROM themes WHERE archived_at IS NULL ORDER BY id LIMIT 1').id;
	// A module of its own (the seeded ones are other tests'): one question drawn, so it can be submitted.
	const created = await post(
		'/author/new?/create',
		{
			title: '编辑器测试模块',
			themeId: String(theme),
			summary: '检验课时编辑器和题库编辑器',
			minutes: '20',
			creditHours: '0',
			inCatalog: 'on',
			intro: '',
			draw: '1',
			time_limit_minutes: '15',
			pass_mark: '60',
			attempts: '0',
			shuffle_questions: 'on',
			shuffle_options: 'on',
			show_answers: 'on'
		},
		cookie
	);
	const location = created.headers.get('location') ?? '';
	draftId = Number(/^\/author\/(\d+)/.exec(location)?.[1]);
	if (!draftId) throw new Error(`creating a draft answered ${created.status} ${location}`);
});

afterAll(async () => {
	await browser?.close();
});

async function signedIn(viewport: { width: number; height: number }): Promise<[BrowserContext, Page]> {
	const context = await browser.newContext({ viewport, locale: 'zh-CN' });
	const page = await context.newPage();
	await loginThroughForm(page, baseURL(), 'dangxiao', 'Demo#2026');
	return [context, page];
}

/** Opens a page and waits until it runs its script (the toolbar and live checks need it). */
async function open(page: Page, path: string): Promise<void> {
	await page.goto(baseURL() + path, { waitUntil: 'networkidle' });
}

const title = (page: Page) => page.getByRole('textbox', { name: '标题', exact: true });
const body = (page: Page) => page.getByRole('textbox', { name: '正文' });
const preview = (page: Page) => page.getByRole('complementary', { name: '学员看到的样子' });

describe('lesson editor', () => {
	it('the toolbar bolds the selection and inserts a 提法 block through its dialog; the server renders the figure and reading time live', async () => {
		const [context, page] = await signedIn(DESKTOP);
		await open(page, `/author/${draftId}/lessons/new`);
		await title(page).fill('联络站怎样收集民意');
		const text = '人大代表联络站是密切联系群众的重要平台。';
		await body(page).fill(text);
		await body(page).evaluate((el: HTMLTextAreaElement) => {
			const at = el.value.indexOf('密切联系群众');
			el.setSelectionRange(at, at + 6);
		});
		await page.getByRole('button', { name: '加粗' }).click();
		expect(await body(page).inputValue()).toBe('人大代表联络站是**密切联系群众**的重要平台。');
		// The edit went through the browser's editing: 撤销 takes it back.
		await page.keyboard.press('Control+Z');
		expect(await body(page).inputValue()).toBe(text);
		await page.keyboard.press('Control+Shift+Z');
		expect(await body(page).inputValue()).toBe('人大代表联络站是**密切联系群众**的重要平台。');

		// A long enough text that the reading time is over a minute.
		const paragraph = '代表联络站每月固定接待日，群众意见逐件登记、转办、反馈，让群众的呼声有回音。'.repeat(
			20
		);
		await body(page).press('Control+End');
		await page.keyboard.type('\n\n');
		await body(page).evaluate((el: HTMLTextAreaElement, more: string) => {
			el.setRangeText(more + '\n\n', el.selectionStart, el.selectionEnd, 'end');
			el.dispatchEvent(new Event('input', { bubbles: true }));
		}, paragraph);

		await page.getByRole('button', { name: '提法' }).click();
		const dialog = page.getByRole('dialog', { name: '插入提法（原文引用）' });
		await dialog.getByRole('button', { name: '插入' }).click();
		await dialog.getByText('请选择报告的部分').waitFor();
		await dialog.getByText('请填写要引用的原文').waitFor();
		await dialog.getByLabel('部分', { exact: true }).selectOption('六');
		await dialog.getByLabel('段落', { exact: true }).fill('1');
		await dialog.getByLabel('原文', { exact: true }).fill(QUOTE);
		await dialog.getByRole('button', { name: '插入' }).click();
		await dialog.waitFor({ state: 'hidden' });
		expect(await body(page).inputValue()).toContain(
			`\n\n> [!提法] 党的二十大报告 · 第六部分 · 导语第1段\n> ${QUOTE}\n`
		);

		// What the cadre will see, rendered by the server.
		const frame = preview(page);
		await frame.locator('figure.tifa blockquote', { hasText: QUOTE }).waitFor();
		expect(await frame.locator('figure.tifa figcaption').innerText()).toContain('第六部分 · 导语第1段');
		expect(await frame.locator('strong', { hasText: '密切联系群众' }).count()).toBe(1);
		expect(await frame.getByRole('heading', { name: '联络站怎样收集民意' }).count()).toBe(1);
		const figures = await frame.locator('.figures').innerText();
		const chars = Number(/字数\s*([\d,]+)/.exec(figures)?.[1]?.replace(/,/g, ''));
		expect(chars).toBeGreaterThan(600);
		expect(figures).toContain(`最短阅读时间 ${readingTimeLabel(minReadSeconds(chars))}`);
		expect(figures).toMatch(/约 1 分 \d+ 秒/);
		expect(await frame.getByRole('alert').count()).toBe(0);
		await snapshot(page, 'author-lesson-editor-desktop');

		// Script in the text: the preview says it would be refused before anything is saved.
		const good = await body(page).inputValue();
		await body(page).fill(good + '<img src=x onerror=alert(1)>');
		await frame.getByRole('alert').filter({ hasText: 'onerror=' }).waitFor();
		await body(page).fill(good);
		await frame.getByRole('alert').waitFor({ state: 'detached' });

		const before = draft().doc.lessons.length;
		await page.getByRole('button', { name: '保存课时' }).click();
		await page.waitForURL(/\/lessons\/l\d+\?created=1$/);
		await page.getByText('课时已添加').waitFor();
		const lessons = draft().doc.lessons;
		expect(lessons).toHaveLength(before + 1);
		expect(lessons.at(-1)!.body).toContain(`> [!提法] 党的二十大报告 · 第六部分 · 导语第1段\n> ${QUOTE}`);
		await context.close();
	});

	it('on a phone the preview is a tab beside the editor', async () => {
		const lesson = draft().doc.lessons[0]!;
		const [context, page] = await signedIn(PHONE);
		await open(page, `/author/${draftId}/lessons/${lesson.key}`);
		expect(await preview(page).isVisible()).toBe(false);
		await page.getByRole('button', { name: '预览', exact: true }).click();
		await preview(page).locator('figure.tifa', { hasText: QUOTE }).waitFor();
		expect(await body(page).isVisible()).toBe(false);
		await snapshot(page, 'author-lesson-preview-phone');
		await page.getByRole('button', { name: '编辑', exact: true }).click();
		expect(await body(page).isVisible()).toBe(true);
		await context.close();
	});

	it('without JavaScript, 预览 renders the typed text on the server and keeps it; nothing is saved', async () => {
		const context = await browser.newContext({
			viewport: DESKTOP,
			locale: 'zh-CN',
			javaScriptEnabled: false
		});
		await context.addCookies([{ name: 'session', value: cookie.split('=')[1]!, url: baseURL() }]);
		const page = await context.newPage();
		const before = draft().doc.lessons.length;
		await open(page, `/author/${draftId}/lessons/new`);
		expect(await page.getByRole('button', { name: '加粗' }).count()).toBe(0);
		await title(page).fill('无脚本预览');
		const typed = `## 报告怎么说\n\n> [!提法] 党的二十大报告 · 第六部分 · 导语第1段\n> ${QUOTE}`;
		await body(page).fill(typed);
		await page.getByRole('button', { name: '预览' }).click();
		await page.waitForLoadState('load');
		expect(await body(page).inputValue()).toBe(typed);
		expect(await title(page).inputValue()).toBe('无脚本预览');
		await preview(page).locator('figure.tifa blockquote', { hasText: QUOTE }).waitFor();
		await preview(page).getByRole('heading', { name: '报告怎么说' }).waitFor();
		expect(await preview(page).innerText()).toMatch(/最短阅读时间\s*约 \d+ 秒/);
		expect(draft().doc.lessons).toHaveLength(before);
		await context.close();
	});

	it('refuses empty lesson text and Markdown carrying script or event handlers beside 正文, keeping what was typed', async () => {
		const [context, page] = await signedIn(DESKTOP);
		await open(page, `/author/${draftId}/lessons/new`);
		const before = draft().doc.lessons.length;
		const cases: [string, string][] = [
			['', '请填写课时正文'],
			['学习报告。\n\n<script>alert(1)</script>', '<script> 标签'],
			['学习报告。\n\n<img src=x onerror=alert(1)>', 'onerror=']
		];
		await title(page).fill('不能保存的课时');
		for (const [text, message] of cases) {
			await body(page).fill(text);
			await page.getByRole('button', { name: '保存课时' }).click();
			const error = page.locator('#f-body-error');
			await error.filter({ hasText: message }).waitFor();
			expect(await body(page).getAttribute('aria-describedby')).toContain('f-body-error');
			expect(await body(page).getAttribute('aria-invalid')).toBe('true');
			expect(await body(page).inputValue()).toBe(text);
			expect(await title(page).inputValue()).toBe('不能保存的课时');
		}
		expect(page.url()).toMatch(/\/lessons\/new/);
		expect(draft().doc.lessons).toHaveLength(before);
		await context.close();
	});

	it('the preview endpoint answers authors on this site only, and refuses an oversized text in Chinese', async () => {
		const send = (headers: Record<string, string>, markdown: unknown) =>
			fetch(`${baseURL()}/author/preview`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', ...headers },
				body: JSON.stringify({ markdown })
			});
		const ok = await send({ origin: baseURL(), cookie }, '**加粗**');
		expect(ok.status).toBe(200);
		expect(((await ok.json()) as { html: string }).html).toContain('<strong>加粗</strong>');
		const crossSite = await send({ origin: 'https://evil.example', cookie }, '**加粗**');
		expect(crossSite.status).toBe(403);
		expect(((await crossSite.json()) as { message: string }).message).toMatch(/[\u4e00-\u9fff]/);
		const big = await send({ origin: baseURL(), cookie }, '字'.repeat(50_001));
		expect(big.status).toBe(413);
		expect(((await big.json()) as { message: string }).message).toContain('50,000');
		const cadre = await send({ origin: baseURL(), cookie: await loginCookie('lishi.cadre') }, 'x');
		expect(cadre.status).toBe(403);
	});
});

describe('question bank editor', () => {
	async function fillCommon(page: Page, stem: string): Promise<void> {
		await page.getByRole('textbox', { name: '题干' }).fill(stem);
		await page.getByRole('textbox', { name: '解析' }).fill('联络站是代表联系群众的平台，不办理审判事务。');
		await page.getByLabel('关联课时').selectOption({ index: 1 });
	}

	it('refuses a question without a correct answer, a fill-in without accepted answers and a multiple choice with one correct option, beside the field', async () => {
		const [context, page] = await signedIn(DESKTOP);
		await open(page, `/author/${draftId}/questions/new`);
		const before = draft().doc.questions.length;
		const save = () => page.getByRole('button', { name: '保存题目' }).click();

		await fillCommon(page, '人大代表联络站的主要作用是（　）。');
		await page.getByRole('textbox', { name: '选项A' }).fill('密切联系群众');
		await page.getByRole('textbox', { name: '选项B' }).fill('审判案件');
		await save();
		await page.locator('#f-correct-error', { hasText: '请选择一个正确答案' }).waitFor();

		await page.getByLabel('多选').check();
		await page.getByRole('checkbox', { name: '选项A是正确答案' }).check();
		await save();
		await page.locator('#f-correct-error', { hasText: '多选题至少要有两个正确答案' }).waitFor();
		expect(await page.getByRole('textbox', { name: '选项B' }).inputValue()).toBe('审判案件');

		await page.getByLabel('填空').check();
		await page
			.getByRole('textbox', { name: '题干' })
			.fill('全过程人民民主是最广泛、最真实、最____的民主，是____。');
		// As many answer fields as the stem has blanks.
		expect(await page.getByRole('textbox', { name: /^第 \d 空$/ }).count()).toBe(2);
		await page.getByRole('textbox', { name: '第 1 空' }).fill('管用');
		await save();
		await page.locator('#f-blank1-error', { hasText: '请填写第 2 空的答案' }).waitFor();
		expect(await page.getByRole('textbox', { name: '第 1 空' }).inputValue()).toBe('管用');

		expect(page.url()).toMatch(/\/questions\/new/);
		expect(draft().doc.questions).toHaveLength(before);
		await context.close();
	});

	it('warns while typing and after saving when an explanation names an option letter, and the bank shows the warning', async () => {
		const [context, page] = await signedIn(DESKTOP);
		await open(page, `/author/${draftId}/questions/new`);
		await fillCommon(page, '人大代表联络站的主要作用是（　）。');
		await page.getByRole('textbox', { name: '选项A' }).fill('密切联系群众');
		await page.getByRole('textbox', { name: '选项B' }).fill('审判案件');
		await page.getByRole('radio', { name: '选项A是正确答案' }).check();
		const warning = '解析提到了选项字母';
		expect(await page.getByText(warning).count()).toBe(0);
		await page.getByRole('textbox', { name: '解析' }).fill('D错误：审判案件不是联络站的职责。');
		await page.getByText(warning).waitFor();
		await page.getByRole('button', { name: '保存题目' }).click();
		await page.waitForURL(/\/questions\/q\d+\?created=1$/);
		await page.getByText(`请注意：${warning}`).waitFor();
		const saved = draft().doc.questions.at(-1)!;
		expect(saved.explanation).toBe('D错误：审判案件不是联络站的职责。');

		await open(page, `/author/${draftId}/questions`);
		await page.getByText(/题库 \d+ 道，每次抽 1 道/).waitFor();
		const listed = page.getByRole('row').filter({ hasText: '人大代表联络站的主要作用是' });
		await listed.getByText('提醒').waitFor();
		await listed.getByText(warning).waitFor();
		await snapshot(page, 'author-question-bank-desktop');
		await context.close();
	});

	it('writes a 简答 question: reference answer, scoring points added and removed with their total, the limit; bad points are refused beside the row', async () => {
		const [context, page] = await signedIn(DESKTOP);
		await open(page, `/author/${draftId}/questions/new`);
		const before = draft().doc.questions.length;
		await page.getByLabel('简答', { exact: true }).check();
		// Only the 简答 part: no options, no true/false, no blanks.
		expect(await page.getByRole('textbox', { name: '选项A' }).count()).toBe(0);
		expect(await page.getByRole('textbox', { name: '第 1 空' }).count()).toBe(0);
		await page.getByRole('textbox', { name: '题干' }).fill('简述人大代表联络站的作用。');
		await page
			.getByRole('textbox', { name: '参考答案' })
			.fill('联络站是代表密切联系群众的平台。\n代表在这里听取和反映群众意见。');
		const point = (n: number) => page.getByRole('textbox', { name: `第 ${n} 个采分点`, exact: true });
		const points = (n: number) => page.getByRole('textbox', { name: `第 ${n} 个采分点的分值` });
		expect(await point(2).count()).toBe(0);
		await point(1).fill('密切联系群众的平台');
		await points(1).fill('3');
		await page.getByRole('button', { name: '+ 添加采分点' }).click();
		await point(2).fill('听取和反映群众意见');
		await points(2).fill('0.3');
		await page.getByRole('button', { name: '+ 添加采分点' }).click();
		await point(3).fill('多余的一条');
		await points(3).fill('1');
		await page.getByText('合计 4.3 分').waitFor();
		await page.getByRole('button', { name: '删除第 3 个采分点' }).click();
		expect(await point(3).count()).toBe(0);
		await page.getByText('合计 3.3 分').waitFor();
		await page.getByLabel('关联课时').selectOption({ index: 1 });
		await page.getByRole('textbox', { name: '字数上限' }).fill('300');
		await page.getByRole('button', { name: '保存题目' }).click();
		await page
			.locator('#f-points1-error', { hasText: '第 2 个采分点的分值为 0.5–100 分，且须为 0.5 的倍数' })
			.waitFor();
		expect(await points(2).getAttribute('aria-invalid')).toBe('true');
		expect(await point(2).inputValue()).toBe('听取和反映群众意见');
		expect(draft().doc.questions).toHaveLength(before);

		await points(2).fill('2.5');
		await page.getByText('合计 5.5 分').waitFor();
		await page.getByRole('button', { name: '保存题目' }).click();
		await page.waitForURL(/\/questions\/q\d+\?created=1$/);
		await page.getByText('题目已添加。').waitFor();
		const saved = draft().doc.questions.at(-1)! as unknown as {
			type: string;
			options: string[];
			answer: unknown;
			explanation: string;
		};
		expect(saved).toMatchObject({
			type: 'essay',
			options: [],
			explanation: '',
			answer: {
				reference: '联络站是代表密切联系群众的平台。\n代表在这里听取和反映群众意见。',
				rubric: [
					{ point: '密切联系群众的平台', points: 3 },
					{ point: '听取和反映群众意见', points: 2.5 }
				],
				maxLength: 300
			}
		});
		// The edit form starts from what was saved.
		expect(await point(2).inputValue()).toBe('听取和反映群众意见');
		expect(await page.getByRole('textbox', { name: '字数上限' }).inputValue()).toBe('300');

		await open(page, `/author/${draftId}/questions`);
		const listed = page.getByRole('row').filter({ hasText: '简述人大代表联络站的作用。' });
		await listed.getByText('简答题').waitFor();
		await listed.getByText('共 5.5 分').waitFor();
		expect(await page.locator('p.count').innerText()).toMatch(
			/^题库 \d+ 道，每次抽 1 道（其中简答题 1 道：简答题不进入模块测验，只用于考试）/
		);
		await open(page, `/author/${draftId}`);
		await page.getByText('简答题不进入模块测验，只用于考试').waitFor();
		await context.close();
	});

	it('without JavaScript, a 简答 shows ten scoring rows (empty ones ignored) and a bad limit is refused beside it', async () => {
		const context = await browser.newContext({
			viewport: DESKTOP,
			locale: 'zh-CN',
			javaScriptEnabled: false
		});
		await context.addCookies([{ name: 'session', value: cookie.split('=')[1]!, url: baseURL() }]);
		const page = await context.newPage();
		await open(page, `/author/${draftId}/questions/new`);
		const before = draft().doc.questions.length;
		expect(await page.getByRole('textbox', { name: /^第 \d+ 个采分点$/ }).count()).toBe(10);
		await page.getByLabel('简答', { exact: true }).check();
		await page.getByRole('textbox', { name: '题干' }).fill('简述代表的义务（无脚本）。');
		await page.getByRole('textbox', { name: '参考答案' }).fill('模范地遵守宪法和法律。');
		await page.getByRole('textbox', { name: '第 1 个采分点', exact: true }).fill('遵守宪法');
		await page.getByRole('textbox', { name: '第 1 个采分点的分值' }).fill('2');
		await page.getByRole('textbox', { name: '第 3 个采分点', exact: true }).fill('遵守法律');
		await page.getByRole('textbox', { name: '第 3 个采分点的分值' }).fill('3');
		await page.getByRole('textbox', { name: '字数上限' }).fill('40');
		await page.getByLabel('关联课时').selectOption({ index: 1 });
		await page.getByRole('button', { name: '保存题目' }).click();
		await page.waitForLoadState('load');
		await page.locator('#f-maxLength-error', { hasText: '字数上限为 50–5000 字的整数' }).waitFor();
		expect(await page.getByRole('textbox', { name: '第 3 个采分点', exact: true }).inputValue()).toBe(
			'遵守法律'
		);
		expect(draft().doc.questions).toHaveLength(before);

		await page.getByRole('textbox', { name: '字数上限' }).fill('');
		await page.getByRole('button', { name: '保存题目' }).click();
		await page.waitForURL(/\/questions\/q\d+\?created=1$/);
		expect(draft().doc.questions.at(-1)).toMatchObject({
			type: 'essay',
			answer: {
				reference: '模范地遵守宪法和法律。',
				rubric: [
					{ point: '遵守宪法', points: 2 },
					{ point: '遵守法律', points: 3 }
				],
				maxLength: 500
			}
		});
		await context.close();
	});
});

describe('a draft under review', () => {
	it('shows its lessons and bank read-only, and refuses changes', async () => {
		const submitted = await post(`/author/${draftId}?/submit`, {}, cookie);
		expect(submitted.status).toBeLessThan(400);
		expect(draft().status).toBe('submitted');
		const { doc } = draft();
		const lesson = doc.lessons[0]!;
		const question = doc.questions[0]!;

		const [context, page] = await signedIn(PHONE);
		await open(page, `/author/${draftId}/lessons/${lesson.key}`);
		await page.getByText('待审核期间不能修改').waitFor();
		expect(await body(page).count()).toBe(0);
		expect(await page.getByText('删除本课时').count()).toBe(0);
		await page.locator('figure.tifa', { hasText: QUOTE }).waitFor();

		await open(page, `/author/${draftId}/questions`);
		await page.getByText('待审核期间不能修改').waitFor();
		expect(await page.getByRole('link', { name: '新增题目' }).count()).toBe(0);
		expect(await page.getByText('删除', { exact: true }).count()).toBe(0);
		expect(await page.getByRole('link', { name: '编辑', exact: true }).count()).toBe(0);

		await open(page, `/author/${draftId}/questions/${question.key}`);
		await page.getByText('待审核期间不能修改').waitFor();
		expect(await page.getByRole('button', { name: '保存' }).count()).toBe(0);
		// A 简答 read-only: its reference answer, scoring points and limit.
		const essay = doc.questions.find((q) => q.type === 'essay')!;
		await open(page, `/author/${draftId}/questions/${essay.key}`);
		await page.getByText('参考答案：联络站是代表密切联系群众的平台。').waitFor();
		await page.getByText('听取和反映群众意见（2.5 分）').waitFor();
		await page.getByText('合计 5.5 分 · 字数上限 300 字').waitFor();
		await context.close();

		// Posted anyway: refused, nothing changes.
		const refused = await post(
			`/author/${draftId}/lessons/${lesson.key}?/save`,
			{ title: '审核中偷改', kind: 'text', body: '改过的正文。' },
			cookie
		);
		expect(refused.status).toBe(400);
		expect(await refused.text()).toMatch(/审核/);
		const removed = await post(`/author/${draftId}/questions?/remove`, { key: question.key }, cookie);
		expect(removed.status).toBe(400);
		expect(draft().doc).toEqual(doc);

		// Back to editing for whoever comes next.
		await post(`/author/${draftId}?/recall`, {}, cookie);
		expect(draft().status).toBe('editing');
	});
});

describe('scope', () => {
	it('another owner’s draft, lesson or question is the one 404', async () => {
		const office = await loginCookie('lishi.admin');
		const lesson = draft().doc.lessons[0]!.key;
		for (const path of [
			`/author/${draftId}/lessons/new`,
			`/author/${draftId}/lessons/${lesson}`,
			`/author/${draftId}/questions`,
			`/author/${draftId}/questions/new`
		]) {
			const reply = await fetch(baseURL() + path, { headers: { cookie: office }, redirect: 'manual' });
			expect(reply.status, path).toBe(404);
			expect(await reply.text()).toContain('没有找到这个模块，或不在您的管理范围内');
		}
		const missing = await fetch(`${baseURL()}/author/${draftId}/lessons/l999999`, { headers: { cookie } });
		expect(missing.status).toBe(404);
		expect(await missing.text()).toContain('没有找到这个课时');
	});
});
