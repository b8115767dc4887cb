import { diffChars, diffLines } from 'diff';
import { inArray } from 'drizzle-orm';
import type { Queryable } from '../db';
import { themes } from '../db/schema';
import { TYPE_LABELS } from '../quiz/questions';
import { DIFFICULTY_LABELS } from '../../lesson-editor';
import type { EssayAnswer } from '../exams/types';
import type { LessonDoc, ModuleDoc, QuestionDoc } from './doc';
import { latestVersion } from './store';
import { MODULE_LABELS } from './validate';
import { versionDoc } from './versions';
import type { DocDiff, Draft, TextDiffPart } from './types';

/*
 * What a reviewer needs to judge a submission: the draft against the published version — the
 * module's fields, each lesson added, removed, moved or changed (with its text compared), each
 * question added, removed or changed (and in what).
 */

const NOTHING = '（无）';

/** The draft against its latest published version (everything added when never published). */
export function draftDiff(db: Queryable, draft: Draft): DocDiff {
	const published = latestVersion(db, draft.id);
	const base = published ? versionDoc(db, draft, published) : undefined;
	return docDiff(db, base, draft.doc);
}

export function docDiff(db: Queryable, from: ModuleDoc | undefined, to: ModuleDoc): DocDiff {
	return {
		fields: fieldChanges(db, from, to),
		lessons: lessonChanges(from?.lessons ?? [], to.lessons),
		questions: questionChanges(from, to)
	};
}

function fieldChanges(db: Queryable, from: ModuleDoc | undefined, to: ModuleDoc): DocDiff['fields'] {
	const ids = [to.themeId, ...(from ? [from.themeId] : [])];
	const themeNames = new Map(
		db
			.select({ id: themes.id, name: themes.name })
			.from(themes)
			.where(inArray(themes.id, ids))
			.all()
			.map((t) => [t.id, t.name])
	);
	const shown = (doc: ModuleDoc | undefined, field: keyof typeof MODULE_LABELS): string => {
		if (!doc) return NOTHING;
		if (field === 'themeId') return themeNames.get(doc.themeId) ?? String(doc.themeId);
		const value =
			field in doc.quiz ? doc.quiz[field as keyof ModuleDoc['quiz']] : doc[field as keyof ModuleDoc];
		if (typeof value === 'boolean') return value ? '是' : '否';
		return value === '' ? NOTHING : String(value);
	};
	return (Object.keys(MODULE_LABELS) as (keyof typeof MODULE_LABELS)[])
		.map((field) => ({ label: MODULE_LABELS[field], from: shown(from, field), to: shown(to, field) }))
		.filter((change) => change.from !== change.to);
}

// ---------------------------------------------------------------- lessons

function lessonChanges(from: LessonDoc[], to: LessonDoc[]): DocDiff['lessons'] {
	const before = new Map(from.map((l) => [l.key, l]));
	const after = new Set(to.map((l) => l.key));
	const stayed = lessonsInPlace(
		from.filter((l) => after.has(l.key)).map((l) => l.key),
		to.filter((l) => before.has(l.key)).map((l) => l.key)
	);
	const changes: DocDiff['lessons'] = [];
	for (const lesson of to) {
		const old = before.get(lesson.key);
		if (!old)
			changes.push({
				key: lesson.key,
				title: lesson.title,
				change: 'added',
				text: [{ value: lesson.body, added: true }]
			});
		else if (!sameLesson(old, lesson))
			changes.push({
				key: lesson.key,
				title: lesson.title,
				change: 'changed',
				text: textDiff(old.body, lesson.body)
			});
		else if (!stayed.has(lesson.key)) changes.push({ key: lesson.key, title: lesson.title, change: 'moved' });
	}
	for (const old of from) {
		if (!after.has(old.key))
			changes.push({
				key: old.key,
				title: old.title,
				change: 'removed',
				text: [{ value: old.body, removed: true }]
			});
	}
	return changes;
}

function sameLesson(a: LessonDoc, b: LessonDoc): boolean {
	return JSON.stringify({ ...a, key: '' }) === JSON.stringify({ ...b, key: '' });
}

/**
 * The lessons that kept their place relative to each other (a longest common subsequence of the
 * two orders): moving one lesson reports that lesson, not every lesson it passed.
 */
function lessonsInPlace(a: string[], b: string[]): Set<string> {
	const lengths = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
	for (let i = a.length - 1; i >= 0; i--)
		for (let j = b.length - 1; j >= 0; j--)
			lengths[i]![j] =
				a[i] === b[j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
	const kept = new Set<string>();
	for (let i = 0, j = 0; i < a.length && j < b.length;) {
		if (a[i] === b[j]) {
			kept.add(a[i]!);
			i++;
			j++;
		} else if (lengths[i + 1]![j]! >= lengths[i]![j + 1]!) i++;
		else j++;
	}
	return kept;
}

// Character comparison of a changed paragraph, when it stays cheap; else the paragraphs as they are.
const CHAR_DIFF_LIMIT = 2_000;

/** The text compared by lines, each replaced line refined to the characters that changed. */
export function textDiff(from: string, to: string): TextDiffPart[] {
	const parts = diffLines(from, to);
	const out: TextDiffPart[] = [];
	for (let i = 0; i < parts.length; i++) {
		const part = parts[i]!;
		const next = parts[i + 1];
		if (part.removed && next?.added) {
			const refined = diffChars(part.value, next.value, { maxEditLength: CHAR_DIFF_LIMIT });
			if (refined) {
				out.push(...refined.map(plainPart));
				i++;
				continue;
			}
		}
		out.push(plainPart(part));
	}
	return out;
}

function plainPart(part: { value: string; added?: boolean; removed?: boolean }): TextDiffPart {
	return {
		value: part.value,
		...(part.added ? { added: true } : {}),
		...(part.removed ? { removed: true } : {})
	};
}

// ---------------------------------------------------------------- questions

function questionChanges(from: ModuleDoc | undefined, to: ModuleDoc): DocDiff['questions'] {
	const before = new Map((from?.questions ?? []).map((q) => [q.key, q]));
	const after = new Set(to.questions.map((q) => q.key));
	const changes: DocDiff['questions'] = [];
	for (const question of to.questions) {
		const old = before.get(question.key);
		if (!old) {
			changes.push({ key: question.key, stem: question.stem, change: 'added' });
			continue;
		}
		const details = questionDetails(old, from!, question, to);
		if (details.length) changes.push({ key: question.key, stem: question.stem, change: 'changed', details });
	}
	for (const old of from?.questions ?? []) {
		if (!after.has(old.key)) changes.push({ key: old.key, stem: old.stem, change: 'removed' });
	}
	return changes;
}

function questionDetails(a: QuestionDoc, aDoc: ModuleDoc, b: QuestionDoc, bDoc: ModuleDoc) {
	const lessonTitle = (doc: ModuleDoc, key: string) => doc.lessons.find((l) => l.key === key)?.title ?? key;
	const rows: [string, string, string][] = [
		['题型', TYPE_LABELS[a.type], TYPE_LABELS[b.type]],
		['题干', a.stem, b.stem],
		['选项', optionsText(a), optionsText(b)],
		[a.type === 'essay' && b.type === 'essay' ? '参考答案' : '正确答案', answerText(a), answerText(b)],
		['采分点', rubricText(a), rubricText(b)],
		['字数上限', lengthText(a), lengthText(b)],
		['解析', a.explanation || NOTHING, b.explanation || NOTHING],
		['难度', DIFFICULTY_LABELS[a.difficulty]!, DIFFICULTY_LABELS[b.difficulty]!],
		['所属课时', lessonTitle(aDoc, a.lessonKey), lessonTitle(bDoc, b.lessonKey)],
		['出处', a.sourceRef || NOTHING, b.sourceRef || NOTHING]
	];
	return rows.filter(([, from, to]) => from !== to).map(([label, from, to]) => ({ label, from, to }));
}

const letter = (i: number) => String.fromCharCode(65 + i);

function optionsText(q: QuestionDoc): string {
	return q.options.length ? q.options.map((o, i) => `${letter(i)}. ${o}`).join(' / ') : NOTHING;
}

/** The correct answer in words, as the reviewer reads it. */
export function answerText(q: QuestionDoc): string {
	switch (q.type) {
		case 'single':
			return `${letter(q.answer as number)}. ${q.options[q.answer as number] ?? ''}`;
		case 'multiple':
			return (q.answer as number[]).map(letter).join('、');
		case 'truefalse':
			return q.answer ? '正确' : '错误';
		case 'fill':
			return (q.answer as string[][])
				.map((accepted, i) => `第 ${i + 1} 空：${accepted.join('｜')}`)
				.join('；');
		case 'essay':
			return (q.answer as EssayAnswer).reference;
	}
}

/** A 简答's scoring points with their points (（无） for the other types). */
function rubricText(q: QuestionDoc): string {
	if (q.type !== 'essay') return NOTHING;
	return (q.answer as EssayAnswer).rubric.map((r) => `${r.point}（${r.points}分）`).join('；');
}

function lengthText(q: QuestionDoc): string {
	return q.type === 'essay' ? `${(q.answer as EssayAnswer).maxLength} 字` : NOTHING;
}
