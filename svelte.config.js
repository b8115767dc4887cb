import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		adapter: adapter({ out: 'build' }),
		// Content-Security-Policy of every page (nonces for SvelteKit's start-up script; hashes
		// were a page prerendered). Other responses get theirs in src/lib/server/security-headers.ts.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self'],
				// style="width: 40%" on progress and result bars, rendered on the server.
				'style-src-attr': ['unsafe-inline'],
				// blob: for the talk form's previews of the photos chosen on the phone (object URLs of
				// the files themselves, never sent anywhere).
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self'],
				// The live quiz's EventSource.
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
