// A product's picture: its imageUrl when the catalog has one, else a placeholder with its initials.

/** Swatches for colour names of the demo catalogs (pt, it, en), folded; anything else gets a hashed hue. */
const SWATCHES: Record<string, string> = {
  preto: '#222831', nero: '#222831', black: '#222831',
  branco: '#e9e6df', bianco: '#e9e6df', white: '#e9e6df',
  azul: '#2f5d8a', blu: '#2f5d8a', blue: '#2f5d8a', 'azul marinho': '#1f2f4f', navy: '#1f2f4f',
  vermelho: '#a5312b', rosso: '#a5312b', red: '#a5312b',
  verde: '#3f7a4f', green: '#3f7a4f', 'verde oliva': '#5f6b35',
  rosa: '#d58ca0', pink: '#d58ca0',
  bege: '#cdb796', beige: '#cdb796',
  cinza: '#7d838b', grigio: '#7d838b', grey: '#7d838b', gray: '#7d838b',
  marrom: '#6b4a32', marrone: '#6b4a32', brown: '#6b4a32',
  amarelo: '#d9b23c', giallo: '#d9b23c', yellow: '#d9b23c',
};

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();

export function swatchOf(color: string | undefined): string {
  const key = fold(color ?? '');
  const known = SWATCHES[key];
  if (known) return known;
  let h = 0;
  for (const ch of key) h = (h * 31 + (ch.codePointAt(0) ?? 0)) % 360;
  return `hsl(${h} 35% 45%)`;
}

export function initialsOf(name: string): string {
  const words = name.split(/\s+/).filter((w) => /\p{L}/u.test(w));
  return words
    .slice(0, 2)
    .map((w) => Array.from(w)[0] ?? '')
    .join('')
    .toUpperCase();
}

/** Light text on dark swatches, dark text on light ones. */
const inkOn = (swatch: string) => (['#e9e6df', '#cdb796', '#d9b23c', '#d58ca0'].includes(swatch) ? '#1b2430' : '#ffffff');

export function ProductImage({ name, imageUrl, color }: { name: string; imageUrl?: string; color?: string }) {
  if (imageUrl) return <img className="product-image" src={imageUrl} alt={name} loading="lazy" />;
  const fill = swatchOf(color);
  return (
    <svg className="product-image" viewBox="0 0 120 120" role="img" aria-label={name}>
      <rect width="120" height="120" rx="14" fill={fill} />
      <text x="60" y="60" dominantBaseline="central" textAnchor="middle" fontSize="44" fontWeight="700" fill={inkOn(fill)} fontFamily="system-ui, sans-serif">
        {initialsOf(name)}
      </text>
    </svg>
  );
}
