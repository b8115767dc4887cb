import { and, inArray, isNull } from 'drizzle-orm';
import type { Queryable } from '../db';
import { QUESTION_TYPES, questions, type QuestionType } from '../db/schema';
import { copyableModules } from '../authoring/copyable';
import type { Owner } from '../authoring/owner';
import { TYPE_LABELS } from '../quiz/questions';
import type { DrawRule, FieldErrors, PaperDoc, PaperSection } from './types';

// A paper (试卷) as the editor's form sends it and as it is checked before anything is written.
//
// Form fields (all strings; indexes are 0-based and may have gaps, order is by index):
//   title, instructions, passMark
//   sections.<i>.kind          'fixed' | 'rule'
//   sections.<i>.title, sections.<i>.instructions
//   sections.<i>.items.<j>.questionId, sections.<i>.items.<j>.points          (fixed)
//   sections.<i>.rules.<j>.moduleId   ('' = 全部模块)
//   sections.<i>.rules.<j>.type       (single|multiple|truefalse|fill|essay)
//   sections.<i>.rules.<j>.difficulty ('' = 不限, 1 易, 2 中, 3 难)
//   sections.<i>.rules.<j>.count, sections.<i>.rules.<j>.points               (rule)
// validatePaper's errors use the same names (and `sections.<i>.items`, `sections.<i>.rules`
// when a section is empty, `_form` for the paper as a whole).

export const MAX_SECTIONS = 20;
export const MAX_ITEMS_PER_SECTION = 200;
export const MAX_RULES_PER_SECTION = 20;
export const MAX_RULE_COUNT = 100;
export const MAX_ITEM_POINTS = 100;
export const MAX_TOTAL_POINTS = 1000;
export const MAX_PAPER_TITLE = 60;
export const MAX_INSTRUCTIONS = 2000;
export const MAX_SECTION_TITLE = 40;
export const MAX_SECTION_INSTRUCTIONS = 500;

export interface PaperInput {
	title: string;
	instructions: string;
	/** NaN when the field was empty or not a number (validatePaper says so). */
	passMark: number;
	doc: PaperDoc;
}

const num = (raw: FormDataEntryValue | null): number => {
	if (typeof raw !== 'string' || raw.trim() === '') return NaN;
	const s = raw.trim();
	return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : NaN;
};
const str = (raw: FormDataEntryValue | null): string => (typeof raw === 'string' ? raw.trim() : '');

/** The indexes present under `prefix` (`prefix<index>.…`), in numeric order. */
function indexes(form: FormData, prefix: string): number[] {
	const found = new Set<number>();
	for (const key of form.keys()) {
		if (!key.startsWith(prefix)) continue;
		const m = /^(\d{1,4})\./.exec(key.slice(prefix.length));
		if (m) found.add(Number(m[1]));
	}
	return [...found].sort((a, b) => a - b);
}

/**
 * Reads the paper editor's form (field names above) into a paper as given: nothing is checked
 * here (validatePaper does), so a form with mistakes can be shown again as it was typed.
 * Numbers that are not numbers become NaN.
 */
export function parsePaperForm(form: FormData): PaperInput {
	const sections: PaperSection[] = indexes(form, 'sections.').map((i) => {
		const p = `sections.${i}.`;
		const title = str(form.get(`${p}title`));
		const instructions = str(form.get(`${p}instructions`));
		if (str(form.get(`${p}kind`)) === 'rule') {
			return {
				kind: 'rule',
				title,
				instructions,
				rules: indexes(form, `${p}rules.`).map((j): DrawRule => {
					const r = `${p}rules.${j}.`;
					const moduleRaw = str(form.get(`${r}moduleId`));
					const difficultyRaw = str(form.get(`${r}difficulty`));
					return {
						moduleId: moduleRaw === '' ? null : num(moduleRaw),
						type: str(form.get(`${r}type`)) as QuestionType,
						difficulty: (difficultyRaw === '' ? null : num(difficultyRaw)) as DrawRule['difficulty'],
						count: num(form.get(`${r}count`)),
						points: num(form.get(`${r}points`))
					};
				})
			};
		}
		return {
			kind: 'fixed',
			title,
			instructions,
			items: indexes(form, `${p}items.`).map((j) => ({
				questionId: num(form.get(`${p}items.${j}.questionId`)),
				points: num(form.get(`${p}items.${j}.points`))
			}))
		};
	});
	return {
		title: str(form.get('title')),
		instructions: str(form.get('instructions')),
		passMark: num(form.get('passMark')),
		doc: { sections }
	};
}

/** Points are positive numbers in half-point steps. */
export const isHalfStep = (v: number): boolean => Number.isFinite(v) && Math.round(v * 2) === v * 2;

/** A paper's total: fixed items' points plus count × points of every rule. */
export function paperTotal(doc: PaperDoc): number {
	let total = 0;
	for (const s of doc.sections) {
		if (s.kind === 'fixed') for (const i of s.items) total += i.points;
		else for (const r of s.rules) total += r.count * r.points;
	}
	return total;
}

/** How many questions a sitting of this paper has. */
export function paperQuestionCount(doc: PaperDoc): number {
	return doc.sections.reduce(
		(n, s) => n + (s.kind === 'fixed' ? s.items.length : s.rules.reduce((m, r) => m + r.count, 0)),
		0
	);
}

/** A question of a bank the paper may use, as the checks and the draw need it. */
export interface PoolQuestion {
	id: number;
	moduleId: number;
	type: QuestionType;
	difficulty: number;
}

/** The live modules an owner's papers may draw from (built-in and their own), and their live questions. */
export function usableBank(db: Queryable, owner: Owner): { moduleIds: Set<number>; pool: PoolQuestion[] } {
	const moduleIds = copyableModules(db, owner).map((m) => m.id);
	const pool = moduleIds.length
		? db
				.select({
					id: questions.id,
					moduleId: questions.moduleId,
					type: questions.type,
					difficulty: questions.difficulty
				})
				.from(questions)
				.where(and(inArray(questions.moduleId, moduleIds), isNull(questions.archivedAt)))
				.all()
		: [];
	return { moduleIds: new Set(moduleIds), pool };
}

export const matchesRule = (q: PoolQuestion, r: DrawRule): boolean =>
	(r.moduleId === null || q.moduleId === r.moduleId) &&
	q.type === r.type &&
	(r.difficulty === null || q.difficulty === r.difficulty);

/**
 * The order rules are drawn in (and checked in): rules naming a module first, then those
 * drawing from every module, each group in paper order. Pairs of [section, rule] indexes.
 */
export function ruleOrder(doc: PaperDoc): [number, number][] {
	const named: [number, number][] = [];
	const any: [number, number][] = [];
	doc.sections.forEach((s, i) => {
		if (s.kind === 'rule') s.rules.forEach((r, j) => (r.moduleId === null ? any : named).push([i, j]));
	});
	return [...named, ...any];
}

/**
 * How many questions each rule can surely draw for every candidate (key `<section>.<rule>`):
 * its pool without the fixed items, less what the rules drawn before it may take from that
 * pool at most. A paper whose rules all fit this always fills every sitting.
 */
export function ruleCapacities(doc: PaperDoc, pool: PoolQuestion[]): Record<string, number> {
	const fixed = new Set<number>();
	for (const s of doc.sections) if (s.kind === 'fixed') for (const i of s.items) fixed.add(i.questionId);
	const free = pool.filter((q) => !fixed.has(q.id));
	const out: Record<string, number> = {};
	const before: { rule: DrawRule; ids: Set<number> }[] = [];
	for (const [i, j] of ruleOrder(doc)) {
		const rule = (doc.sections[i] as { rules: DrawRule[] }).rules[j]!;
		const ids = new Set(free.filter((q) => matchesRule(q, rule)).map((q) => q.id));
		let taken = 0;
		for (const b of before) {
			let overlap = 0;
			for (const id of b.ids) if (ids.has(id)) overlap++;
			taken += Math.min(Number.isFinite(b.rule.count) ? Math.max(0, b.rule.count) : 0, overlap);
		}
		out[`${i}.${j}`] = Math.max(0, ids.size - taken);
		before.push({ rule, ids });
	}
	return out;
}

const DIFFICULTY_WORDS: Record<number, string> = { 1: '容易', 2: '中等', 3: '较难' };

/**
 * Every check of a paper, with the editor's field names. Questions and modules must be in the
 * banks the owner may use (live built-in modules and their own); every rule must be fillable
 * for every candidate (ruleCapacities). Nothing is written.
 */
export function checkPaper(
	input: PaperInput,
	bank: { moduleIds: Set<number>; pool: PoolQuestion[] }
): FieldErrors {
	const errors: FieldErrors = {};
	const set = (key: string, message: string) => {
		errors[key] ??= message;
	};
	if (!input.title) set('title', '请填写试卷名称');
	else if (input.title.length > MAX_PAPER_TITLE) set('title', `试卷名称不能超过 ${MAX_PAPER_TITLE} 个字`);
	if (input.instructions.length > MAX_INSTRUCTIONS)
		set('instructions', `考试说明不能超过 ${MAX_INSTRUCTIONS} 个字`);
	const { sections } = input.doc;
	if (sections.length === 0) set('_form', '试卷还没有内容，请至少添加一个部分');
	if (sections.length > MAX_SECTIONS) set('_form', `试卷最多分 ${MAX_SECTIONS} 个部分`);
	const byId = new Map(bank.pool.map((q) => [q.id, q]));
	const seen = new Set<number>();
	let shapeOk = true;
	sections.forEach((s, i) => {
		const p = `sections.${i}`;
		const part = `第${i + 1}部分`;
		if (!s.title) set(`${p}.title`, `请填写${part}的标题`);
		else if (s.title.length > MAX_SECTION_TITLE)
			set(`${p}.title`, `${part}的标题不能超过 ${MAX_SECTION_TITLE} 个字`);
		if (s.instructions.length > MAX_SECTION_INSTRUCTIONS)
			set(`${p}.instructions`, `${part}的说明不能超过 ${MAX_SECTION_INSTRUCTIONS} 个字`);
		if (s.kind === 'fixed') {
			if (s.items.length === 0) set(`${p}.items`, `${part}还没有题目，请从题库中选题`);
			if (s.items.length > MAX_ITEMS_PER_SECTION)
				set(`${p}.items`, `${part}最多 ${MAX_ITEMS_PER_SECTION} 道题`);
			s.items.forEach((item, j) => {
				const q = `${p}.items.${j}`;
				const which = `${part}第${j + 1}题`;
				if (!byId.has(item.questionId)) {
					set(`${q}.questionId`, `${which}已下线，或不在您可用的题库中`);
					shapeOk = false;
				} else if (seen.has(item.questionId)) set(`${q}.questionId`, `${which}与前面的题目重复`);
				seen.add(item.questionId);
				if (!isHalfStep(item.points) || item.points <= 0 || item.points > MAX_ITEM_POINTS) {
					set(`${q}.points`, `${which}的分值应为 0.5–${MAX_ITEM_POINTS} 分，以 0.5 分为单位`);
					shapeOk = false;
				}
			});
		} else {
			if (s.rules.length === 0) set(`${p}.rules`, `${part}还没有抽题规则`);
			if (s.rules.length > MAX_RULES_PER_SECTION)
				set(`${p}.rules`, `${part}最多 ${MAX_RULES_PER_SECTION} 条抽题规则`);
			s.rules.forEach((r, j) => {
				const q = `${p}.rules.${j}`;
				const which = `${part}第${j + 1}条规则`;
				if (r.moduleId !== null && !bank.moduleIds.has(r.moduleId)) {
					set(`${q}.moduleId`, `${which}的模块已下线，或不在您可用的题库中`);
					shapeOk = false;
				}
				if (!(QUESTION_TYPES as readonly string[]).includes(r.type)) {
					set(`${q}.type`, `请选择${which}的题型`);
					shapeOk = false;
				}
				if (r.difficulty !== null && ![1, 2, 3].includes(r.difficulty)) {
					set(`${q}.difficulty`, `${which}的难度无效`);
					shapeOk = false;
				}
				if (!Number.isInteger(r.count) || r.count < 1 || r.count > MAX_RULE_COUNT) {
					set(`${q}.count`, `${which}的抽题数应为 1–${MAX_RULE_COUNT} 的整数`);
					shapeOk = false;
				}
				if (!isHalfStep(r.points) || r.points <= 0 || r.points > MAX_ITEM_POINTS) {
					set(`${q}.points`, `${which}的每题分值应为 0.5–${MAX_ITEM_POINTS} 分，以 0.5 分为单位`);
					shapeOk = false;
				}
			});
		}
	});
	if (shapeOk && sections.length > 0) {
		const capacity = ruleCapacities(input.doc, bank.pool);
		for (const [i, j] of ruleOrder(input.doc)) {
			const r = (sections[i] as { rules: DrawRule[] }).rules[j]!;
			const has = capacity[`${i}.${j}`] ?? 0;
			if (has < r.count) {
				const kind = `${r.difficulty === null ? '' : DIFFICULTY_WORDS[r.difficulty]}${TYPE_LABELS[r.type]}`;
				set(
					`sections.${i}.rules.${j}.count`,
					`第${i + 1}部分第${j + 1}条规则要抽 ${r.count} 道${kind}，题库中只有 ${has} 道`
				);
			}
		}
	}
	const total = paperTotal(input.doc);
	if (shapeOk && total > MAX_TOTAL_POINTS)
		set('_form', `试卷总分 ${total} 分，不能超过 ${MAX_TOTAL_POINTS} 分`);
	if (!Number.isFinite(input.passMark)) set('passMark', '请填写及格分');
	else if (!isHalfStep(input.passMark) || input.passMark <= 0)
		set('passMark', '及格分应大于 0，以 0.5 分为单位');
	else if (shapeOk && input.passMark > total) set('passMark', `及格分不能高于试卷总分 ${total} 分`);
	return errors;
}

/** validatePaper: checkPaper against the banks this owner may use now. */
export function validatePaper(db: Queryable, owner: Owner, input: PaperInput): FieldErrors {
	return checkPaper(input, usableBank(db, owner));
}
