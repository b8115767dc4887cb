/**
 * The paper editor's form (试卷): the whole paper travels in one form, so every edit — add a
 * section, pick a question, move, remove — is a post of that form with the change named in
 * `op`, answered with the paper as it is now (not saved until 保存试卷). Works the same without
 * JavaScript; `use:enhance` only spares the reload. Values stay strings as typed, so a refusal
 * shows exactly what was sent. Field names follow the domain's error keys:
 * `sections.<i>.items.<j>.points`, `sections.<i>.rules.<j>.count`, …
 */

export interface PaperItemValues {
	questionId: string;
	points: string;
	/** What the editor shows of the question (carried along, never saved). */
	stem: string;
	type: string;
	module: string;
}

export interface PaperRuleValues {
	moduleId: string;
	type: string;
	difficulty: string;
	count: string;
	points: string;
}

export interface PaperSectionValues {
	kind: 'fixed' | 'rule';
	title: string;
	instructions: string;
	items: PaperItemValues[];
	rules: PaperRuleValues[];
}

export interface PaperValues {
	title: string;
	instructions: string;
	passMark: string;
	sections: PaperSectionValues[];
}

/** Bounds on what a posted form may hold (the domain refuses papers beyond its own limits). */
export const MAX_SECTIONS = 20;
export const MAX_ITEMS = 200;
export const MAX_RULES = 20;

const text = (value: FormDataEntryValue | null | undefined, max = 2000) =>
	typeof value === 'string' ? value.trim().slice(0, max) : '';

export function emptySection(kind: 'fixed' | 'rule', number: number): PaperSectionValues {
	return {
		kind,
		title: `第${number}部分`,
		instructions: '',
		items: [],
		rules: kind === 'rule' ? [emptyRule()] : []
	};
}

export function emptyRule(): PaperRuleValues {
	return { moduleId: '', type: 'single', difficulty: '', count: '5', points: '2' };
}

/** The paper as posted: sections and their items/rules in index order, bounded. */
export function readPaperForm(form: FormData): PaperValues {
	const sections: PaperSectionValues[] = [];
	const section = (i: number) =>
		(sections[i] ??= { kind: 'fixed', title: '', instructions: '', items: [], rules: [] });
	const pattern = /^sections\.(\d{1,3})\.(?:(kind|title|instructions)|(items|rules)\.(\d{1,3})\.(\w+))$/;
	for (const [key, raw] of form) {
		const m = pattern.exec(key);
		if (!m || typeof raw !== 'string') continue;
		const i = Number(m[1]);
		if (i >= MAX_SECTIONS) continue;
		const s = section(i);
		if (m[2] === 'kind') s.kind = raw === 'rule' ? 'rule' : 'fixed';
		else if (m[2] === 'title') s.title = text(raw, 200);
		else if (m[2] === 'instructions') s.instructions = text(raw, 2000);
		else if (m[3] === 'items') {
			const j = Number(m[4]);
			if (j >= MAX_ITEMS) continue;
			const item = (s.items[j] ??= { questionId: '', points: '', stem: '', type: '', module: '' });
			const field = m[5] as keyof PaperItemValues;
			if (field in item) item[field] = text(raw, field === 'stem' ? 120 : 40);
		} else {
			const j = Number(m[4]);
			if (j >= MAX_RULES) continue;
			const rule = (s.rules[j] ??= { moduleId: '', type: '', difficulty: '', count: '', points: '' });
			const field = m[5] as keyof PaperRuleValues;
			if (field in rule) rule[field] = text(raw, 40);
		}
	}
	// Holes (a section or row index never posted) are closed up.
	return {
		title: text(form.get('title'), 200),
		instructions: text(form.get('instructions'), 2000),
		passMark: text(form.get('passMark'), 40),
		sections: sections
			.filter(Boolean)
			.map((s) => ({ ...s, items: s.items.filter(Boolean), rules: s.rules.filter(Boolean) }))
	};
}

/** A number as typed, or NaN (empty is NaN too). */
export function numberOf(value: string): number {
	return /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
}

/** The paper's total as it stands in the form (what is not a number counts nothing). */
export function paperTotal(values: PaperValues): number {
	let total = 0;
	for (const s of values.sections) {
		if (s.kind === 'fixed') for (const item of s.items) total += numberOf(item.points) || 0;
		else for (const rule of s.rules) total += (numberOf(rule.count) || 0) * (numberOf(rule.points) || 0);
	}
	return Math.round(total * 10) / 10;
}

/** How many questions a candidate gets. */
export function paperQuestionCount(values: PaperValues): number {
	let count = 0;
	for (const s of values.sections) {
		if (s.kind === 'fixed') count += s.items.length;
		else for (const rule of s.rules) count += Math.max(0, Math.floor(numberOf(rule.count) || 0));
	}
	return count;
}

const move = <T>(list: T[], from: number, to: number): T[] => {
	const inside = (n: number) => Number.isInteger(n) && n >= 0 && n < list.length;
	if (!inside(from) || !inside(to)) return list;
	const next = [...list];
	const [moved] = next.splice(from, 1);
	next.splice(to, 0, moved!);
	return next;
};

/**
 * An edit named by a button's `op` value: `add-fixed`, `add-rule`, `section-up:i`,
 * `section-down:i`, `section-remove:i`, `item-up:i:j`, `item-down:i:j`, `item-remove:i:j`,
 * `rule-add:i`, `rule-remove:i:j`. Anything else leaves the paper as it is.
 */
export function applyPaperOp(values: PaperValues, op: string): PaperValues {
	const [name, a, b] = op.split(':');
	const i = Number(a);
	const j = Number(b);
	const sections = values.sections.map((s) => ({ ...s, items: [...s.items], rules: [...s.rules] }));
	const s = Number.isInteger(i) ? sections[i] : undefined;
	switch (name) {
		case 'add-fixed':
		case 'add-rule':
			if (sections.length < MAX_SECTIONS)
				sections.push(emptySection(name === 'add-fixed' ? 'fixed' : 'rule', sections.length + 1));
			break;
		case 'section-up':
			return { ...values, sections: move(sections, i, i - 1) };
		case 'section-down':
			return { ...values, sections: move(sections, i, i + 1) };
		case 'section-remove':
			if (s) sections.splice(i, 1);
			break;
		case 'item-up':
			if (s) s.items = move(s.items, j, j - 1);
			break;
		case 'item-down':
			if (s) s.items = move(s.items, j, j + 1);
			break;
		case 'item-remove':
			if (s && j >= 0 && j < s.items.length) s.items.splice(j, 1);
			break;
		case 'rule-add':
			if (s && s.kind === 'rule' && s.rules.length < MAX_RULES) s.rules.push(emptyRule());
			break;
		case 'rule-remove':
			if (s && j >= 0 && j < s.rules.length) s.rules.splice(j, 1);
			break;
	}
	return { ...values, sections };
}
