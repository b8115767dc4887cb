/** How question sources write a difficulty (易/中/难, their synonyms, or 1/2/3). */
const DIFFICULTY_WORDS: Record<string, 1 | 2 | 3> = {
	易: 1,
	容易: 1,
	简单: 1,
	较易: 1,
	低: 1,
	'1': 1,
	中: 2,
	中等: 2,
	一般: 2,
	适中: 2,
	普通: 2,
	'2': 2,
	难: 3,
	困难: 3,
	较难: 3,
	高: 3,
	'3': 3
};

/** A written difficulty as 1 易, 2 中, 3 难 (spaces, full-width forms and a closing 。 ignored); null when not one. */
export function difficultyOf(text: string): 1 | 2 | 3 | null {
	const word = text.normalize('NFKC').replace(/[\s。.]/g, '');
	return DIFFICULTY_WORDS[word] ?? null;
}
