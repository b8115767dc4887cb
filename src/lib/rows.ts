type Value = string | number | boolean | null;
type Row<T> = { [K in keyof T]: Value };

/**
 * A page of same-shaped records (a board page, a page of the member table) that travels to
 * the browser as one compact JSON string — the field names once, then one array per row —
 * through the `transport` hook in src/hooks.ts. SvelteKit's serializer (devalue) spends a few
 * microseconds on every object and value; for these lists that cost more than the page's
 * queries (docs/PERFORMANCE.md). Values must be JSON values.
 */
export class Rows<T extends Row<T>> {
	constructor(readonly list: T[]) {}

	/** `[fields, ...rows]` as JSON; the fields are the first record's. */
	toJSON(): string {
		const fields = Object.keys(this.list[0] ?? {}) as (keyof T)[];
		return JSON.stringify([fields, ...this.list.map((record) => fields.map((field) => record[field]))]);
	}

	static fromJSON<T extends Row<T>>(json: string): Rows<T> {
		const [fields = [], ...rows] = JSON.parse(json) as [string[], ...Value[][]];
		return new Rows(rows.map((row) => Object.fromEntries(fields.map((f, i) => [f, row[i]])) as T));
	}
}
