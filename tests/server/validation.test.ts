import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { field, isCalendarDay, parseWith } from '../../src/lib/server/validation';

describe('dates', () => {
	it('accepts only days that exist', () => {
		for (const day of ['2026-01-31', '2026-02-28', '2028-02-29', '2026-12-31', '2000-01-01'])
			expect(isCalendarDay(day), day).toBe(true);
		for (const day of [
			'2026-02-29',
			'2026-02-30',
			'2026-04-31',
			'2026-13-01',
			'2026-00-10',
			'2026-01-00',
			'2026-1-5',
			'20260105',
			'2026-01-05T00:00',
			' 2026-01-05',
			'0099-01-01',
			'9999-12-31',
			''
		]) {
			expect(isCalendarDay(day), day).toBe(false);
		}
	});

	it('a date field names itself in every message', () => {
		const schema = z.object({ dueOn: field.day('截止日期') });
		expect(parseWith(schema, {})).toEqual({ ok: false, errors: { dueOn: '请选择截止日期' } });
		expect(parseWith(schema, { dueOn: '' })).toEqual({ ok: false, errors: { dueOn: '请选择截止日期' } });
		expect(parseWith(schema, { dueOn: '2026/03/01' })).toEqual({
			ok: false,
			errors: { dueOn: '截止日期应为“年-月-日”，如 2026-03-01' }
		});
		expect(parseWith(schema, { dueOn: '2026-02-30' })).toEqual({
			ok: false,
			errors: { dueOn: '截止日期不存在，请检查年、月、日（年份为 2000–2099）' }
		});
		expect(parseWith(schema, { dueOn: '2026-02-28' })).toEqual({ ok: true, data: { dueOn: '2026-02-28' } });
	});

	it('a time field takes HH:MM of a real clock', () => {
		const schema = z.object({ start: field.time('开始时间') });
		expect(parseWith(schema, { start: '24:00' })).toEqual({
			ok: false,
			errors: { start: '开始时间应为“时:分”，如 09:30' }
		});
		expect(parseWith(schema, { start: '' })).toEqual({ ok: false, errors: { start: '请选择开始时间' } });
		expect(parseWith(schema, { start: '23:59' }).ok).toBe(true);
	});
});

describe('messages', () => {
	it('an id picked from a list says what to pick', () => {
		const schema = z.object({ officeId: field.id('所在单位') });
		for (const officeId of [undefined, '', 'abc', '0', '-1', '1.5']) {
			expect(parseWith(schema, { officeId }), String(officeId)).toEqual({
				ok: false,
				errors: { officeId: '请选择所在单位' }
			});
		}
	});

	it('a check without its own message falls back to plain Chinese, never zod’s English or its technical wording', () => {
		const schema = z.object({ a: z.string().min(2), b: z.coerce.number().int(), c: z.enum(['x', 'y']) });
		expect(parseWith(schema, { a: '1', b: 'x', c: 'z' })).toEqual({
			ok: false,
			errors: { a: '此项填写有误，请检查', b: '此项填写有误，请检查', c: '此项填写有误，请检查' }
		});
		// Outside forms too (z.config): Chinese, not English.
		const direct = z.string().safeParse(1);
		expect(direct.success).toBe(false);
		expect(direct.error?.issues[0]?.message).toMatch(/[\u4e00-\u9fff]/);
	});
});
