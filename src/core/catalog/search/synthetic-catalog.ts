// Test data: a deterministic synthetic catalog of accented Portuguese/Italian fashion names, for scale checks.
import type { ProductRow, VariantRow } from '../../model';
import { asSku, type Minor } from '../../shared/brand';

/** mulberry32: a tiny seeded PRNG, so every run indexes the same catalog. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOUNS = [
  'Calça', 'Camisa', 'Saia', 'Vestido', 'Casaco', 'Blusão', 'Tênis', 'Sandália', 'Bolsa', 'Cinto',
  'Maglione', 'Giacca', 'Pantaloni', 'Scarpe', 'Borsa', 'Gonna', 'Camicia', 'Cappotto', 'Felpa', 'Sciarpa',
  'Sneakers', 'Jeans', 'Blazer', 'Parka', 'Mocassim', 'Bermuda', 'Macacão', 'Colete', 'Stivali', 'Cardigan',
];
const ADJECTIVES = [
  'Clássico', 'Elegante', 'Leggero', 'Confortável', 'Básico', 'Slim', 'Oversize', 'Acolchoado', 'Più Comodo',
  'Città', 'Estampado', 'Listrado', 'Plissado', 'Ajustável', 'Morbido', 'Caldo', 'Térmico', 'Vintage', 'Sportivo',
  'Casual', 'Festa', 'Praia', 'Inverno', 'Verão', 'Primavera', 'Midi', 'Longo', 'Curto', 'Cropped', 'Reto',
];
const SYLLABLES = ['lo', 'ra', 'vi', 'ta', 'mi', 'no', 'sé', 'bè', 'ku', 'da', 'ri', 'ça', 'po', 'zu', 'fe', 'gã'];
const COLORS = ['Azul', 'Vermelho', 'Preto', 'Branco', 'Verde', 'Rosa', 'Bege', 'Cinza', 'Blu', 'Nero', 'Bianco', 'Marrom', 'Azul Marinho', 'Verde Oliva'];
const SIZE_RUNS = [['PP', 'P', 'M', 'G', 'GG'], ['XS', 'S', 'M', 'L', 'XL'], ['36', '38', '40', '42', '44'], ['U']];
const MATERIALS = ['Algodão', 'Linho', 'Lã', 'Seta', 'Cotone', 'Poliéster', 'Couro', 'Pelle', 'Viscose', 'Denim'];
const DEPARTMENTS = ['Mulher', 'Homem', 'Criança', 'Donna', 'Uomo'];
const GROUPS = ['Roupa', 'Calçado', 'Acessórios', 'Abbigliamento', 'Sport', 'Intimo'];
const LEAVES = ['Calças', 'Camisas', 'Vestidos', 'Casacos', 'Sapatilhas', 'Malas', 'Saias', 'Maglieria'];

/** `count` styles with 1–15 variants each (1–3 colours × a size run); the same seed gives the same catalog. */
export function syntheticCatalog(count: number, seed = 20240611): { products: ProductRow[]; variants: VariantRow[] } {
  const rnd = prng(seed);
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  // Invented model words ("Ravisé", "Kudapo") give the vocabulary a realistic long tail.
  const word = () => {
    const n = 2 + Math.floor(rnd() * 2);
    let w = '';
    for (let i = 0; i < n; i++) w += pick(SYLLABLES);
    return w.charAt(0).toUpperCase() + w.slice(1);
  };
  const brands = Array.from({ length: 400 }, () => `${word()} ${pick(['', 'Co', 'Milano', 'Lisboa', 'Studio'])}`.trim());
  const products: ProductRow[] = [];
  const variants: VariantRow[] = [];
  for (let i = 0; i < count; i++) {
    const id = `P${String(i).padStart(6, '0')}`;
    const name = `${pick(NOUNS)} ${pick(ADJECTIVES)}${rnd() < 0.6 ? ` ${word()}` : ''}${rnd() < 0.2 ? ` ${Math.floor(rnd() * 900 + 100)}` : ''}`;
    products.push({
      id,
      name,
      brand: pick(brands),
      category: [pick(DEPARTMENTS), pick(GROUPS), pick(LEAVES)],
      description: '',
      attributes: { material: pick(MATERIALS), fit: pick(ADJECTIVES) },
      taxClass: 'standard',
      variants: [],
    });
    const sizes = pick(SIZE_RUNS);
    const colors = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(COLORS));
    const base = (10 + Math.floor(rnd() * 290)) * 100 - 10;
    let n = 0;
    for (const color of colors) {
      for (const size of sizes) {
        const v = { sku: asSku(`${id}-${n++}`), barcode: '', size, color, prices: { EUR: base as Minor, BRL: (base * 6) as Minor } };
        products[i]!.variants.push(v);
        variants.push({ ...v, productId: id });
      }
    }
  }
  return { products, variants };
}
