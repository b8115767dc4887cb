import { describe, expect, it } from 'vitest';
import { MAX_BLANK_LENGTH, readResponse, type PublicQuestion } from '../../src/lib/server/quiz/questions';

const single: PublicQuestion = {
	type: 'single',
	stem: '单选',
	options: ['甲', '乙', '丙'],
	blanks: 0,
	maxLength: null
};
const multiple: PublicQuestion = {
	type: 'multiple',
	stem: '多选',
	options: ['甲', '乙', '丙'],
	blanks: 0,
	maxLength: null
};

function form(...pairs: [string, string][]): FormData {
	const f = new FormData();
	for (const [k, v] of pairs) f.append(k, v);
	return f;
}

describe('an answer is read only as the form sends it', () => {
	it('takes the option indexes the page renders', () => {
		expect(readResponse(single, form(['choice', '2']))).toEqual({ response: 2 });
		expect(readResponse(multiple, form(['choice', '2'], ['choice', '0'], ['choice', '2']))).toEqual({
			response: [0, 2]
		});
		expect(readResponse(single, form())).toEqual({ response: null });
		expect(readResponse(multiple, form())).toEqual({ response: null });
	});

	it('refuses whitespace and number spellings that Number() would read as option A or B', () => {
		for (const raw of [' ', '\n', '\t', '0x1', '1e0', '+1', '-0', '1.0', '3', 'abc']) {
			expect(readResponse(single, form(['choice', raw])), JSON.stringify(raw)).toEqual({
				error: '请选择一个选项'
			});
			expect(readResponse(multiple, form(['choice', raw])), JSON.stringify(raw)).toEqual({
				error: '选项无效'
			});
		}
		// An empty entry among the ticked boxes is not option A either.
		expect(readResponse(multiple, form(['choice', '1'], ['choice', '']))).toEqual({ error: '选项无效' });
	});

	it('refuses an over-long blank instead of storing a cut answer', () => {
		const fill: PublicQuestion = { type: 'fill', stem: '填空', options: [], blanks: 2, maxLength: null };
		expect(readResponse(fill, form(['blank', '人民'], ['blank', '民主']))).toEqual({
			response: ['人民', '民主']
		});
		expect(readResponse(fill, form(['blank', '人'.repeat(MAX_BLANK_LENGTH)], ['blank', '民主']))).toEqual({
			response: ['人'.repeat(MAX_BLANK_LENGTH), '民主']
		});
		expect(readResponse(fill, form(['blank', '人'.repeat(MAX_BLANK_LENGTH + 1)], ['blank', '民主']))).toEqual(
			{
				error: `每空不能超过 ${MAX_BLANK_LENGTH} 个字`
			}
		);
	});

	it('reads a 简答 as its trimmed text and refuses one above the length limit instead of cutting it', () => {
		const essay: PublicQuestion = { type: 'essay', stem: '简答', options: [], blanks: 0, maxLength: 10 };
		expect(readResponse(essay, form(['essay', '  依法履职。\n  ']))).toEqual({ response: '依法履职。' });
		expect(readResponse(essay, form(['essay', '   ']))).toEqual({ response: null });
		expect(readResponse(essay, form())).toEqual({ response: null });
		// A line break sent as CRLF counts once, as the textarea counted it.
		expect(readResponse(essay, form(['essay', '一二三四五\r\n六七八九']))).toEqual({
			response: '一二三四五\n六七八九'
		});
		expect(readResponse(essay, form(['essay', '一二三四五六七八九十十一']))).toEqual({
			error: '答案不能超过 10 个字，您写了 12 个字'
		});
	});
});
