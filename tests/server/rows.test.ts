import { describe, expect, it } from 'vitest';
import { transport } from '../../src/hooks';
import { Rows } from '../../src/lib/rows';

describe('Rows (lists sent to the browser as compact JSON)', () => {
	it('comes back as the same records, field names sent once', () => {
		const list = [
			{ userId: 975, name: '孙嘉怡', active: true, lastActive: '2026-11-23', hours: 7.5 },
			{ userId: 12, name: '“引号”\\ </script>', active: false, lastActive: null, hours: 0 }
		];
		const json = new Rows(list).toJSON();
		expect(JSON.parse(json)[0]).toEqual(['userId', 'name', 'active', 'lastActive', 'hours']);
		expect(json.match(/userId/g)).toHaveLength(1);
		expect(Rows.fromJSON(json).list).toEqual(list);
		expect(Rows.fromJSON(new Rows([]).toJSON()).list).toEqual([]);
	});

	it('the transport hook encodes only Rows, and decodes what it encoded', () => {
		const rows = new Rows([{ userId: 1, name: '甲', points: 10, rank: 1 }]);
		expect(transport.Rows!.encode({ list: [] })).toBe(false);
		const encoded = transport.Rows!.encode(rows);
		expect(typeof encoded).toBe('string');
		const decoded = transport.Rows!.decode(encoded);
		expect(decoded).toBeInstanceOf(Rows);
		expect(decoded.list).toEqual(rows.list);
	});
});
