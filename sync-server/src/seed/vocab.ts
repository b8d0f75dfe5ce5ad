// Word lists for the demo chain: product types with categories, sizes and prices, brands, colours,
// materials, and Portuguese / Italian / Brazilian people's names.

export type Lang = 'en' | 'pt' | 'it';
export type Gender = 'Women' | 'Men' | 'Kids' | 'Unisex';
export type Origin = 'pt' | 'it' | 'br';

/** Size runs, smallest first. Labels are what the tag says; sizeCode() turns them into SKU parts. */
export const SIZE_RUNS = {
  womenAlpha: ['XS', 'S', 'M', 'L', 'XL'],
  menAlpha: ['S', 'M', 'L', 'XL', 'XXL'],
  womenWaist: ['34', '36', '38', '40', '42', '44'],
  menWaist: ['28', '30', '32', '34', '36', '38'],
  womenShoes: ['36', '37', '38', '39', '40', '41', '42'],
  menShoes: ['39', '40', '41', '42', '43', '44', '45', '46'],
  unisexShoes: ['36', '37', '38', '39', '40', '41', '42', '43', '44', '45', '46'],
  kidsAge: ['4Y', '6Y', '8Y', '10Y', '12Y'],
  kidsShoes: ['26', '28', '30', '32', '34'],
  socks: ['35-38', '39-42', '43-46'],
  belt: ['85', '90', '95', '100', '105'],
  oneSize: ['One size'],
} as const satisfies Record<string, readonly string[]>;
export type SizeRunName = keyof typeof SIZE_RUNS;

/** The size as it appears in a SKU: uppercase letters and digits only ("One size" → "OS"). */
export function sizeCode(label: string): string {
  if (label === 'One size') return 'OS';
  return label.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

export interface ProductType {
  key: string;
  gender: Gender;
  /** Category path, broadest first. */
  category: readonly string[];
  /** The garment's name in each language the chain labels products in. */
  names: Readonly<Record<Lang, string>>;
  sizeRun: SizeRunName;
  /** Believable shelf price range in whole euros. */
  priceEur: readonly [number, number];
  materials: readonly string[];
  /** Relative number of styles of this type in a catalog. */
  weight: number;
  /** Children's clothing sells at the reduced rate in the demo's tax tables. */
  taxClass?: 'reduced';
}

const KNIT = ['Merino wool', 'Lambswool', 'Cotton-cashmere blend', 'Alpaca blend', 'Organic cotton'];
const COTTON = ['Organic cotton', 'Cotton jersey', 'Pima cotton', 'Linen-cotton blend'];
const SHIRTING = ['Cotton poplin', 'Oxford cotton', 'Linen', 'Cotton twill', 'Viscose'];
const DENIM = ['Stretch denim', 'Rigid denim', 'Organic denim'];
const TROUSER = ['Cotton twill', 'Stretch gabardine', 'Linen', 'Wool blend', 'Corduroy'];
const OUTER = ['Wool-blend melton', 'Recycled nylon', 'Waxed cotton', 'Technical gabardine', 'Nappa leather', 'Suede'];
const LEATHER = ['Calf leather', 'Suede', 'Nubuck', 'Vegetable-tanned leather'];
const SNEAKER = ['Calf leather', 'Recycled mesh', 'Suede and mesh', 'Canvas'];

export const PRODUCT_TYPES: readonly ProductType[] = [
  // Women
  { key: 'w-tee', gender: 'Women', category: ['Women', 'Tops', 'T-Shirts'], names: { en: 'Crew-Neck Tee', pt: 'T-shirt Básica', it: 'T-shirt Girocollo' }, sizeRun: 'womenAlpha', priceEur: [15, 39], materials: COTTON, weight: 3 },
  { key: 'w-blouse', gender: 'Women', category: ['Women', 'Tops', 'Blouses'], names: { en: 'Poplin Blouse', pt: 'Blusa de Popelina', it: 'Camicetta in Popeline' }, sizeRun: 'womenAlpha', priceEur: [29, 79], materials: SHIRTING, weight: 2 },
  { key: 'w-sweater', gender: 'Women', category: ['Women', 'Knitwear', 'Sweaters'], names: { en: 'Wool Sweater', pt: 'Camisola de Lã', it: 'Maglione Girocollo' }, sizeRun: 'womenAlpha', priceEur: [45, 149], materials: KNIT, weight: 2 },
  { key: 'w-cardigan', gender: 'Women', category: ['Women', 'Knitwear', 'Cardigans'], names: { en: 'Knit Cardigan', pt: 'Casaco de Malha Açoriano', it: 'Cardigan in Maglia' }, sizeRun: 'womenAlpha', priceEur: [49, 139], materials: KNIT, weight: 1.5 },
  { key: 'w-dress', gender: 'Women', category: ['Women', 'Dresses', 'Midi Dresses'], names: { en: 'Midi Dress', pt: 'Vestido Midi Estampado', it: 'Abito Midi' }, sizeRun: 'womenAlpha', priceEur: [45, 179], materials: ['Viscose', 'Linen', 'Silk', 'Cotton poplin'], weight: 2.5 },
  { key: 'w-skirt', gender: 'Women', category: ['Women', 'Skirts', 'Midi Skirts'], names: { en: 'Pleated Skirt', pt: 'Saia Plissada', it: 'Gonna Plissettata' }, sizeRun: 'womenWaist', priceEur: [29, 89], materials: ['Satin', 'Wool blend', 'Viscose'], weight: 1.5 },
  { key: 'w-trousers', gender: 'Women', category: ['Women', 'Trousers', 'Wide-Leg'], names: { en: 'Wide-Leg Trousers', pt: 'Calça Larga de Cintura Subida', it: 'Pantaloni a Palazzo' }, sizeRun: 'womenWaist', priceEur: [39, 119], materials: TROUSER, weight: 2 },
  { key: 'w-jeans', gender: 'Women', category: ['Women', 'Jeans', 'High-Rise'], names: { en: 'High-Rise Jeans', pt: 'Calças de Ganga Cintura Alta', it: 'Jeans a Vita Alta' }, sizeRun: 'womenWaist', priceEur: [49, 129], materials: DENIM, weight: 2 },
  { key: 'w-coat', gender: 'Women', category: ['Women', 'Outerwear', 'Coats'], names: { en: 'Wool Coat', pt: 'Casaco Comprido de Lã', it: 'Cappotto in Lana' }, sizeRun: 'womenAlpha', priceEur: [149, 449], materials: ['Wool-blend melton', 'Double-faced wool', 'Cashmere blend'], weight: 1 },
  { key: 'w-jacket', gender: 'Women', category: ['Women', 'Outerwear', 'Jackets'], names: { en: 'Leather Jacket', pt: 'Blusão de Pele', it: 'Giacca in Pelle' }, sizeRun: 'womenAlpha', priceEur: [99, 349], materials: OUTER, weight: 1 },
  { key: 'w-sneakers', gender: 'Women', category: ['Women', 'Shoes', 'Sneakers'], names: { en: 'Leather Sneakers', pt: 'Sapatilhas de Pele', it: 'Sneaker in Pelle' }, sizeRun: 'womenShoes', priceEur: [59, 169], materials: SNEAKER, weight: 2 },
  { key: 'w-boots', gender: 'Women', category: ['Women', 'Shoes', 'Ankle Boots'], names: { en: 'Suede Ankle Boots', pt: 'Botins de Camurça', it: 'Stivaletti in Camoscio' }, sizeRun: 'womenShoes', priceEur: [89, 249], materials: LEATHER, weight: 1.5 },
  { key: 'w-sandals', gender: 'Women', category: ['Women', 'Shoes', 'Sandals'], names: { en: 'Strappy Sandals', pt: 'Sandálias de Tiras', it: 'Sandali con Listini' }, sizeRun: 'womenShoes', priceEur: [35, 119], materials: LEATHER, weight: 1 },
  { key: 'w-flats', gender: 'Women', category: ['Women', 'Shoes', 'Ballet Flats'], names: { en: 'Ballet Flats', pt: 'Sabrinas de Pele', it: 'Ballerine in Pelle' }, sizeRun: 'womenShoes', priceEur: [39, 119], materials: LEATHER, weight: 1 },
  { key: 'w-bag', gender: 'Women', category: ['Women', 'Accessories', 'Bags'], names: { en: 'Leather Tote', pt: 'Mala Tote de Pele', it: 'Borsa Shopper in Pelle' }, sizeRun: 'oneSize', priceEur: [45, 289], materials: LEATHER, weight: 1.5 },
  { key: 'w-scarf', gender: 'Women', category: ['Women', 'Accessories', 'Scarves'], names: { en: 'Printed Scarf', pt: 'Lenço Estampado', it: 'Foulard Stampato' }, sizeRun: 'oneSize', priceEur: [19, 79], materials: ['Silk', 'Modal', 'Wool-silk blend'], weight: 1 },
  { key: 'w-swim', gender: 'Women', category: ['Women', 'Swimwear', 'Swimsuits'], names: { en: 'Swimsuit', pt: 'Fato de Banho', it: 'Costume Intero' }, sizeRun: 'womenAlpha', priceEur: [29, 89], materials: ['Recycled polyamide', 'Econyl'], weight: 1 },
  // Men
  { key: 'm-tee', gender: 'Men', category: ['Men', 'Tops', 'T-Shirts'], names: { en: 'Cotton T-Shirt', pt: 'T-shirt de Algodão', it: 'T-shirt in Cotone' }, sizeRun: 'menAlpha', priceEur: [15, 39], materials: COTTON, weight: 3 },
  { key: 'm-shirt', gender: 'Men', category: ['Men', 'Shirts', 'Casual Shirts'], names: { en: 'Oxford Shirt', pt: 'Camisa Oxford', it: 'Camicia Oxford' }, sizeRun: 'menAlpha', priceEur: [35, 89], materials: SHIRTING, weight: 2.5 },
  { key: 'm-polo', gender: 'Men', category: ['Men', 'Tops', 'Polos'], names: { en: 'Piqué Polo', pt: 'Pólo em Piqué', it: 'Polo in Piquet' }, sizeRun: 'menAlpha', priceEur: [29, 69], materials: ['Cotton piqué', 'Organic cotton piqué'], weight: 2 },
  { key: 'm-sweater', gender: 'Men', category: ['Men', 'Knitwear', 'Sweaters'], names: { en: 'Crew-Neck Sweater', pt: 'Camisola de Gola Redonda', it: 'Maglione Girocollo' }, sizeRun: 'menAlpha', priceEur: [45, 159], materials: KNIT, weight: 2 },
  { key: 'm-chinos', gender: 'Men', category: ['Men', 'Trousers', 'Chinos'], names: { en: 'Slim Chinos', pt: 'Calça Chino Slim', it: 'Pantaloni Chino' }, sizeRun: 'menWaist', priceEur: [39, 99], materials: TROUSER, weight: 2 },
  { key: 'm-jeans', gender: 'Men', category: ['Men', 'Jeans', 'Straight'], names: { en: 'Straight Jeans', pt: 'Calças de Ganga Direitas', it: 'Jeans Dritti' }, sizeRun: 'menWaist', priceEur: [49, 129], materials: DENIM, weight: 2 },
  { key: 'm-jacket', gender: 'Men', category: ['Men', 'Outerwear', 'Jackets'], names: { en: 'Quilted Jacket', pt: 'Blusão Acolchoado', it: 'Giubbotto Imbottito' }, sizeRun: 'menAlpha', priceEur: [89, 299], materials: OUTER, weight: 1.5 },
  { key: 'm-coat', gender: 'Men', category: ['Men', 'Outerwear', 'Coats'], names: { en: 'Overcoat', pt: 'Sobretudo de Lã', it: 'Cappotto Monopetto' }, sizeRun: 'menAlpha', priceEur: [179, 449], materials: ['Wool-blend melton', 'Double-faced wool', 'Cashmere blend'], weight: 1 },
  { key: 'm-blazer', gender: 'Men', category: ['Men', 'Suits', 'Blazers'], names: { en: 'Unstructured Blazer', pt: 'Blazer de Lã Fria', it: 'Giacca Sfoderata' }, sizeRun: 'menAlpha', priceEur: [119, 319], materials: ['Tropical wool', 'Linen', 'Wool-silk blend'], weight: 1 },
  { key: 'm-sneakers', gender: 'Men', category: ['Men', 'Shoes', 'Sneakers'], names: { en: 'Runner Sneakers', pt: 'Sapatilhas de Corrida', it: 'Sneaker Running' }, sizeRun: 'menShoes', priceEur: [59, 179], materials: SNEAKER, weight: 2 },
  { key: 'm-boots', gender: 'Men', category: ['Men', 'Shoes', 'Boots'], names: { en: 'Chelsea Boots', pt: 'Botas Chelsea de Camurça', it: 'Stivali Chelsea' }, sizeRun: 'menShoes', priceEur: [99, 259], materials: LEATHER, weight: 1.5 },
  { key: 'm-loafers', gender: 'Men', category: ['Men', 'Shoes', 'Loafers'], names: { en: 'Penny Loafers', pt: 'Mocassins de Pele', it: 'Mocassini in Pelle' }, sizeRun: 'menShoes', priceEur: [79, 219], materials: LEATHER, weight: 1 },
  { key: 'm-belt', gender: 'Men', category: ['Men', 'Accessories', 'Belts'], names: { en: 'Leather Belt', pt: 'Cinto de Pele', it: 'Cintura in Cuoio' }, sizeRun: 'belt', priceEur: [25, 89], materials: LEATHER, weight: 1 },
  { key: 'm-socks', gender: 'Men', category: ['Men', 'Underwear', 'Socks'], names: { en: 'Cotton Socks 3-Pack', pt: 'Meias de Algodão (3 pares)', it: 'Calzini in Cotone (3 paia)' }, sizeRun: 'socks', priceEur: [6, 15], materials: ['Combed cotton', 'Bamboo viscose', 'Merino blend'], weight: 1.5 },
  { key: 'm-boxers', gender: 'Men', category: ['Men', 'Underwear', 'Boxers'], names: { en: 'Boxer Briefs 2-Pack', pt: 'Boxers (2 unidades)', it: 'Boxer (2 pezzi)' }, sizeRun: 'menAlpha', priceEur: [12, 25], materials: ['Cotton-stretch jersey', 'Modal'], weight: 1 },
  { key: 'm-cap', gender: 'Men', category: ['Men', 'Accessories', 'Caps'], names: { en: 'Baseball Cap', pt: 'Boné de Algodão', it: 'Cappellino da Baseball' }, sizeRun: 'oneSize', priceEur: [18, 39], materials: ['Cotton twill', 'Recycled nylon'], weight: 1 },
  // Kids (reduced tax class in the demo's tables)
  { key: 'k-tee', gender: 'Kids', category: ['Kids', 'Tops', 'T-Shirts'], names: { en: 'Printed Kids Tee', pt: 'T-shirt Estampada Criança', it: 'T-shirt Stampata Bambino' }, sizeRun: 'kidsAge', priceEur: [9, 19], materials: COTTON, weight: 1.5, taxClass: 'reduced' },
  { key: 'k-hoodie', gender: 'Kids', category: ['Kids', 'Sweatshirts', 'Hoodies'], names: { en: 'Kids Hoodie', pt: 'Sweatshirt com Capuz Criança', it: 'Felpa con Cappuccio Bambino' }, sizeRun: 'kidsAge', priceEur: [19, 39], materials: ['Brushed cotton fleece', 'Organic cotton fleece'], weight: 1, taxClass: 'reduced' },
  { key: 'k-joggers', gender: 'Kids', category: ['Kids', 'Trousers', 'Joggers'], names: { en: 'Kids Joggers', pt: 'Calças de Fato de Treino Criança', it: 'Pantaloni Jogger Bambino' }, sizeRun: 'kidsAge', priceEur: [15, 35], materials: ['Cotton fleece', 'Organic cotton'], weight: 1, taxClass: 'reduced' },
  { key: 'k-puffer', gender: 'Kids', category: ['Kids', 'Outerwear', 'Puffer Jackets'], names: { en: 'Kids Puffer Jacket', pt: 'Casaco Almofadado Criança', it: 'Piumino Bambino' }, sizeRun: 'kidsAge', priceEur: [35, 79], materials: ['Recycled nylon', 'Water-repellent polyester'], weight: 0.8, taxClass: 'reduced' },
  { key: 'k-sneakers', gender: 'Kids', category: ['Kids', 'Shoes', 'Sneakers'], names: { en: 'Kids Velcro Sneakers', pt: 'Sapatilhas com Velcro Criança', it: 'Sneaker con Strappo Bambino' }, sizeRun: 'kidsShoes', priceEur: [29, 65], materials: SNEAKER, weight: 1, taxClass: 'reduced' },
  // Unisex
  { key: 'u-sweatshirt', gender: 'Unisex', category: ['Unisex', 'Sweatshirts', 'Crew Necks'], names: { en: 'Heavyweight Sweatshirt', pt: 'Sweatshirt de Algodão Orgânico', it: 'Felpa Girocollo' }, sizeRun: 'menAlpha', priceEur: [39, 95], materials: ['Brushed cotton fleece', 'Organic cotton fleece'], weight: 1.5 },
  { key: 'u-sneakers', gender: 'Unisex', category: ['Unisex', 'Shoes', 'Canvas Sneakers'], names: { en: 'Canvas Sneakers', pt: 'Sapatilhas de Lona', it: 'Sneaker in Tela' }, sizeRun: 'unisexShoes', priceEur: [45, 99], materials: ['Canvas', 'Organic canvas'], weight: 1 },
  { key: 'u-sunglasses', gender: 'Unisex', category: ['Unisex', 'Accessories', 'Sunglasses'], names: { en: 'Acetate Sunglasses', pt: 'Óculos de Sol em Acetato', it: 'Occhiali da Sole in Acetato' }, sizeRun: 'oneSize', priceEur: [59, 219], materials: ['Bio-acetate', 'Acetate and metal'], weight: 1 },
  { key: 'u-backpack', gender: 'Unisex', category: ['Unisex', 'Accessories', 'Backpacks'], names: { en: 'Roll-Top Backpack', pt: 'Mochila Enrolável', it: 'Zaino Roll-Top' }, sizeRun: 'oneSize', priceEur: [45, 139], materials: ['Recycled nylon', 'Waxed canvas', 'Calf leather'], weight: 1 },
  { key: 'u-beanie', gender: 'Unisex', category: ['Unisex', 'Accessories', 'Hats'], names: { en: 'Ribbed Beanie', pt: 'Gorro de Lã Canelado', it: 'Berretto in Lana a Coste' }, sizeRun: 'oneSize', priceEur: [15, 39], materials: KNIT, weight: 1 },
  { key: 'u-wallet', gender: 'Unisex', category: ['Unisex', 'Accessories', 'Wallets'], names: { en: 'Leather Wallet', pt: 'Carteira de Pele', it: 'Portafoglio in Pelle' }, sizeRun: 'oneSize', priceEur: [29, 109], materials: LEATHER, weight: 1 },
];

/**
 * Collection names appended to product names. Mostly Portuguese, Italian and Brazilian places
 * with accents, so that search has to fold accents ("sao bento" finds "São Bento").
 */
export const COLLECTIONS: readonly string[] = [
  'Alfama', 'Ribeira', 'Atlântico', 'São Bento', 'Príncipe Real', 'Belém', 'Estrela', 'Graça',
  'Açores', 'Sintra', 'Cascais', 'Algarve', 'Óbidos', 'Évora', 'Nazaré', 'Guimarães', 'Foz',
  'Brera', 'Navigli', 'Città Alta', 'Portofino', 'Capri', 'Amalfi', 'Trastevere', 'Niccolò',
  'Perù', 'Cantù', 'Forlì', 'Ipanema', 'Paraty', 'Copacabana', 'Jardins', 'Leblon', 'Ceará',
  'Paraná', 'Goiás', 'Piauí', 'Maranhão', 'Pará', 'Amapá', 'Jabuticaba', 'Maracujá', 'Açaí',
];

export const FITS: readonly string[] = ['Slim', 'Regular', 'Relaxed', 'Oversized', 'Tailored', 'Straight'];

/** Descriptive phrases for product descriptions (English, the chain's catalog language). */
export const ADJECTIVES: readonly string[] = [
  'soft-handed', 'lightweight', 'hard-wearing', 'breathable', 'garment-dyed', 'easy-care',
  'richly textured', 'made to last', 'timeless', 'understated', 'crisp', 'relaxed',
];

export const DETAILS: readonly string[] = [
  'Finished with tonal stitching and horn-effect buttons.',
  'Made in Portugal in a family-run workshop.',
  'Made in Italy by a third-generation maker.',
  'Pre-washed for a lived-in feel from the first wear.',
  'Cut generously; take your usual size.',
  'Runs small; we suggest one size up.',
  'Designed to pair with the rest of the collection.',
  'Responsibly sourced materials, traceable to the mill.',
  'Machine washable at 30 °C.',
  'Dry clean only.',
];

/** Invented brands: Iberian and Italian sounding, so they sit naturally next to the store names. */
export const BRANDS: readonly string[] = [
  'Atelier Tejo', 'Costa Nova', 'Fiordaliso', 'Lume', 'Marinho & Filhos', 'Vento Norte',
  'Casa Bruni', 'Ottavia', 'Serra Knits', 'Brisa', 'Calçada', 'Pelle Rosa', 'Maré Alta',
  'Oliveira Irmãos', 'Tessitura Bassi', 'Nove Colli', 'Sul & Sol', 'Alvorada', 'Cortiça',
  'Portolano', 'Ferro Vecchio', 'Lontra', 'Chiaro', 'Saudade Studio', 'Monte Verità', 'Carioca Lab',
];

export interface Colour {
  /** Three letters, part of the SKU. */
  code: string;
  name: string;
  hex: string;
  /** How often the colour is chosen: neutrals dominate an apparel range. */
  weight: number;
}

export const COLOURS: readonly Colour[] = [
  { code: 'BLK', name: 'Black', hex: '#1b1b1b', weight: 6 },
  { code: 'WHT', name: 'White', hex: '#f7f7f5', weight: 5 },
  { code: 'NVY', name: 'Navy', hex: '#1f2a44', weight: 5 },
  { code: 'GRY', name: 'Grey Melange', hex: '#9a9a9a', weight: 4 },
  { code: 'CHR', name: 'Charcoal', hex: '#3a3b3c', weight: 3 },
  { code: 'ECR', name: 'Ecru', hex: '#efe6d2', weight: 3 },
  { code: 'BEI', name: 'Beige', hex: '#d8c3a5', weight: 3 },
  { code: 'CML', name: 'Camel', hex: '#c19a6b', weight: 3 },
  { code: 'BRN', name: 'Brown', hex: '#6b4a2f', weight: 2 },
  { code: 'TAU', name: 'Taupe', hex: '#8b7d6b', weight: 2 },
  { code: 'SND', name: 'Sand', hex: '#cbb994', weight: 2 },
  { code: 'OLV', name: 'Olive', hex: '#6b6b3a', weight: 2 },
  { code: 'KHK', name: 'Khaki', hex: '#a39a6e', weight: 2 },
  { code: 'GRN', name: 'Bottle Green', hex: '#1f4d3a', weight: 1.5 },
  { code: 'IND', name: 'Indigo', hex: '#2f3d6b', weight: 2 },
  { code: 'BLU', name: 'Sky Blue', hex: '#8fb8de', weight: 1.5 },
  { code: 'TEA', name: 'Teal', hex: '#2a7b7b', weight: 1 },
  { code: 'BRD', name: 'Burgundy', hex: '#6d1f2c', weight: 1.5 },
  { code: 'RED', name: 'Red', hex: '#b3262e', weight: 1 },
  { code: 'RST', name: 'Rust', hex: '#a4502b', weight: 1 },
  { code: 'TER', name: 'Terracotta', hex: '#c0603f', weight: 1 },
  { code: 'MUS', name: 'Mustard', hex: '#cf9f2a', weight: 1 },
  { code: 'PNK', name: 'Blush Pink', hex: '#e8b8b0', weight: 1 },
  { code: 'LIL', name: 'Lilac', hex: '#b7a3c9', weight: 1 },
];

export const SEASONS: readonly string[] = ['Core', 'Spring/Summer', 'Autumn/Winter'];

export interface NamePool {
  female: readonly string[];
  male: readonly string[];
  last: readonly string[];
}

export const NAMES: Readonly<Record<Origin, NamePool>> = {
  pt: {
    female: [
      'Maria', 'Ana', 'Inês', 'Beatriz', 'Leonor', 'Matilde', 'Mariana', 'Carolina', 'Conceição',
      'Fátima', 'Joana', 'Sofia', 'Catarina', 'Raquel', 'Lúcia', 'Mónica', 'Tânia', 'Sónia',
      'Célia', 'Márcia', 'Patrícia', 'Cláudia', 'Rita', 'Teresa', 'Filipa', 'Margarida', 'Graça',
      'Irene', 'Benedita', 'Constança',
    ],
    male: [
      'João', 'José', 'António', 'Francisco', 'Tomás', 'Gonçalo', 'Duarte', 'Rodrigo', 'Martim',
      'Afonso', 'Diogo', 'Miguel', 'Rui', 'Nuno', 'Sérgio', 'Vítor', 'Luís', 'Hélder', 'Simão',
      'Pedro', 'Tiago', 'Bernardo', 'Salvador', 'Henrique', 'Joaquim', 'Fábio', 'André', 'Paulo',
    ],
    last: [
      'Silva', 'Santos', 'Ferreira', 'Pereira', 'Oliveira', 'Costa', 'Rodrigues', 'Martins', 'Jesus',
      'Sousa', 'Fernandes', 'Gonçalves', 'Gomes', 'Lopes', 'Marques', 'Alves', 'Almeida', 'Ribeiro',
      'Pinto', 'Carvalho', 'Teixeira', 'Moreira', 'Correia', 'Mendes', 'Nunes', 'Soares', 'Vieira',
      'Monteiro', 'Cardoso', 'Rocha', 'Simões', 'Magalhães', 'Conceição', 'Assunção', 'Brandão',
      'Falcão', 'Guimarães', 'Araújo', 'Estêvão', 'Loureiro', 'Antunes', 'Baptista', 'Quintela',
    ],
  },
  it: {
    female: [
      'Sofia', 'Giulia', 'Aurora', 'Alice', 'Ginevra', 'Emma', 'Beatrice', 'Chiara', 'Francesca',
      'Martina', 'Elena', 'Noemi', 'Federica', 'Ilaria', 'Caterina', 'Lucrezia', 'Benedetta',
      'Valentina', 'Serena', 'Arianna', 'Rebecca', 'Vittoria', 'Anna', 'Camilla',
    ],
    male: [
      'Niccolò', 'Nicolò', 'Lorenzo', 'Matteo', 'Leonardo', 'Francesco', 'Alessandro', 'Andrea',
      'Gabriele', 'Riccardo', 'Tommaso', 'Edoardo', 'Giuseppe', 'Luca', 'Marco', 'Giovanni',
      'Mattia', 'Davide', 'Federico', 'Pietro', 'Stefano', 'Gioele',
    ],
    last: [
      'Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Colombo', 'Ricci', 'Marino',
      'Greco', 'Bruno', 'Gallo', 'Conti', 'De Luca', 'Mancini', 'Costa', 'Giordano', 'Rizzo',
      'Lombardi', 'Moretti', 'Barbieri', 'Fontana', 'Santoro', 'Mariani', 'Rinaldi', 'Caruso',
      'Ferrara', 'Galli', 'Martini', 'Leone', 'Longo', 'Gentile', 'Martinelli', 'Vitale', "D'Angelo",
      'Cantù', 'Parodi', 'Sartori', 'Pellegrini', 'Benedetti',
    ],
  },
  br: {
    female: [
      'Maria', 'Ana', 'Júlia', 'Letícia', 'Larissa', 'Camila', 'Fernanda', 'Luíza', 'Beatriz',
      'Mariana', 'Gabriela', 'Isabela', 'Lívia', 'Vitória', 'Cecília', 'Débora', 'Érica', 'Bárbara',
      'Flávia', 'Patrícia', 'Conceição', 'Heloísa', 'Lúcia', 'Tatiane', 'Aline',
    ],
    male: [
      'João', 'Pedro', 'Lucas', 'Gabriel', 'Matheus', 'Rafael', 'Guilherme', 'Felipe', 'Gustavo',
      'Thiago', 'Vinícius', 'Caio', 'Heitor', 'Davi', 'Bernardo', 'Otávio', 'Fábio', 'Márcio',
      'Antônio', 'Sebastião', 'Leandro', 'Rodrigo', 'Anderson', 'Cauã',
    ],
    last: [
      'Silva', 'Santos', 'Oliveira', 'Souza', 'Rodrigues', 'Ferreira', 'Alves', 'Pereira', 'Lima',
      'Gomes', 'Costa', 'Ribeiro', 'Martins', 'Carvalho', 'Almeida', 'Lopes', 'Soares', 'Fernandes',
      'Vieira', 'Barbosa', 'Rocha', 'Dias', 'Nascimento', 'Andrade', 'Moreira', 'Nunes', 'Marques',
      'Machado', 'Mendes', 'Freitas', 'Cardoso', 'Ramos', 'Gonçalves', 'Araújo', 'Conceição',
      'Brandão', 'Simões', 'Magalhães', 'Damião', 'Guimarães', 'Assis', 'Queiroz',
    ],
  },
};

/** E-mail providers people of each origin typically use. */
export const EMAIL_DOMAINS: Readonly<Record<Origin, readonly string[]>> = {
  pt: ['gmail.com', 'sapo.pt', 'hotmail.com', 'outlook.pt', 'iol.pt'],
  it: ['gmail.com', 'libero.it', 'virgilio.it', 'hotmail.it', 'tiscali.it'],
  br: ['gmail.com', 'uol.com.br', 'hotmail.com', 'bol.com.br', 'terra.com.br'],
};
