import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => {
	// Only what the shell needs; locals.user never holds the password hash.
	const user = locals.user;
	return {
		user: user && { id: user.id, name: user.name, username: user.username, role: user.role }
	};
};
