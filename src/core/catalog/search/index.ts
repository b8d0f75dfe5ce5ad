// Public entry of the catalog search engine: the index, its documents, normalisation and similar items.
export {
  CATALOG_INDEX_VERSION,
  CatalogIndex,
  FUZZY_MIN_LENGTH,
  PREFIX_MIN_LENGTH,
  type CatalogSearchOptions,
  type SavedCatalogIndex,
  type SearchHit,
  type SimilarSearchOptions,
} from './catalog-index';
export { priceRange, toSearchDoc, type SearchDoc } from './search-doc';
export { foldText, phraseKey, queryWords } from './normalize';
export { sharedCategoryDepth, similarProducts, type SimilarCandidate, type SimilarOptions } from './similar';
export { catalogFacets, compareSizes, type CatalogFacets } from './facets';
