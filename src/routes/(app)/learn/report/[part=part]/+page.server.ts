import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { bookmarkedParagraphs, notesOnParagraphs } from '$lib/server/notes';
import { PART_NOT_FOUND, completeReportPart, reportPartPage } from '$lib/server/report';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, locals, url }) => {
	const db = getDb();
	const user = locals.user!;
	// Reading time counts from the first time the server shows the part.
	const part = reportPartPage(db, user, Number(params.part));
	if (!part) error(404, { message: PART_NOT_FOUND });
	const ids = [...part.intro, ...part.sections.flatMap((s) => s.paragraphs)].map((p) => p.id);
	const notes = notesOnParagraphs(db, user.id, ids);
	const saved = bookmarkedParagraphs(db, user.id);
	const wanted = url.searchParams.get('p');
	return {
		part,
		// The paragraph a link asked for (a question's source, a search hit), highlighted.
		highlight: wanted && ids.includes(wanted) ? wanted : null,
		bookmarked: ids.filter((id) => saved.has(id)),
		notes: Object.fromEntries(ids.filter((id) => notes.has(id)).map((id) => [id, notes.get(id)!]))
	};
};

export const actions: Actions = {
	complete: ({ params, locals }) => {
		const result = completeReportPart(getDb(), locals.user!, Number(params.part));
		if (!result.ok && result.reason === 'missing') error(404, { message: result.message });
		// The page's countdown takes the seconds left from its reloaded data.
		if (!result.ok) return refuse(400, result.message);
		return {
			completed: true,
			awarded: result.awarded,
			capped: result.capped,
			alreadyDone: result.alreadyDone
		};
	}
};
