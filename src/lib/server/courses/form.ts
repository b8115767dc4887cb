import type { CourseInput } from './courses';

/** The course form's fields as saveCourse takes them (module ids in the order chosen). */
export function courseInputFrom(form: FormData): CourseInput {
	const text = (k: string) => String(form.get(k) ?? '');
	return {
		title: text('title'),
		description: text('description'),
		hours: text('hours'),
		required: text('required'),
		opensOn: text('opensOn'),
		dueOn: text('dueOn'),
		moduleIds: orderedModuleIds(form)
	};
}

/**
 * The ticked modules in the order the author gave them. Checkboxes arrive in page order, so
 * each module has a number field `order.<id>` (filled in ticking order by the page, or typed
 * without JavaScript); ticked modules without a number follow, in page order.
 */
function orderedModuleIds(form: FormData): string[] {
	const position = (id: string) => {
		const n = Number(form.get(`order.${id}`) || NaN);
		return Number.isFinite(n) ? n : Infinity;
	};
	return form
		.getAll('moduleIds')
		.map(String)
		.map((id, i) => ({ id, i, at: position(id) }))
		.sort((a, b) => a.at - b.at || a.i - b.i)
		.map((m) => m.id);
}
