// Branded primitive types: a price cannot be passed where a quantity or an id goes.
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type Sku = Brand<string, 'Sku'>;
export type LocationId = Brand<string, 'LocationId'>;
export type CustomerId = Brand<string, 'CustomerId'>;
export type AssociateId = Brand<string, 'AssociateId'>;
export type DeviceId = Brand<string, 'DeviceId'>;
export type CommandId = Brand<string, 'CommandId'>;
/** Integer minor units (cents) of the currency it travels with. Never a float. */
export type Minor = Brand<number, 'Minor'>;
/** ISO 4217 code. */
export type Currency = 'EUR' | 'BRL' | 'USD';

export const asSku = (s: string) => s as Sku;
export const asLocationId = (s: string) => s as LocationId;
export const asCustomerId = (s: string) => s as CustomerId;
export const asAssociateId = (s: string) => s as AssociateId;
export const asDeviceId = (s: string) => s as DeviceId;
export const asCommandId = (s: string) => s as CommandId;
