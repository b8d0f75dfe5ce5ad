// Suggestions for the associate [CL5]: wishlist items back in stock here, then styles like the
// customer's past purchases (same categories, same or favourite brands) in the customer's sizes and
// in stock here. Pure: the caller reads the rows and says what is available here.
import type { CustomerRow, ProductRow, VariantRow } from '../model';
import { members } from './sets';

export interface CandidateProduct {
  product: ProductRow;
  variants: readonly VariantRow[];
}

export interface Suggestion {
  productId: string;
  sku: string;
  name: string;
  brand: string;
  size: string;
  color: string;
  here: number;
  reason: 'wishlist' | 'like-past' | 'brand';
}

export interface SuggestInput {
  customer: CustomerRow;
  /** Variants the customer bought (their history's lines), most recent first. */
  bought: readonly VariantRow[];
  /** Products by id: at least those of `bought`, of the wishlist and of the candidates. */
  products: ReadonlyMap<string, ProductRow>;
  candidates: readonly CandidateProduct[];
  availableHere: (sku: string) => number;
  limit: number;
}

const fold = (s: string) => s.trim().toLowerCase();

/**
 * The customer's size for a product: the profile's size for the deepest category of the product
 * it names, else the size they bought most often in the product's top category, else none.
 */
export function sizeFor(product: ProductRow, customer: CustomerRow, bought: readonly VariantRow[], products: ReadonlyMap<string, ProductRow>): string | undefined {
  const sizes = customer.sizes ?? {};
  for (const cat of [...product.category].reverse()) {
    const hit = Object.entries(sizes).find(([k]) => fold(k) === fold(cat));
    if (hit && hit[1]) return hit[1];
  }
  const counts = new Map<string, number>();
  for (const v of bought) {
    const p = products.get(v.productId);
    if (!p || p.category[0] !== product.category[0] || p.category[1] !== product.category[1] || !v.size) continue;
    counts.set(v.size, (counts.get(v.size) ?? 0) + 1);
  }
  let best: string | undefined;
  for (const [size, n] of counts) if (best === undefined || n > (counts.get(best) ?? 0)) best = size;
  return best;
}

export function suggestFor(input: SuggestInput): Suggestion[] {
  const { customer, bought, products, candidates, availableHere, limit } = input;
  const out: Suggestion[] = [];
  const seen = new Set<string>();
  const variantBySku = new Map<string, VariantRow>();
  for (const c of candidates) for (const v of c.variants) variantBySku.set(v.sku, v);
  for (const v of bought) variantBySku.set(v.sku, v);

  // 1. Wished-for items available here now.
  for (const sku of members(customer.wishlist)) {
    const v = variantBySku.get(sku);
    const p = v && products.get(v.productId);
    const here = availableHere(sku);
    if (!v || !p || here <= 0) continue;
    seen.add(p.id);
    out.push({ productId: p.id, sku, name: p.name, brand: p.brand, size: v.size, color: v.color, here, reason: 'wishlist' });
  }

  // 2. Styles like past purchases: score by shared category depth, brand bought, favourite brand and colour.
  const boughtProducts = new Set(bought.map((v) => v.productId));
  const boughtCats = [...boughtProducts].flatMap((id) => (products.get(id) ? [products.get(id)!.category] : []));
  const boughtBrands = new Set([...boughtProducts].flatMap((id) => (products.get(id) ? [fold(products.get(id)!.brand)] : [])));
  const favBrands = new Set((customer.favoriteBrands ?? []).map(fold));
  const favColors = new Set((customer.favoriteColors ?? []).map(fold));
  const scored: { s: Suggestion; score: number }[] = [];
  for (const { product, variants } of candidates) {
    if (seen.has(product.id) || boughtProducts.has(product.id)) continue;
    let depth = 0;
    for (const cat of boughtCats) {
      let d = 0;
      while (d < cat.length && d < product.category.length && cat[d] === product.category[d]) d++;
      depth = Math.max(depth, d);
    }
    const brand = fold(product.brand);
    const score = depth * 3 + (boughtBrands.has(brand) ? 2 : 0) + (favBrands.has(brand) ? 3 : 0);
    if (depth < 2 && !boughtBrands.has(brand) && !favBrands.has(brand)) continue; // a shared category two levels deep, or a brand they chose
    const size = sizeFor(product, customer, bought, products);
    const fits = variants.filter((v) => (size === undefined || v.size === size) && availableHere(v.sku) > 0);
    if (fits.length === 0) continue;
    const v = fits.find((x) => favColors.has(fold(x.color))) ?? fits[0]!;
    scored.push({
      s: { productId: product.id, sku: v.sku, name: product.name, brand: product.brand, size: v.size, color: v.color, here: availableHere(v.sku), reason: favBrands.has(brand) && depth < 2 ? 'brand' : 'like-past' },
      score: score + (favColors.has(fold(v.color)) ? 1 : 0),
    });
  }
  scored.sort((a, b) => b.score - a.score || (a.s.name < b.s.name ? -1 : a.s.name > b.s.name ? 1 : 0));
  for (const { s } of scored) {
    if (out.length >= limit) break;
    out.push(s);
  }
  return out.slice(0, limit);
}
