import { describe, expect, it } from 'vitest';
import {
	applyEdit,
	blankCount,
	insertBlock,
	letterWarning,
	linkEdit,
	prefixLines,
	readingTimeLabel,
	tifaBlock,
	tifaProblems,
	tifaSourceText,
	wrapSelection
} from '../../src/lib/lesson-editor';
import { renderMarkdown } from '../../src/lib/server/content/render';
import { questionWarnings, type QuestionDoc } from '../../src/lib/server/authoring';

/** The editors' browser helpers: what each toolbar button writes, and the checks shown while typing. */

const at = (value: string, start: number, end = start) => ({ value, start, end });

describe('toolbar edits', () => {
	it('加粗 wraps the selection, or inserts a placeholder selected to type over', () => {
		const { value, start, end } = at('学习报告原文', 2, 4);
		const edit = wrapSelection(value, start, end, '**', '加粗文字');
		expect(applyEdit(value, edit)).toBe('学习**报告**原文');
		expect(applyEdit(value, edit).slice(...edit.select)).toBe('报告');
		const empty = wrapSelection('', 0, 0, '**', '加粗文字');
		expect(applyEdit('', empty)).toBe('**加粗文字**');
		expect('**加粗文字**'.slice(...empty.select)).toBe('加粗文字');
	});

	it('小标题, 列表, 编号 and 引用 start each selected line, replacing a prefix of their kind', () => {
		const text = '第一行\n第二行\n\n第三行';
		const all = prefixLines(text, 0, text.length, (i) => `${i + 1}. `, /^([-*+]|\d+\.)\s+/, '列表项');
		expect(applyEdit(text, all)).toBe('1. 第一行\n2. 第二行\n\n3. 第三行');
		const bullets = applyEdit(
			'1. 甲\n2. 乙',
			prefixLines('1. 甲\n2. 乙', 0, 9, () => '- ', /^([-*+]|\d+\.)\s+/, '列表项')
		);
		expect(bullets).toBe('- 甲\n- 乙');
		// The cursor anywhere in a line makes that line a heading, whatever heading it was.
		expect(
			applyEdit(
				'### 旧标题\n正文',
				prefixLines('### 旧标题\n正文', 3, 3, () => '## ', /^#{1,6}\s*/, '小标题')
			)
		).toBe('## 旧标题\n正文');
		const blank = prefixLines('正文\n', 3, 3, () => '> ', /^>\s?/, '引用的文字');
		expect(applyEdit('正文\n', blank)).toBe('正文\n> 引用的文字');
		expect(applyEdit('正文\n', blank).slice(...blank.select)).toBe('引用的文字');
	});

	it('链接 puts the selection in brackets and selects the address to type over', () => {
		const edit = linkEdit('见人大网', 1, 4);
		expect(applyEdit('见人大网', edit)).toBe('见[人大网](https://)');
		expect(applyEdit('见人大网', edit).slice(...edit.select)).toBe('https://');
	});

	it('blocks (images, 提法) stand as their own paragraph', () => {
		const block = '![说明](/media/7)';
		expect(applyEdit('前文', insertBlock('前文', 2, 2, block))).toBe('前文\n\n![说明](/media/7)\n\n');
		expect(applyEdit('前文\n\n后文', insertBlock('前文\n\n后文', 4, 4, block))).toBe(
			'前文\n\n![说明](/media/7)\n\n后文'
		);
		expect(applyEdit('', insertBlock('', 0, 0, block))).toBe('![说明](/media/7)\n\n');
	});
});

describe('提法', () => {
	const QUOTE = '全过程人民民主是社会主义民主政治的本质属性。';

	it('writes the source as 党的二十大报告 · 第六部分 · （一）第1段, or a document title, date and section', () => {
		expect(tifaSourceText({ kind: 'report', part: '六', section: '一', paragraph: '1' })).toBe(
			'党的二十大报告 · 第六部分 · （一）第1段'
		);
		expect(tifaSourceText({ kind: 'report', part: '六', section: '导语', paragraph: '2' })).toBe(
			'党的二十大报告 · 第六部分 · 导语第2段'
		);
		expect(tifaSourceText({ kind: 'report', part: '三', paragraph: '14' })).toBe(
			'党的二十大报告 · 第三部分 · 第14段'
		);
		expect(tifaSourceText({ kind: 'report', part: '十五', paragraph: '' })).toBe(
			'党的二十大报告 · 第十五部分'
		);
		expect(
			tifaSourceText({ kind: 'other', title: '中国共产党章程', date: '2022-10-22', section: '总纲' })
		).toBe('《中国共产党章程》 · 2022年10月22日 · 总纲');
		expect(tifaSourceText({ kind: 'other', title: '《决定》', date: '', section: '' })).toBe('《决定》');
	});

	it('inserts the block the renderer makes a 提法 figure of', () => {
		const block = tifaBlock({ kind: 'report', part: '六', section: '一', paragraph: '1' }, QUOTE);
		expect(block).toBe(`> [!提法] 党的二十大报告 · 第六部分 · （一）第1段\n> ${QUOTE}`);
		const html = renderMarkdown(`前文\n\n${block}\n\n后文`);
		expect(html).toContain(`<figure class="tifa"><blockquote>${QUOTE}</blockquote>`);
		// The caption names the document once: not "报告原文 · 党的二十大报告 · …".
		expect(html).toContain('<figcaption>党的二十大报告 · 第六部分 · （一）第1段</figcaption>');
		const other = tifaBlock({ kind: 'other', title: '中国共产党章程', date: '', section: '总纲' }, QUOTE);
		expect(renderMarkdown(other)).toContain('<figcaption>《中国共产党章程》 · 总纲</figcaption>');
	});

	it('asks for the part (or the title) and the wording before inserting', () => {
		expect(tifaProblems({ kind: 'report', part: '', paragraph: 'x' }, ' ')).toEqual({
			part: '请选择报告的部分',
			paragraph: '段落号应为 1–999 的数字',
			quote: '请填写要引用的原文'
		});
		expect(tifaProblems({ kind: 'other', title: '', date: '', section: '' }, QUOTE)).toEqual({
			title: '请填写文件标题'
		});
		expect(tifaProblems({ kind: 'report', part: '六', paragraph: '' }, QUOTE)).toEqual({});
	});
});

describe('question form checks', () => {
	it('counts blanks as the quiz does: each ____ is one', () => {
		expect(blankCount('最____的民主')).toBe(1);
		expect(blankCount('____和____')).toBe(2);
		expect(blankCount('________')).toBe(2);
		expect(blankCount('没有空')).toBe(0);
	});

	it('warns about option letters exactly when the server does', () => {
		const base: QuestionDoc = {
			key: 'q1',
			type: 'single',
			stem: '联络站的作用是（　）。',
			options: ['联系群众', '审判案件'],
			answer: 0,
			explanation: '',
			lessonKey: 'l1',
			difficulty: 2,
			sourceRef: ''
		};
		const samples = [
			'D错误',
			'A 项正确',
			'选项C说法不对',
			'答案为B',
			'AB都对',
			'联系群众是对的',
			'NPC 是人大',
			'见 PDF 讲义'
		];
		for (const explanation of samples) {
			for (const type of ['single', 'multiple', 'truefalse'] as const) {
				for (const shuffle of [true, false]) {
					const server = questionWarnings({ ...base, type, explanation }, shuffle);
					expect(letterWarning(type, base.stem, explanation, shuffle), `${type} ${explanation}`).toBe(
						server[0] ?? null
					);
				}
			}
		}
		expect(letterWarning('single', base.stem, 'D错误', true)).not.toBeNull();
	});

	it('says reading time as 约 X 分 Y 秒', () => {
		expect(readingTimeLabel(15)).toBe('约 15 秒');
		expect(readingTimeLabel(95)).toBe('约 1 分 35 秒');
		expect(readingTimeLabel(120)).toBe('约 2 分钟');
	});
});
