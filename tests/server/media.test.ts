import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import type { RequestEvent } from '@sveltejs/kit';
import { testDb, addUser, seedTree } from '../helpers/db';
import { mediaFiles, streamOf } from '../helpers/upload';
import type { Db } from '../../src/lib/server/db';
import { lessonMedia, lessons, media, modules, schools, themes, users } from '../../src/lib/server/db/schema';
import { authorOwner, type Owner } from '../../src/lib/server/authoring/owner';
import type { AuditActor } from '../../src/lib/server/audit';
import {
	canFetchMedia,
	fetchableMedia,
	mediaFilePath,
	mediaLibrary,
	mediaOptions,
	mediaResponse,
	ownedMedia,
	uploadMedia,
	MEDIA_UPLOAD_PATH,
	UPLOAD_ERRORS,
	type UploadResult
} from '../../src/lib/server/media';
import { BODY_LIMIT, checkFormPost } from '../../src/lib/server/form-posts';

/*
 * Media uploads, storage and serving: type by content, limits while reading with nothing left
 * behind, one file per content, owners apart, Range, and who may fetch a file.
 */

const MB = 1024 * 1024;
const FIXTURES = 'tests/fixtures/media';
const fixture = (name: string) => readFileSync(join(FIXTURES, name));

// Small files of each type, as their first bytes make them.
const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
	'base64'
);
const JPEG = Buffer.concat([
	Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]),
	Buffer.from('JFIF\0'),
	Buffer.alloc(200)
]);
const WEBP = Buffer.concat([
	Buffer.from('RIFF'),
	Buffer.from([0x24, 0, 0, 0]),
	Buffer.from('WEBPVP8 '),
	Buffer.alloc(200)
]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const EXE = Buffer.concat([
	Buffer.from('MZ'),
	Buffer.alloc(58),
	Buffer.from([0x80, 0, 0, 0]),
	Buffer.alloc(200)
]);
const GIF = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(100)]);
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

// One MPEG-1 Layer III frame (128 kbit/s, 44.1 kHz, silent): a valid MP3 of any length, cheaply.
const MP3_FRAME = Buffer.alloc(417);
MP3_FRAME.set([0xff, 0xfb, 0x90, 0x00]);

let db: Db;
let dir: string;
let schoolId: number;
type Author = {
	actor: AuditActor;
	owner: Owner;
	id: number;
	role: 'school_admin' | 'office_admin';
	officeId: number | null;
	schoolId: number | null;
};
let dangxiao: Author; // a school admin
let dangxiao2: Author; // a second admin of the same school
let otherSchool: Author;
let lishiAdmin: Author;
let lishiCadre: { id: number; role: 'cadre'; officeId: number; schoolId: null };
let xiaoyiCadre: { id: number; role: 'cadre'; officeId: number; schoolId: null };
let themeId: number;

async function author(
	username: string,
	role: 'school_admin' | 'office_admin',
	place: number
): Promise<Author> {
	const u = await addUser(db, {
		username,
		role,
		officeId: role === 'office_admin' ? place : null,
		name: username
	});
	if (role === 'school_admin') db.update(users).set({ schoolId: place }).where(eq(users.id, u.id)).run();
	const user = { id: u.id, role, officeId: u.officeId, schoolId: role === 'school_admin' ? place : null };
	return { ...user, owner: authorOwner(user)!, actor: { ...user, name: username, ip: '192.0.2.7' } };
}

beforeAll(async () => {
	db = testDb();
	dir = mkdtempSync(join(tmpdir(), 'xuexi-media-'));
	const tree = seedTree(db);
	schoolId = db.insert(schools).values({ name: '中共吕梁市委党校' }).returning().get().id;
	const school2 = db.insert(schools).values({ name: '中共离石区委党校' }).returning().get().id;
	dangxiao = await author('dangxiao', 'school_admin', schoolId);
	dangxiao2 = await author('dangxiao2', 'school_admin', schoolId);
	otherSchool = await author('lishidx', 'school_admin', school2);
	lishiAdmin = await author('lishi.admin', 'office_admin', tree.lishi.id);
	const cadre = async (username: string, officeId: number) =>
		({
			id: (await addUser(db, { username, officeId })).id,
			role: 'cadre',
			officeId,
			schoolId: null
		}) as const;
	lishiCadre = await cadre('lishi.001', tree.lishi.id);
	xiaoyiCadre = await cadre('xiaoyi.001', tree.xiaoyi.id);
	themeId = db.insert(themes).values({ slug: 't', name: '主题' }).returning().get().id;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// ------------------------------------------------------------------------------------ helpers

const BOUNDARY = '----xuexiMediaTest7MA4YWxkTrZu0gW';
const CONTENT_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

function partHead(fileName: string, field = 'file', type = 'application/octet-stream'): Buffer {
	return Buffer.from(
		`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: ${type}\r\n\r\n`
	);
}
const TAIL = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);

/** `bytes` then `fill` repeated up to `size` bytes, 64 KB at a time; `onChunk` sees the count so far. */
function* filled(bytes: Buffer, fill: Buffer, size: number, onChunk?: (sent: number) => void) {
	yield bytes;
	let sent = bytes.length;
	const chunk = Buffer.concat(Array(Math.ceil((64 * 1024) / fill.length)).fill(fill));
	while (sent < size) {
		const next = chunk.subarray(0, Math.min(chunk.length, size - sent));
		sent += next.length;
		onChunk?.(sent);
		yield next;
	}
}

/** The multipart body around a file, produced lazily: nothing is read ahead of the upload. */
function* framed(fileName: string, file: Iterable<Uint8Array>): Generator<Uint8Array> {
	yield partHead(fileName);
	yield* file;
	yield TAIL;
}

function upload(who: Author, fileName: string, file: Iterable<Uint8Array> | Buffer): Promise<UploadResult> {
	const chunks = Buffer.isBuffer(file) ? [file] : file;
	return uploadMedia(
		db,
		who.actor,
		who.owner,
		{ contentType: CONTENT_TYPE, body: streamOf(framed(fileName, chunks)) },
		dir
	);
}

async function accepted(who: Author, fileName: string, file: Buffer) {
	const result = await upload(who, fileName, file);
	if (!result.ok) throw new Error(`${fileName} refused: ${result.code}`);
	return result;
}

const temps = () => mediaFiles(dir).temps;
const stored = () => mediaFiles(dir).stored;
const count = (table: 'media' | 'audit_log') =>
	db.get<{ n: number }>(sql`SELECT count(*) AS n FROM ${sql.raw(table)}`).n;

/** Runs an upload expected to be refused and checks nothing of it stayed: no row, entry, file or temp. */
async function refusedCleanly(run: () => Promise<UploadResult>) {
	const before = { media: count('media'), audit: count('audit_log'), files: stored().length };
	const result = await run();
	expect(result.ok).toBe(false);
	expect({ media: count('media'), audit: count('audit_log'), files: stored().length }).toEqual(before);
	expect(temps()).toEqual([]);
	return result.ok ? null : result.code;
}

// ------------------------------------------------------------------------------------ types

describe('the type is decided by the content, never the name', () => {
	it('a PNG named .pdf is an image; JPEG, WebP and PDF are what they are', async () => {
		const png = await accepted(dangxiao, '讲义.pdf', PNG);
		expect(png.media).toMatchObject({
			kind: 'image',
			mime: 'image/png',
			fileName: '讲义.pdf',
			size: PNG.length
		});
		expect((await accepted(dangxiao, 'a.png', JPEG)).media).toMatchObject({
			kind: 'image',
			mime: 'image/jpeg'
		});
		expect((await accepted(dangxiao, 'b.bin', WEBP)).media).toMatchObject({
			kind: 'image',
			mime: 'image/webp'
		});
		expect((await accepted(dangxiao, '文件.png', PDF)).media).toMatchObject({
			kind: 'pdf',
			mime: 'application/pdf'
		});
		expect(temps()).toEqual([]);
	});

	it('a program renamed .png, a GIF and an SVG are refused in Chinese with nothing stored', async () => {
		for (const [name, bytes] of [
			['photo.png', EXE],
			['动图.gif', GIF],
			['图标.svg', SVG]
		] as const) {
			expect(await refusedCleanly(() => upload(dangxiao, name, bytes)), name).toBe('type');
		}
		expect(UPLOAD_ERRORS.type.message).toBe(
			'只能上传 PNG、JPEG、WebP 图片，PDF 文档，MP4（H.264/AAC）视频，MP3/M4A 音频'
		);
	});

	it('audio and video: H.264/AAC MP4, silent H.264, M4A and MP3 with their durations', async () => {
		expect((await accepted(dangxiao, '讲座.mp4', fixture('h264-aac.mp4'))).media).toMatchObject({
			kind: 'video',
			mime: 'video/mp4',
			durationSeconds: 1
		});
		expect((await accepted(dangxiao, '无声.mp4', fixture('h264-silent.mp4'))).media).toMatchObject({
			kind: 'video',
			durationSeconds: 1
		});
		expect((await accepted(dangxiao, '录音.m4a', fixture('aac.m4a'))).media).toMatchObject({
			kind: 'audio',
			mime: 'audio/mp4',
			durationSeconds: 1
		});
		expect((await accepted(dangxiao, '录音.mp3', fixture('audio.mp3'))).media).toMatchObject({
			kind: 'audio',
			mime: 'audio/mpeg',
			durationSeconds: 1
		});
	});

	it('an MP4 of HEVC video or MP3 sound is refused: not every phone plays it', async () => {
		expect(await refusedCleanly(() => upload(dangxiao, 'hevc.mp4', fixture('hevc.mp4')))).toBe('codec');
		expect(await refusedCleanly(() => upload(dangxiao, 'mp3.mp4', fixture('h264-mp3.mp4')))).toBe('codec');
		expect(UPLOAD_ERRORS.codec.message).toContain('H.264');
	});

	it('an MP4 cut short and an ID3 tag without MP3 frames are refused', async () => {
		const mp4 = fixture('h264-aac.mp4');
		expect(await refusedCleanly(() => upload(dangxiao, 'cut.mp4', mp4.subarray(0, 600)))).toBe('unreadable');
		const id3 = Buffer.concat([Buffer.from('ID3\x04\x00\x00\x00\x00\x10\x00'), Buffer.alloc(5000)]);
		expect(await refusedCleanly(() => upload(dangxiao, 'tag.mp3', id3))).toBe('type');
	});
});

// ------------------------------------------------------------------------------------ limits

describe('size limits are enforced while reading, and nothing stays', () => {
	/** Streams `head` + `fill` up to `size`; notes whether a temp file still exists 2 MB past `limit`. */
	async function oversize(head: Buffer, fill: Buffer, limit: number, name: string) {
		let tempPastLimit: string[] | null = null;
		const code = await refusedCleanly(() =>
			upload(
				dangxiao,
				name,
				filled(head, fill, limit + 4 * MB, (sent) => {
					if (tempPastLimit === null && sent > limit + 2 * MB) tempPastLimit = temps();
				})
			)
		);
		// Refused and deleted while the rest of the body was still arriving.
		expect(tempPastLimit).toEqual([]);
		return code;
	}

	it('an image over 5 MB', async () => {
		expect(await oversize(PNG, Buffer.alloc(1024), 5 * MB, '大图.png')).toBe('image_size');
		expect(UPLOAD_ERRORS.image_size.message).toBe('文件超过 5 MB，图片请压缩后再上传');
	});

	it('a PDF over 20 MB', async () => {
		expect(await oversize(PDF, Buffer.alloc(1024, 0x20), 20 * MB, '大.pdf')).toBe('pdf_size');
	});

	it('audio over 500 MB', { timeout: 120_000 }, async () => {
		expect(await oversize(MP3_FRAME, MP3_FRAME, 500 * MB, '长.mp3')).toBe('media_size');
	});

	it('an image of exactly 5 MB is taken', async () => {
		const result = await upload(dangxiao, '刚好.png', filled(PNG, Buffer.alloc(1024, 7), 5 * MB));
		expect(result.ok && result.media.size).toBe(5 * MB);
	});
});

describe('broken uploads leave nothing', () => {
	it('no file part, an empty file, a body cut short, a client gone and the server body limit', async () => {
		const noFile = streamOf([
			Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="x"\r\n\r\n1`),
			TAIL
		]);
		const run = (body: ReadableStream<Uint8Array>, contentType = CONTENT_TYPE) =>
			uploadMedia(db, dangxiao.actor, dangxiao.owner, { contentType, body }, dir);
		expect(await refusedCleanly(() => run(noFile))).toBe('empty');
		expect(await refusedCleanly(() => upload(dangxiao, 'empty.png', Buffer.alloc(0)))).toBe('empty');
		expect(
			await refusedCleanly(() => run(streamOf([partHead('a.png'), PNG, Buffer.alloc(100 * 1024)])))
		).toBe('incomplete');
		const failing = (status?: number) =>
			streamOf(
				(function* () {
					yield partHead('a.png');
					yield PNG;
					yield Buffer.alloc(256 * 1024);
					throw Object.assign(new Error('gone'), { status });
				})()
			);
		expect(await refusedCleanly(() => run(failing()))).toBe('incomplete');
		expect(await refusedCleanly(() => run(failing(413)))).toBe('server_limit');
		expect(await refusedCleanly(() => run(streamOf([PNG]), 'multipart/form-data'))).toBe('incomplete');
	});

	it('a media directory that cannot be written is a server fault, raised once the body is read', async () => {
		const broken = mkdtempSync(join(tmpdir(), 'xuexi-media-broken-'));
		writeFileSync(join(broken, 'tmp'), 'not a directory');
		let finished = false;
		const chunks = (function* () {
			yield* filled(PNG, Buffer.alloc(1024), 2 * MB);
			finished = true;
		})();
		const body = streamOf(framed('a.png', chunks));
		await expect(
			uploadMedia(db, dangxiao.actor, dangxiao.owner, { contentType: CONTENT_TYPE, body }, broken)
		).rejects.toMatchObject({ code: 'EEXIST' });
		expect(finished).toBe(true);
		rmSync(broken, { recursive: true, force: true });
	});

	it('only the `file` field is stored; a second file is ignored; the name loses path and controls', async () => {
		const body = streamOf([
			partHead('x.png', 'other'),
			JPEG,
			Buffer.from('\r\n'),
			partHead('../../桌面/会议\u202e照片.png'),
			PNG,
			Buffer.from('\r\n'),
			partHead('second.pdf'),
			PDF,
			TAIL
		]);
		const result = await uploadMedia(
			db,
			lishiAdmin.actor,
			lishiAdmin.owner,
			{ contentType: CONTENT_TYPE, body },
			dir
		);
		expect(result.ok && result.media).toMatchObject({ mime: 'image/png', fileName: '会议照片.png' });
	});
});

// ------------------------------------------------------------------------------------ storage

describe('one file per content, one row per owner', () => {
	it('the same file again by the same owner is the same row; another owner gets a row of their own', async () => {
		const bytes = Buffer.concat([PNG, Buffer.from('dedupe')]);
		const first = await accepted(dangxiao, '校徽.png', bytes);
		const audits = count('audit_log');
		const again = await accepted(dangxiao2, '校徽副本.png', bytes);
		expect(again.existing).toBe(true);
		expect(again.media.id).toBe(first.media.id);
		expect(count('audit_log')).toBe(audits);
		const office = await accepted(lishiAdmin, '徽.png', bytes);
		expect(office.existing).toBe(false);
		expect(office.media.id).not.toBe(first.media.id);
		const sha = db.select({ sha: media.sha256 }).from(media).where(eq(media.id, first.media.id)).get()!.sha;
		expect(db.select().from(media).where(eq(media.sha256, sha)).all()).toHaveLength(2);
		expect(stored().filter((f) => f.endsWith(sha))).toEqual([mediaFilePath(sha, dir)]);
		expect(readFileSync(mediaFilePath(sha, dir)).equals(bytes)).toBe(true);
	});

	it('each new upload is in the audit log, for the owner', async () => {
		const result = await accepted(lishiAdmin, '审计.png', Buffer.concat([PNG, Buffer.from('audit')]));
		const entry = db.get<{
			action: string;
			office_id: number;
			target_id: string;
			summary: string;
			actor_name: string;
		}>(sql`SELECT * FROM audit_log WHERE target_type = 'media' AND target_id = ${String(result.media.id)}`);
		expect(entry).toMatchObject({
			action: 'media.upload',
			office_id: lishiAdmin.officeId,
			actor_name: 'lishi.admin'
		});
		expect(entry.summary).toContain('审计.png');
	});
});

describe('owners apart', () => {
	it('the library and the picker list the owner’s media only', async () => {
		const mine = await accepted(otherSchool, '他校.png', Buffer.concat([PNG, Buffer.from('other')]));
		const ids = (o: Owner) => mediaLibrary(db, o, { page: 1, sort: 'newest' }).rows.map((r) => r.id);
		expect(ids(otherSchool.owner)).toEqual([mine.media.id]);
		expect(ids(dangxiao.owner)).not.toContain(mine.media.id);
		expect(ownedMedia(db, dangxiao.owner, mine.media.id)).toBeUndefined();
		expect(mediaOptions(db, otherSchool.owner)).toEqual([
			{ id: mine.media.id, kind: 'image', fileName: '他校.png', size: mine.media.size, durationSeconds: null }
		]);
		expect(mediaOptions(db, otherSchool.owner, 'video')).toEqual([]);
		expect(mediaOptions(db, dangxiao.owner, 'video').every((m) => m.kind === 'video')).toBe(true);
	});

	it('an author of another owner cannot fetch; another admin of the same owner can', async () => {
		const { media: m } = await accepted(dangxiao, '内部.png', Buffer.concat([PNG, Buffer.from('internal')]));
		expect(canFetchMedia(db, dangxiao2, m.id)).toBe(true);
		expect(canFetchMedia(db, otherSchool, m.id)).toBe(false);
		expect(canFetchMedia(db, lishiAdmin, m.id)).toBe(false);
		expect(canFetchMedia(db, lishiCadre, m.id)).toBe(false);
		expect(canFetchMedia(db, dangxiao, 999_999)).toBe(false);
	});

	it('the library pages by 50, newest first or by file name in pinyin order', async () => {
		const o = otherSchool;
		for (const name of ['政策.pdf', '安全.pdf', '法治.pdf'])
			await accepted(o, name, Buffer.concat([PDF, Buffer.from(name)]));
		const names = (sort: 'newest' | 'name') =>
			mediaLibrary(db, o.owner, { page: 1, sort }).rows.map((r) => r.fileName);
		expect(names('newest').slice(0, 3)).toEqual(['法治.pdf', '安全.pdf', '政策.pdf']);
		expect(names('name')).toEqual(['安全.pdf', '法治.pdf', '他校.png', '政策.pdf']);
		const page = mediaLibrary(db, o.owner, { page: 1, sort: 'newest' });
		expect(page.rows.find((r) => r.fileName === '安全.pdf')).toMatchObject({
			kindLabel: 'PDF 文档',
			snippet: expect.stringMatching(/^\[安全\.pdf\]\(\/media\/\d+\)$/),
			uploadedByName: 'lishidx'
		});
		expect(page.rows.find((r) => r.kind === 'image')!.snippet).toMatch(/^!\[说明\]\(\/media\/\d+\)$/);
		expect(mediaLibrary(db, o.owner, { page: 2, sort: 'name' }).rows).toEqual([]);
	});
});

// ------------------------------------------------------------------------------------ learners

describe('learners fetch what a live lesson they may see uses', () => {
	let n = 0;
	function lessonUsing(
		mediaId: number,
		o: { ownerSchoolId?: number; ownerOfficeId?: number; inCatalog?: boolean }
	) {
		const now = new Date();
		const slug = `m${++n}`;
		const mod = db
			.insert(modules)
			.values({
				slug,
				themeId,
				title: '模块',
				summary: '',
				minutes: 5,
				introHtml: '',
				ownerSchoolId: o.ownerSchoolId ?? null,
				ownerOfficeId: o.ownerOfficeId ?? null,
				inCatalog: o.inCatalog ?? true,
				quizDefaults: '{}',
				contentHash: 'x',
				updatedAt: now
			})
			.returning()
			.get();
		const lesson = db
			.insert(lessons)
			.values({
				slug: `${slug}-1`,
				moduleId: mod.id,
				title: '课时',
				sourcePart: '',
				sourceHeading: '',
				sourceParagraph: 0,
				bodyHtml: '',
				plainText: '',
				charCount: 0,
				minReadSeconds: 15,
				contentHash: 'x',
				updatedAt: now
			})
			.returning()
			.get();
		db.insert(lessonMedia).values({ lessonId: lesson.id, mediaId }).run();
		return { moduleId: mod.id, lessonId: lesson.id };
	}

	it('a school module in the catalog: every cadre; archived lesson or module: nobody', async () => {
		const { media: m } = await accepted(dangxiao, '课件.png', Buffer.concat([PNG, Buffer.from('lesson')]));
		expect(canFetchMedia(db, lishiCadre, m.id)).toBe(false);
		const used = lessonUsing(m.id, { ownerSchoolId: schoolId });
		expect(canFetchMedia(db, lishiCadre, m.id)).toBe(true);
		expect(canFetchMedia(db, xiaoyiCadre, m.id)).toBe(true);
		// Another owner's author sees it as a learner would.
		expect(canFetchMedia(db, otherSchool, m.id)).toBe(true);
		db.update(lessons).set({ archivedAt: new Date() }).where(eq(lessons.id, used.lessonId)).run();
		expect(canFetchMedia(db, lishiCadre, m.id)).toBe(false);
		db.update(lessons).set({ archivedAt: null }).where(eq(lessons.id, used.lessonId)).run();
		db.update(modules).set({ archivedAt: new Date() }).where(eq(modules.id, used.moduleId)).run();
		expect(canFetchMedia(db, lishiCadre, m.id)).toBe(false);
		// The author still can: it is their owner's file.
		expect(canFetchMedia(db, dangxiao, m.id)).toBe(true);
	});

	it('a module for courses only: not for cadres outside them; an office module: its office only', async () => {
		const { media: school } = await accepted(
			dangxiao,
			'专题.png',
			Buffer.concat([PNG, Buffer.from('course')])
		);
		lessonUsing(school.id, { ownerSchoolId: schoolId, inCatalog: false });
		expect(canFetchMedia(db, lishiCadre, school.id)).toBe(false);
		const { media: office } = await accepted(
			lishiAdmin,
			'本单位.png',
			Buffer.concat([PNG, Buffer.from('office')])
		);
		lessonUsing(office.id, { ownerOfficeId: lishiAdmin.officeId! });
		expect(canFetchMedia(db, lishiCadre, office.id)).toBe(true);
		expect(canFetchMedia(db, xiaoyiCadre, office.id)).toBe(false);
	});
});

// ------------------------------------------------------------------------------------ serving

describe('serving with Range', () => {
	let item: NonNullable<ReturnType<typeof fetchableMedia>>;
	let bytes: Buffer;

	beforeAll(async () => {
		bytes = Buffer.concat([PNG, Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251))]);
		const result = await accepted(dangxiao, "第一讲 (讲义) 'v2'.pdf", bytes);
		item = fetchableMedia(db, dangxiao, result.media.id)!;
	});

	const get = (headers: Record<string, string> = {}, download = false, headOnly = false) =>
		mediaResponse(item, new Request('http://x/media/1', { headers }), { download, headOnly, dir }).then(
			(r) => r!
		);
	const body = async (r: Response) => Buffer.from(await r.arrayBuffer());

	it('the whole file, with its type, length, tag and caching rules', async () => {
		const r = await get();
		expect(r.status).toBe(200);
		expect(Object.fromEntries(r.headers)).toMatchObject({
			'content-type': 'image/png',
			'content-length': String(bytes.length),
			'accept-ranges': 'bytes',
			etag: `"${item.sha256}"`,
			'cache-control': 'private, no-cache',
			'x-content-type-options': 'nosniff'
		});
		expect(r.headers.get('content-disposition')).toMatch(/^inline; /);
		expect((await body(r)).equals(bytes)).toBe(true);
	});

	it('206 with the exact bytes: a range, an open end, a suffix', async () => {
		const cases: [string, number, number][] = [
			['bytes=0-9', 0, 9],
			['bytes=100-', 100, bytes.length - 1],
			['bytes=-5', bytes.length - 5, bytes.length - 1],
			['bytes=50-99999', 50, bytes.length - 1]
		];
		for (const [range, start, end] of cases) {
			const r = await get({ range });
			expect(r.status, range).toBe(206);
			expect(r.headers.get('content-range'), range).toBe(`bytes ${start}-${end}/${bytes.length}`);
			expect(r.headers.get('content-length'), range).toBe(String(end - start + 1));
			expect((await body(r)).equals(bytes.subarray(start, end + 1)), range).toBe(true);
		}
	});

	it('416 past the end; the whole file for several ranges, a malformed one or another version', async () => {
		const past = await get({ range: `bytes=${bytes.length}-` });
		expect(past.status).toBe(416);
		expect(past.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
		const whole: Record<string, string>[] = [
			{ range: 'bytes=0-1,5-6' },
			{ range: 'lines=1-2' },
			{ range: 'bytes=0-9', 'if-range': '"another"' }
		];
		for (const headers of whole) {
			const r = await get(headers);
			expect(r.status, JSON.stringify(headers)).toBe(200);
			expect((await body(r)).length).toBe(bytes.length);
		}
		expect((await get({ range: 'bytes=0-9', 'if-range': `"${item.sha256}"` })).status).toBe(206);
	});

	it('304 for the version the browser has; HEAD without the body', async () => {
		expect((await get({ 'if-none-match': `"${item.sha256}"` })).status).toBe(304);
		const head = await get({ range: 'bytes=0-9' }, false, true);
		expect(head.status).toBe(206);
		expect(head.headers.get('content-length')).toBe('10');
		expect(head.body).toBeNull();
	});

	it('?download=1 saves it under its name, with the extension of what it really is', async () => {
		const r = await get({}, true);
		expect(r.headers.get('content-disposition')).toBe(
			"attachment; filename=\"___ (__) 'v2'.pdf.png\"; filename*=UTF-8''" +
				'%E7%AC%AC%E4%B8%80%E8%AE%B2%20%28%E8%AE%B2%E4%B9%89%29%20%27v2%27.pdf.png'
		);
	});

	it('a row whose file is gone is no file (null: the route answers 404)', async () => {
		const gone = { ...item, sha256: 'f'.repeat(64) };
		expect(
			await mediaResponse(gone, new Request('http://x/'), { download: false, headOnly: false, dir })
		).toBeNull();
	});
});

// ------------------------------------------------------------------------------------ memory

describe('memory stays bounded', () => {
	it(
		'a 200 MB upload grows the process by far less than the file (< 64 MB peak)',
		{ timeout: 120_000 },
		async () => {
			await accepted(dangxiao, 'warm.mp3', Buffer.concat(Array(100).fill(MP3_FRAME)));
			const before = process.memoryUsage.rss();
			let peak = before;
			const sample = () => (peak = Math.max(peak, process.memoryUsage.rss()));
			const timer = setInterval(sample, 5);
			const size = 200 * MB;
			// Whole frames: a valid MP3 of 200 MB whose duration music-metadata reads.
			const frames = Math.floor(size / MP3_FRAME.length);
			const result = await upload(
				dangxiao,
				'大会报告录音.mp3',
				filled(MP3_FRAME, MP3_FRAME, frames * MP3_FRAME.length, sample)
			);
			clearInterval(timer);
			sample();
			expect(result.ok && result.media).toMatchObject({ kind: 'audio', size: frames * MP3_FRAME.length });
			expect(result.ok && result.media.durationSeconds).toBeGreaterThan(13_000);
			expect(peak - before).toBeLessThan(64 * MB);
			console.log(`200 MB upload: peak RSS growth ${((peak - before) / MB).toFixed(1)} MB`);
		}
	);
});

// ------------------------------------------------------------------------------------ body limits

describe('every other request keeps the 8 MB body limit; the upload path alone takes more', () => {
	function event(path: string, body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
		const url = new URL(`http://intranet:3000${path}`);
		const request = new Request(url, {
			method: 'POST',
			body,
			headers: { 'content-type': CONTENT_TYPE, ...headers },
			duplex: 'half'
		} as RequestInit);
		return { request, url } as RequestEvent;
	}
	const big = () => streamOf(filled(partHead('a.csv'), Buffer.alloc(64 * 1024, 0x41), BODY_LIMIT + MB));

	it('a form body past 8 MB (sent without a length) is a Chinese 413', async () => {
		const e = event('/office/members/import', big());
		checkFormPost(e);
		const refusal = await e.request.formData().then(
			() => null,
			(err: { status: number; body: { message: string } }) => err
		);
		expect(refusal?.status).toBe(413);
		expect(refusal?.body.message).toContain('内容太大');
	});

	it('a declared length past 8 MB is refused before a byte is read', async () => {
		let pulled = 0;
		const body = new ReadableStream<Uint8Array>(
			{
				pull(c) {
					pulled++;
					c.enqueue(new Uint8Array(10));
				}
			},
			{ highWaterMark: 0 }
		);
		const e = event('/author/preview', body, {
			'content-type': 'application/json',
			'content-length': String(BODY_LIMIT + 1)
		});
		checkFormPost(e);
		await expect(e.request.text()).rejects.toMatchObject({ status: 413 });
		expect(pulled).toBe(0);
	});

	it('the media upload path is left to the upload’s own limits', () => {
		const e = event(MEDIA_UPLOAD_PATH, big(), { 'content-length': String(300 * MB) });
		const request = e.request;
		checkFormPost(e);
		expect(e.request).toBe(request);
	});
});
