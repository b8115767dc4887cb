import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import ExcelJS from 'exceljs';
import { baseURL } from './http';
import { DESKTOP, PHONE, launchBrowser, loginThroughForm, snapshot } from './browser';

let browser: Browser;

beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

async function sheet(rows: string[][]): Promise<Buffer> {
	const wb = new ExcelJS.Workbook();
	const ws = wb.addWorksheet('成员');
	for (const r of rows) ws.addRow(r);
	return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('an office admin on a phone', () => {
	it('adds a member, who must change the temporary password at first login', async () => {
		const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
		const page = await context.newPage();
		await page.goto(`${baseURL()}/login`);
		await snapshot(page, 'login-phone');
		await loginThroughForm(page, baseURL(), 'lishi.admin', 'Demo#2026');
		expect(await page.locator('h1').textContent()).toContain('白雪梅');
		await snapshot(page, 'home-phone');

		await page.getByRole('navigation', { name: '主导航' }).last().getByRole('link', { name: '我的' }).click();
		await page.getByRole('link', { name: /成员管理/ }).click();
		await page.getByRole('heading', { name: '成员管理' }).waitFor();
		await snapshot(page, 'members-phone');
		await page.getByRole('link', { name: '添加成员' }).click();

		// The admin's only office is already chosen.
		const office = page.getByLabel('所在单位');
		expect((await office.locator('option:checked').textContent())?.trim()).toBe('离石区人大常委会');
		// Bad input first: messages beside the fields, nothing created.
		await page.getByRole('button', { name: /添加并生成临时密码/ }).click();
		await page.getByText('请填写姓名').waitFor();
		expect(await page.getByText('请选择所在单位').count()).toBe(0);
		expect((await office.locator('option:checked').textContent())?.trim()).toBe('离石区人大常委会');

		await page.getByLabel('姓名').fill('测试新人');
		await page.getByLabel('登录名').fill('e2e.newcomer');
		await page.getByLabel('职务').fill('科员');
		await page.getByRole('button', { name: /添加并生成临时密码/ }).click();
		const password = (await page.locator('.pw code').textContent())?.trim() ?? '';
		expect(password).toMatch(/^[A-Za-z0-9]{10}$/);
		await snapshot(page, 'member-added-phone');

		// The admin corrects the newcomer's 职务 and phone; a bad phone is refused beside the field.
		await page.goto(`${baseURL()}/office/members?q=e2e.newcomer`);
		await page.getByRole('link', { name: '编辑测试新人的资料' }).click();
		await page.getByRole('heading', { name: '编辑成员' }).waitFor();
		await page.getByLabel('手机号').fill('12345');
		await page.getByRole('button', { name: '保存' }).click();
		await page.getByText('手机号应为 11 位数字，以 1 开头').waitFor();
		await page.getByLabel('职务').fill('副科长');
		await page.getByLabel('手机号').fill('13800000001');
		await page.getByRole('button', { name: '保存' }).click();
		await page.getByText('已保存').waitFor();
		await snapshot(page, 'member-edit-phone');
		await page.goto(`${baseURL()}/office/members?q=e2e.newcomer`);
		await page.getByText(/e2e\.newcomer · 离石区人大常委会 · 副科长/).waitFor();
		await context.close();

		// The newcomer signs in with the temporary password and is held on 修改密码.
		const fresh = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
		const p2 = await fresh.newPage();
		await loginThroughForm(p2, baseURL(), 'e2e.newcomer', password);
		expect(new URL(p2.url()).pathname).toBe('/account/password');
		await p2.goto(`${baseURL()}/learn`);
		expect(new URL(p2.url()).pathname).toBe('/account/password');
		await p2.getByLabel('临时密码').fill(password);
		await p2.getByLabel(/^新密码/).fill('Xinren2026');
		await p2.getByLabel('再次输入新密码').fill('Xinren2026');
		await p2.getByRole('button', { name: '保存新密码' }).click();
		await p2.getByText('密码已修改').waitFor();
		await p2.goto(`${baseURL()}/`);
		expect(await p2.locator('h1').textContent()).toContain('测试新人');
		await fresh.close();
	});

	it('imports members from a spreadsheet: errors block the write, a clean file goes in at once', async () => {
		const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), 'lishi.admin', 'Demo#2026');
		await page.goto(`${baseURL()}/office/members/import`);
		const header = ['姓名', '登录名', '单位', '职务', '手机号'];
		await page.getByLabel(/成员表格/).setInputFiles({
			name: 'bad.xlsx',
			mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			buffer: await sheet([
				header,
				['', 'e2e.noname', '离石区人大常委会', '', ''],
				['孙某', 'e2e.far', '孝义市人大常委会', '', '']
			])
		});
		await page.getByRole('button', { name: '上传并预览' }).click();
		await page.getByRole('heading', { name: '导入预览' }).waitFor();
		expect(new URL(page.url()).pathname).toMatch(/^\/office\/members\/import\/\w+$/);
		await page.getByText('尚未写入任何成员').waitFor();
		expect(await page.getByText('缺少姓名').count()).toBe(1);
		expect(await page.getByText('不在您的管理范围内').count()).toBe(1);
		expect(await page.getByRole('button', { name: /确认导入/ }).count()).toBe(0);
		await snapshot(page, 'import-errors-desktop');

		await page.goto(`${baseURL()}/office/members/import`);
		await page.getByLabel(/成员表格/).setInputFiles({
			name: 'good.csv',
			mimeType: 'text/csv',
			buffer: Buffer.from(
				'姓名,登录名,单位,职务,手机号\n侯明远,e2e.hmy,离石区人大常委会,科员,13900000000\n段佳慧,e2e.djh,离石区人大常委会,,\n'
			)
		});
		await page.getByRole('button', { name: '上传并预览' }).click();
		await page.getByRole('button', { name: '确认导入 2 名成员' }).click();
		await page.getByText('已导入 2 名成员').waitFor();
		expect(await page.locator('code.pw').count()).toBe(2);
		await page.goto(`${baseURL()}/office/members?q=e2e.`);
		expect(
			await page.getByRole('list', { name: '成员列表' }).getByText('侯明远', { exact: true }).count()
		).toBe(1);
		await snapshot(page, 'members-desktop');

		// A file that is not a spreadsheet is refused on the upload page itself.
		await page.goto(`${baseURL()}/office/members/import`);
		await page.getByLabel(/成员表格/).setInputFiles({
			name: 'photo.png',
			mimeType: 'image/png',
			buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0])
		});
		await page.getByRole('button', { name: '上传并预览' }).click();
		await page.getByText('文件不是表格').waitFor();
		expect(new URL(page.url()).pathname).toBe('/office/members/import');
		await context.close();
	});

	it('a cadre who opens an admin page sees the Chinese 403 page', async () => {
		const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), 'lishi.cadre', 'Demo#2026');
		const res = await page.goto(`${baseURL()}/admin/users`);
		expect(res?.status()).toBe(403);
		expect(await page.textContent('body')).toContain('您没有权限访问此页面');
		await snapshot(page, 'forbidden-phone');
		await context.close();
	});
});
