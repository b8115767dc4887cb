import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import mammoth from 'mammoth';
import { appDatabase, baseURL, get, loginCookie } from './http';
import { DESKTOP, PHONE, launchBrowser, loginThroughForm, snapshot } from './browser';

/** Seeded cadres of 离石区 that no other test uses: their text size, bookmarks and notes are theirs. */
const READER = 'lishi.014';
const OTHER = 'lishi.015';
const PASSWORD = 'Demo#2026';

let browser: Browser;
beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

function firstLesson(): { href: string; title: string } {
	const db = appDatabase();
	try {
		const row = db
			.prepare(
				`SELECT m.slug AS module, l.slug AS lesson, l.title FROM lessons l JOIN modules m ON m.id = l.module_id
				WHERE m.archived_at IS NULL AND l.archived_at IS NULL AND l.kind = 'text' AND m.owner_office_id IS NULL
				AND m.owner_school_id IS NULL ORDER BY m.sort_order, m.id, l.sort_order LIMIT 1`
			)
			.get() as { module: string; lesson: string; title: string };
		return { href: `/learn/${row.module}/${row.lesson}`, title: row.title };
	} finally {
		db.close();
	}
}

function count(query: string, username: string): number {
	const db = appDatabase();
	try {
		return (
			db.prepare(`${query} WHERE user_id = (SELECT id FROM users WHERE username = ?)`).get(username) as {
				n: number;
			}
		).n;
	} finally {
		db.close();
	}
}

const rootFontSize = (page: Page) =>
	page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
/** How far the page is wider than the screen (0: no horizontal scrolling). */
const overflow = (page: Page) =>
	page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('reading aids for older cadres', () => {
	it('特大字 on a phone: every main page is larger and none scrolls sideways; the size stays for the next login', async () => {
		const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), READER, PASSWORD);
		expect(await rootFontSize(page)).toBe(18);

		await page.goto(`${baseURL()}/me`, { waitUntil: 'networkidle' });
		const larger = page.getByRole('button', { name: '特大字' });
		expect(await larger.getAttribute('aria-pressed')).toBe('false');
		await larger.click();
		// Applied at once, without leaving the page.
		await page.waitForFunction(() => parseFloat(getComputedStyle(document.documentElement).fontSize) === 24);
		expect(await larger.getAttribute('aria-pressed')).toBe('true');
		await snapshot(page, 'reading-me-larger-phone');

		const lesson = firstLesson();
		for (const path of ['/', '/learn', lesson.href, '/quiz', '/me', '/me/notes', '/me/bookmarks']) {
			await page.goto(`${baseURL()}${path}`, { waitUntil: 'networkidle' });
			expect(await rootFontSize(page), path).toBe(24);
			expect(await overflow(page), path).toBeLessThanOrEqual(0);
		}
		await page.goto(`${baseURL()}${lesson.href}`, { waitUntil: 'networkidle' });
		await snapshot(page, 'reading-lesson-larger-phone');
		const bodySize = await page.evaluate(() =>
			parseFloat(getComputedStyle(document.querySelector('.prose')!).fontSize)
		);
		expect(bodySize).toBeGreaterThan(24);

		// The home page's 今日答题 leads to today's practice; the sitting fits the phone too.
		await page.goto(`${baseURL()}/`, { waitUntil: 'networkidle' });
		await snapshot(page, 'reading-home-larger-phone');
		await page.getByTestId('home-daily').getByRole('link', { name: '开始今日练习' }).click();
		await page.getByRole('heading', { name: '每日一练', level: 1 }).waitFor();
		await page.getByRole('button', { name: '开始今天的练习' }).click();
		await page.waitForURL(/\/quiz\/attempt\/\d+/);
		await page.waitForLoadState('networkidle');
		expect(await rootFontSize(page)).toBe(24);
		expect(await overflow(page)).toBeLessThanOrEqual(0);
		await snapshot(page, 'reading-attempt-larger-phone');
		await context.close();

		// Another session (another device): the server sends the size with the first page.
		const cookie = await loginCookie(READER);
		expect(await (await get('/learn', cookie)).text()).toContain('/text-size/larger.css');
		// Others keep the standard size.
		expect(await (await get('/learn', await loginCookie(OTHER))).text()).not.toContain('/text-size/');
	});

	it('switches the size without JavaScript too', async () => {
		const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', javaScriptEnabled: false });
		await context.addCookies([{ ...parseCookie(await loginCookie(OTHER)), url: baseURL() }]);
		const page = await context.newPage();
		await page.goto(`${baseURL()}/me`);
		await page.getByRole('button', { name: '大字', exact: true }).click();
		await page.waitForLoadState();
		expect(await rootFontSize(page)).toBe(21);
		await page.getByRole('button', { name: '标准' }).click();
		await page.waitForLoadState();
		expect(await rootFontSize(page)).toBe(18);
		await context.close();
	});

	it('bookmarks a lesson and writes a note on a selected passage, then finds both under 我的 and in the export', async () => {
		const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', acceptDownloads: true });
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), OTHER, PASSWORD);
		const lesson = firstLesson();
		await page.goto(`${baseURL()}${lesson.href}`, { waitUntil: 'networkidle' });

		// 朗读: headless Chromium has no Chinese voice, so the control says so; a device with one shows 朗读.
		await page
			.getByText('没有安装中文语音')
			.or(page.getByText('不支持朗读'))
			.or(page.getByRole('button', { name: '朗读' }))
			.first()
			.waitFor();

		const bookmark = page.getByRole('button', { name: '收藏' });
		expect(await bookmark.getAttribute('aria-pressed')).toBe('false');
		await bookmark.click();
		await page.getByRole('button', { name: '已收藏' }).waitFor();
		expect(await page.getByRole('button', { name: '已收藏' }).getAttribute('aria-pressed')).toBe('true');
		expect(count('SELECT count(*) AS n FROM bookmarks', OTHER)).toBe(1);

		// Select the lesson's first sentence, then open 写笔记: the passage is filled in from it.
		const selected = await page.evaluate(() => {
			const p = document.querySelector('#lesson-text .prose p')!;
			const range = document.createRange();
			range.setStart(p.firstChild!, 0);
			range.setEnd(p.firstChild!, Math.min(12, p.firstChild!.textContent!.length));
			const selection = window.getSelection()!;
			selection.removeAllRanges();
			selection.addRange(range);
			return selection.toString();
		});
		expect(selected.length).toBeGreaterThan(0);
		await page.locator('#lesson-notes summary').click();
		const notes = page.locator('#lesson-notes');
		expect(await notes.getByLabel('摘录（选填）').inputValue()).toBe(selected.replace(/\s+/g, ' ').trim());

		// An empty note is refused beside the field, and nothing is written.
		await notes.getByRole('button', { name: '保存笔记' }).click();
		await notes.getByText('请写下笔记内容。').waitFor();
		expect(count('SELECT count(*) AS n FROM notes', OTHER)).toBe(0);

		await notes
			.getByRole('textbox', { name: '笔记', exact: true })
			.fill('联系本单位代表联络站的做法，下次学习时交流。');
		await notes.getByRole('button', { name: '保存笔记' }).click();
		await notes.getByText('联系本单位代表联络站的做法，下次学习时交流。').waitFor();
		await snapshot(page, 'reading-lesson-note-phone');

		await page.goto(`${baseURL()}/me`, { waitUntil: 'networkidle' });
		await page.getByRole('link', { name: /我的收藏/ }).click();
		await page.getByRole('heading', { name: '我的收藏', level: 1 }).waitFor();
		await page.getByRole('link', { name: lesson.title }).waitFor();
		await snapshot(page, 'reading-bookmarks-phone');

		await page.goto(`${baseURL()}/me`, { waitUntil: 'networkidle' });
		await page.getByRole('link', { name: /我的笔记/ }).click();
		await page.getByRole('heading', { name: '我的笔记', level: 1 }).waitFor();
		const item = page.locator('li.card').filter({ hasText: '联系本单位代表联络站的做法' });
		await item.getByRole('link', { name: lesson.title }).waitFor();
		expect(await item.locator('blockquote').textContent()).toBe(selected.replace(/\s+/g, ' ').trim());
		await snapshot(page, 'reading-notes-phone');

		const download = page.waitForEvent('download');
		await page.getByRole('link', { name: '导出为 Word' }).click();
		const file = await (await download).path();
		const { value: text } = await mammoth.extractRawText({ path: file });
		expect(text).toContain('联系本单位代表联络站的做法，下次学习时交流。');
		expect(text).toContain(`出处：课程《${lesson.title}》`);
		expect(text).toContain(`摘录：“${selected.replace(/\s+/g, ' ').trim()}”`);

		// Deleting asks first.
		await item.getByText('删除', { exact: true }).click();
		await item.getByRole('button', { name: '确定删除' }).click();
		await page.getByText('笔记已删除。').waitFor();
		expect(count('SELECT count(*) AS n FROM notes', OTHER)).toBe(0);
		await page.getByText('还没有笔记').waitFor();

		// Another cadre sees none of it.
		const stranger = await loginCookie(READER);
		expect(await (await get('/me/bookmarks', stranger)).text()).not.toContain(lesson.title);
		await context.close();
	});

	it('收藏 works without JavaScript and comes back to the lesson; 朗读 is not offered', async () => {
		const context = await browser.newContext({
			viewport: DESKTOP,
			locale: 'zh-CN',
			javaScriptEnabled: false
		});
		await context.addCookies([{ ...parseCookie(await loginCookie(READER)), url: baseURL() }]);
		const page = await context.newPage();
		const lesson = firstLesson();
		await page.goto(`${baseURL()}${lesson.href}`);
		expect(await page.getByRole('group', { name: '朗读控制' }).count()).toBe(0);
		await page.getByRole('button', { name: '收藏' }).click();
		await page.waitForLoadState();
		expect(new URL(page.url()).pathname).toBe(lesson.href);
		expect(await page.getByRole('button', { name: '已收藏' }).getAttribute('aria-pressed')).toBe('true');
		await snapshot(page, 'reading-lesson-desktop');
		// 取消收藏 from the list, back on the list.
		await page.goto(`${baseURL()}/me/bookmarks`);
		await page.getByRole('link', { name: lesson.title }).waitFor();
		await page.getByRole('button', { name: `取消收藏：${lesson.title}` }).click();
		await page.waitForLoadState();
		await page.getByText('还没有收藏').waitFor();
		await context.close();
	});
});

/** A stand-in speech engine with one Chinese voice: it says what it was given and ends an utterance when told. */
function fakeSpeech() {
	type Utterance = { text: string; rate: number; lang: string; onend?: () => void };
	const state = { spoken: [] as Utterance[], current: null as Utterance | null, paused: false };
	class FakeUtterance {
		text: string;
		rate = 1;
		lang = '';
		voice: unknown = null;
		onend?: () => void;
		onerror?: () => void;
		constructor(text: string) {
			this.text = text;
		}
	}
	const queue: Utterance[] = [];
	const next = () => {
		state.current = queue.shift() ?? null;
		if (state.current) state.spoken.push(state.current);
	};
	const engine = {
		getVoices: () => [{ lang: 'zh-CN', name: '普通话', localService: true, default: true, voiceURI: 'zh' }],
		speak(u: Utterance) {
			queue.push(u);
			if (!state.current) next();
		},
		cancel() {
			queue.length = 0;
			state.current = null;
			state.paused = false;
		},
		pause() {
			state.paused = true;
		},
		resume() {
			state.paused = false;
		},
		addEventListener() {},
		removeEventListener() {}
	};
	Object.defineProperty(window, 'speechSynthesis', { value: engine, configurable: true });
	Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: FakeUtterance, configurable: true });
	Object.assign(window, {
		fakeSpeech: {
			state,
			end() {
				const done = state.current;
				state.current = null;
				done?.onend?.();
				if (!state.current) next();
			}
		}
	});
}

describe('朗读 with a Chinese voice', () => {
	it('reads the lesson sentence by sentence, highlights the paragraph, pauses, resumes, keeps the speed and stops', async () => {
		const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
		await context.addInitScript(fakeSpeech);
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), OTHER, PASSWORD);
		const lesson = firstLesson();
		await page.goto(`${baseURL()}${lesson.href}`, { waitUntil: 'networkidle' });
		type Spoken = { text: string; rate: number; lang: string };
		const spoken = () =>
			page.evaluate(() => {
				const s = (window as unknown as { fakeSpeech: { state: { spoken: Spoken[]; paused: boolean } } })
					.fakeSpeech.state;
				return {
					spoken: s.spoken.map((u) => ({ text: u.text, rate: u.rate, lang: u.lang })),
					paused: s.paused
				};
			});
		const end = () =>
			page.evaluate(() => (window as unknown as { fakeSpeech: { end(): void } }).fakeSpeech.end());
		const highlighted = () => page.locator('.reading-aloud').allTextContents();

		await page.getByRole('button', { name: '朗读' }).click();
		const first = (await spoken()).spoken[0]!;
		expect(first.lang).toBe('zh-CN');
		expect(first.rate).toBe(1);
		const [paragraph] = await highlighted();
		expect(paragraph).toBeTruthy();
		expect(paragraph!.replace(/\s+/g, ' ').trim().startsWith(first.text.slice(0, 10))).toBe(true);
		// Sentences, not whole paragraphs: none is over 120 characters.
		expect(Array.from(first.text).length).toBeLessThanOrEqual(120);

		await page.getByRole('button', { name: '暂停' }).click();
		expect((await spoken()).paused).toBe(true);
		await page.getByRole('button', { name: '继续' }).click();
		expect((await spoken()).paused).toBe(false);

		// A new speed applies from the sentence being read, and is remembered.
		await page.getByLabel('语速').selectOption('1.25');
		const again = (await spoken()).spoken.at(-1)!;
		expect(again).toMatchObject({ text: first.text, rate: 1.25 });

		// On to the next paragraph: the highlight moves with the reading.
		for (let i = 0; i < 30 && (await highlighted())[0] === paragraph; i++) await end();
		expect((await highlighted())[0]).not.toBe(paragraph);
		expect((await spoken()).spoken.length).toBeGreaterThan(2);

		await page.getByRole('button', { name: '停止' }).click();
		expect(await highlighted()).toEqual([]);
		await page.getByRole('button', { name: '朗读' }).waitFor();

		await page.reload({ waitUntil: 'networkidle' });
		expect(await page.getByLabel('语速').inputValue()).toBe('1.25');
		await context.close();
	});
});

function parseCookie(header: string): { name: string; value: string } {
	const [pair] = header.split(';');
	const at = pair!.indexOf('=');
	return { name: pair!.slice(0, at).trim(), value: pair!.slice(at + 1).trim() };
}
