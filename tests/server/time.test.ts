import { describe, expect, it } from 'vitest';
import { shanghaiDay, shanghaiHour, shanghaiMidnight } from '../../src/lib/server/time';
import { addDays, daysFrom } from '../../src/lib/format';

// The reference: what the time-zone database says about Asia/Shanghai.
const day = new Intl.DateTimeFormat('en-CA', {
	timeZone: 'Asia/Shanghai',
	year: 'numeric',
	month: '2-digit',
	day: '2-digit'
});
const hour = new Intl.DateTimeFormat('en-GB', {
	timeZone: 'Asia/Shanghai',
	hour: '2-digit',
	hourCycle: 'h23'
});

describe('Shanghai calendar', () => {
	it('agrees with the time-zone database at every 37th minute from 2024 to 2028', () => {
		const mismatches: string[] = [];
		for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2028, 0, 1); t += 37 * 60_000) {
			const at = new Date(t);
			if (shanghaiDay(at) !== day.format(at) || shanghaiHour(at) !== Number(hour.format(at)))
				mismatches.push(at.toISOString());
		}
		expect(mismatches).toEqual([]);
	});

	it('a Shanghai day begins at 16:00 UTC the day before', () => {
		expect(shanghaiMidnight('2027-01-01').toISOString()).toBe('2026-12-31T16:00:00.000Z');
		expect(shanghaiDay(new Date('2026-12-31T15:59:59.999Z'))).toBe('2026-12-31');
		expect(shanghaiDay(new Date('2026-12-31T16:00:00.000Z'))).toBe('2027-01-01');
	});
});

describe('calendar days', () => {
	it('addDays and daysFrom step over month ends, leap days and the new year, matching toISOString', () => {
		const mismatches: string[] = [];
		const start = Date.UTC(2023, 11, 1);
		const first = new Date(start).toISOString().slice(0, 10);
		const run = daysFrom(first, 800);
		for (let i = 0; i < 800; i++) {
			const expected = new Date(start + i * 86_400_000).toISOString().slice(0, 10);
			if (run[i] !== expected || addDays(first, i) !== expected) mismatches.push(expected);
		}
		expect(mismatches).toEqual([]);
		expect(daysFrom('2024-02-28', 3)).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
		expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
		expect(daysFrom('2026-11-25', 0)).toEqual([]);
	});
});
