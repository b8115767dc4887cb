import { z } from 'zod';

export type FieldErrors = Record<string, string>;

export type Parsed<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

// Zod's own messages are English. Every form field carries its own Chinese message; this is
// the fallback for any zod use that does not (and for checks a field forgot).
z.config(z.locales.zhCN());

/** For a form check without its own message: plain words, never zod's technical ones. */
const FALLBACK_MESSAGE = '此项填写有误，请检查';

/** Validates with a zod schema and keeps the first Chinese message per field. */
export function parseWith<T>(schema: z.ZodType<T>, input: unknown): Parsed<T> {
	const result = schema.safeParse(input, { error: () => FALLBACK_MESSAGE });
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

/** A real calendar day as YYYY-MM-DD: 2026-02-30 is refused, not rolled over into March. */
export function isCalendarDay(value: string): boolean {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
	if (!m) return false;
	const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
	if (y < 2000 || y > 2099) return false;
	const at = new Date(Date.UTC(y, mo - 1, d));
	return at.getUTCFullYear() === y && at.getUTCMonth() === mo - 1 && at.getUTCDate() === d;
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
	title: z.string({ error: '请填写职务' }).trim().max(30, { error: '职务不能超过 30 个字' }).default(''),
	phone: z
		.string({ error: '手机号应为 11 位数字，以 1 开头' })
		.trim()
		.refine((v) => v === '' || /^1[3-9]\d{9}$/.test(v), { error: '手机号应为 11 位数字，以 1 开头' })
		.default(''),
	/** An id picked from a list; `what` names the list, e.g. '所在单位'. */
	id: (what: string) =>
		z.coerce
			.number({ error: `请选择${what}` })
			.int({ error: `请选择${what}` })
			.positive({ error: `请选择${what}` }),
	/** A date field (YYYY-MM-DD, as `<input type="date">` sends it) that must exist in the calendar. */
	day: (label: string) =>
		z
			.string({ error: `请选择${label}` })
			.trim()
			.min(1, { error: `请选择${label}` })
			.regex(/^\d{4}-\d{2}-\d{2}$/, { error: `${label}应为“年-月-日”，如 2026-03-01` })
			.refine(isCalendarDay, { error: `${label}不存在，请检查年、月、日（年份为 2000–2099）` }),
	/** A time of day (HH:MM, as `<input type="time">` sends it). */
	time: (label: string) =>
		z
			.string({ error: `请选择${label}` })
			.trim()
			.min(1, { error: `请选择${label}` })
			.regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: `${label}应为“时:分”，如 09:30` })
};
