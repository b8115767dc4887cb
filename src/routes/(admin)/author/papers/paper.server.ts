import type { RequestEvent } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import type { Owner } from '$lib/server/authoring';
import { bankQuestions, ruleCapacities, usableBank } from '$lib/server/exams';
import type { BankQuestion, DrawRule, PaperDetail, PaperDoc, PaperSection } from '$lib/server/exams/types';
import { EXAM_TYPES } from '$lib/exam-admin';
import {
	applyPaperOp,
	emptySection,
	numberOf,
	readPaperForm,
	type PaperSectionValues,
	type PaperValues
} from '$lib/paper-form';
import { ownerOf } from '../author.server';

/** Shared by 新建试卷 and the paper editor: the form ↔ the domain's paper, the bank picker. */

export const PAPER_NOT_FOUND = '没有找到这份试卷，或不在您的管理范围内';
export const BANK_PAGE_SIZE = 20;

export interface BankFilter {
	moduleId: string;
	type: string;
	q: string;
	page: number;
	/** The fixed section a picked question joins (its index), '' for the last one. */
	target: string;
	/** Points of a picked objective question (简答: its rubric's total). */
	points: string;
}

export interface BankView {
	filter: BankFilter;
	rows: BankQuestion[];
	total: number;
	pageSize: number;
}

export const DEFAULT_BANK_FILTER: BankFilter = {
	moduleId: '',
	type: '',
	q: '',
	page: 1,
	target: '',
	points: '2'
};

/** A new paper: one fixed section to pick into, pass mark left for the author. */
export function newPaperValues(): PaperValues {
	return { title: '', instructions: '', passMark: '', sections: [emptySection('fixed', 1)] };
}

/** The editor's values of a saved paper. */
export function paperValues(paper: PaperDetail): PaperValues {
	return {
		title: paper.title,
		instructions: paper.instructions,
		passMark: String(paper.passMark),
		sections: paper.doc.sections.map((s): PaperSectionValues =>
			s.kind === 'fixed'
				? {
						kind: 'fixed',
						title: s.title,
						instructions: s.instructions,
						items: s.items.map((item) => {
							const q = paper.questions[item.questionId];
							return {
								questionId: String(item.questionId),
								points: String(item.points),
								stem: q ? excerpt(q.stem) : '（题目已删除）',
								type: q?.type ?? '',
								module: q?.moduleTitle ?? ''
							};
						}),
						rules: []
					}
				: {
						kind: 'rule',
						title: s.title,
						instructions: s.instructions,
						items: [],
						rules: s.rules.map((r) => ({
							moduleId: r.moduleId === null ? '' : String(r.moduleId),
							type: r.type,
							difficulty: r.difficulty === null ? '' : String(r.difficulty),
							count: String(r.count),
							points: String(r.points)
						}))
					}
		)
	};
}

const excerpt = (stem: string) => (stem.length > 80 ? stem.slice(0, 80) + '…' : stem);
const id = (value: string) => (/^\d{1,9}$/.test(value) ? Number(value) : null);

/**
 * The picker's filter. The fields typed (`bankModule`, `bankType`, `bankQ`) apply on 搜索; the
 * page shown keeps its own (`shownModule`, …) so 加入 and paging act on the list on screen.
 */
function bankFilterOf(form: FormData, searching: boolean): BankFilter {
	const text = (name: string, max: number) => {
		const v = form.get(name);
		return typeof v === 'string' ? v.trim().slice(0, max) : '';
	};
	const from = searching ? 'bank' : 'shown';
	const page = Number(text('shownPage', 6));
	const moduleId = text(`${from}Module`, 12);
	const type = text(`${from}Type`, 12);
	return {
		moduleId: id(moduleId) ? moduleId : '',
		type: (EXAM_TYPES as readonly string[]).includes(type) ? type : '',
		q: text(`${from}Q`, 50),
		page: !searching && Number.isSafeInteger(page) && page >= 1 && page <= 10_000 ? page : 1,
		target: text('bankTarget', 3),
		points: text('bankPoints', 10) || '2'
	};
}

/** One page of the bank picker. */
export function bankView(owner: Owner, filter: BankFilter): BankView {
	const moduleId = id(filter.moduleId);
	const result = bankQuestions(getDb(), owner, {
		...(moduleId ? { moduleId } : {}),
		...(filter.type ? { type: filter.type as (typeof EXAM_TYPES)[number] } : {}),
		...(filter.q ? { q: filter.q } : {}),
		page: filter.page
	});
	return { filter, rows: result.rows, total: result.total, pageSize: BANK_PAGE_SIZE };
}

/** The paper in the form as the domain reads it (what is no number is NaN, refused by its checks). */
export function docOf(values: PaperValues): PaperDoc {
	const num = (value: string) => numberOf(value);
	return {
		sections: values.sections.map((s): PaperSection =>
			s.kind === 'fixed'
				? {
						kind: 'fixed',
						title: s.title,
						instructions: s.instructions,
						items: s.items.map((item) => ({ questionId: num(item.questionId), points: num(item.points) }))
					}
				: {
						kind: 'rule',
						title: s.title,
						instructions: s.instructions,
						rules: s.rules.map((r) => ({
							moduleId: r.moduleId === '' ? null : num(r.moduleId),
							type: r.type as DrawRule['type'],
							difficulty: (r.difficulty === '' ? null : num(r.difficulty)) as DrawRule['difficulty'],
							count: num(r.count),
							points: num(r.points)
						}))
					}
		)
	};
}

/** How many questions the bank holds for each rule of the paper in the form (`<section>.<rule>`). */
export function capacityOf(owner: Owner, values: PaperValues): Record<string, number> {
	const doc = docOf(values);
	if (!doc.sections.some((s) => s.kind === 'rule')) return {};
	return ruleCapacities(doc, usableBank(getDb(), owner).pool);
}

/**
 * An edit of the paper in the form (`op` names it; nothing is saved): the paper as it is now,
 * and the bank picker's page. `pick:<questionId>` adds a question of the bank's page shown.
 */
export function paperEdit(event: RequestEvent, form: FormData) {
	const owner = ownerOf(event.locals);
	const opRaw = form.get('op');
	const op = typeof opRaw === 'string' ? opRaw.slice(0, 40) : '';
	let values = readPaperForm(form);
	const filter = bankFilterOf(form, op === 'search');
	const pageOp = /^bank-page:(\d{1,5})$/.exec(op);
	if (pageOp) filter.page = Math.min(10_000, Math.max(1, Number(pageOp[1])));
	let bank = bankView(owner, filter);
	let bankNotice = '';
	const pick = /^pick:(\d{1,9})$/.exec(op);
	if (pick) {
		const questionId = Number(pick[1]);
		const question = bank.rows.find((q) => q.id === questionId);
		const where = values.sections.findIndex(
			(s) => s.kind === 'fixed' && s.items.some((item) => item.questionId === String(questionId))
		);
		if (!question) bankNotice = '没有找到这道题，请重新搜索题库';
		else if (where >= 0) bankNotice = `这道题已在第${where + 1}部分`;
		else {
			let target = Number(filter.target);
			if (!(filter.target !== '' && values.sections[target]?.kind === 'fixed'))
				target = values.sections.findLastIndex((s) => s.kind === 'fixed');
			if (target < 0) {
				values = applyPaperOp(values, 'add-fixed');
				target = values.sections.length - 1;
			}
			const points =
				question.type === 'essay'
					? String(question.rubricTotal ?? 10)
					: Number.isNaN(numberOf(filter.points))
						? '2'
						: filter.points;
			values.sections[target]!.items.push({
				questionId: String(question.id),
				points,
				stem: excerpt(question.stem),
				type: question.type,
				module: question.moduleTitle
			});
			bankNotice = `已加入第${target + 1}部分`;
			filter.target = String(target);
		}
	} else if (op && op !== 'search' && !pageOp) {
		values = applyPaperOp(values, op);
	}
	if (pageOp && bank.rows.length === 0 && filter.page > 1) {
		filter.page = 1;
		bank = bankView(owner, filter);
	}
	return { values, bank, bankNotice, capacity: capacityOf(owner, values), edited: true as const };
}
