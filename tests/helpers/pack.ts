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
`;
}

export const QUESTIONS = `- id: q1
  type: single
  lesson: lesson-one
  stem: 全过程人民民主是社会主义民主政治的（\u3000）。
  options: [本质属性, 重要形式]
  answer: A
  explanation: 见第六部分导语。
- id: q2
  type: fill
  lesson: lesson-two
  stem: 全过程人民民主是最广泛、最真实、最____的民主。
  blanks:
    - [管用]
  explanation: 见第六部分导语。
`;
