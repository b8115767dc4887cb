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
			`<figure class="tifa"><blockquote>${text}</blockquote><figcaption>报告原文${source ? ' · ' + escapeHtml(source) : ''}</figcaption></figure>`,
			''
		);
	}
	return out.join('\n');
}

const SANITIZE: sanitizeHtml.IOptions = {
	allowedTags: ['h2', 'h3', 'h4', 'p', 'ul', 'ol', 'li', 'strong', 'em', 'blockquote', 'figure', 'figcaption', 'a', 'code', 'br', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'del'],
	allowedAttributes: { a: ['href', 'title'] },
	allowedClasses: { figure: ['tifa'] },
	allowedSchemes: ['http', 'https', 'mailto']
};

/** Lesson Markdown to safe HTML (rendered once, at content sync). */
export function renderMarkdown(markdown: string): string {
	return sanitizeHtml(marked.parse(officialWording(markdown)) as string, SANITIZE);
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
