// A cadre watches a video lesson: the page's player reports its position, the server credits only
// real time, the page shows what the server answered, and a reload resumes where the cadre stopped.
//
// The video is tests/fixtures/lecture-40s.mp4 (40 s, 160×90, H.264 Constrained Baseline + AAC, 110 KB),
// made once with:
//   ffmpeg -f lavfi -i "testsrc2=size=160x90:rate=5:duration=40" -f lavfi -i "sine=frequency=440:sample_rate=16000:duration=40" \
//     -c:v libx264 -profile:v baseline -pix_fmt yuv420p -preset veryslow -crf 45 -g 25 -c:a aac -b:a 8k -ac 1 \
//     -movflags +faststart -shortest lecture-40s.mp4
// Debian's /usr/bin/chromium decodes H.264 and AAC (canPlayType answers "probably"), so the test
// plays the real file, muted, served by /media/<id> with Range requests.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { appDatabase, baseURL, loginCookie, post } from './http';
import { PHONE, launchBrowser, loginThroughForm, snapshot } from './browser';

const FIXTURE = 'tests/fixtures/lecture-40s.mp4';
const DURATION = 40;
const MODULE = 'e2e-watch';
const LESSON = 'e2e-watch-lecture';
const LESSON_PATH = `/learn/${MODULE}/${LESSON}`;
const WATCH_PATH = `${LESSON_PATH}/watch`;
// Seeded cadres of 方山县, whose office owns the test's module (no other test looks at 方山县).
const WATCHER = 'fangshan.007';
const OTHER = 'fangshan.008';

let browser: Browser;
let lessonId: number;
let mediaId: number;

/** The module (owned by 方山县, so only its members see it) with one video lesson, and its file on disk. */
function createVideoLesson() {
	const bytes = readFileSync(FIXTURE);
	const sha256 = createHash('sha256').update(bytes).digest('hex');
	// MEDIA_DIR is not set for the test server: the files live in `media/` beside the database.
	const target = join(dirname(inject('databasePath')), 'media', sha256.slice(0, 2), sha256);
	mkdirSync(dirname(target), { recursive: true });
	copyFileSync(FIXTURE, target);
	const db = appDatabase();
	try {
		const now = Date.now();
		const office = (db.prepare("SELECT id FROM offices WHERE code = 'fangshan'").get() as { id: number }).id;
		const author = (
			db
				.prepare(
					"SELECT id FROM users WHERE username = 'fangshan.admin' OR role = 'sysadmin' ORDER BY role = 'sysadmin' LIMIT 1"
				)
				.get() as { id: number }
		).id;
		const template = db.prepare('SELECT theme_id, quiz_defaults FROM modules ORDER BY id LIMIT 1').get() as {
			theme_id: number;
			quiz_defaults: string;
		};
		mediaId = Number(
			db
				.prepare(
					`INSERT INTO media (sha256, kind, mime, size, file_name, duration_seconds, owner_office_id, uploaded_by, uploaded_at)
					 VALUES (?, 'video', 'video/mp4', ?, '人大代表履职讲座.mp4', ?, ?, ?, ?)`
				)
				.run(sha256, bytes.length, DURATION, office, author, now).lastInsertRowid
		);
		const moduleId = Number(
			db
				.prepare(
					`INSERT INTO modules (slug, theme_id, title, summary, minutes, sort_order, intro_html, owner_office_id,
						in_catalog, credit_hours, version, quiz_defaults, content_hash, updated_at)
					 VALUES (?, ?, '代表履职讲座', '一节视频课。', 1, 9000, '<p>视频课。</p>', ?, 1, 0, 1, ?, 'e2e', ?)`
				)
				.run(MODULE, template.theme_id, office, template.quiz_defaults, now).lastInsertRowid
		);
		lessonId = Number(
			db
				.prepare(
					`INSERT INTO lessons (slug, module_id, title, sort_order, source_part, source_heading, source_section,
						source_paragraph, body_md, body_html, kind, media_id, duration_seconds, plain_text, char_count,
						min_read_seconds, content_hash, updated_at)
					 VALUES (?, ?, '人大代表如何履职', 1, '六', '发展全过程人民民主，保障人民当家作主', NULL, 1,
						'讲座提要。', '<p>讲座提要。</p>', 'video', ?, ?, '讲座提要。', 5, 15, 'e2e', ?)`
				)
				.run(LESSON, moduleId, mediaId, DURATION, now).lastInsertRowid
		);
		db.prepare('INSERT INTO lesson_media (lesson_id, media_id) VALUES (?, ?)').run(lessonId, mediaId);
	} finally {
		db.close();
	}
}

function watchRow(username: string) {
	const db = appDatabase();
	try {
		return db
			.prepare(
				`SELECT position_seconds AS position, watched, watched_seconds AS watchedSeconds FROM watch_progress
				 WHERE lesson_id = ? AND user_id = (SELECT id FROM users WHERE username = ?)`
			)
			.get(lessonId, username) as { position: number; watched: string; watchedSeconds: number } | undefined;
	} finally {
		db.close();
	}
}

function ledgerRows(username: string): number {
	const db = appDatabase();
	try {
		return (
			db
				.prepare(
					`SELECT count(*) AS n FROM points_ledger WHERE idempotency_key =
					 'lesson:' || (SELECT id FROM users WHERE username = ?) || ':' || (SELECT id FROM lessons WHERE slug = ?)`
				)
				.get(username, LESSON) as { n: number }
		).n;
	} finally {
		db.close();
	}
}

beforeAll(async () => {
	createVideoLesson();
	browser = await launchBrowser(['--autoplay-policy=no-user-gesture-required']);
});

afterAll(async () => {
	await browser?.close();
	// Out of every later test's way.
	const db = appDatabase();
	db.prepare('UPDATE modules SET archived_at = ? WHERE slug = ?').run(Date.now(), MODULE);
	db.close();
});

const video = (page: Page) => page.locator('video');

/** Plays the video muted (as autoplay may) until its playhead reaches `seconds`. */
async function playUntil(page: Page, seconds: number) {
	await video(page).evaluate((v: HTMLVideoElement) => {
		v.muted = true;
		return v.play();
	});
	await page.waitForFunction((s) => (document.querySelector('video')?.currentTime ?? 0) >= s, seconds, {
		timeout: 30_000
	});
}

const watchedText = async (page: Page) => (await page.getByTestId('watched').textContent()) ?? '';

describe('a cadre watches a video lesson on a phone', () => {
	it('plays it, sees the watched share the server credited, and resumes there after a reload', async () => {
		const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), WATCHER, 'Demo#2026');
		await page.goto(baseURL() + LESSON_PATH, { waitUntil: 'networkidle' });
		expect(await video(page).getAttribute('src')).toBe(`/media/${mediaId}`);
		expect(await watchedText(page)).toBe('已观看 0%（需观看 90%）');
		expect(await page.getByRole('button', { name: '完成本节' }).count()).toBe(0);

		await playUntil(page, 5);
		const reply = page.waitForResponse(
			(r) => r.url().endsWith(WATCH_PATH) && r.request().method() === 'POST'
		);
		await video(page).evaluate((v: HTMLVideoElement) => v.pause());
		expect((await reply).status()).toBe(200);
		const pausedAt = await video(page).evaluate((v: HTMLVideoElement) => v.currentTime);
		await page.waitForFunction(
			() => !/已观看 0%/.test(document.querySelector('[data-testid=watched]')?.textContent ?? '')
		);
		const percent = Number(/已观看 (\d+)%（需观看 90%）/.exec(await watchedText(page))?.[1]);
		// About 5 of 40 seconds, as the server counted them (12 %), never more than real time.
		expect(percent).toBeGreaterThanOrEqual(10);
		expect(percent).toBeLessThanOrEqual(25);
		const row = watchRow(WATCHER)!;
		expect(row.position).toBeCloseTo(pausedAt, 0);
		expect(row.watchedSeconds).toBeGreaterThan(4);
		expect(row.watchedSeconds).toBeLessThanOrEqual(pausedAt + 0.5);
		await snapshot(page, 'watch-phone');

		// A seek to the end earns nothing: the position moves, the watched share does not.
		await video(page).evaluate((v: HTMLVideoElement) => (v.currentTime = 30));
		await page.waitForResponse((r) => r.url().endsWith(WATCH_PATH));
		await page.waitForFunction(() => {
			const v = document.querySelector('video');
			return v && !v.seeking;
		});
		await page.waitForTimeout(500);
		expect(watchRow(WATCHER)!.watchedSeconds).toBeCloseTo(row.watchedSeconds, 1);
		expect(Number(/已观看 (\d+)%/.exec(await watchedText(page))?.[1])).toBe(percent);
		// Back to where it was, as the learner would.
		await video(page).evaluate((v: HTMLVideoElement, at: number) => (v.currentTime = at), pausedAt);
		await page.waitForFunction(
			(at) => Math.abs((document.querySelector('video')?.currentTime ?? 0) - at) < 0.5,
			pausedAt
		);
		await page.waitForTimeout(500);
		expect(watchRow(WATCHER)!.position).toBeCloseTo(pausedAt, 0);

		// Another device (a fresh context, same account): the player starts where the cadre stopped.
		const phone2 = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
		const other = await phone2.newPage();
		await loginThroughForm(other, baseURL(), WATCHER, 'Demo#2026');
		await other.goto(baseURL() + LESSON_PATH, { waitUntil: 'networkidle' });
		const mark = `0:${String(Math.floor(pausedAt)).padStart(2, '0')}`;
		await other.getByText(`从 ${mark} 继续`).waitFor();
		await other.waitForFunction(() => (document.querySelector('video')?.readyState ?? 0) >= 1);
		const startsAt = await video(other).evaluate((v: HTMLVideoElement) => v.currentTime);
		expect(startsAt).toBeGreaterThanOrEqual(Math.floor(pausedAt) - 0.5);
		expect(startsAt).toBeLessThanOrEqual(pausedAt + 1);
		expect(await watchedText(other)).toBe(`已观看 ${percent}%（需观看 90%）`);
		await phone2.close();

		// Near the end: what was watched before (in the database) plus the last seconds played now
		// reach 90 %, and the lesson completes as a read one does, with its point once.
		const db = appDatabase();
		db.prepare(
			`UPDATE watch_progress SET watched = '[[0,34]]', watched_seconds = 34, position_seconds = 34, reported_at = ?
			 WHERE lesson_id = ? AND user_id = (SELECT id FROM users WHERE username = ?)`
		).run(Date.now(), lessonId, WATCHER);
		db.close();
		await page.reload({ waitUntil: 'networkidle' });
		await page.getByText('从 0:34 继续').waitFor();
		expect(await watchedText(page)).toBe('已观看 85%（需观看 90%）');
		await playUntil(page, 34.5);
		await page.getByText(/本节已完成/).waitFor({ timeout: 30_000 });
		expect(await page.getByText('获得 1 积分').count()).toBe(1);
		expect(await page.getByRole('link', { name: '返回模块' }).count()).toBe(1);
		expect(ledgerRows(WATCHER)).toBe(1);
		await snapshot(page, 'watch-done-phone');

		await page.reload({ waitUntil: 'networkidle' });
		await page.getByText('您已学完本节').waitFor();
		expect(await page.locator('.badge', { hasText: '已完成' }).count()).toBe(1);
		// Watching again after completion pays nothing more.
		await playUntil(page, 2);
		await video(page).evaluate((v: HTMLVideoElement) => v.pause());
		await page.waitForTimeout(500);
		expect(ledgerRows(WATCHER)).toBe(1);
		await context.close();
	});
});

describe('the report endpoint and the page without JavaScript', () => {
	const report = (cookie: string, body: string, headers: Record<string, string> = {}) =>
		fetch(baseURL() + WATCH_PATH, {
			method: 'POST',
			redirect: 'manual',
			headers: { cookie, origin: baseURL(), 'content-type': 'application/json', ...headers },
			body
		});

	it('plays natively without JavaScript, and says plainly that watch time is not recorded then', async () => {
		const cookie = await loginCookie(OTHER);
		const html = await (await fetch(baseURL() + LESSON_PATH, { headers: { cookie } })).text();
		const tag = /<video[^>]*>/.exec(html)?.[0] ?? '';
		expect(tag).toContain(`src="/media/${mediaId}"`);
		expect(tag).toContain('controls');
		expect(html).toContain('需开启 JavaScript 才能记录观看进度');
		expect(html).toContain('已观看 0%（需观看 90%）');
		// The reading path cannot complete a video lesson.
		const complete = await post(`${LESSON_PATH}?/complete`, {}, cookie);
		expect(complete.status).toBe(400);
		expect(await complete.text()).toContain('观看满 90% 后自动完成');
		expect(ledgerRows(OTHER)).toBe(0);
	});

	it('refuses bad reports with a Chinese 4xx and writes nothing', async () => {
		const cookie = await loginCookie(OTHER);
		const cases: [string, Record<string, string>, number][] = [
			['{"position":', {}, 400],
			['{"position":"12"}', {}, 400],
			['{"position":-5}', {}, 400],
			['{"position":1e308}', {}, 400],
			['{"position":45}', {}, 400],
			['[]', {}, 400],
			['null', {}, 400],
			[`{"position":1,"pad":"${'x'.repeat(400)}"}`, {}, 413],
			['{"position":1}', { origin: 'https://evil.example' }, 403],
			['{"position":1}', { 'content-type': 'application/x-www-form-urlencoded' }, 415],
			['position=1', { 'content-type': 'text/plain' }, 415]
		];
		for (const [body, headers, status] of cases) {
			const response = await report(cookie, body, headers);
			expect(response.status, body).toBe(status);
			expect(await response.text()).toMatch(/[\u4e00-\u9fff]/);
		}
		expect(watchRow(OTHER)).toBeUndefined();
		// A good one is taken.
		const ok = await report(cookie, '{"position":0}');
		expect(ok.status).toBe(200);
		expect(await ok.json()).toMatchObject({ position: 0, watchedPercent: 0, completed: false });
		expect(watchRow(OTHER)).toMatchObject({ position: 0, watchedSeconds: 0 });
	});

	it('refuses a lesson the user may not see (another office), a reading lesson, and anyone signed out', async () => {
		const outsider = await loginCookie('lishi.cadre');
		const hidden = await report(outsider, '{"position":1}');
		expect(hidden.status).toBe(404);
		expect(await hidden.json()).toEqual({ message: '没有找到这节课程，或它已下线' });
		expect((await fetch(baseURL() + LESSON_PATH, { headers: { cookie: outsider } })).status).toBe(404);

		const db = appDatabase();
		const text = db
			.prepare(
				`SELECT m.slug AS module, l.slug AS lesson FROM lessons l JOIN modules m ON m.id = l.module_id
				 WHERE l.kind = 'text' AND m.owner_office_id IS NULL AND m.owner_school_id IS NULL AND m.archived_at IS NULL
				 AND l.archived_at IS NULL LIMIT 1`
			)
			.get() as { module: string; lesson: string };
		db.close();
		const reading = await fetch(`${baseURL()}/learn/${text.module}/${text.lesson}/watch`, {
			method: 'POST',
			headers: { cookie: outsider, origin: baseURL(), 'content-type': 'application/json' },
			body: '{"position":1}'
		});
		expect(reading.status).toBe(400);
		expect((await reading.json()).message).toContain('阅读课程');

		const anonymous = await fetch(baseURL() + WATCH_PATH, {
			method: 'POST',
			redirect: 'manual',
			headers: { origin: baseURL(), 'content-type': 'application/json' },
			body: '{"position":1}'
		});
		expect(anonymous.status).toBe(303);
	});
});
