import { readFileSync } from 'node:fs';
import axe from 'axe-core';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { appDatabase, baseURL } from './http';
import { row } from './pages';
import { DESKTOP, PHONE, answerRightly, launchBrowser, loginThroughForm, snapshot } from './browser';

/**
 * Issue #17's whole flow in the browser, as people do it through the pages (with JavaScript):
 * the party school's admin composes a paper by rule (single choice and true/false from every
 * bank, one 简答 from the school's own module), makes an exam of it and assigns it to 兴县;
 * two of its cadres sit it on their phones (one hands in, the other is still writing when the
 * time runs out and the page hands the paper in by itself); the school's second admin grades the
 * 简答 answers seeing only 答卷编号; the window ends and the admin publishes the results; the
 * first cadre reviews the key, the reference answer and the grader's comment; the admin exports
 * the 成绩单 (.xlsx) and reads the item analysis; the second cadre gets a 补考 (an extra attempt in
 * a window of their own), sits it, and after its release the better attempt counts.
 *
 * Time is the server's: where the test cannot wait (the 5-minute duration, the window's end) it
 * moves the stored deadline or window, as quiz.browser.test.ts does.
 */

const ADMIN = 'dangxiao';
const GRADER = 'dangxiao2';
const PAPER = '兴县应知应会测试卷（流程测试）';
const EXAM = '兴县2026年度应知应会测试（流程测试）';
const ESSAY_A = '联络站要定期接待群众，每月固定接待日；群众意见逐件登记建立台账；办理结果及时反馈并公开。';
const ESSAY_B = '代表要经常进站，听取群众意见。';
const COMMENT = '三个采分点都答到了，联系实际较好（流程测试评语）。';

let browser: Browser;
/** Two 兴县 cadres no other test signs in as. */
let sitter = { username: '', name: '' };
let lateComer = { username: '', name: '' };
let graderName = '';
let paperId = 0;
let examId = 0;

/** A time as the exam form's datetime-local fields take it: Asia/Shanghai, to the minute. */
function shanghaiLocal(ms: number): string {
	return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16);
}

function run(sql: string, ...params: unknown[]): void {
	const db = appDatabase();
	try {
		db.prepare(sql).run(...params);
	} finally {
		db.close();
	}
}

function userId(username: string): number {
	return row<{ id: number }>('SELECT id FROM users WHERE username = ?', username).id;
}

function latestAttempt(username: string): { id: number; number: number } {
	return row(
		'SELECT id, number FROM exam_attempts WHERE exam_id = ? AND user_id = ? ORDER BY number DESC LIMIT 1',
		examId,
		userId(username)
	);
}

function snapshotsOf(attemptId: number): { position: number; type: string; answer: unknown }[] {
	const db = appDatabase();
	try {
		return (
			db
				.prepare('SELECT position, snapshot FROM exam_attempt_items WHERE attempt_id = ? ORDER BY position')
				.all(attemptId) as { position: number; snapshot: string }[]
		).map((r) => ({
			position: r.position,
			...(JSON.parse(r.snapshot) as { type: string; answer: unknown })
		}));
	} finally {
		db.close();
	}
}

async function signedIn(username: string, viewport = DESKTOP): Promise<[BrowserContext, Page]> {
	// The policy forbids inline scripts; bypassing it lets the test inject axe-core.
	const context = await browser.newContext({
		viewport,
		locale: 'zh-CN',
		acceptDownloads: true,
		bypassCSP: true
	});
	const page = await context.newPage();
	await loginThroughForm(page, baseURL(), username, 'Demo#2026');
	return [context, page];
}

/** axe-core's serious and critical findings on the page as it is now (as accessibility.test.ts checks). */
async function seriousViolations(page: Page): Promise<string[]> {
	await page.addScriptTag({ content: axe.source });
	const results = await page.evaluate(() =>
		(window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] })
	);
	return results.violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.flatMap((v) => v.nodes.map((n) => `${page.url()} ${v.id}: ${n.target.join(' ')} — ${n.failureSummary}`));
}

/** Opens a page and waits until it runs its script (use:enhance, the countdown). */
async function open(page: Page, path: string): Promise<void> {
	await page.goto(baseURL() + path, { waitUntil: 'networkidle' });
}

/** From the exam's page: 开始考试 (or 再次作答), the confirmation of the rules, then the first question. */
async function startFrom(page: Page, button: string): Promise<number> {
	await page.locator('summary', { hasText: button }).click();
	await page.getByRole('heading', { name: '确认开始考试' }).waitFor();
	expect(await page.locator('form.confirm').innerText()).toMatch(/开始后计时 5 分钟，不能暂停/);
	await page.getByRole('button', { name: '确认开始' }).click();
	await page.waitForFunction(() => /^\/exams\/attempt\/\d+$/.test(location.pathname));
	await page.getByText(/第 \d+ \/ \d+ 题/).waitFor();
	return Number(/\/exams\/attempt\/(\d+)/.exec(page.url())![1]);
}

/** Answers every question (rightly: the test reads the key from the database, the page never has it). */
async function answerAll(
	page: Page,
	attemptId: number,
	essay: string,
	flag?: number,
	onEssay?: () => Promise<void>
): Promise<number> {
	const items = snapshotsOf(attemptId);
	for (const item of items) {
		await page.getByText(`第 ${item.position} / ${items.length} 题`).waitFor();
		if (item.type === 'essay') {
			await page.locator('textarea[name=essay]').fill(essay);
			await page.getByText(`已写 ${essay.length} / 500 字`).waitFor();
			await onEssay?.();
		} else await answerRightly(page, item);
		if (item.position === flag) await page.getByLabel('标记此题，稍后再看').check();
		await page
			.getByRole('button', { name: item.position < items.length ? '保存，下一题' : '保存，检查交卷' })
			.click();
	}
	await page.getByRole('heading', { name: '交卷前检查' }).waitFor();
	return items.length;
}

/** Grades every 简答 waiting for this grader: full marks per scoring point, with a comment. */
async function gradeAll(page: Page, names: string[]): Promise<number> {
	await open(page, `/author/exams/${examId}/grading`);
	let graded = 0;
	for (;;) {
		const marks = page.locator('input[data-mark]');
		await page.locator('input[data-mark], .card.empty').first().waitFor();
		if ((await marks.count()) === 0) break;
		// Anonymous: 答卷编号 only, never whose answer it is (nor in the data a navigation fetches).
		const html = await page.content();
		for (const name of names) expect(html).not.toContain(name);
		expect(html).toMatch(/答卷编号 [A-Z2-9]{6}/);
		const code = /答卷编号 ([A-Z2-9]{6})/.exec(html)![1]!;
		for (let i = 0; i < (await marks.count()); i++) {
			const max = await marks.nth(i).getAttribute('max');
			await marks.nth(i).fill(max!);
		}
		await page.locator('[name="comment"]').fill(COMMENT);
		await page.locator('form[action="?/grade"] button[type=submit]').click();
		await page.getByRole('status').filter({ hasText: '已评分' }).waitFor();
		await page.waitForFunction((c) => !document.body.innerText.includes(`答卷编号 ${c}`), code);
		graded++;
	}
	return graded;
}

/** 公布成绩 on the exam's page, through its confirmation. */
async function release(page: Page): Promise<void> {
	await open(page, `/author/exams/${examId}`);
	await page.locator('details:has(form[action="?/release"]) summary').click();
	await page.locator('form[action="?/release"] button[type=submit]').click();
	await page.getByRole('status').filter({ hasText: '成绩已公布' }).waitFor();
}

beforeAll(async () => {
	const db = appDatabase();
	try {
		const cadres = db
			.prepare(
				`SELECT username, name FROM users WHERE office_id = (SELECT id FROM offices WHERE code = 'xingxian')
				 AND role = 'cadre' AND active = 1 AND must_change_password = 0 ORDER BY username LIMIT 2`
			)
			.all() as { username: string; name: string }[];
		[sitter, lateComer] = [cadres[0]!, cadres[1]!];
		graderName = (db.prepare('SELECT name FROM users WHERE username = ?').get(GRADER) as { name: string })
			.name;
	} finally {
		db.close();
	}
	browser = await launchBrowser();
});

afterAll(async () => {
	await browser?.close();
});

describe('a formal exam from paper to released results', () => {
	it('the school admin composes a paper by rule with a 简答 section', async () => {
		const [context, page] = await signedIn(ADMIN);
		await open(page, '/author/papers/new');
		await page.locator('[name="title"]').fill(PAPER);
		// Two sections drawn by rule instead of the picked one the form starts with.
		await page.locator('button[value="add-rule"]').click();
		await page.locator('[name="sections.1.kind"]').waitFor({ state: 'attached' });
		await page.locator('button[value="add-rule"]').click();
		await page.locator('[name="sections.2.kind"]').waitFor({ state: 'attached' });
		await page.locator('button[value="section-remove:0"]').click();
		await page.locator('[name="sections.2.kind"]').waitFor({ state: 'detached' });
		expect(await page.locator('[name="title"]').inputValue()).toBe(PAPER);
		// 一、objective: 4 single choice at 5 points and (a second rule) 2 true/false at 5 points.
		await page.locator('button[value="rule-add:0"]').click();
		await page.locator('[name="sections.0.rules.1.type"]').waitFor();
		await page.locator('[name="sections.0.title"]').fill('一、选择和判断');
		await page.locator('[name="sections.0.rules.0.type"]').selectOption('single');
		await page.locator('[name="sections.0.rules.0.count"]').fill('4');
		await page.locator('[name="sections.0.rules.0.points"]').fill('5');
		await page.locator('[name="sections.0.rules.1.type"]').selectOption('truefalse');
		await page.locator('[name="sections.0.rules.1.count"]').fill('2');
		await page.locator('[name="sections.0.rules.1.points"]').fill('5');
		// 二、one 简答 from the school's own module at 10 points.
		await page.locator('[name="sections.1.title"]').fill('二、简答题');
		await page.locator('[name="sections.1.instructions"]').fill('按采分点给分。');
		await page
			.locator('[name="sections.1.rules.0.moduleId"]')
			.selectOption({ label: '人大代表联络站工作实务' });
		await page.locator('[name="sections.1.rules.0.type"]').selectOption('essay');
		await page.locator('[name="sections.1.rules.0.count"]').fill('1');
		await page.locator('[name="sections.1.rules.0.points"]').fill('10');
		await page.locator('[name="passMark"]').fill('24');
		await page.locator('button[formaction="?/save"]').first().click();
		await page.waitForFunction(() => /^\/author\/papers\/\d+$/.test(location.pathname));
		paperId = Number(/\/author\/papers\/(\d+)/.exec(page.url())![1]);
		const saved = row<{ total: number; pass: number; doc: string }>(
			'SELECT total_points AS total, pass_mark AS pass, doc FROM exam_papers WHERE id = ?',
			paperId
		);
		expect(saved.total).toBe(40);
		expect(saved.pass).toBe(24);
		const doc = JSON.parse(saved.doc) as { sections: { kind: string; rules: { type: string }[] }[] };
		expect(doc.sections.map((s) => s.kind)).toEqual(['rule', 'rule']);
		expect(doc.sections[1]!.rules.map((r) => r.type)).toEqual(['essay']);
		await snapshot(page, 'exam-flow-paper-desktop');
		await context.close();
	});

	it('creates an exam of it (5 minutes, open now), names the second admin as grader, assigns it to 兴县', async () => {
		const [context, page] = await signedIn(ADMIN);
		await open(page, `/author/exams/new`);
		await page.locator('[name="title"]').fill(EXAM);
		await page.locator('select[name="paperId"]').selectOption(String(paperId));
		const now = Date.now();
		await page.locator('[name="opensAt"]').fill(shanghaiLocal(now));
		await page.locator('[name="closesAt"]').fill(shanghaiLocal(now + 60 * 60_000));
		await page.locator('[name="durationMinutes"]').fill('5');
		await page.locator(`input[name="graderIds"][value="${userId(GRADER)}"]`).check();
		await page.locator('form.exam-form button[type=submit]').click();
		await page.waitForFunction(() => /^\/author\/exams\/\d+$/.test(location.pathname));
		examId = Number(/\/author\/exams\/(\d+)/.exec(page.url())![1]);

		await open(page, `/author/exams/${examId}/candidates`);
		const xingxian = row<{ id: number }>("SELECT id FROM offices WHERE code = 'xingxian'").id;
		await page.locator('select[name="officeId"]').selectOption(String(xingxian));
		await page.locator('form[action="?/assignOffice"] button[type=submit]').click();
		await page.getByRole('status').filter({ hasText: '已布置' }).waitFor();
		await page.getByText(sitter.name).first().waitFor();
		expect(
			row<{ n: number }>('SELECT count(*) AS n FROM exam_candidates WHERE exam_id = ? AND active = 1', examId)
				.n
		).toBeGreaterThanOrEqual(2);
		await context.close();
	});

	it('a cadre sits it on a phone: rules, the confirmation, answers with a flag, the check, handed in', async () => {
		const [context, page] = await signedIn(sitter.username, PHONE);
		// The home page shows the open exam; 我的 links to 我的考试.
		await open(page, '/');
		await page.getByRole('link', { name: `进入考试：${EXAM}` }).waitFor();
		await snapshot(page, 'exam-flow-home-phone');
		await open(page, '/me');
		await page.getByRole('link', { name: /我的考试/ }).click();
		await page.getByRole('heading', { name: '我的考试' }).waitFor();
		await page.getByRole('link', { name: `进入考试：${EXAM}` }).click();
		await page.waitForFunction(() => /^\/exams\/\d+$/.test(location.pathname));
		await page.getByRole('heading', { level: 1, name: EXAM }).waitFor();
		expect(await page.locator('main').innerText()).toMatch(/时长\s*5 分钟/);
		await snapshot(page, 'exam-flow-rules-phone');
		const attemptId = await startFrom(page, '开始考试');
		await snapshot(page, 'exam-flow-question-phone');
		const problems = await seriousViolations(page);
		// Leaving the page (another app) is reported and counted, nothing else.
		await page.evaluate(() => {
			Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
			document.dispatchEvent(new Event('visibilitychange'));
			Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
		});
		await expect
			.poll(() => row<{ n: number }>('SELECT leave_count AS n FROM exam_attempts WHERE id = ?', attemptId).n)
			.toBe(1);
		const total = await answerAll(page, attemptId, ESSAY_A, 2, async () => {
			problems.push(...(await seriousViolations(page)));
			await snapshot(page, 'exam-flow-essay-phone');
		});
		problems.push(...(await seriousViolations(page)));
		expect(await page.getByText(`全部 ${total} 题都已作答`).count()).toBe(1);
		expect(await page.getByText('您标记了第 2 题').count()).toBe(1);
		await snapshot(page, 'exam-flow-check-phone');
		expect(problems).toEqual([]);
		await page.getByRole('button', { name: '确认交卷' }).click();
		await page.waitForFunction(() => location.search === '?submitted');
		await page.getByText('已交卷，待公布').first().waitFor();
		// No score before release, not even the objective part.
		expect(await page.locator('.score, .big').count()).toBe(0);
		await context.close();
	});

	it('another cadre is still writing when the time runs out: the page hands the paper in by itself', async () => {
		const [context, page] = await signedIn(lateComer.username, PHONE);
		await open(page, `/exams/${examId}`);
		const attemptId = await startFrom(page, '开始考试');
		const items = snapshotsOf(attemptId);
		await answerRightly(page, items[0]!);
		await page.getByRole('button', { name: '保存，下一题' }).click();
		await page.getByText(`第 2 / ${items.length} 题`).waitFor();
		// The 简答, saved as it is typed (no button pressed).
		const essay = items.find((i) => i.type === 'essay')!;
		await page.getByRole('button', { name: new RegExp(`^第 ${essay.position} 题`) }).click();
		await page.locator('textarea[name=essay]').fill(ESSAY_B);
		await page.getByRole('status').filter({ hasText: '已保存' }).waitFor();
		// Four seconds left by the server's clock: the countdown runs out on the page.
		run('UPDATE exam_attempts SET deadline = ? WHERE id = ?', Date.now() + 4_000, attemptId);
		await page.reload({ waitUntil: 'networkidle' });
		await page
			.getByRole('timer')
			.filter({ hasText: /0:0[0-4]/ })
			.waitFor();
		await snapshot(page, 'exam-flow-last-seconds-phone');
		await page.waitForFunction(() => location.search === '?late', null, { timeout: 15_000 });
		await page.getByText('考试时间已到，系统已按您保存的答案自动交卷').waitFor();
		const closed = row<{ auto: number; answered: number }>(
			`SELECT auto_submitted AS auto, (SELECT count(*) FROM exam_attempt_items WHERE attempt_id = a.id AND response IS NOT NULL) AS answered
			 FROM exam_attempts a WHERE id = ?`,
			attemptId
		);
		expect(closed).toEqual({ auto: 1, answered: 2 });
		await snapshot(page, 'exam-flow-timed-out-phone');
		await context.close();
	});

	it('the second admin grades the 简答 answers by 答卷编号, never seeing a name', async () => {
		const [context, page] = await signedIn(GRADER);
		expect(await gradeAll(page, [sitter.name, lateComer.name])).toBe(2);
		await page.getByText('全部简答已评完').waitFor();
		await snapshot(page, 'exam-flow-graded-desktop');
		await context.close();
	});

	it('the window ends; the admin publishes the results; the cadre sees the score and reviews the paper', async () => {
		// The window ends (its close moved to a moment ago, as the clock would).
		run('UPDATE exams SET closes_at = ? WHERE id = ?', Date.now() - 1_000, examId);
		const [admin, adminPage] = await signedIn(ADMIN);
		await release(adminPage);
		await admin.close();

		const [context, page] = await signedIn(sitter.username, PHONE);
		await open(page, `/exams/${examId}`);
		await page.locator('.big').waitFor();
		expect(await page.locator('.big').innerText()).toMatch(/^40/);
		expect(await page.locator('main').innerText()).toContain('及格');
		await page.getByRole('link', { name: '查看成绩和答卷' }).click();
		await page.getByRole('heading', { name: '答卷回顾' }).waitFor();
		const review = await page.locator('main').innerText();
		expect(review).toContain('参考答案');
		expect(review).toContain('采分点');
		expect(review).toContain(COMMENT);
		expect(review).toContain(ESSAY_A);
		expect(review).not.toContain(graderName);
		expect(await page.getByText('正确答案：').count()).toBe(6);
		await snapshot(page, 'exam-flow-review-phone');
		await context.close();
	});

	it('the admin exports the 成绩单 (.xlsx) and reads the item analysis', async () => {
		const [context, page] = await signedIn(ADMIN);
		await open(page, `/author/exams/${examId}`);
		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.locator(`a[href$="/author/exams/${examId}/results.xlsx"]`).click()
		]);
		expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(readFileSync((await download.path())!) as unknown as ExcelJS.Buffer);
		const sheet = wb.worksheets[0]!;
		const rows: string[][] = [];
		sheet.eachRow((r) => rows.push((r.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
		const header = rows.find((r) => r.includes('姓名') && r.includes('总分'))!;
		expect(header).toBeDefined();
		const col = (name: string) => header.indexOf(name);
		const of = (name: string) => rows.find((r) => r[col('姓名')] === name)!;
		expect(of(sitter.name)[col('总分')]).toBe('40');
		expect(of(lateComer.name)).toBeDefined();
		expect(of(sitter.name)[col('离开页面次数')]).toBe('1');
		expect(header.filter((h) => /^第\d+题$/.test(h))).toHaveLength(7);

		await open(page, `/author/exams/${examId}/analysis`);
		await page.getByRole('heading', { name: '试题分析' }).waitFor();
		const analysis = await page.locator('main').innerText();
		expect(analysis).toMatch(/共 \d+ 道题/);
		expect(analysis).toContain('难度（答对率）');
		expect(await page.locator('ol.items > li').count()).toBeGreaterThanOrEqual(7);
		await snapshot(page, 'exam-flow-analysis-desktop');
		await context.close();
	});

	it('a 补考: an extra attempt in a window of their own, sat, graded, released; the better result counts', async () => {
		const [admin, adminPage] = await signedIn(ADMIN);
		await open(adminPage, `/author/exams/${examId}/candidates?q=${lateComer.username}`);
		const now = Date.now();
		const retake = adminPage.locator('form[action="?/retake"]');
		await adminPage.locator('details:has(form[action="?/retake"]) summary').click();
		await retake.locator('[name="extraAttempts"]').fill('1');
		await retake.locator('[name="opensAt"]').fill(shanghaiLocal(now));
		await retake.locator('[name="closesAt"]').fill(shanghaiLocal(now + 60 * 60_000));
		await retake.locator('button[type=submit]').click();
		await adminPage.getByRole('status').filter({ hasText: '已安排补考' }).waitFor();

		const [context, page] = await signedIn(lateComer.username, PHONE);
		await open(page, `/exams/${examId}`);
		expect(await page.locator('main').innerText()).toContain('您已交卷 1 次，还可以再作答 1 次');
		const attemptId = await startFrom(page, '再次作答');
		expect(latestAttempt(lateComer.username)).toEqual({ id: attemptId, number: 2 });
		await answerAll(page, attemptId, ESSAY_A);
		await page.getByRole('button', { name: '确认交卷' }).click();
		await page.waitForFunction(() => location.search === '?submitted');

		const [grader, graderPage] = await signedIn(GRADER);
		expect(await gradeAll(graderPage, [lateComer.name])).toBe(1);
		await grader.close();
		// Their own window ends too; the admin publishes again.
		run(
			'UPDATE exam_candidates SET closes_at = ? WHERE exam_id = ? AND user_id = ?',
			Date.now() - 1_000,
			examId,
			userId(lateComer.username)
		);
		await release(adminPage);
		await admin.close();

		await open(page, `/exams/${examId}/result`);
		await page.getByRole('heading', { name: '作答记录' }).waitFor();
		const attempts = page.locator('li.attempt');
		expect(await attempts.count()).toBe(2);
		expect(await attempts.nth(1).innerText()).toMatch(/第 2 次[\s\S]*40 分[\s\S]*计入成绩/);
		expect(await attempts.nth(0).innerText()).not.toContain('计入成绩');
		expect(await page.locator('.big').innerText()).toMatch(/^40/);
		await snapshot(page, 'exam-flow-retake-result-phone');
		await context.close();
	});
});
