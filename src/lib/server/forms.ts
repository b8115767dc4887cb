import { fail } from '@sveltejs/kit';
import type { FormErrors, FormFailure } from '$lib/forms.svelte';

/**
 * The one way a form action refuses: `fail(status, { values, errors })`. `errors` is a message
 * per field (shown beside it) or one string for the form as a whole, which becomes `errors._form`;
 * `values` is what the user sent, to fill the form in again (omit it where nothing is re-shown).
 */
export function refuse<V = undefined>(status: number, errors: FormErrors | string, values?: V) {
	const failure: FormFailure<V | undefined> = {
		values,
		errors: typeof errors === 'string' ? { _form: errors } : errors
	};
	return fail(status, failure);
}
