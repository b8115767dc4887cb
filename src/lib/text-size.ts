/**
 * 大字模式: the reading sizes a user may choose (users.text_size), their names, and the root font
 * size each sets (every size on the pages is in rem or em, so the whole page follows). The root
 * layout links /text-size/<size>.css for the larger two: a style sheet of this site, allowed by
 * the Content-Security-Policy, and applied before the page is first painted, with or without
 * JavaScript.
 */
export const TEXT_SIZES = ['normal', 'large', 'larger'] as const;
export type TextSize = (typeof TEXT_SIZES)[number];

export const TEXT_SIZE_OPTIONS: readonly { value: TextSize; label: string; px: number }[] = [
	{ value: 'normal', label: '标准', px: 18 },
	{ value: 'large', label: '大字', px: 21 },
	{ value: 'larger', label: '特大字', px: 24 }
];

export function isTextSize(value: unknown): value is TextSize {
	return TEXT_SIZE_OPTIONS.some((o) => o.value === value);
}

/** The style sheet that sets this size, or null for the standard size (app.css alone). */
export function textSizeSheet(size: TextSize): string | null {
	return size === 'normal' ? null : `/text-size/${size}.css`;
}
