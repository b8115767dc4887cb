import type { Transport } from '@sveltejs/kit';
import { Rows } from '$lib/rows';

// Custom types in page data, encoded on the server and rebuilt in the browser.
export const transport: Transport = {
	Rows: {
		encode: (value) => value instanceof Rows && value.toJSON(),
		decode: (json: string) => Rows.fromJSON(json)
	}
};
