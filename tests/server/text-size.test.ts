import { beforeEach, describe, expect, it } from 'vitest';
import { addUser, testDb } from '../helpers/db';
import type { Db } from '../../src/lib/server/db';
import { setTextSize, textSizeOf } from '../../src/lib/server/users/text-size';
import { TEXT_SIZE_OPTIONS, TEXT_SIZES, textSizeSheet } from '../../src/lib/text-size';
import { users } from '../../src/lib/server/db/schema';

let db: Db;
beforeEach(() => {
	db = testDb();
});

describe('大字模式', () => {
	it('starts at 标准 and keeps the chosen size for the user, not for others', async () => {
		const a = await addUser(db, { username: 'a' });
		const b = await addUser(db, { username: 'b' });
		expect(textSizeOf(db, a.id)).toBe('normal');
		expect(setTextSize(db, a.id, 'larger')).toBe(true);
		expect(textSizeOf(db, a.id)).toBe('larger');
		expect(textSizeOf(db, b.id)).toBe('normal');
		expect(setTextSize(db, a.id, 'large')).toBe(true);
		expect(textSizeOf(db, a.id)).toBe('large');
	});

	it('refuses anything but the three sizes and changes nothing', async () => {
		const a = await addUser(db, { username: 'a' });
		setTextSize(db, a.id, 'large');
		for (const bad of ['huge', '', null, 3, 'LARGE']) expect(setTextSize(db, a.id, bad)).toBe(false);
		expect(textSizeOf(db, a.id)).toBe('large');
	});

	it('offers the column’s sizes, each larger than the last, with a style sheet for the larger two', () => {
		expect(TEXT_SIZE_OPTIONS.map((o) => o.value)).toEqual([...TEXT_SIZES]);
		expect(users.textSize.enumValues).toEqual([...TEXT_SIZES]);
		expect(TEXT_SIZE_OPTIONS.map((o) => o.label)).toEqual(['标准', '大字', '特大字']);
		const px = TEXT_SIZE_OPTIONS.map((o) => o.px);
		expect(px).toEqual([...px].sort((x, y) => x - y));
		expect(textSizeSheet('normal')).toBeNull();
		expect(textSizeSheet('larger')).toBe('/text-size/larger.css');
	});
});
