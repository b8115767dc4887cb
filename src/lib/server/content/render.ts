import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { escapeHtml } from '../html';

const marked = new Marked({ gfm: true, breaks: false, async: false });

export const QUOTE_MARKER = '[!提法]';

/**
 * `> [!提法] 出处` blockquotes become a figure: the report's official wording set
 * apart, with where it stands in the report as the caption.
 */
function officialWording(markdown: string): string {
	const lines = markdown.split(/\r?\n/);
	const out: string[] = [];
	for (let i = 0; i < lines.length; i++) {
		const head = /^>\s*\[!提法\]\s*(.*)$/.exec(lines[i]!);
		if (!head) {
			out.push(lines[i]!);
			continue;
		}
		const quote: string[] = [];
		while (i + 1 < lines.length && /^>/.test(lines[i + 1]!)) quote.push(lines[++i]!.replace(/^>\s?/, ''));
		const text = marked.parseInline(quote.join('').trim()) as string;
		const source = head[1]!.trim();
		out.push(
			'',
			`<figure class="tifa"><blockquote>${text}</blockquote><figcaption>${escapeHtml(captionOf(source))}</figcaption></figure>`,
			''
		);
	}
	return out.join('\n');
}

// Media of the app itself: images only from /media/<id>, links there too (`?download=1` downloads).
const MEDIA_IMAGE = /^\/media\/\d+$/;
const SAFE_LINK = /^(\/media\/\d+(\?download=1)?|https?:\/\/\S*|mailto:\S*)$/i;

/**
 * The caption of an official-wording block: the pack gives a place in the report
 * (第六部分 · …), the editor's 提法 helper names the document itself (党的二十大报告 · 第六部分 第3段,
 * or 《…》 for another document), which must not read "报告原文 · 《中国共产党章程》".
 */
function captionOf(source: string): string {
	if (!source) return '报告原文';
	return /^(党的二十大报告|《)/.test(source) ? source : `报告原文 · ${source}`;
}

const SANITIZE: sanitizeHtml.IOptions = {
	allowedTags: ['h2', 'h3', 'h4', 'p', 'ul', 'ol', 'li', 'strong', 'em', 'blockquote', 'figure', 'figcaption', 'a', 'code', 'br', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'del', 'img'],
	allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt'] },
	allowedClasses: { figure: ['tifa'] },
	allowedSchemes: ['http', 'https', 'mailto'],
	allowProtocolRelative: false,
	transformTags: {
		// An image from anywhere but our media would load from a third party (or not at all): dropped.
		img: (_tag, attribs) => {
			const src = attribs.src ?? '';
			const kept: sanitizeHtml.Attributes = MEDIA_IMAGE.test(src) ? { src, alt: attribs.alt ?? '' } : {};
			return { tagName: 'img', attribs: kept };
		},
		// Relative links other than /media/<id> point into the app's pages: the text stays, the link goes.
		a: (_tag, attribs) => {
			const { href, ...rest } = attribs;
			return { tagName: 'a', attribs: href !== undefined && SAFE_LINK.test(href.trim()) ? attribs : rest };
		}
	},
	exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src
};

/** Lesson Markdown to safe HTML (rendered once, at content sync or publish). */
export function renderMarkdown(markdown: string): string {
	return sanitizeHtml(marked.parse(officialWording(markdown)) as string, SANITIZE);
}

const UNSAFE_TAG = /<\s*\/?\s*(script|style|iframe|object|embed)\b/i;
const EVENT_HANDLER = /<[a-z][^>]*?[\s"'/]on([a-z]+)\s*=/i;
const UNSAFE_SCHEME = /^(javascript|vbscript|data):/;
const HTML_ATTRIBUTE_URL = /\b(?:href|src|action|formaction|xlink:href|poster|background)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi;

/** A URL as a browser reads its scheme: entities decoded, whitespace and control characters dropped. */
function urlScheme(url: string): string {
	return url
		.replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
		.replace(/&#(\d+);?/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
		.replace(/&colon;/gi, ':')
		.replace(/&(tab|newline);/gi, '')
		.replace(/\\/g, '')
		.replace(/[\s\p{Cc}]+/gu, '')
		.replace(/^["']|["']$/g, '')
		.toLowerCase();
}

/** Every URL the Markdown links to or embeds: its links and images, and the URL attributes of raw HTML. */
export function markdownUrls(markdown: string): { url: string; image: boolean }[] {
	const urls: { url: string; image: boolean }[] = [];
	marked.walkTokens(marked.lexer(markdown), (token) => {
		if (token.type === 'link' || token.type === 'image') urls.push({ url: token.href, image: token.type === 'image' });
		if (token.type === 'html') {
			for (const m of token.raw.matchAll(HTML_ATTRIBUTE_URL)) urls.push({ url: m[1]!, image: false });
		}
	});
	return urls;
}

/**
 * Why Markdown may not be stored as lesson text (the sanitiser would strip it anyway, but the
 * author should learn it beside the field rather than find a silently different lesson), or null.
 * Shared by the authoring validation and the editor's preview.
 */
export function unsafeMarkdown(markdown: string): string | null {
	const tag = UNSAFE_TAG.exec(markdown);
	if (tag) return `正文不能包含脚本或网页代码：<${tag[1]!.toLowerCase()}> 标签`;
	const handler = EVENT_HANDLER.exec(markdown);
	if (handler) return `正文不能包含脚本或网页代码：事件属性 on${handler[1]!.toLowerCase()}=`;
	for (const { url } of markdownUrls(markdown)) {
		const scheme = UNSAFE_SCHEME.exec(urlScheme(url));
		if (scheme) return `正文不能包含脚本或网页代码：${scheme[1]}: 链接`;
	}
	return null;
}

/** The readable text of rendered HTML, for search and reading-time estimates. */
export function plainTextOf(html: string): string {
	return sanitizeHtml(html.replace(/<\/(p|li|h\d|figcaption|blockquote|tr)>/g, '$&\n'), { allowedTags: [], allowedAttributes: {} })
		.replace(/&nbsp;/g, ' ')
		.replace(/&amp;/g, '&')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/[ \t]+/g, ' ')
		.replace(/\n\s*\n+/g, '\n')
		.trim();
}

/** Characters that take reading time (whitespace does not). */
export function readingLength(text: string): number {
	return text.replace(/\s/g, '').length;
}

// About 10 characters a second: brisk but real reading of Chinese prose.
const CHARS_PER_SECOND = 10;
export const MIN_READ_SECONDS = 15;
export const MAX_READ_SECONDS = 300;

/** The least time a lesson must be open before it can count as studied. */
export function minReadSeconds(charCount: number): number {
	return Math.min(MAX_READ_SECONDS, Math.max(MIN_READ_SECONDS, Math.round(charCount / CHARS_PER_SECOND)));
}
