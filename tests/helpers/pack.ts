import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A small valid content pack on disk; tests edit its files to break it. */
export function writePack(): {
	dir: string;
	write: (path: string, text: string) => void;
	remove: (path: string) => void;
} {
	const dir = mkdtempSync(join(tmpdir(), 'pack-'));
	const write = (path: string, text: string) => {
		mkdirSync(join(dir, path, '..'), { recursive: true });
		writeFileSync(join(dir, path), text);
	};
	write('themes.yaml', '- slug: democracy\n  name: 全过程人民民主\n  order: 1\n');
	write('demo/module.md', MODULE);
	write('demo/01-one.md', lesson('lesson-one', '第一课', 1, '第一课正文。'));
	write('demo/02-two.md', lesson('lesson-two', '第二课', 2, '第二课正文，讲代表联络站。'));
	write('demo/03-three.md', lesson('lesson-three', '第三课', 3, '第三课正文。'));
	write('demo/04-four.md', lesson('lesson-four', '第四课', 4, '第四课正文。'));
	write('demo/questions.yaml', QUESTIONS);
	return { dir, write, remove: (path: string) => rmSync(join(dir, path)) };
}

export const MODULE = `---
slug: demo
theme: democracy
title: 演示模块
summary: 用于测试的模块。
minutes: 10
order: 1
quiz:
  draw: 2
  time_limit_minutes: 5
  pass_mark: 60
  attempts: 0
  shuffle_questions: true
  shuffle_options: true
  show_answers: true
---

导语。
`;

// Enough text for the lesson length rule (600–1,500 characters), in the three-part shape.
const MEANING =
	'人大常委会要把全过程人民民主贯穿立法、监督、决定、任免各项工作，让人民群众的意见在制度中有渠道、有回应、有结果。'.repeat(
		6
	);
const PRACTICE =
	'设想某县人大常委会在代表联络站组织群众座谈，把收集到的意见整理成建议，交有关部门办理，并在下次活动时向群众反馈办理结果。'.repeat(
		4
	);

export function lesson(slug: string, title: string, order: number, body: string): string {
	return `---
slug: ${slug}
title: ${title}
order: ${order}
source:
  part: 六
  heading: 发展全过程人民民主，保障人民当家作主
  paragraph: 1
---

## 报告怎么说

> [!提法] 第六部分 · 导语第1段
> 全过程人民民主是社会主义民主政治的本质属性，是最广泛、最真实、最管用的民主。

${body}

## 对人大工作意味着什么

${MEANING}

## 吕梁实践

${PRACTICE}
`;
}

const SOURCE = '第六部分 · 导语第1段';

/** Half the single-choice questions key their first option, half their second. */
const keyFirst = (n: number) => n % 2 === 1 && n !== 3;

/** Questions q3 … q22: seven 情境题, five 判断题 (two false), the last two on lesson four. */
function moreQuestions(): string {
	const out: string[] = [];
	for (let n = 3; n <= 22; n++) {
		const lessonSlug =
			n >= 21 ? 'lesson-four' : n >= 15 ? 'lesson-three' : n % 2 ? 'lesson-one' : 'lesson-two';
		const applied = n <= 9 ? '\n  applied: true' : '';
		if (n >= 10 && n <= 14)
			out.push(
				`- id: q${n}\n  type: truefalse\n  lesson: ${lessonSlug}\n  source: ${SOURCE}${applied}\n  stem: 判断第 ${n} 题。\n  answer: ${n <= 11 ? 'false' : 'true'}\n  explanation: 见第六部分导语。`
			);
		else
			out.push(
				`- id: q${n}\n  type: single\n  lesson: ${lessonSlug}\n  source: ${SOURCE}${applied}\n  stem: 情境第 ${n} 题，应当怎样做？\n  options: ${keyFirst(n) ? '[依法听取意见, 不予理会]' : '[不予理会, 依法听取意见]'}\n  answer: ${keyFirst(n) ? 'A' : 'B'}\n  explanation: 见第六部分导语。`
			);
	}
	return out.join('\n') + '\n';
}

export const QUESTIONS =
	`- id: q1
  type: single
  lesson: lesson-one
  source: ${SOURCE}
  stem: 全过程人民民主是社会主义民主政治的（\u3000）。
  options: [本质属性, 重要形式]
  answer: A
  explanation: 见第六部分导语。
- id: q2
  type: fill
  lesson: lesson-two
  source: ${SOURCE}
  stem: 全过程人民民主是最广泛、最真实、最____的民主。
  blanks:
    - [管用]
  explanation: 见第六部分导语。
` + moreQuestions();
