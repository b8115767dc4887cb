import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import axe from 'axe-core';
import ExcelJS from 'exceljs';
import { appDatabase, baseURL, get, loginCookie, post } from './http';
import { DESKTOP, PHONE, launchBrowser, loginThroughForm, snapshot } from './browser';

/**
 * Issue #16 through the pages: an author brings an Excel sheet and a pasted exam paper into a
 * module's bank (preview with the problems by line, then one confirmation), with JavaScript and
 * without; a wrong file is refused beside the field; the bank goes out as Excel, CSV, GIFT and
 * Aiken. The pipeline's rules in depth are in tests/server/question-bank-import.test.ts.
 */

const AUTHOR = 'dangxiao';
const TITLE = '题库导入测试模块（e2e）';
const LESSONS = ['代表的权利和义务（导入测试）', '代表的联系群众（导入测试）'];

let browser: Browser;
let cookie = '';
let draftId = 0;

function scalar(sql: string, ...params: unknown[]): unknown {
	const db = appDatabase();
	try {
		return db
			.prepare(sql)
			.pluck()
			.get(...params);
	} finally {
		db.close();
	}
}

const questionCount = () =>
	scalar("SELECT json_array_length(doc, '$.questions') FROM module_drafts WHERE id = ?", draftId) as number;
const stagedCount = () =>
	scalar('SELECT count(*) FROM question_imports WHERE draft_id = ?', draftId) as number;
const storedDoc = () => scalar('SELECT doc FROM module_drafts WHERE id = ?', draftId) as string;

/** axe-core's serious and critical findings on the page as it is now (the context bypasses CSP to inject it). */
async function seriousViolations(page: Page): Promise<string[]> {
	await page.addScriptTag({ content: axe.source });
	const results = await page.evaluate(() =>
		(window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] })
	);
	return results.violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.flatMap((v) => v.nodes.map((n) => `${page.url()} ${v.id}: ${n.target.join(' ')}`));
}

/** A form with a file, posted as a browser without JavaScript posts it. */
function postFile(
	path: string,
	fields: Record<string, string>,
	file?: { name: string; type: string; body: Uint8Array<ArrayBuffer> }
) {
	const form = new FormData();
	for (const [k, v] of Object.entries(fields)) form.append(k, v);
	if (file) form.append('file', new Blob([file.body], { type: file.type }), file.name);
	return fetch(baseURL() + path, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: baseURL(), cookie },
		body: form
	});
}

async function workbook(rows: (string | null)[][]): Promise<Buffer> {
	const wb = new ExcelJS.Workbook();
	const ws = wb.addWorksheet('题目');
	for (const r of rows) ws.addRow(r);
	return Buffer.from(await wb.xlsx.writeBuffer());
}

const HEADER = [
	'题型',
	'题干',
	'选项A',
	'选项B',
	'选项C',
	'选项D',
	'答案',
	'解析',
	'难度',
	'对应课时',
	'原文出处'
];

const PASTED = [
	'一、单项选择题',
	'1. 代表联系群众的主要平台是什么？（B）',
	'A. 单位食堂',
	'B. 代表联络站',
	'C. 新闻发布会',
	'解析：代表联络站是代表联系群众的平台。',
	'2. 这道题没有写答案（　）',
	'A. 甲',
	'B. 乙',
	'二、判断题',
	'3. 代表应当与原选区选民保持密切联系。（√）',
	'解析：代表法的规定。'
].join('\n');

beforeAll(async () => {
	browser = await launchBrowser();
	cookie = await loginCookie(AUTHOR);
	const themeId = String(scalar("SELECT id FROM themes WHERE slug = 'whole-process-democracy'"));
	const created = await post(
		'/author/new?/create',
		{
			title: TITLE,
			themeId,
			summary: '题库导入的端到端测试。',
			minutes: '10',
			creditHours: '0',
			inCatalog: 'on',
			intro: ''
		},
		cookie
	);
	expect(created.status).toBe(303);
	draftId = Number(/^\/author\/(\d+)/.exec(created.headers.get('location') ?? '')?.[1]);
	for (const title of LESSONS) {
		const res = await post(
			`/author/${draftId}/lessons/new?/save`,
			{ title, kind: 'text', body: `${title}的正文。` },
			cookie
		);
		expect(res.status).toBe(303);
	}
});

afterAll(async () => {
	await browser?.close();
});

describe('importing with JavaScript', () => {
	it('an Excel sheet and a pasted exam paper: preview with problems by line, then one confirmation each', async () => {
		const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', bypassCSP: true });
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), AUTHOR, 'Demo#2026');
		await page.goto(`${baseURL()}/author/${draftId}/questions`, { waitUntil: 'networkidle' });
		await page.getByRole('link', { name: '导入题目' }).click();
		await page.getByRole('heading', { name: '导入题目' }).waitFor();
		await snapshot(page, 'question-import-page-desktop');

		// A wrong file first: refused beside the field, nothing staged.
		await page.getByLabel(/题库文件/).setInputFiles({
			name: 'photo.png',
			mimeType: 'image/png',
			buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0])
		});
		await page.getByRole('button', { name: '上传并预览' }).click();
		await page.locator('#file-error').getByText('不支持这种文件').waitFor();
		expect(new URL(page.url()).pathname).toBe(`/author/${draftId}/questions/import`);
		expect(stagedCount()).toBe(0);

		const sheet = await workbook([
			HEADER,
			[
				'单选',
				'人大代表由谁选举产生？（表格导入）',
				'选民或下一级人大',
				'上级任命',
				'单位推荐',
				'',
				'A',
				'代表法的规定。',
				'易',
				LESSONS[1]!,
				''
			],
			[
				'多选',
				'代表的权利包括（表格导入）',
				'审议权',
				'表决权',
				'任命权',
				'提出议案权',
				'ABD',
				'代表法第三条。',
				'',
				'',
				'报告第六部分'
			],
			['单选', '答案没有对应的选项（表格导入）', '甲', '乙', '', '', 'E', '解析。', '', '', '']
		]);
		await page.getByLabel(/题库文件/).setInputFiles({
			name: '本校题库.xlsx',
			mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			buffer: sheet
		});
		const before = storedDoc();
		// Held for a moment on its way, the upload shows its progress and then the checking.
		await page.route('**/questions/import?/stage', async (route) => {
			await new Promise((done) => setTimeout(done, 1500));
			await route.continue();
		});
		await page.getByRole('button', { name: '上传并预览' }).click();
		await page
			.getByRole('status')
			.getByText(/已上传 \d+%|正在逐题检查/)
			.waitFor();
		expect(await page.getByRole('button', { name: '正在上传并检查，请稍候…' }).isDisabled()).toBe(true);
		await page.getByRole('heading', { name: '导入预览' }).waitFor();
		await page.unroute('**/questions/import?/stage');
		expect(new URL(page.url()).pathname).toMatch(/\/questions\/import\/[a-z2-7]{24}$/);
		await page.getByText('可导入 2 道').waitFor();
		await page.locator('li.problem').getByText('第 4 行').waitFor();
		expect(await page.locator('li.question').count()).toBe(2);
		// Rendered as learners see it, with the key marked and the lesson named.
		const first = page.locator('li.question').first();
		expect(await first.textContent()).toContain('第 2 课 代表的联系群众（导入测试）');
		expect(await first.locator('li.right').textContent()).toContain('选民或下一级人大');
		// The preview wrote nothing to the module.
		expect(storedDoc()).toBe(before);
		await snapshot(page, 'question-import-preview-desktop');
		expect(await seriousViolations(page)).toEqual([]);
		await page.getByRole('button', { name: '导入 2 道题目' }).first().click();
		await page.getByText('已导入 2 道题目').waitFor();
		expect(new URL(page.url()).pathname).toBe(`/author/${draftId}/questions`);
		await page.getByRole('link', { name: '人大代表由谁选举产生？（表格导入）' }).waitFor();
		expect(questionCount()).toBe(2);
		expect(stagedCount()).toBe(0);

		// Pasted text in the exam-paper layout.
		await page.getByRole('link', { name: '导入题目' }).click();
		await page.getByLabel('或者，把题目粘贴在这里').fill(PASTED);
		await page.getByRole('button', { name: '上传并预览' }).click();
		await page.getByRole('heading', { name: '导入预览' }).waitFor();
		await page.getByText('可导入 2 道').waitFor();
		const problem = page.locator('li.problem');
		expect(await problem.count()).toBe(1);
		expect(await problem.textContent()).toContain('第 7 行');
		await page.getByRole('button', { name: '导入 2 道题目' }).first().click();
		await page.getByText('已导入 2 道题目').waitFor();
		expect(questionCount()).toBe(4);
		await page.getByRole('link', { name: /代表联系群众的主要平台是什么/ }).waitFor();
		await snapshot(page, 'question-import-bank-desktop');
		await context.close();
	});

	it('on a phone, 放弃 leaves the bank as it was', async () => {
		const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), AUTHOR, 'Demo#2026');
		await page.goto(`${baseURL()}/author/${draftId}/questions/import`, { waitUntil: 'networkidle' });
		await page.getByLabel('或者，把题目粘贴在这里').fill('1. 放弃的题目（A）\nA. 甲\nB. 乙\n解析：放弃。');
		await page.getByRole('button', { name: '上传并预览' }).click();
		await page.getByRole('heading', { name: '导入预览' }).waitFor();
		await snapshot(page, 'question-import-preview-phone');
		const doc = storedDoc();
		await page.getByRole('button', { name: '放弃' }).first().click();
		await page.getByText('已放弃这次导入').waitFor();
		expect(storedDoc()).toBe(doc);
		expect(stagedCount()).toBe(0);
		await context.close();
	});
});

describe('importing without JavaScript', () => {
	it('a CSV file: refusals beside the field, the preview by line, the confirmation, the notice', async () => {
		const refused = await postFile(
			`/author/${draftId}/questions/import?/stage`,
			{ format: 'auto' },
			{
				name: '旧题库.xls',
				type: 'application/vnd.ms-excel',
				body: new Uint8Array([0xd0, 0xcf, 0x11, 0xe0])
			}
		);
		expect(refused.status).toBe(400);
		expect(await refused.text()).toMatch(/id="file-error"[^>]*>不支持 \.xls/);
		const empty = await postFile(`/author/${draftId}/questions/import?/stage`, { format: 'auto', text: '' });
		expect(empty.status).toBe(400);
		expect(await empty.text()).toMatch(/id="file-error"[^>]*>请选择要导入的文件/);
		expect(stagedCount()).toBe(0);

		const csv =
			'\uFEFF题型,题干,选项A,选项B,答案,解析,难度,对应课时\r\n' +
			'判断,代表应当模范地遵守宪法和法律（CSV）,,,对,宪法的要求。,,第 1 课\r\n' +
			'填空,代表依照____和法律行使职权（CSV）,,,宪法｜中华人民共和国宪法,代表法。,难,\r\n' +
			'判断,代表应当模范地遵守宪法和法律（CSV）,,,对,重复的一行。,,\r\n';
		const staged = await postFile(
			`/author/${draftId}/questions/import?/stage`,
			{ format: 'auto', lessonKey: 'l2' },
			{
				name: '题库.csv',
				type: 'text/csv',
				body: new TextEncoder().encode(csv)
			}
		);
		expect(staged.status).toBe(303);
		const location = staged.headers.get('location')!;
		expect(location).toMatch(new RegExp(`^/author/${draftId}/questions/import/[a-z2-7]{24}$`));
		const preview = await (await get(location, cookie)).text();
		expect(preview).toContain('可导入 <strong>2</strong> 道');
		expect(preview).toContain('第 4 行');
		expect(preview).toContain('与第 2 行的题目重复');
		expect(preview).toContain('第 1 空：<strong>宪法 / 中华人民共和国宪法</strong>');

		const wrongCount = await post(location, { count: '3' }, cookie);
		expect(wrongCount.status).toBe(409);
		expect(await wrongCount.text()).toContain('与预览不一致');
		expect(questionCount()).toBe(4);

		const confirmed = await post(location, { count: '2' }, cookie);
		expect(confirmed.status).toBe(303);
		expect(confirmed.headers.get('location')).toBe(`/author/${draftId}/questions?imported=2`);
		expect(await (await get(confirmed.headers.get('location')!, cookie)).text()).toContain('已导入 2 道题目');
		expect(questionCount()).toBe(6);
		// Imported once: the preview is gone.
		expect((await get(location, cookie)).status).toBe(404);
		expect(
			scalar(
				"SELECT summary FROM audit_log WHERE action = 'module.update' AND target_id = ? ORDER BY id DESC LIMIT 1",
				String(draftId)
			)
		).toBe(`导入了 2 道题目（来源：题库.csv，Excel / CSV 模板）（模块《${TITLE}》）`);
	});

	it('放弃 through the plain form; another admin never sees the preview', async () => {
		const staged = await post(
			`/author/${draftId}/questions/import?/stage`,
			{ text: '1. 不会导入的题（A）\nA. 甲\nB. 乙', format: 'text' },
			cookie
		);
		expect(staged.status).toBe(303);
		const location = staged.headers.get('location')!;
		const token = location.split('/').pop()!;
		// The school's second admin may edit the module, but the staged import is its author's.
		expect((await get(location, await loginCookie('dangxiao2'))).status).toBe(404);
		expect((await get(location, await loginCookie('lishi.admin'))).status).toBe(404);
		const discarded = await post(`/author/${draftId}/questions/import?/discard`, { token }, cookie);
		expect(discarded.status).toBe(303);
		expect((await get(location, cookie)).status).toBe(404);
		expect(stagedCount()).toBe(0);
		expect(questionCount()).toBe(6);
	});
});

describe('exporting', () => {
	it('the export page’s links download the bank as Excel, CSV, GIFT and Aiken; the template downloads', async () => {
		const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', acceptDownloads: true });
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), AUTHOR, 'Demo#2026');
		await page.goto(`${baseURL()}/author/${draftId}/questions`, { waitUntil: 'networkidle' });
		await page.getByRole('link', { name: '导出' }).click();
		await page.getByRole('heading', { name: '导出题库' }).waitFor();
		await page.getByText(/本题库有 4 道多选、判断、填空或简答题不会导出/).waitFor();
		await snapshot(page, 'question-export-desktop');
		const files: Record<string, string> = {};
		for (const label of [
			'下载 Excel（.xlsx）',
			'下载 CSV（.csv）',
			'下载 GIFT（.gift.txt）',
			'下载 Aiken（.txt）'
		]) {
			const [download] = await Promise.all([
				page.waitForEvent('download'),
				page.getByRole('link', { name: label }).click()
			]);
			files[label] = download.suggestedFilename();
		}
		const day = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
		expect(Object.values(files)).toEqual([
			`${TITLE}-题库-导出于${day}.xlsx`,
			`${TITLE}-题库-导出于${day}.csv`,
			`${TITLE}-题库-导出于${day}.gift.txt`,
			`${TITLE}-题库-导出于${day}-Aiken.txt`
		]);
		await context.close();

		const gift = await get(`/author/${draftId}/questions/export.gift`, cookie);
		expect(gift.headers.get('content-type')).toBe('text/plain; charset=utf-8');
		expect(await gift.text()).toContain('代表联络站');
		const aiken = await (await get(`/author/${draftId}/questions/export.aiken`, cookie)).text();
		expect(aiken).toContain('ANSWER: A');
		const xlsx = await get(`/author/${draftId}/questions/export.xlsx`, cookie);
		expect(
			Buffer.from(await xlsx.arrayBuffer())
				.subarray(0, 2)
				.toString()
		).toBe('PK');
		// Another owner's admin gets no file.
		expect(
			(await get(`/author/${draftId}/questions/export.csv`, await loginCookie('lishi.admin'))).status
		).toBe(404);
		const template = await get('/author/questions-template.xlsx', cookie);
		expect(template.status).toBe(200);
		expect(decodeURIComponent(template.headers.get('content-disposition') ?? '')).toContain(
			'题库导入模板.xlsx'
		);
		const csvTemplate = await (await get('/author/questions-template.csv', cookie)).text();
		expect(csvTemplate).toContain('题型,题干');
		// The template's columns and example rows include the 简答 question's.
		expect(csvTemplate).toContain('原文出处,采分点,字数上限');
		expect(csvTemplate).toMatch(/\r\n简答,简述人大代表应当如何密切联系人民群众。,/);
	});
});
