import { describe, expect, it } from 'vitest';
import { shanghaiDay, shanghaiHour, shanghaiMidnight } from '../../src/lib/server/time';

// The reference: what the time-zone database says about Asia/Shanghai.
const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
const hour = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', hourCycle: 'h23' });

describe('Shanghai calendar', () => {
	it('agrees with the time-zone database at every 37th minute from 2024 to 2028', () => {
		const mismatches: string[] = [];
		for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2028, 0, 1); t += 37 * 60_000) {
			const at = new Date(t);
			if (shanghaiDay(at) !== day.format(at) || shanghaiHour(at) !== Number(hour.format(at))) mismatches.push(at.toISOString());
		}
		expect(mismatches).toEqual([]);
	});

	it('a Shanghai day begins at 16:00 UTC the day before', () => {
		expect(shanghaiMidnight('2027-01-01').toISOString()).toBe('2026-12-31T16:00:00.000Z');
		expect(shanghaiDay(new Date('2026-12-31T15:59:59.999Z'))).toBe('2026-12-31');
		expect(shanghaiDay(new Date('2026-12-31T16:00:00.000Z'))).toBe('2027-01-01');
	});
});
