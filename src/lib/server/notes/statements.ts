// 收藏 and 笔记: their statements, prepared once per connection (see db/statements.ts).
import { pluck, query, statements } from '../db/statements';
import { visibleModuleSql } from '../learning/audience';

export interface NoteRow {
	id: number;
	lessonId: number | null;
	paragraphId: string | null;
	passage: string;
	body: string;
	createdAt: Date;
	updatedAt: Date;
}

interface RawNote {
	id: number;
	lesson_id: number | null;
	paragraph_id: string | null;
	passage: string;
	body: string;
	created_at: number;
	updated_at: number;
}

const note = (r: RawNote): NoteRow => ({
	id: r.id,
	lessonId: r.lesson_id,
	paragraphId: r.paragraph_id,
	passage: r.passage,
	body: r.body,
	createdAt: new Date(r.created_at),
	updatedAt: new Date(r.updated_at)
});

export interface LessonPlace {
	lessonId: number;
	title: string;
	slug: string;
	moduleSlug: string;
	moduleTitle: string;
	/** The lesson is live and the viewer may study it. */
	visible: boolean;
}

interface RawLessonPlace {
	lesson_id: number;
	title: string;
	slug: string;
	module_slug: string;
	module_title: string;
	visible: number;
}

const lessonPlace = (r: RawLessonPlace): LessonPlace => ({
	lessonId: r.lesson_id,
	title: r.title,
	slug: r.slug,
	moduleSlug: r.module_slug,
	moduleTitle: r.module_title,
	visible: r.visible === 1
});

const NOTE_COLUMNS = 'id, lesson_id, paragraph_id, passage, body, created_at, updated_at';

export const notesStatements = statements((q) => ({
	/** { userId, offices, lessonId }: the lesson, if it is live and the viewer may study it. */
	visibleLesson: pluck<number>(
		q,
		`SELECT l.id FROM lessons l JOIN modules m ON m.id = l.module_id
		WHERE l.id = @lessonId AND l.archived_at IS NULL AND ${visibleModuleSql('m')}`
	),
	/** { userId, offices, ids (JSON array) }: where the lessons are, and whether the viewer may study them. */
	lessonPlaces: query(
		q,
		`SELECT l.id AS lesson_id, l.title, l.slug, m.slug AS module_slug, m.title AS module_title,
			(l.archived_at IS NULL AND ${visibleModuleSql('m')}) AS visible
		FROM lessons l JOIN modules m ON m.id = l.module_id
		WHERE l.id IN (SELECT value FROM json_each(@ids))`,
		lessonPlace
	),

	/** (userId) */
	bookmarkedParagraphs: pluck<string>(
		q,
		'SELECT paragraph_id FROM bookmarks WHERE user_id = ? AND paragraph_id IS NOT NULL'
	),
	/** (userId) */
	bookmarkedLessons: pluck<number>(
		q,
		'SELECT lesson_id FROM bookmarks WHERE user_id = ? AND lesson_id IS NOT NULL'
	),
	/** (userId): newest first. */
	bookmarks: query(
		q,
		'SELECT id, lesson_id, paragraph_id, created_at FROM bookmarks WHERE user_id = ? ORDER BY created_at DESC, id DESC',
		(r: { id: number; lesson_id: number | null; paragraph_id: string | null; created_at: number }) => ({
			id: r.id,
			lessonId: r.lesson_id,
			paragraphId: r.paragraph_id,
			createdAt: new Date(r.created_at)
		})
	),
	/** { userId, lessonId, paragraphId, now }: kept once (the unique indexes). */
	addBookmark: q.$client.prepare(
		`INSERT INTO bookmarks (user_id, lesson_id, paragraph_id, created_at) VALUES (@userId, @lessonId, @paragraphId, @now)
		ON CONFLICT DO NOTHING`
	),
	/** { userId, lessonId, paragraphId }: exactly one of the two is not null. */
	removeBookmark: q.$client.prepare(
		`DELETE FROM bookmarks WHERE user_id = @userId
		AND (lesson_id = @lessonId OR paragraph_id = @paragraphId)`
	),

	/** (id, userId): the note, only if it is this user's. */
	ownNote: query(q, `SELECT ${NOTE_COLUMNS} FROM notes WHERE id = ? AND user_id = ?`, note),
	/** { userId, lessonId, paragraphId, passage, body, now } */
	insertNote: q.$client.prepare(
		`INSERT INTO notes (user_id, lesson_id, paragraph_id, passage, body, created_at, updated_at)
		VALUES (@userId, @lessonId, @paragraphId, @passage, @body, @now, @now)`
	),
	/** { id, userId, passage, body, now } */
	updateNote: q.$client.prepare(
		'UPDATE notes SET passage = @passage, body = @body, updated_at = @now WHERE id = @id AND user_id = @userId'
	),
	/** (id, userId) */
	deleteNote: q.$client.prepare('DELETE FROM notes WHERE id = ? AND user_id = ?'),
	/** (userId, JSON array of paragraph ids): oldest first. */
	notesOnParagraphs: query(
		q,
		`SELECT ${NOTE_COLUMNS} FROM notes WHERE user_id = ?
		AND paragraph_id IN (SELECT value FROM json_each(?)) ORDER BY created_at, id`,
		note
	),
	/** (userId, lessonId): oldest first. */
	notesOnLesson: query(
		q,
		`SELECT ${NOTE_COLUMNS} FROM notes WHERE user_id = ? AND lesson_id = ? ORDER BY created_at, id`,
		note
	),
	/** (userId) */
	countNotes: pluck<number>(q, 'SELECT count(*) FROM notes WHERE user_id = ?'),
	/** (userId, limit, offset): newest first. */
	notesPage: query(
		q,
		`SELECT ${NOTE_COLUMNS} FROM notes WHERE user_id = ? ORDER BY updated_at DESC, id DESC LIMIT ? OFFSET ?`,
		note
	)
}));
