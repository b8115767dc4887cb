import { error, type RequestEvent } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { formFields } from '$lib/server/validation';
import { authorOwner, authoredDraft, createTheme, NOT_FOUND, type Owner } from '$lib/server/authoring';

/** Shared by the pages of 内容编写: whom the signed-in admin writes for, their drafts, 添加主题. */

/** The signed-in admin's owner (their party school or office); without one, the area's 403. */
export function ownerOf(locals: App.Locals): Owner {
	const owner = locals.user && authorOwner(locals.user);
	if (!owner) error(403, { message: '您的账号没有所属党校或单位，不能编写学习内容' });
	return owner;
}

/** The draft of the page (`[id=id]`) if it is the admin's owner's, else the one 404 for missing and out of scope. */
export function draftOf(event: { locals: App.Locals; params: { id: string } }) {
	const draft = authoredDraft(getDb(), event.locals.user!, Number(event.params.id));
	if (!draft) error(404, { message: NOT_FOUND });
	return draft;
}

/**
 * 添加主题, posted with the whole module form (a new module's or an existing one's): what was
 * typed comes back with the new theme chosen, or the refusal beside the theme's name. `then` ends
 * the notice (what the author still has to do).
 */
export async function addTheme(event: RequestEvent, then: string) {
	const values = formFields(await event.request.formData());
	const name = values.themeName ?? '';
	const result = createTheme(getDb(), actorOf(event), name);
	if (!result.ok) {
		const message = Object.values(result.errors)[0] ?? '请填写主题名称';
		return refuse(400, { themeName: message }, values);
	}
	return {
		values: { ...values, themeId: String(result.id), themeName: '' },
		notice: `已添加主题“${name}”，已在“主题”中选中${then}`
	};
}
