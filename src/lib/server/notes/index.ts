/**
 * 收藏 and 笔记 (issue 18, reading for older cadres): a user keeps lessons and 原文 paragraphs, and
 * writes private notes on them. Everything here is per user: nobody else reads, lists, changes or
 * deletes them (every statement is keyed by the user). A target is a live lesson the user may study
 * or a paragraph of the report (its anchor, p3-14).
 */
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import type { Queryable } from '../db';
import { safeRedirectTarget } from '../access';
import { shanghaiDay } from '../time';
import { audienceParams, type Viewer } from '../learning/audience';
import { loadReport, paragraphsById, type ReportParagraph } from '../report/text';
import { REPORT_PATH } from '../../report-place';
import { notesStatements, type LessonPlace, type NoteRow } from './statements';

export type { NoteRow } from './statements';
export type { Viewer } from '../learning/audience';

/** A lesson (by id) or a 原文 paragraph (by anchor): exactly one. */
export type Target =
	{ lessonId: number; paragraphId?: undefined } | { paragraphId: string; lessonId?: undefined };

export const NOTE_MAX = 2000;
export const PASSAGE_MAX = 500;
export const NOTES_PAGE_SIZE = 20;
const EXCERPT = 60;

export const TARGET_MISSING = '没有找到要收藏或记笔记的内容，或它已下线。';

let paragraphs: Map<string, ReportParagraph> | null = null;
/** The report's paragraphs by anchor (the shipped text, read once per process). */
function reportParagraphs(): Map<string, ReportParagraph> {
	return (paragraphs ??= paragraphsById(loadReport()));
}

/** The target a form names (`lessonId` or `paragraphId`), or null when it names none or both. */
export function targetFrom(form: { lessonId?: string | null; paragraphId?: string | null }): Target | null {
	const lesson = form.lessonId?.trim() ?? '';
	const paragraph = form.paragraphId?.trim() ?? '';
	if (lesson && paragraph) return null;
	if (paragraph) return paragraph.length <= 20 ? { paragraphId: paragraph } : null;
	const id = Number(lesson);
	return lesson && Number.isSafeInteger(id) && id > 0 ? { lessonId: id } : null;
}

/** Whether the target exists: a paragraph of the report, or a live lesson this viewer may study. */
export function targetExists(db: Queryable, viewer: Viewer, target: Target): boolean {
	if (target.paragraphId !== undefined) return reportParagraphs().has(target.paragraphId);
	return (
		notesStatements(db).visibleLesson.get({ ...audienceParams(db, viewer), lessonId: target.lessonId }) !==
		undefined
	);
}

function targetParams(target: Target) {
	return { lessonId: target.lessonId ?? null, paragraphId: target.paragraphId ?? null };
}

/**
 * 收藏 on or off (`saved`: what the user wants; left out, the opposite of what it is). Setting it
 * twice changes nothing. Adding needs a target that exists; removing works on anything kept (a
 * lesson taken offline can still be removed from the list). Returns whether it is kept now, or
 * null when the target does not exist.
 */
export function toggleBookmark(
	db: Queryable,
	viewer: Viewer,
	target: Target,
	saved?: boolean,
	now = new Date()
): boolean | null {
	const s = notesStatements(db);
	const params = { userId: viewer.id, ...targetParams(target) };
	const isSaved =
		target.paragraphId !== undefined
			? bookmarkedParagraphs(db, viewer.id).has(target.paragraphId)
			: bookmarkedLessons(db, viewer.id).has(target.lessonId);
	const want = saved ?? !isSaved;
	if (!want) {
		s.removeBookmark.run(params);
		return false;
	}
	if (!targetExists(db, viewer, target)) return isSaved ? true : null;
	s.addBookmark.run({ ...params, now: now.getTime() });
	return true;
}

export function bookmarkedParagraphs(db: Queryable, userId: number): Set<string> {
	return new Set(notesStatements(db).bookmarkedParagraphs.all(userId));
}

export function bookmarkedLessons(db: Queryable, userId: number): Set<number> {
	return new Set(notesStatements(db).bookmarkedLessons.all(userId));
}

/** Where a note or a bookmark points, for lists: a title, a line under it, and a link (null when offline). */
export interface Place {
	kind: 'lesson' | 'paragraph';
	title: string;
	detail: string;
	href: string | null;
}

/** The 原文 reader at this paragraph, highlighted (as reportLink builds it). */
export function paragraphHref(p: { part: number; id: string }): string {
	return `${REPORT_PATH}/${p.part}?p=${p.id}#${p.id}`;
}

function excerpt(text: string, max = EXCERPT): string {
	const chars = Array.from(text);
	return chars.length > max ? chars.slice(0, max).join('') + '……' : text;
}

function lessonPlaces(db: Queryable, viewer: Viewer, ids: number[]): Map<number, LessonPlace> {
	if (!ids.length) return new Map();
	const rows = notesStatements(db).lessonPlaces.all({
		...audienceParams(db, viewer),
		ids: JSON.stringify([...new Set(ids)])
	});
	return new Map(rows.map((r) => [r.lessonId, r]));
}

function placeOf(
	lessons: Map<number, LessonPlace>,
	target: { lessonId: number | null; paragraphId: string | null }
): Place {
	if (target.paragraphId !== null) {
		const p = reportParagraphs().get(target.paragraphId);
		return p
			? { kind: 'paragraph', title: `原文 · ${p.citation}`, detail: excerpt(p.text), href: paragraphHref(p) }
			: { kind: 'paragraph', title: '原文', detail: '这一段已不在原文中', href: null };
	}
	const l = lessons.get(target.lessonId ?? 0);
	if (!l) return { kind: 'lesson', title: '课程', detail: '这一课已下线', href: null };
	return {
		kind: 'lesson',
		title: l.title,
		detail: l.visible ? l.moduleTitle : `${l.moduleTitle} · 已下线`,
		href: l.visible ? `/learn/${l.moduleSlug}/${l.slug}` : null
	};
}

export interface BookmarkItem extends Place {
	id: number;
	lessonId: number | null;
	paragraphId: string | null;
	createdAt: Date;
}

/** The user's 收藏, newest first, each with where it is. */
export function listBookmarks(db: Queryable, viewer: Viewer): BookmarkItem[] {
	const rows = notesStatements(db).bookmarks.all(viewer.id);
	const lessons = lessonPlaces(
		db,
		viewer,
		rows.flatMap((r) => (r.lessonId === null ? [] : [r.lessonId]))
	);
	return rows.map((r) => ({ ...r, ...placeOf(lessons, r) }));
}

export interface NoteInput {
	/** Present when changing a note the user has. */
	id?: number;
	target?: Target | null;
	passage: string;
	body: string;
}

export type SaveResult = { ok: true; id: number } | { ok: false; errors: Record<string, string> };

const length = (text: string) => Array.from(text).length;

/**
 * Writes a note (or changes the user's own, `input.id`): body 1–2,000 characters, passage at most
 * 500; a new note needs a target that exists. Nothing is written when anything is refused.
 */
export function saveNote(db: Queryable, viewer: Viewer, input: NoteInput, now = new Date()): SaveResult {
	const s = notesStatements(db);
	const body = input.body.replace(/\r\n?/g, '\n').trim();
	const passage = input.passage.replace(/\s+/g, ' ').trim();
	const errors: Record<string, string> = {};
	if (!body) errors.body = '请写下笔记内容。';
	else if (length(body) > NOTE_MAX) errors.body = `笔记最多 ${NOTE_MAX} 字，您写了 ${length(body)} 字。`;
	if (length(passage) > PASSAGE_MAX) errors.passage = `摘录最多 ${PASSAGE_MAX} 字，请删去一些。`;
	if (input.id !== undefined) {
		if (!s.ownNote.get(input.id, viewer.id))
			return { ok: false, errors: { _form: '没有找到这条笔记，或它已被删除。' } };
		if (Object.keys(errors).length) return { ok: false, errors };
		s.updateNote.run({ id: input.id, userId: viewer.id, passage, body, now: now.getTime() });
		return { ok: true, id: input.id };
	}
	if (!input.target || !targetExists(db, viewer, input.target))
		return { ok: false, errors: { _form: TARGET_MISSING } };
	if (Object.keys(errors).length) return { ok: false, errors };
	const result = s.insertNote.run({
		userId: viewer.id,
		...targetParams(input.target),
		passage,
		body,
		now: now.getTime()
	});
	return { ok: true, id: Number(result.lastInsertRowid) };
}

/** Deletes the user's own note; false when there is none of theirs with this id. */
export function deleteNote(db: Queryable, userId: number, id: number): boolean {
	return notesStatements(db).deleteNote.run(id, userId).changes > 0;
}

/** The user's own note, or undefined (another's is as missing as a deleted one). */
export function ownNote(db: Queryable, userId: number, id: number): NoteRow | undefined {
	return notesStatements(db).ownNote.get(id, userId);
}

export type NoteView = Pick<NoteRow, 'id' | 'passage' | 'body' | 'updatedAt'>;
const view = (n: NoteRow): NoteView => ({
	id: n.id,
	passage: n.passage,
	body: n.body,
	updatedAt: n.updatedAt
});

/** The user's notes on these 原文 paragraphs, by paragraph, oldest first. */
export function notesOnParagraphs(
	db: Queryable,
	userId: number,
	ids: readonly string[]
): Map<string, NoteView[]> {
	const out = new Map<string, NoteView[]>();
	if (!ids.length) return out;
	for (const n of notesStatements(db).notesOnParagraphs.all(userId, JSON.stringify(ids))) {
		const list = out.get(n.paragraphId!) ?? [];
		list.push(view(n));
		out.set(n.paragraphId!, list);
	}
	return out;
}

/** The user's notes on this lesson, oldest first. */
export function notesOnLesson(db: Queryable, userId: number, lessonId: number): NoteView[] {
	return notesStatements(db).notesOnLesson.all(userId, lessonId).map(view);
}

export interface NoteItem extends NoteRow {
	place: Place;
}

function withPlaces(db: Queryable, viewer: Viewer, rows: NoteRow[]): NoteItem[] {
	const lessons = lessonPlaces(
		db,
		viewer,
		rows.flatMap((r) => (r.lessonId === null ? [] : [r.lessonId]))
	);
	return rows.map((r) => ({ ...r, place: placeOf(lessons, r) }));
}

/** One page of the user's notes, the last changed first. */
export function listNotes(db: Queryable, viewer: Viewer, page = 1, pageSize = NOTES_PAGE_SIZE) {
	const s = notesStatements(db);
	const total = s.countNotes.get(viewer.id) ?? 0;
	const rows = s.notesPage.all(viewer.id, pageSize, (page - 1) * pageSize);
	return { notes: withPlaces(db, viewer, rows), total, page, pageSize };
}

/** Every note of the user, the last changed first, with where it is: what the export contains. */
export function exportNotes(db: Queryable, viewer: Viewer): NoteItem[] {
	const s = notesStatements(db);
	const total = s.countNotes.get(viewer.id) ?? 0;
	return withPlaces(db, viewer, s.notesPage.all(viewer.id, total, 0));
}

/** The export as a Word document: a heading, then each note with its source, passage and text. */
export async function notesDocx(
	items: NoteItem[],
	heading: { name: string; exportedOn: string }
): Promise<Buffer> {
	const font = { ascii: 'SimSun', eastAsia: '宋体', hAnsi: 'SimSun' };
	const text = (t: string, extra: Record<string, unknown> = {}) =>
		new TextRun({ text: t, font, size: 24, ...extra });
	const children: Paragraph[] = [
		new Paragraph({
			heading: HeadingLevel.TITLE,
			alignment: AlignmentType.CENTER,
			children: [new TextRun({ text: '我的学习笔记', font, size: 36, bold: true })]
		}),
		new Paragraph({
			alignment: AlignmentType.CENTER,
			spacing: { after: 300 },
			children: [
				text(`${heading.name} · 导出于 ${heading.exportedOn} · 共 ${items.length} 条`, { color: '555555' })
			]
		})
	];
	items.forEach((n, i) => {
		children.push(
			new Paragraph({
				heading: HeadingLevel.HEADING_2,
				spacing: { before: 240 },
				children: [new TextRun({ text: `${i + 1}. ${n.place.title}`, font, size: 28, bold: true })]
			}),
			new Paragraph({ children: [text(`出处：${sourceLine(n)}`, { color: '555555' })] })
		);
		if (n.passage)
			children.push(
				new Paragraph({ indent: { left: 480 }, children: [text(`摘录：“${n.passage}”`, { italics: true })] })
			);
		for (const line of n.body.split('\n'))
			children.push(new Paragraph({ spacing: { line: 360 }, children: [text(line)] }));
		children.push(
			new Paragraph({
				children: [
					text(`写于 ${dayTime(n.createdAt)}，最后修改 ${dayTime(n.updatedAt)}`, {
						size: 20,
						color: '777777'
					})
				]
			})
		);
	});
	return Packer.toBuffer(
		new Document({ creator: '学习园地', title: '我的学习笔记', sections: [{ children }] })
	);
}

/** Where a note is, in words: 《课名》（模块） or the report's paragraph with its opening words. */
export function sourceLine(n: NoteItem): string {
	return n.place.kind === 'lesson'
		? `课程《${n.place.title}》（${n.place.detail}）`
		: `党的二十大报告 ${n.place.title.replace(/^原文 · /, '')}：${n.place.detail}`;
}

function dayTime(at: Date): string {
	return new Intl.DateTimeFormat('zh-CN', {
		timeZone: 'Asia/Shanghai',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		hour12: false
	}).format(at);
}

/** The user's notes as a Word file, named with the Shanghai day of the export. */
export async function notesExport(
	db: Queryable,
	viewer: Viewer & { name: string },
	now = new Date()
): Promise<{ body: Buffer; fileName: string }> {
	const day = shanghaiDay(now);
	const body = await notesDocx(exportNotes(db, viewer), { name: viewer.name, exportedOn: day });
	return { body, fileName: `我的学习笔记-${day}.docx` };
}

/** The page a form names as `back`, if it is a path of this site; else `fallback`. */
export function backPath(back: FormDataEntryValue | null, fallback: string): string {
	if (typeof back !== 'string' || !back) return fallback;
	const path = safeRedirectTarget(back);
	return path === '/' && back !== '/' ? fallback : path;
}
