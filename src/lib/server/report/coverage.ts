import { and, asc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { Queryable } from '../db';
import {
	attemptItems,
	attempts,
	lessonProgress,
	lessons,
	modules,
	questions,
	reportReading,
	users
} from '../db/schema';
import { citedPart } from '../../report-place';
import { loadReport } from './text';
import { lessonPart, taughtParagraphs } from './taught';
import { visibleModule, type Viewer } from '../learning/audience';
import { userOffice } from '../org/offices';

/**
 * 学习地图: the report's seventeen parts (开篇, 一 … 十五, 结束语) with how much of each the lessons
 * teach, how much has been studied, and how often its questions are answered right, for one
 * learner or an office rolled up the tree. A part whose questions are answered right less than
 * DIFFICULT_BELOW of the time (over enough answers) is a 难点.
 */

export interface PartCoverage {
	part: number;
	label: string;
	heading: string;
	/** Share of the part's text (by characters) that some live lesson teaches, 0–1. */
	taught: number;
	/** Live lessons whose source is in this part. */
	lessonCount: number;
	/** Learner: share of those lessons completed; office: share of members who studied the part. */
	studied: number;
	/** Learner: the part read in the 原文 reader; office: members who read it there. */
	originalRead: number;
	answered: number;
	correct: number;
	/** correct / answered, or null before any answer. */
	accuracy: number | null;
	difficult: boolean;
}

export const DIFFICULT_BELOW = 0.6;
const MIN_ANSWERS = { learner: 3, office: 10 };

/** The part a question rests on: its own source, else its lesson's. */
function questionPart(sourceRef: string, lessonSourcePart: string | null): number {
	const part = citedPart(sourceRef);
	if (part >= 0) return part;
	return lessonSourcePart ? lessonPart(lessonSourcePart) : -1;
}

/**
 * Live lessons by part (built-in and authored modules still in use); for a learner only those of
 * modules they may study (another office's module is no share of theirs).
 */
function lessonsByPart(db: Queryable, learner?: number): Map<number, number[]> {
	const viewer = learner === undefined ? undefined : userOffice(db, learner);
	const rows = db
		.select({ id: lessons.id, sourcePart: lessons.sourcePart })
		.from(lessons)
		.innerJoin(modules, eq(modules.id, lessons.moduleId))
		.where(
			and(
				isNull(lessons.archivedAt),
				isNull(modules.archivedAt),
				learner === undefined ? undefined : visibleModule(db, viewer ?? { id: learner, officeId: null })
			)
		)
		.all();
	const byPart = new Map<number, number[]>();
	for (const r of rows) {
		const part = lessonPart(r.sourcePart);
		if (part >= 0) byPart.set(part, [...(byPart.get(part) ?? []), r.id]);
	}
	return byPart;
}

/** Share of each part's characters taught by some lesson. */
function taughtShare(db: Queryable): Map<number, number> {
	const taught = taughtParagraphs(db);
	return new Map(
		loadReport().parts.map((p) => {
			const chars = p.paragraphs
				.filter((para) => taught.has(para.id))
				.reduce((n, para) => n + para.text.length, 0);
			const total = p.paragraphs.reduce((n, para) => n + para.text.length, 0);
			return [p.number, total ? chars / total : 0];
		})
	);
}

/** Submitted quiz answers of these users, counted by part: [answered, correct]. */
function answersByPart(db: Queryable, userIds: number[]): Map<number, [number, number]> {
	const counts = new Map<number, [number, number]>();
	if (!userIds.length) return counts;
	const rows = db
		.select({ sourceRef: questions.sourceRef, lessonPart: lessons.sourcePart, correct: attemptItems.correct })
		.from(attemptItems)
		.innerJoin(attempts, eq(attempts.id, attemptItems.attemptId))
		.innerJoin(questions, eq(questions.id, attemptItems.questionId))
		.leftJoin(lessons, eq(lessons.id, questions.lessonId))
		.where(
			and(
				inArray(attempts.userId, userIds),
				isNotNull(attempts.submittedAt),
				isNotNull(attemptItems.response)
			)
		)
		.all();
	for (const r of rows) {
		const part = questionPart(r.sourceRef, r.lessonPart);
		if (part < 0) continue;
		const c = counts.get(part) ?? [0, 0];
		c[0]++;
		if (r.correct) c[1]++;
		counts.set(part, c);
	}
	return counts;
}

function partRows(
	db: Queryable,
	studied: (part: number, lessonIds: number[]) => { studied: number; originalRead: number },
	answers: Map<number, [number, number]>,
	minAnswers: number,
	learner?: number
): PartCoverage[] {
	const byPart = lessonsByPart(db, learner);
	const taught = taughtShare(db);
	return loadReport().parts.map((p) => {
		const lessonIds = byPart.get(p.number) ?? [];
		const [answered, correct] = answers.get(p.number) ?? [0, 0];
		const accuracy = answered ? correct / answered : null;
		return {
			part: p.number,
			label: p.label,
			heading: p.heading,
			taught: taught.get(p.number) ?? 0,
			lessonCount: lessonIds.length,
			...studied(p.number, lessonIds),
			answered,
			correct,
			accuracy,
			difficult: accuracy !== null && answered >= minAnswers && accuracy < DIFFICULT_BELOW
		};
	});
}

/** One learner's map: their completed lessons, the parts they read, their answers. */
export function learnerCoverage(db: Queryable, userId: number): PartCoverage[] {
	const done = new Set(
		db
			.select({ id: lessonProgress.lessonId })
			.from(lessonProgress)
			.where(and(eq(lessonProgress.userId, userId), isNotNull(lessonProgress.completedAt)))
			.all()
			.map((r) => r.id)
	);
	const read = new Set(
		db
			.select({ part: reportReading.part })
			.from(reportReading)
			.where(and(eq(reportReading.userId, userId), isNotNull(reportReading.completedAt)))
			.all()
			.map((r) => r.part)
	);
	return partRows(
		db,
		(part, lessonIds) => ({
			studied: lessonIds.length ? lessonIds.filter((id) => done.has(id)).length / lessonIds.length : 0,
			originalRead: read.has(part) ? 1 : 0
		}),
		answersByPart(db, [userId]),
		MIN_ANSWERS.learner,
		userId
	);
}

/**
 * An office's map over its active members (the office and everything below it): the share of
 * members who studied each part (completed one of its lessons or read it in the 原文 reader), how
 * many read the 原文, and their answers.
 */
export function officeCoverage(
	db: Queryable,
	officeIds: number[]
): { members: number; parts: PartCoverage[] } {
	const members = officeIds.length
		? db
				.select({ id: users.id })
				.from(users)
				.where(and(inArray(users.officeId, officeIds), eq(users.active, true), eq(users.role, 'cadre')))
				.all()
				.map((r) => r.id)
		: [];
	const completed = members.length
		? db
				.select({ userId: lessonProgress.userId, lessonId: lessonProgress.lessonId })
				.from(lessonProgress)
				.where(and(inArray(lessonProgress.userId, members), isNotNull(lessonProgress.completedAt)))
				.all()
		: [];
	const readers = members.length
		? db
				.select({ userId: reportReading.userId, part: reportReading.part })
				.from(reportReading)
				.where(and(inArray(reportReading.userId, members), isNotNull(reportReading.completedAt)))
				.all()
		: [];
	const share = (n: number) => (members.length ? n / members.length : 0);
	const parts = partRows(
		db,
		(part, lessonIds) => {
			const ids = new Set(lessonIds);
			const readHere = new Set(readers.filter((r) => r.part === part).map((r) => r.userId));
			const studiedBy = new Set([
				...completed.filter((c) => ids.has(c.lessonId)).map((c) => c.userId),
				...readHere
			]);
			return { studied: share(studiedBy.size), originalRead: share(readHere.size) };
		},
		answersByPart(db, members),
		MIN_ANSWERS.office
	);
	return { members: members.length, parts };
}

// ---------------------------------------------------------------------------------------------
// Beside the figures: the modules a learner may open for each part, and the material per part
// that a party school looks at.

/** A part's material is thin when its lessons teach less than this share of its text. */
export const THIN_MATERIAL_BELOW = 0.2;

export interface PartModule {
	title: string;
	href: string;
}

/** The modules this viewer may study that have a lesson on each part, in catalog order. */
export function partModules(db: Queryable, viewer: Viewer): Map<number, PartModule[]> {
	const rows = db
		.selectDistinct({
			slug: modules.slug,
			title: modules.title,
			sourcePart: lessons.sourcePart,
			sortOrder: modules.sortOrder,
			id: modules.id
		})
		.from(lessons)
		.innerJoin(modules, eq(modules.id, lessons.moduleId))
		.where(and(isNull(lessons.archivedAt), visibleModule(db, viewer)))
		.orderBy(asc(modules.sortOrder), asc(modules.id))
		.all();
	const out = new Map<number, PartModule[]>();
	for (const r of rows) {
		const part = lessonPart(r.sourcePart);
		if (part < 0) continue;
		const list = out.get(part) ?? [];
		if (!list.some((m) => m.href === `/learn/${r.slug}`))
			list.push({ title: r.title, href: `/learn/${r.slug}` });
		out.set(part, list);
	}
	return out;
}

export interface PartMaterial {
	part: number;
	label: string;
	heading: string;
	taught: number;
	lessonCount: number;
	/** No lesson teaches it, or its lessons teach less than THIN_MATERIAL_BELOW of its text. */
	thin: boolean;
}

/** The material of every live lesson per part: what a party school sees to plan new lessons. */
export function partMaterial(db: Queryable): PartMaterial[] {
	return officeCoverage(db, []).parts.map((p) => ({
		part: p.part,
		label: p.label,
		heading: p.heading,
		taught: p.taught,
		lessonCount: p.lessonCount,
		thin: p.lessonCount === 0 || p.taught < THIN_MATERIAL_BELOW
	}));
}
