// Every table, re-exported from its domain file. drizzle-kit reads this file.
export * from './org';
export * from './auth';
export * from './imports';
export * from './content';
export * from './media';
export * from './authoring';
export * from './question-bank';
export * from './progress';
export * from './points';
export * from './quiz';
export * from './courses';
export * from './study-sessions';
export * from './reflections';
export * from './live';
export * from './exams';
export * from './audit';
export * from './report';
