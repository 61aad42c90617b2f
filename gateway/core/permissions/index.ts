/** Legacy permission bits ↔ OCM permission names. */
export * from './permission-bits.ts';
