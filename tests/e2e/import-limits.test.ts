import { beforeAll, describe, expect, it } from 'vitest';
import { appDatabase, baseURL, get, loginCookie } from './http';
import { inlineRow, xlsxParts, zip } from '../helpers/zip';

const HEADER = ['姓名', '登录名', '单位', '职务', '手机号'];
let cookie: string;

/** The import form posted as a browser without JavaScript posts it. */
function upload(name: string, bytes: Uint8Array): Promise<Response> {
	const form = new FormData();
	form.append('file', new Blob([new Uint8Array(bytes)]), name);
	return fetch(`${baseURL()}/office/members/import`, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: baseURL(), cookie },
		body: form
	});
}

function stagedImports(): number {
	const db = appDatabase();
	try {
		return (db.prepare('SELECT count(*) AS n FROM member_imports').get() as { n: number }).n;
	} finally {
		db.close();
	}
}

beforeAll(async () => {
	cookie = await loginCookie('lishi.admin');
});

describe('member import over HTTP: size and hostile files', () => {
	it('a file over 5 MB gets the form’s own Chinese message, also beyond the server’s body limit', async () => {
		const staged = stagedImports();
		for (const size of [5 * 1024 * 1024 + 10_000, 9 * 1024 * 1024]) {
			const response = await upload('big.csv', new Uint8Array(size).fill(0x41));
			expect(response.status, `${size} bytes`).toBe(400);
			const html = await response.text();
			expect(html, `${size} bytes`).toContain('文件不能超过 5 MB');
			expect(html).not.toContain('服务器出了点问题');
		}
		expect(stagedImports()).toBe(staged);
	});

	it('a file under 5 MB but over adapter-node’s default 512 KB body limit is read', async () => {
		const rows = [
			HEADER.join(','),
			...Array.from({ length: 1500 }, (_, i) => `某人,e2e.size${i},离石区人大常委会,${'科员'.repeat(90)},`)
		];
		const csv = new TextEncoder().encode(rows.join('\r\n'));
		expect(csv.length).toBeGreaterThan(600 * 1024);
		const response = await upload('big.csv', csv);
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toMatch(/^\/office\/members\/import\/\w+$/);
	});

	it('four far-cell files at once are refused in Chinese while /healthz keeps answering', async () => {
		const sheet = `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData>${inlineRow(1, HEADER)}<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>`;
		const file = zip(xlsxParts({ xml: sheet }));
		const staged = stagedImports();
		const started = performance.now();
		const uploads = Promise.all([1, 2, 3, 4].map(() => upload('far.xlsx', file)));
		const health = await get('/healthz');
		expect(health.status).toBe(200);
		expect(performance.now() - started).toBeLessThan(2000);
		for (const response of await uploads) {
			expect(response.status).toBe(400);
			expect(await response.text()).toContain('超过了 30 列');
		}
		expect(stagedImports()).toBe(staged);
	});
});
