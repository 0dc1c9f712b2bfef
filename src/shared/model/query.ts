/** The catalog view's pure logic in one import: filter, sort, columns and search. */
export * from './filter'
export * from './sort'
export * from './columns'
export * from './search'
