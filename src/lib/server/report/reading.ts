import { and, eq, isNull } from 'drizzle-orm';
import type { Db, Queryable } from '../db';
import { reportReading } from '../db/schema';
import type { Viewer } from '../learning/audience';
import { award } from '../points/ledger';
import { shanghaiDay } from '../time';
import { CLOSING, NUMERALS, OPENING } from '../../report-place';
import { taughtFor, type TaughtLesson } from './taught';
import { loadReport, reportPart, type ReportParagraph, type ReportPart } from './text';

/*
 * Reading the report's 原文 part by part, decided on the server like a lesson (learning/progress.ts):
 * the server remembers when it first showed a part to a user; the part counts as read only once
 * it has been open for its minimum reading time, and the first time pays the `report_read` points
 * through the ledger (its key `report:<user>:<part>` pays a part once, however often or however
 * many at once it is completed).
 */

/**
 * The reading-time rule of the 原文: about 10 characters a second, as for lessons
 * (content/render.ts), but at least 30 s (the opening is short) and at most 600 s: the longest part
 * (第一部分, about 6,900 characters) asks ten minutes of a reader, not the 11½ the rate would.
 */
export const REPORT_CHARS_PER_SECOND = 10;
export const REPORT_MIN_READ_SECONDS = 30;
export const REPORT_MAX_READ_SECONDS = 600;

/** The least time a part must be open before it can count as read. */
export function reportReadSeconds(length: number): number {
	return Math.min(
		REPORT_MAX_READ_SECONDS,
		Math.max(REPORT_MIN_READ_SECONDS, Math.round(length / REPORT_CHARS_PER_SECOND))
	);
}

/** Whether `part` names a part of the report: 0 开篇, 1–15, 16 结束语. */
export function isReportPart(part: number): boolean {
	return Number.isInteger(part) && part >= OPENING && part <= CLOSING;
}

export const PART_NOT_FOUND = '原文没有这一部分：请从目录中选择开篇、第一至第十五部分或结束语';

/** Remembers when the server first showed this part to this user (reading time counts from then). */
export function openReportPart(db: Queryable, userId: number, part: number, now = new Date()) {
	if (!isReportPart(part)) throw new Error(`no part ${part} in the report`);
	db.insert(reportReading).values({ userId, part, openedAt: now }).onConflictDoNothing().run();
	return readingRow(db, userId, part)!;
}

function readingRow(db: Queryable, userId: number, part: number) {
	return db
		.select()
		.from(reportReading)
		.where(and(eq(reportReading.userId, userId), eq(reportReading.part, part)))
		.get();
}

export type ReportCompleteResult =
	| { ok: true; alreadyDone: boolean; awarded: number; capped: boolean }
	| { ok: false; reason: 'missing'; message: string }
	| { ok: false; reason: 'too-early'; secondsLeft: number; message: string };

/**
 * Marks a part read, decided on the server: it must have been open (openReportPart) for its
 * minimum reading time. Too early, nothing is written and the answer says how long is left. The
 * first completion pays the points (within the daily cap); repeats and races pay nothing more.
 */
export function completeReportPart(
	db: Db,
	user: { id: number; officeId: number | null },
	part: number,
	now = new Date()
): ReportCompleteResult {
	const text = isReportPart(part) ? reportPart(loadReport(), part) : undefined;
	if (!text) return { ok: false, reason: 'missing', message: PART_NOT_FOUND };
	const needed = reportReadSeconds(text.length);
	return db.transaction((tx): ReportCompleteResult => {
		const row = readingRow(tx, user.id, part);
		if (row?.completedAt) return { ok: true, alreadyDone: true, awarded: 0, capped: false };
		// Never shown by the server (a form posted from elsewhere): the clock has not started.
		const readMs = row ? now.getTime() - row.openedAt.getTime() : 0;
		if (readMs < needed * 1000) {
			const secondsLeft = Math.ceil((needed * 1000 - readMs) / 1000);
			return {
				ok: false,
				reason: 'too-early',
				secondsLeft,
				message: `还不能记为读完：${text.label}需要阅读满 ${needed} 秒，您还需阅读 ${secondsLeft} 秒。`
			};
		}
		const stamped = tx
			.update(reportReading)
			.set({ completedAt: now, completedDay: shanghaiDay(now) })
			.where(
				and(
					eq(reportReading.userId, user.id),
					eq(reportReading.part, part),
					isNull(reportReading.completedAt)
				)
			)
			.run();
		if (!stamped.changes) return { ok: true, alreadyDone: true, awarded: 0, capped: false };
		const paid = award(tx, {
			userId: user.id,
			officeId: user.officeId,
			rule: 'report_read',
			key: `report:${user.id}:${part}`,
			reason: `阅读报告原文${text.label}`,
			at: now
		});
		return { ok: true, alreadyDone: false, awarded: paid.awarded, capped: paid.capped };
	});
}

export interface PartReading {
	openedAt: Date;
	completedAt: Date | null;
}

/** What this user has opened and read of the report, by part. */
export function readingStatus(db: Queryable, userId: number): Map<number, PartReading> {
	const rows = db
		.select({
			part: reportReading.part,
			openedAt: reportReading.openedAt,
			completedAt: reportReading.completedAt
		})
		.from(reportReading)
		.where(eq(reportReading.userId, userId))
		.all();
	return new Map(rows.map((r) => [r.part, { openedAt: r.openedAt, completedAt: r.completedAt }]));
}

/** How many parts of the report this user has read, of how many (the 学习 page's card). */
export function reportProgress(db: Queryable, userId: number): { read: number; total: number } {
	const read = [...readingStatus(db, userId).values()].filter((r) => r.completedAt).length;
	return { read, total: loadReport().parts.length };
}

// ---------------------------------------------------------------------------------------------
// What the pages show

export interface ContentsEntry {
	number: number;
	label: string;
	numeral: string | null;
	heading: string;
	length: number;
	minutes: number;
	read: boolean;
	opened: boolean;
	/** Lessons (this viewer may study) that teach a paragraph of the part. */
	lessons: number;
}

/** 目录: every part with its length, whether this user has read it, and how many lessons teach it. */
export function reportContents(db: Queryable, viewer: Viewer) {
	const report = loadReport();
	const status = readingStatus(db, viewer.id);
	const taught = taughtFor(db, viewer);
	const parts: ContentsEntry[] = report.parts.map((p) => {
		const teaching = new Set(
			p.paragraphs.flatMap((para) => (taught.get(para.id) ?? []).map((l) => l.lessonId))
		);
		const reading = status.get(p.number);
		return {
			number: p.number,
			label: p.label,
			numeral: p.numeral,
			heading: p.heading,
			length: p.length,
			minutes: Math.max(1, Math.round(reportReadSeconds(p.length) / 60)),
			read: Boolean(reading?.completedAt),
			opened: Boolean(reading),
			lessons: teaching.size
		};
	});
	return {
		title: report.title,
		subtitle: report.subtitle,
		speaker: report.speaker,
		delivered: report.delivered,
		source: report.source,
		parts,
		readCount: parts.filter((p) => p.read).length
	};
}

export interface ParagraphView {
	id: string;
	/** The paragraph's number as its citation names it: 14, 导语 2 or （三）1 (shown after §). */
	number: string;
	citation: string;
	text: string;
	lessons: { title: string; href: string }[];
}

const SECTION_TITLE = /^（[一二三四五六七八九十]+）[^。]*。/;

function paragraphView(
	para: ReportParagraph,
	part: ReportPart,
	taught: Map<string, TaughtLesson[]>
): ParagraphView {
	const number = para.section
		? `（${NUMERALS[para.section - 1]}）${para.index}`
		: part.sections.length
			? `导语 ${para.index}`
			: String(para.index);
	return {
		id: para.id,
		number,
		citation: para.citation,
		// A section's title opens its first paragraph; the reader sets it apart as the section's heading.
		text: para.section && para.index === 1 ? para.text.replace(SECTION_TITLE, '') : para.text,
		lessons: (taught.get(para.id) ?? []).map((l) => ({ title: l.title, href: l.href }))
	};
}

/**
 * One part in the reader for this viewer, opened for reading if it had not been: its heading,
 * its 导语 and numbered sections with their paragraphs (each with the lessons that teach it), and
 * the reading time left. Undefined when there is no such part.
 */
export function reportPartPage(db: Queryable, viewer: Viewer, part: number, now = new Date()) {
	if (!isReportPart(part)) return undefined;
	const report = loadReport();
	const text = reportPart(report, part);
	if (!text) return undefined;
	const reading = openReportPart(db, viewer.id, part, now);
	const taught = taughtFor(db, viewer);
	const needed = reportReadSeconds(text.length);
	const neighbour = (n: number) => {
		const p = reportPart(report, n);
		return p ? { number: p.number, label: p.label, heading: p.heading } : null;
	};
	return {
		title: report.title,
		number: text.number,
		label: text.label,
		numeral: text.numeral,
		heading: text.heading,
		length: text.length,
		intro: text.intro.map((p) => paragraphView(p, text, taught)),
		sections: text.sections.map((s) => ({
			number: s.number,
			numeral: NUMERALS[s.number - 1]!,
			title: s.title,
			paragraphs: s.paragraphs.map((p) => paragraphView(p, text, taught))
		})),
		minReadSeconds: needed,
		secondsLeft: Math.max(0, Math.ceil((reading.openedAt.getTime() + needed * 1000 - now.getTime()) / 1000)),
		done: reading.completedAt !== null,
		prev: neighbour(part - 1),
		next: neighbour(part + 1),
		source: report.source
	};
}
