import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { baseURL, get, loginCookie } from './http';
import { DESKTOP, PHONE, launchBrowser, loginThroughForm, snapshot } from './browser';
import { row } from './pages';

/**
 * 宣讲 from a phone: a cadre records a talk with a photo taken on the phone (EXIF with a GPS
 * position), submits it and finds it in the office's list with its thumbnail; a form refused
 * without JavaScript says why beside each field and keeps what was typed; a draft is saved and
 * submitted later; the office admin corrects the talk, which the audit log records.
 */

/** Seeded cadres of 离石区 no other test signs in as: the recorder and a colleague. */
const CADRE = 'lishi.016';
const COLLEAGUE = 'lishi.017';
/** A seeded cadre of 孝义市, another office. */
const OTHER_OFFICE = 'xiaoyi.012';
const PASSWORD = 'Demo#2026';
const PLACE = '城北街道人大代表联络站（宣讲测试）';
const SUMMARY =
	'围绕党的二十大报告中发展全过程人民民主的论述，结合联络站接待选民的实际，讲解了人大代表如何收集群众意见、如何督办民生实事。群众就老旧小区改造提出了三条建议，已转交相关部门。';

let browser: Browser;
let photo: Buffer;
let talkId = 0;
let cadreId = 0;

beforeAll(async () => {
	browser = await launchBrowser();
	// A phone photo: 1600×1200 JPEG whose EXIF carries the camera and a GPS position.
	photo = await sharp({
		create: { width: 1600, height: 1200, channels: 3, background: { r: 190, g: 70, b: 50 } }
	})
		.withExif({
			IFD0: { Make: 'E2EPhone', Model: 'Outreach' },
			IFD3: {
				GPSLatitudeRef: 'N',
				GPSLatitude: '37/1 31/1 12/1',
				GPSLongitudeRef: 'E',
				GPSLongitude: '111/1 8/1 30/1'
			}
		})
		.jpeg()
		.toBuffer();
	cadreId = row<{ id: number }>(`SELECT id FROM users WHERE username = ?`, CADRE).id;
}, 60_000);
afterAll(async () => {
	await browser?.close();
});

/** Today and a day in Shanghai, as the date field takes them. */
function shanghaiDay(offsetDays = 0): string {
	return new Date(Date.now() + 8 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

function parseCookie(cookie: string): { name: string; value: string } {
	const at = cookie.indexOf('=');
	return { name: cookie.slice(0, at), value: cookie.slice(at + 1) };
}

async function signedIn(
	who: string,
	options: { viewport?: typeof PHONE; javaScriptEnabled?: boolean } = {}
): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({
		viewport: options.viewport ?? PHONE,
		locale: 'zh-CN',
		javaScriptEnabled: options.javaScriptEnabled ?? true
	});
	const page = await context.newPage();
	if (options.javaScriptEnabled === false)
		await context.addCookies([{ ...parseCookie(await loginCookie(who)), url: baseURL() }]);
	else await loginThroughForm(page, baseURL(), who, PASSWORD);
	return { context, page };
}

const talksBy = (userId: number) =>
	row<{ n: number }>('SELECT count(*) AS n FROM outreach_talks WHERE recorded_by = ?', userId).n;

async function openNewPlace(page: Page): Promise<void> {
	const details = page.locator('details.new-place');
	if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
}

const thumbLoaded = (page: Page, id: number) =>
	page
		.locator(`a[href="/outreach/${id}"] img`)
		.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0));

describe('宣讲: recording a talk', () => {
	it('a cadre on a phone records a talk with a photo and submits it; the list shows it with its thumbnail, the photo without its location', async () => {
		const { context, page } = await signedIn(CADRE);
		await page.goto(`${baseURL()}/me`, { waitUntil: 'networkidle' });
		await page.getByRole('link', { name: /^宣讲/ }).click();
		await page.getByRole('heading', { name: '宣讲', exact: true }).waitFor();
		await snapshot(page, 'outreach-list-phone');
		await page.getByRole('link', { name: '记录宣讲' }).first().click();
		await page.getByRole('heading', { name: '记录宣讲' }).waitFor();
		await page.waitForLoadState('networkidle');

		expect(await page.getByLabel('宣讲日期').inputValue()).toBe(shanghaiDay());
		await page.getByLabel('开始时间').fill('21:30');
		await openNewPlace(page);
		await page.getByLabel('地点名称').fill(PLACE);
		await page.getByLabel('乡镇（街道）').fill('城北街道');
		await page.getByLabel('地点类型').selectOption({ label: '人大代表联络站' });
		// The member filter narrows the list; the box is ticked like any checkbox.
		await page.getByLabel('按姓名或登录名查找成员').fill(CADRE);
		const me = page.getByRole('checkbox', { name: new RegExp(CADRE.replace('.', '\\.')) });
		expect(await page.locator('.members label.check:visible').count()).toBe(1);
		await me.check();
		await page.getByText('已选 1 人').waitFor();
		await page.getByLabel('其他宣讲人').fill('王建国代表');
		await page.getByRole('checkbox', { name: '第六部分' }).check();
		await page.getByLabel('受众人数').fill('45');
		await page.getByRole('radio', { name: '集中宣讲' }).check();
		await page.getByLabel('内容摘要').fill(SUMMARY);
		await page.getByText(/已写 \d+ 字$/).waitFor();
		await page
			.getByLabel('选择照片')
			.setInputFiles({ name: '联络站.jpg', mimeType: 'image/jpeg', buffer: photo });
		await page.getByText('共 1 张').waitFor();
		// The preview shows the photo itself (the page's CSP lets it load the file's object URL).
		const preview = page.getByRole('img', { name: /新选的第 1 张照片/ });
		expect(await preview.count()).toBe(1);
		await expect
			.poll(() => preview.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0)))
			.toBe(1600);
		await snapshot(page, 'outreach-form-phone');

		await page.getByRole('button', { name: '提交', exact: true }).click();
		await page.getByText('已提交，本单位都能看到这场宣讲').waitFor();
		talkId = Number(/\/outreach\/(\d+)/.exec(page.url())?.[1]);
		expect(talkId).toBeGreaterThan(0);
		await page.getByRole('heading', { name: PLACE }).waitFor();
		for (const text of ['45 人', '集中宣讲', '王建国代表', '第六部分'])
			expect(await page.getByText(text).count()).toBeGreaterThan(0);
		// A topic links to the 原文 part.
		expect(await page.getByRole('link', { name: '第六部分' }).getAttribute('href')).toBe('/learn/report/6');
		// The cadre may neither edit nor delete a submitted talk.
		expect(await page.getByRole('link', { name: /更正|继续填写/ }).count()).toBe(0);
		await snapshot(page, 'outreach-talk-phone');

		// The stored photo: re-encoded, at most 2048 px, without EXIF (no camera, no position: the
		// phone's photo had both, its GPS block behind tag 0x8825).
		const sent = (await sharp(photo).metadata()).exif;
		expect(sent?.includes(Buffer.from('E2EPhone'))).toBe(true);
		expect(sent?.includes(Buffer.from([0x25, 0x88]))).toBe(true);
		const photoId = row<{ id: number }>('SELECT id FROM outreach_photos WHERE talk_id = ?', talkId).id;
		const cookie = await loginCookie(CADRE);
		const served = await get(`/outreach/photos/${photoId}`, cookie);
		expect(served.status).toBe(200);
		expect(served.headers.get('content-type')).toBe('image/jpeg');
		const meta = await sharp(Buffer.from(await served.arrayBuffer())).metadata();
		expect(meta.exif).toBeUndefined();
		expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(2048);
		// The speaker earned the talk's points once.
		expect(
			row<{ n: number }>(
				"SELECT count(*) AS n FROM points_ledger WHERE rule = 'outreach_talk' AND idempotency_key = ?",
				`outreach:${talkId}:${cadreId}`
			).n
		).toBe(1);

		// The list shows it first, with the thumbnail loaded.
		await page.getByRole('link', { name: '宣讲', exact: true }).first().click();
		await page.getByRole('heading', { name: '本单位的宣讲' }).waitFor();
		const card = page.locator(`a[href="/outreach/${talkId}"]`);
		expect(await card.locator('img').getAttribute('src')).toBe(`/outreach/photos/${photoId}?size=thumb`);
		await expect.poll(() => thumbLoaded(page, talkId)).toBeGreaterThan(0);
		expect(await thumbLoaded(page, talkId)).toBeLessThanOrEqual(480);
		expect(await card.textContent()).toContain('受众 45 人');
		await snapshot(page, 'outreach-list-with-talk-phone');
		await context.close();

		// A colleague of the office sees it; a cadre of another office does not.
		const colleague = await get('/outreach', await loginCookie(COLLEAGUE));
		expect(await colleague.text()).toContain(PLACE);
		const other = await get(`/outreach/${talkId}`, await loginCookie(OTHER_OFFICE));
		expect(other.status).toBe(404);
		expect(await other.text()).toContain('没有找到这条宣讲记录');
		expect(
			(await get(`/outreach/photos/${photoId}?size=thumb`, await loginCookie(OTHER_OFFICE))).status
		).toBe(404);
	});

	it('without JavaScript, a date too far ahead and an audience of 0 are refused beside their fields, the values kept and nothing written', async () => {
		expect(talkId).toBeGreaterThan(0);
		const before = talksBy(cadreId);
		const { context, page } = await signedIn(CADRE, { javaScriptEnabled: false });
		await page.goto(`${baseURL()}/outreach/new`);
		const late = shanghaiDay(10);
		await page.getByLabel('宣讲日期').fill(late);
		const place = row<{ id: number }>('SELECT id FROM outreach_places WHERE name = ?', PLACE).id;
		await page.getByLabel('宣讲地点').selectOption(String(place));
		await page.getByRole('checkbox', { name: new RegExp(CADRE.replace('.', '\\.')) }).check();
		await page.getByLabel('其他主题').fill('基层治理');
		await page.getByLabel('受众人数').fill('0');
		await page.getByRole('radio', { name: '座谈' }).check();
		await page.getByLabel('内容摘要').fill(SUMMARY);
		await page
			.getByLabel('选择照片')
			.setInputFiles({ name: '座谈.jpg', mimeType: 'image/jpeg', buffer: photo });
		await page.getByRole('button', { name: '提交', exact: true }).click();
		await page.waitForLoadState();

		expect(await page.locator('#f-date-error').textContent()).toBe('宣讲日期不能晚于一周之后');
		expect(await page.locator('#f-audience-error').textContent()).toBe('受众人数应为 1 到 10000 之间的整数');
		expect(await page.getByLabel('宣讲日期').inputValue()).toBe(late);
		expect(await page.getByLabel('受众人数').inputValue()).toBe('0');
		expect(await page.getByLabel('其他主题').inputValue()).toBe('基层治理');
		expect(await page.getByLabel('内容摘要').inputValue()).toBe(SUMMARY);
		expect(await page.getByRole('radio', { name: '座谈' }).isChecked()).toBe(true);
		expect(
			await page.getByRole('checkbox', { name: new RegExp(CADRE.replace('.', '\\.')) }).isChecked()
		).toBe(true);
		expect(await page.getByLabel('宣讲地点').locator('option:checked').textContent()).toContain(PLACE);
		// The browser could not keep the photo: the page says to choose it again.
		await page.getByText('刚才选的 1 张照片没有保存，请重新选择').waitFor();
		await snapshot(page, 'outreach-refused-nojs-phone');
		expect(talksBy(cadreId)).toBe(before);
		await context.close();
	});

	it('a draft is saved, kept private, refused with its photo still chosen, then submitted', async () => {
		const { context, page } = await signedIn(CADRE);
		await page.goto(`${baseURL()}/outreach/new`, { waitUntil: 'networkidle' });
		await page.getByLabel('宣讲地点').selectOption({ index: 1 });
		await page.getByLabel('内容摘要').fill('先记下要点，回来再补。');
		await page.getByRole('button', { name: '保存草稿' }).click();
		await page.getByText('草稿已保存，只有您能看到').waitFor();
		const draftId = Number(/\/outreach\/(\d+)/.exec(page.url())?.[1]);
		expect(row<{ status: string }>('SELECT status FROM outreach_talks WHERE id = ?', draftId).status).toBe(
			'draft'
		);
		// Only its recorder sees a draft, not a colleague nor the office admin.
		expect((await get(`/outreach/${draftId}`, await loginCookie(COLLEAGUE))).status).toBe(404);
		expect((await get(`/outreach/${draftId}`, await loginCookie('lishi.admin'))).status).toBe(404);

		await page.getByRole('link', { name: '宣讲', exact: true }).first().click();
		await page.getByRole('heading', { name: '我的草稿' }).waitFor();
		await page.locator(`a[href="/outreach/${draftId}/edit"]`).click();
		await page.getByRole('heading', { name: '修改草稿' }).waitFor();
		await page.waitForLoadState('networkidle');
		expect(await page.getByLabel('内容摘要').inputValue()).toBe('先记下要点，回来再补。');
		await page.getByRole('checkbox', { name: new RegExp(CADRE.replace('.', '\\.')) }).check();
		await page.getByRole('checkbox', { name: '开篇' }).check();
		await page.getByLabel('受众人数').fill('30');
		await page.getByRole('radio', { name: '入户宣讲' }).check();
		await page
			.getByLabel('选择照片')
			.setInputFiles({ name: '入户.jpg', mimeType: 'image/jpeg', buffer: photo });
		// Too short to submit: the reason beside the summary; the chosen photo stays chosen.
		await page.getByRole('button', { name: '提交', exact: true }).click();
		await page.locator('#f-summary-error').waitFor();
		expect(await page.locator('#f-summary-error').textContent()).toMatch(
			/^内容摘要应为 50 到 1000 字（现在 \d+ 字）$/
		);
		expect(await page.getByLabel('选择照片').evaluate((i: HTMLInputElement) => i.files?.length)).toBe(1);
		expect(await page.getByText('请重新选择').count()).toBe(0);
		expect(await page.getByLabel('受众人数').inputValue()).toBe('30');

		await page.getByLabel('内容摘要').fill(SUMMARY);
		await page.getByRole('button', { name: '提交', exact: true }).click();
		await page.getByText('已提交，本单位都能看到这场宣讲').waitFor();
		expect(page.url()).toContain(`/outreach/${draftId}`);
		expect(row<{ status: string }>('SELECT status FROM outreach_talks WHERE id = ?', draftId).status).toBe(
			'submitted'
		);
		expect(row<{ n: number }>('SELECT count(*) AS n FROM outreach_photos WHERE talk_id = ?', draftId).n).toBe(
			1
		);
		await context.close();
	});

	it('the recorder deletes a draft after confirming; a submitted talk has no delete button', async () => {
		const cookie = await loginCookie(CADRE);
		const saved = await fetch(`${baseURL()}/outreach/new`, {
			method: 'POST',
			redirect: 'manual',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: baseURL(), cookie },
			body: new URLSearchParams({ summary: '要删掉的草稿', intent: 'draft' })
		});
		expect(saved.status).toBe(303);
		const draftId = Number(/\/outreach\/(\d+)/.exec(saved.headers.get('location') ?? '')?.[1]);
		expect(draftId).toBeGreaterThan(0);

		const { context, page } = await signedIn(CADRE);
		await page.goto(`${baseURL()}/outreach/${draftId}`, { waitUntil: 'networkidle' });
		await page.getByText('删除草稿').click();
		await page.getByText('删除后不能恢复').waitFor();
		await page.getByRole('button', { name: '确认删除' }).click();
		await page.getByText('草稿已删除。').waitFor();
		expect(row<{ n: number }>('SELECT count(*) AS n FROM outreach_talks WHERE id = ?', draftId).n).toBe(0);
		await page.goto(`${baseURL()}/outreach/${talkId}`, { waitUntil: 'networkidle' });
		expect(await page.getByText('删除草稿').count()).toBe(0);
		await context.close();
	});

	it('the office admin corrects the submitted talk on a desktop; the change is audited and the cadre cannot edit it', async () => {
		expect(talkId).toBeGreaterThan(0);
		const { context, page } = await signedIn('lishi.admin', { viewport: DESKTOP });
		await page.goto(`${baseURL()}/outreach/${talkId}`, { waitUntil: 'networkidle' });
		await page.getByRole('link', { name: '更正' }).click();
		await page.getByRole('heading', { name: '更正宣讲记录' }).waitFor();
		await page.getByText('都会记入操作日志').waitFor();
		await page.waitForLoadState('networkidle');
		expect(await page.getByLabel('受众人数').inputValue()).toBe('45');
		expect(await page.getByRole('button', { name: '保存草稿' }).count()).toBe(0);
		await page.getByLabel('受众人数').fill('60');
		await snapshot(page, 'outreach-correct-desktop');
		await page.getByRole('button', { name: '保存更正' }).click();
		await page.getByText('更正已保存，并记入操作日志').waitFor();
		expect(await page.getByText('60 人').count()).toBeGreaterThan(0);
		await page.getByText(/于 .+ 更正/).waitFor();
		await context.close();

		const audit = row<{ detail: string }>(
			"SELECT detail FROM audit_log WHERE action = 'talk.correct' AND target_id = ? ORDER BY id DESC LIMIT 1",
			String(talkId)
		);
		expect(JSON.parse(audit.detail)).toEqual({
			changes: [{ label: '受众人数', from: '45', to: '60' }]
		});
		// The cadre who recorded it may no longer change it.
		const cookie = await loginCookie(CADRE);
		const edit = await get(`/outreach/${talkId}/edit`, cookie);
		expect(edit.status).toBe(403);
		expect(await edit.text()).toContain('不能再修改');
	});

	it('the office admin sees the talk on the dashboard, exports the period and prints the summary with its photo', async () => {
		expect(talkId).toBeGreaterThan(0);
		const photoId = row<{ id: number }>('SELECT id FROM outreach_photos WHERE talk_id = ?', talkId).id;
		const { context, page } = await signedIn('lishi.admin', { viewport: DESKTOP });
		await page.goto(`${baseURL()}/office/dashboard`, { waitUntil: 'networkidle' });
		const figures = row<{ talks: number }>(
			`SELECT count(*) AS talks FROM outreach_talks t JOIN offices o ON o.id = t.office_id
			WHERE o.code = 'lishi' AND t.status = 'submitted' AND substr(t.day, 1, 7) = ?`,
			shanghaiDay().slice(0, 7)
		);
		expect(Number(await page.getByTestId('dashboard-talks').textContent())).toBe(figures.talks);
		// The latest talk, with its photo's thumbnail.
		const recent = page.locator(`a[href="/outreach/${talkId}"]`);
		expect(await recent.textContent()).toContain(PLACE);
		const thumb = page.locator(`img[src="/outreach/photos/${photoId}?size=thumb"]`);
		await thumb.scrollIntoViewIfNeeded();
		await expect
			.poll(() => thumb.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0)))
			.toBeGreaterThan(0);
		await snapshot(page, 'outreach-dashboard-desktop');

		await page.getByRole('link', { name: '宣讲统计和导出' }).click();
		await page
			.getByRole('heading', { name: /宣讲活动/ })
			.first()
			.waitFor();
		await page.waitForLoadState('networkidle');
		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.getByRole('link', { name: '导出 Excel' }).click()
		]);
		const book = new ExcelJS.Workbook();
		await book.xlsx.load(readFileSync((await download.path())!) as unknown as ExcelJS.Buffer);
		const talks = book.getWorksheet('宣讲活动')!;
		const rows: string[][] = [];
		talks.eachRow((r) => rows.push((r.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
		const header = rows.find((cells) => cells.includes('受众人数'))!;
		const mine = rows.filter((cells) => cells.includes(PLACE));
		expect(mine).toHaveLength(1);
		const cell = (name: string) => mine[0]![header.indexOf(name)];
		// As corrected: 60 people; its one photo; the summary in full.
		expect(cell('受众人数')).toBe('60');
		expect(cell('照片数')).toBe('1');
		expect(cell('形式')).toBe('集中宣讲');
		expect(cell('乡镇（街道）')).toBe('城北街道');
		expect(cell('其他宣讲人')).toBe('王建国代表');
		expect(cell('内容摘要')).toBe(SUMMARY);
		expect(book.getWorksheet('汇总')).toBeDefined();

		await page.getByRole('link', { name: '打印汇总' }).click();
		await page.waitForLoadState('networkidle');
		expect(await page.getByText(PLACE).count()).toBeGreaterThan(0);
		const printed = page.locator(`img[src^="/outreach/photos/${photoId}"]`);
		expect(await printed.count()).toBe(1);
		await snapshot(page, 'outreach-print-desktop');
		await context.close();
	});
});
