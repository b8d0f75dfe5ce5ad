// The barcode of a document's number (CODE128), as printed at the foot of the sale and return receipts
// [MO4]: a scanner at any till reads the number back (the Returns screen finds the purchase by it).
import { useEffect, useRef } from 'react';
import JsBarcode from 'jsbarcode';

export function Barcode({ value }: { value: string }) {
  const ref = useRef<SVGSVGElement>(null);
  useEffect(() => {
    if (ref.current) JsBarcode(ref.current, value, { format: 'CODE128', height: 44, width: 1.6, margin: 0, fontSize: 13, displayValue: true });
  }, [value]);
  return <svg ref={ref} className="receipt-barcode" role="img" aria-label={value} />;
}
