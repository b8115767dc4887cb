import { getDb } from '$lib/server/db';
import { itemAnalysis } from '$lib/server/exams';
import { examOf } from '../../exam.server';
import type { PageServerLoad } from './$types';

/** 试题分析: each question's difficulty, discrimination and option counts, computed when results are released. */
export const load: PageServerLoad = (event) => {
	const { owner, exam } = examOf(event);
	const items = itemAnalysis(getDb(), owner, exam.id) ?? [];
	const flaggedOnly = event.url.searchParams.get('show') === 'flagged';
	return {
		exam: { id: exam.id, title: exam.title, releasedAt: exam.releasedAt, phase: exam.phase },
		total: items.length,
		flagged: items.filter((i) => i.flags.length).length,
		flaggedOnly,
		items: flaggedOnly ? items.filter((i) => i.flags.length) : items
	};
};
