/** A source that cannot be imported at all (too large, unreadable, wrong kind of file); its message is shown as it is, in Chinese. */
export class ImportError extends Error {}
