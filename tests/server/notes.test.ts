import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import mammoth from 'mammoth';
import { addUser, seedTree, testDb } from '../helpers/db';
import { writePack } from '../helpers/pack';
import { syncContent } from '../../src/lib/server/content/sync';
import { bookmarks, lessons, modules, notes } from '../../src/lib/server/db/schema';
import type { Db } from '../../src/lib/server/db';
import { loadReport, paragraphsById } from '../../src/lib/server/report/text';
import {
	backPath,
	bookmarkedLessons,
	bookmarkedParagraphs,
	deleteNote,
	exportNotes,
	listBookmarks,
	listNotes,
	notesDocx,
	notesOnLesson,
	notesOnParagraphs,
	ownNote,
	saveNote,
	targetFrom,
	toggleBookmark
} from '../../src/lib/server/notes';

type Who = { id: number; officeId: number | null; name: string };
let db: Db;
let alice: Who, bob: Who;
let lessonId: number, otherLessonId: number;
let packDir: string;
const report = loadReport();
const paragraph = [...paragraphsById(report).values()].find((p) => p.part === 3)!;

beforeAll(() => {
	packDir = writePack().dir;
});

beforeEach(async () => {
	db = testDb();
	syncContent(db, packDir);
	const tree = seedTree(db);
	const mk = async (username: string, name: string) => {
		const u = await addUser(db, { username, officeId: tree.lishi.id, name });
		return { id: u.id, officeId: u.officeId, name };
	};
	alice = await mk('alice', '王丽');
	bob = await mk('bob', '李强');
	const rows = db.select().from(lessons).orderBy(lessons.sortOrder).all();
	lessonId = rows[0]!.id;
	otherLessonId = rows[1]!.id;
});

describe('bookmarks', () => {
	it('toggles a lesson and a paragraph on and off; sending the same state twice changes nothing', () => {
		expect(toggleBookmark(db, alice, { lessonId }, true)).toBe(true);
		expect(toggleBookmark(db, alice, { lessonId }, true)).toBe(true);
		expect(toggleBookmark(db, alice, { paragraphId: paragraph.id }, true)).toBe(true);
		expect(db.select().from(bookmarks).where(eq(bookmarks.userId, alice.id)).all()).toHaveLength(2);
		expect(bookmarkedLessons(db, alice.id)).toEqual(new Set([lessonId]));
		expect(bookmarkedParagraphs(db, alice.id)).toEqual(new Set([paragraph.id]));

		expect(toggleBookmark(db, alice, { lessonId }, false)).toBe(false);
		expect(toggleBookmark(db, alice, { lessonId }, false)).toBe(false);
		expect(bookmarkedLessons(db, alice.id).size).toBe(0);
		// Without a wanted state it flips.
		expect(toggleBookmark(db, alice, { paragraphId: paragraph.id })).toBe(false);
		expect(toggleBookmark(db, alice, { paragraphId: paragraph.id })).toBe(true);
	});

	it("is per user: one user's bookmarks are not another's, nor removed by them", () => {
		toggleBookmark(db, alice, { lessonId }, true);
		expect(bookmarkedLessons(db, bob.id).size).toBe(0);
		expect(listBookmarks(db, bob)).toEqual([]);
		toggleBookmark(db, bob, { lessonId }, false);
		expect(bookmarkedLessons(db, alice.id)).toEqual(new Set([lessonId]));
		toggleBookmark(db, bob, { lessonId }, true);
		expect(db.select().from(bookmarks).all()).toHaveLength(2);
	});

	it('refuses an unknown paragraph id or lesson and writes nothing', () => {
		expect(toggleBookmark(db, alice, { paragraphId: 'p3-999' }, true)).toBeNull();
		expect(toggleBookmark(db, alice, { paragraphId: 'abc' }, true)).toBeNull();
		expect(toggleBookmark(db, alice, { lessonId: 999_999 }, true)).toBeNull();
		expect(db.select().from(bookmarks).all()).toEqual([]);
	});

	it('lists lessons with their module and paragraphs with their citation, excerpt and 原文 link, newest first', () => {
		toggleBookmark(db, alice, { lessonId }, true, new Date('2024-03-01T08:00:00Z'));
		toggleBookmark(db, alice, { paragraphId: paragraph.id }, true, new Date('2024-03-02T08:00:00Z'));
		const list = listBookmarks(db, alice);
		expect(list.map((b) => b.kind)).toEqual(['paragraph', 'lesson']);
		expect(list[0]).toMatchObject({
			title: `原文 · ${paragraph.citation}`,
			href: `/learn/report/3?p=${paragraph.id}#${paragraph.id}`
		});
		expect(paragraph.text.startsWith(list[0]!.detail.replace(/……$/, ''))).toBe(true);
		expect(list[1]).toMatchObject({ title: '第一课', detail: '演示模块', href: '/learn/demo/lesson-one' });
	});

	it('keeps a bookmarked lesson that went offline listed without a link, and lets it be removed', () => {
		toggleBookmark(db, alice, { lessonId }, true);
		db.update(modules).set({ archivedAt: new Date() }).run();
		expect(listBookmarks(db, alice)[0]).toMatchObject({ href: null, detail: '演示模块 · 已下线' });
		expect(toggleBookmark(db, alice, { lessonId }, true)).toBe(true);
		expect(toggleBookmark(db, alice, { lessonId }, false)).toBe(false);
		expect(listBookmarks(db, alice)).toEqual([]);
	});
});

describe('notes', () => {
	it('saves a note on a lesson and on a paragraph, and shows each only to its writer', () => {
		const a = saveNote(db, alice, {
			target: { lessonId },
			passage: '  代表联络站 ',
			body: '要多去联络站听意见。'
		});
		const b = saveNote(db, alice, { target: { paragraphId: paragraph.id }, passage: '', body: '原文笔记' });
		expect(a.ok && b.ok).toBe(true);
		expect(notesOnLesson(db, alice.id, lessonId)).toMatchObject([
			{ passage: '代表联络站', body: '要多去联络站听意见。' }
		]);
		expect(notesOnParagraphs(db, alice.id, [paragraph.id]).get(paragraph.id)).toMatchObject([
			{ body: '原文笔记' }
		]);
		expect(notesOnLesson(db, bob.id, lessonId)).toEqual([]);
		expect(notesOnParagraphs(db, bob.id, [paragraph.id]).size).toBe(0);
		expect(listNotes(db, bob).total).toBe(0);
		expect(listNotes(db, alice).total).toBe(2);
	});

	it('refuses an empty or over-long body, an over-long passage and a missing target, writing nothing', () => {
		expect(saveNote(db, alice, { target: { lessonId }, passage: '', body: '   ' })).toEqual({
			ok: false,
			errors: { body: '请写下笔记内容。' }
		});
		expect(saveNote(db, alice, { target: { lessonId }, passage: '', body: '字'.repeat(2001) })).toMatchObject(
			{
				ok: false,
				errors: { body: expect.stringContaining('最多 2000 字') }
			}
		);
		expect(
			saveNote(db, alice, { target: { lessonId }, passage: '摘'.repeat(501), body: '好' })
		).toMatchObject({
			ok: false,
			errors: { passage: expect.stringContaining('最多 500 字') }
		});
		expect(saveNote(db, alice, { target: null, passage: '', body: '好' })).toMatchObject({
			ok: false,
			errors: { _form: expect.stringContaining('没有找到') }
		});
		expect(saveNote(db, alice, { target: { paragraphId: 'p3-999' }, passage: '', body: '好' })).toMatchObject(
			{
				ok: false,
				errors: { _form: expect.stringContaining('没有找到') }
			}
		);
		expect(saveNote(db, alice, { target: { lessonId: 999_999 }, passage: '', body: '好' }).ok).toBe(false);
		expect(db.select().from(notes).all()).toEqual([]);
		// 2,000 characters (counted as characters, not UTF-16 units) are allowed.
		expect(saveNote(db, alice, { target: { lessonId }, passage: '', body: '𠀀'.repeat(2000) }).ok).toBe(true);
	});

	it('refuses a note on a lesson the writer may not study (offline)', () => {
		db.update(modules).set({ archivedAt: new Date() }).run();
		expect(saveNote(db, alice, { target: { lessonId }, passage: '', body: '好' }).ok).toBe(false);
		expect(db.select().from(notes).all()).toEqual([]);
	});

	it("lets nobody read, change or delete another user's note", () => {
		const saved = saveNote(db, alice, { target: { lessonId }, passage: '', body: '王丽的笔记' });
		if (!saved.ok) throw new Error('not saved');
		expect(ownNote(db, bob.id, saved.id)).toBeUndefined();
		expect(saveNote(db, bob, { id: saved.id, passage: '', body: '改掉' })).toMatchObject({ ok: false });
		expect(deleteNote(db, bob.id, saved.id)).toBe(false);
		expect(ownNote(db, alice.id, saved.id)).toMatchObject({ body: '王丽的笔记' });
		// Its writer may change and delete it.
		expect(saveNote(db, alice, { id: saved.id, passage: '摘录', body: '改过的笔记' }).ok).toBe(true);
		expect(ownNote(db, alice.id, saved.id)).toMatchObject({ passage: '摘录', body: '改过的笔记' });
		expect(deleteNote(db, alice.id, saved.id)).toBe(true);
		expect(ownNote(db, alice.id, saved.id)).toBeUndefined();
	});

	it('lists notes by last change, newest first, a page at a time', () => {
		for (let i = 1; i <= 5; i++)
			saveNote(
				db,
				alice,
				{ target: { lessonId: otherLessonId }, passage: '', body: `笔记${i}` },
				new Date(2024, 0, i)
			);
		const first = listNotes(db, alice, 1, 2);
		expect(first.total).toBe(5);
		expect(first.notes.map((n) => n.body)).toEqual(['笔记5', '笔记4']);
		expect(listNotes(db, alice, 3, 2).notes.map((n) => n.body)).toEqual(['笔记1']);
		expect(first.notes[0]!.place).toMatchObject({
			kind: 'lesson',
			title: '第二课',
			href: '/learn/demo/lesson-two'
		});
	});

	it('exports each note with its passage and source as a Word document', async () => {
		saveNote(
			db,
			alice,
			{ target: { lessonId }, passage: '代表联络站', body: '第一条笔记\n第二行' },
			new Date(2024, 0, 1)
		);
		saveNote(
			db,
			alice,
			{ target: { paragraphId: paragraph.id }, passage: '', body: '原文上的笔记' },
			new Date(2024, 0, 2)
		);
		saveNote(db, bob, { target: { lessonId }, passage: '', body: '别人的笔记' });
		const items = exportNotes(db, alice);
		expect(items).toHaveLength(2);
		const file = await notesDocx(items, { name: alice.name, exportedOn: '2024-01-03' });
		const { value: text } = await mammoth.extractRawText({ buffer: file });
		expect(text).toContain('我的学习笔记');
		expect(text).toContain('王丽 · 导出于 2024-01-03 · 共 2 条');
		expect(text).toContain('出处：课程《第一课》（演示模块）');
		expect(text).toContain('摘录：“代表联络站”');
		expect(text).toContain('第一条笔记');
		expect(text).toContain('第二行');
		expect(text).toContain(`出处：党的二十大报告 ${paragraph.citation}`);
		expect(text).toContain('原文上的笔记');
		expect(text).not.toContain('别人的笔记');
		// Newest first.
		expect(text.indexOf('原文上的笔记')).toBeLessThan(text.indexOf('第一条笔记'));
	});
});

describe('form fields', () => {
	it('reads exactly one target from a form', () => {
		expect(targetFrom({ lessonId: '7' })).toEqual({ lessonId: 7 });
		expect(targetFrom({ paragraphId: 'p3-14' })).toEqual({ paragraphId: 'p3-14' });
		expect(targetFrom({ lessonId: '7', paragraphId: 'p3-14' })).toBeNull();
		expect(targetFrom({ lessonId: '-1' })).toBeNull();
		expect(targetFrom({ lessonId: '1.5' })).toBeNull();
		expect(targetFrom({})).toBeNull();
	});

	it('sends the reader back only to a path of this site', () => {
		expect(backPath('/learn/demo/lesson-one#lesson-notes', '/me')).toBe(
			'/learn/demo/lesson-one#lesson-notes'
		);
		expect(backPath('/learn/report/3?p=p3-1#p3-1', '/me')).toBe('/learn/report/3?p=p3-1#p3-1');
		expect(backPath('https://evil.example/', '/me')).toBe('/me');
		expect(backPath('//evil.example/x', '/me')).toBe('/me');
		expect(backPath('/\\evil.example', '/me')).toBe('/me');
		expect(backPath(null, '/me/notes')).toBe('/me/notes');
		expect(backPath('/', '/me')).toBe('/');
	});
});
