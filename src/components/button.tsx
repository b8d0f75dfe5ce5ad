// The one button: a 44 px touch target, `type="button"` unless told otherwise, three looks.
import type { ButtonHTMLAttributes } from 'react';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: 'primary' | 'secondary' | 'link' | 'danger';
}

export function Button({ variant = 'primary', type = 'button', className, ...rest }: ButtonProps) {
  const look = variant === 'primary' ? '' : variant;
  return <button type={type} className={[look, className].filter(Boolean).join(' ') || undefined} {...rest} />;
}
