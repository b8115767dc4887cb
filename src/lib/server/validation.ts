import { z } from 'zod';

export type FieldErrors = Record<string, string>;

export type Parsed<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/** Validates with a zod schema and keeps the first Chinese message per field. */
export function parseWith<T>(schema: z.ZodType<T>, input: unknown): Parsed<T> {
	const result = schema.safeParse(input);
	if (result.success) return { ok: true, data: result.data };
	const errors: FieldErrors = {};
	for (const issue of result.error.issues) {
		const key = issue.path.join('.') || '_form';
		errors[key] ??= issue.message;
	}
	return { ok: false, errors };
}

/** Form fields as trimmed strings (files and repeated keys are ignored). */
export function formFields(form: FormData): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of form) {
		if (typeof value === 'string' && !(key in out)) out[key] = value.trim();
	}
	return out;
}

export const field = {
	name: z
		.string({ error: '请填写姓名' })
		.trim()
		.min(1, { error: '请填写姓名' })
		.max(20, { error: '姓名不能超过 20 个字' }),
	username: z
		.string({ error: '请填写登录名' })
		.trim()
		.toLowerCase()
		.min(1, { error: '请填写登录名' })
		.regex(/^[a-z0-9][a-z0-9._-]{2,31}$/, {
			error: '登录名为 3–32 位小写字母、数字或 . _ -，以字母或数字开头'
		}),
	title: z.string().trim().max(30, { error: '职务不能超过 30 个字' }).default(''),
	phone: z
		.string()
		.trim()
		.refine((v) => v === '' || /^1[3-9]\d{9}$/.test(v), { error: '手机号应为 11 位数字，以 1 开头' })
		.default(''),
	id: z.coerce.number({ error: '请选择' }).int().positive({ error: '请选择' })
};
