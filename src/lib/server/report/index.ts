// The report's 原文 (报告原文): its text and places, the quotation check, the reader's reading time
// and points, which paragraphs lessons teach, and search within it. Routes import from here.
export * from './text';
export * from './cite';
export * from './reading';
export * from './taught';
export * from './search';
export * from './coverage';
