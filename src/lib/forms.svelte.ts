import type { ActionResult, SubmitFunction } from '@sveltejs/kit';
import { deserialize } from '$app/forms';

/** A Chinese message per field name, shown beside that field; `_form` is for the form as a whole. */
export type FormErrors = Record<string, string>;

/**
 * What every form action returns when it refuses (`fail(status, { values, errors })`, written by
 * `refuse` in $lib/server/forms): the values to fill the form in again and the messages.
 */
export type FormFailure<V = undefined> = { values: V; errors: FormErrors };

/** The messages a form has no place for beside a field (`_form` among them), to list above it. */
export function unplacedErrors(errors: FormErrors, fields: readonly string[]): string[] {
	return Object.entries(errors)
		.filter(([name]) => !fields.includes(name))
		.map(([, message]) => message);
}

type SubmitOptions = {
	/** Empty the form after a success (SvelteKit's default); `false` keeps what was typed. */
	reset?: boolean;
	/** Reload the page's data after the action (SvelteKit's default). */
	invalidateAll?: boolean;
	/** Runs once the page shows the result (for example to close a confirmation). */
	onResult?: (result: ActionResult) => void;
};

/**
 * A form posted with `use:enhance`: `busy` from the click until the page shows the answer, for the
 * submit button's `aria-busy` and its "正在…" label. Create it in the component's script:
 *
 *     const saving = new Submitting({ reset: false });
 *     <form method="POST" use:enhance={saving.submit}> … <button aria-busy={saving.busy}>
 */
export class Submitting {
	busy = $state(false);
	readonly submit: SubmitFunction;

	constructor({ reset = true, invalidateAll = true, onResult }: SubmitOptions = {}) {
		this.submit = () => {
			this.busy = true;
			return async ({ update, result }) => {
				try {
					await update({ reset, invalidateAll });
					onResult?.(result);
				} finally {
					this.busy = false;
				}
			};
		};
	}
}

/** The pause before retry number `n` of a failed save: 1 s, 2 s, 4 s … at most 30 s. */
function retryDelay(n: number): number {
	return Math.min(30_000, 1000 * 2 ** Math.max(0, n - 1));
}

type Outcome = { saved: boolean } | { redirect: string };

/** Posts a form as `use:enhance` does; anything but a success or a redirect is a failure. */
async function post(action: string, body: FormData): Promise<Outcome> {
	try {
		const response = await fetch(action, { method: 'POST', body, headers: { 'x-sveltekit-action': 'true' } });
		if (!response.ok) return { saved: false };
		const result = deserialize(await response.text());
		if (result.type === 'redirect') return { redirect: result.location };
		return { saved: result.type === 'success' };
	} catch {
		// No network, or an answer that is no action result (such as the login page after a redirect).
		return { saved: false };
	}
}

/**
 * Saves a form in the background as it changes: one request at a time, always the latest values.
 * A save that fails (no network, a 5xx, an error or a refusal) is tried again after
 * `retryDelay`, for as long as it takes, and `status` says so; a later change is sent at once.
 * `ended(location)` decides whether a redirect means there is nothing more to save (the page
 * then goes there itself); any other redirect counts as saved.
 */
export class Autosave {
	status = $state<'saved' | 'retrying' | null>(null);
	#pending: { action: string; body: FormData } | null = null;
	#failures = 0;
	#running = false;
	#wake: () => void = () => {};
	readonly #ended: (location: string) => boolean;

	constructor(ended: (location: string) => boolean = () => false) {
		this.#ended = ended;
	}

	/** Saves the form's current values, with `fields` set over them. */
	save(form: HTMLFormElement, fields: Record<string, string> = {}): void {
		const body = new FormData(form);
		for (const [name, value] of Object.entries(fields)) body.set(name, value);
		this.#pending = { action: form.action, body };
		this.#wake();
		void this.#run();
	}

	/** Forgets what is not saved yet, when the page has sent it another way or is left. */
	cancel(): void {
		this.#pending = null;
		this.status = null;
		this.#wake();
	}

	async #run(): Promise<void> {
		if (this.#running) return;
		this.#running = true;
		try {
			while (this.#pending) {
				const sent = this.#pending;
				const outcome = await post(sent.action, sent.body);
				if ('redirect' in outcome && this.#ended(outcome.redirect)) {
					this.cancel();
					return;
				}
				if (this.#pending !== sent) continue; // changed or cancelled meanwhile: send the latest
				if (!('saved' in outcome) || outcome.saved) {
					this.#pending = null;
					this.#failures = 0;
					this.status = 'saved';
				} else {
					this.status = 'retrying';
					await this.#pause(retryDelay(++this.#failures));
				}
			}
		} finally {
			this.#running = false;
		}
	}

	#pause(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const timer = setTimeout(resolve, ms);
			this.#wake = () => {
				clearTimeout(timer);
				resolve();
			};
		});
	}
}
