// The exam domain (考试): papers, exams, candidates, taking; grading and results alongside.
export * from './types';
export * from './paper';
export * from './papers';
export * from './draw';
export * from './exams';
export * from './candidates';
export * from './taking';
export * from './grading';
export * from './release';
export * from './results';
export * from './dashboard';
export * from './analysis';
export * from './export';
