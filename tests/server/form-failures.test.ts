import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { refuse } from '../../src/lib/server/forms';

function files(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? files(path) : /\.server\.ts$/.test(name) ? [path] : [];
	});
}

describe('one failure shape for every form action', () => {
	it('a form-level message becomes errors._form; field messages and values go back as given', () => {
		expect(refuse(409, '这道题已复习过或还没到复习时间')).toMatchObject({
			status: 409,
			data: { values: undefined, errors: { _form: '这道题已复习过或还没到复习时间' } }
		});
		const values = { name: '', phone: '123' };
		const errors = { name: '请填写姓名', phone: '手机号应为 11 位数字，以 1 开头' };
		expect(refuse(400, errors, values)).toMatchObject({ status: 400, data: { values, errors } });
	});

	it('no action in src/routes refuses with a shape of its own: every refusal goes through refuse()', () => {
		const own = files('src/routes').filter((file) => {
			const source = readFileSync(file, 'utf8');
			return (
				/import\s*\{[^}]*\bfail\b[^}]*\}\s*from\s*'@sveltejs\/kit'/.test(source) || /\bfail\s*\(/.test(source)
			);
		});
		expect(own, 'Use refuse(status, errors, values) from $lib/server/forms instead of fail()').toEqual([]);
	});
});
