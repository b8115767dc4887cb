import type { ReflectionInput } from './index';

/** The reflection form: title, body, and the topic as `module:<id>` or `session:<id>`. */
export function reflectionInputFrom(form: FormData): { input: ReflectionInput; submit: boolean } {
	const topic = String(form.get('topic') ?? '');
	const [kind, id] = topic.split(':');
	return {
		input: {
			title: String(form.get('title') ?? ''),
			body: String(form.get('body') ?? ''),
			moduleId: kind === 'module' ? id : undefined,
			sessionId: kind === 'session' ? id : undefined
		},
		submit: form.get('intent') === 'submit'
	};
}
