/** Legacy permission bits ↔ OCM permission names. */
export * from './permission-bits.ts';
export * from './share-permissions-property.ts';
