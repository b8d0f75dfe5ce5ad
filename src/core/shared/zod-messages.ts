// Zod's own wording for a missing or mistyped field ("Invalid input: expected string, received
// undefined") is a developer's. Every schema of the tablet and the server (commands, request bodies,
// the web channel's orders) shares this one map, so bad input is answered with a sentence a person
// can act on. A message a schema gives itself still wins over this map (zod's precedence).
import { z } from 'zod';

const KIND: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  bigint: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a group of fields',
  date: 'a date',
};

/** The sentence for one issue, or undefined for zod's default. */
export function plainIssue(issue: { code?: string; expected?: unknown; input?: unknown }): string | undefined {
  if (issue.code !== 'invalid_type') return undefined;
  const kind = KIND[String(issue.expected)] ?? String(issue.expected);
  if (issue.input === undefined) return `This is required (${kind})`;
  if (issue.input === null) return `This cannot be empty; give ${kind}`;
  return `This must be ${kind}`;
}

z.config({ customError: (issue) => plainIssue(issue) });
