import { getDb } from '$lib/server/db';
import { continueTarget, listThemes, moduleCards } from '$lib/server/learning/catalog';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	const db = getDb();
	const user = locals.user!;
	const cards = moduleCards(db, user.id);
	const themes = listThemes(db);
	const theme = themes.find((t) => t.slug === url.searchParams.get('theme'))?.slug ?? null;
	return {
		themes,
		theme,
		modules: cards.filter((c) => !theme || c.themeSlug === theme),
		next: continueTarget(db, user.id, cards)
	};
};
