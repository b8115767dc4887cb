import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { getPaper, listPapers, paperModules, parsePaperForm, updatePaper } from '$lib/server/exams';
import { readPaperForm } from '$lib/paper-form';
import { ownerOf } from '../../author.server';
import {
	bankView,
	capacityOf,
	DEFAULT_BANK_FILTER,
	PAPER_NOT_FOUND,
	paperEdit,
	paperValues
} from '../paper.server';
import type { Actions, PageServerLoad } from './$types';

function paperOf(event: { locals: App.Locals; params: { id: string } }) {
	const owner = ownerOf(event.locals);
	const paper = getPaper(getDb(), owner, Number(event.params.id));
	if (!paper) error(404, { message: PAPER_NOT_FOUND });
	return { owner, paper };
}

export const load: PageServerLoad = (event) => {
	const { owner, paper } = paperOf(event);
	const db = getDb();
	return {
		paper: {
			id: paper.id,
			title: paper.title,
			totalPoints: paper.totalPoints,
			passMark: paper.passMark,
			examCount: listPapers(db, owner).find((p) => p.id === paper.id)?.examCount ?? 0
		},
		values: paperValues(paper),
		capacity: paper.ruleCapacity,
		bank: bankView(owner, DEFAULT_BANK_FILTER),
		modules: paperModules(db, owner),
		created: event.url.searchParams.has('created')
	};
};

export const actions: Actions = {
	save: async (event) => {
		const { owner, paper } = paperOf(event);
		const form = await event.request.formData();
		const values = readPaperForm(form);
		const result = updatePaper(getDb(), actorOf(event), owner, paper.id, parsePaperForm(form));
		if (!result.ok) return refuse(400, result.errors, { ...values, capacity: capacityOf(owner, values) });
		return { notice: '试卷已保存' };
	},
	edit: async (event) => {
		paperOf(event);
		return paperEdit(event, await event.request.formData());
	}
};
