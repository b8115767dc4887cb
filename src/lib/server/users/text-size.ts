// 大字模式: the reading size each user chose, read by the root layout on every page.
import type { Queryable } from '../db';
import { userStatements } from './statements';
import { isTextSize, type TextSize } from '../../text-size';

export type { TextSize } from '../../text-size';

/** The user's reading size; 标准 for an unknown user. */
export function textSizeOf(db: Queryable, userId: number): TextSize {
	const size = userStatements(db).textSize.get(userId);
	return isTextSize(size) ? size : 'normal';
}

/** Keeps the user's reading size; false (nothing written) when `size` is not one of 标准, 大字, 特大字. */
export function setTextSize(
	db: Queryable,
	userId: number,
	size: unknown,
	now = new Date()
): size is TextSize {
	if (!isTextSize(size)) return false;
	userStatements(db).setTextSize.run(size, now.getTime(), userId);
	return true;
}
