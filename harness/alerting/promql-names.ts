const keywords = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan', 'atan2', 'start', 'end']);

/**
 * Returns the metric names a PromQL expression selects, for evidence when an alert does not fire.
 * A light tokenizer rather than a parser. It drops strings, label matchers, ranges and grouping
 * label lists, then keeps identifiers that are neither keywords nor function calls.
 */
export function metricNamesInExpression(expression: string): string[] {
  const stripped = expression
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/(?<![\w:.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)) {
    const [, name, call] = match;
    if (call || keywords.has(name!.toLowerCase())) {
      continue;
    }
    names.add(name!);
  }
  return [...names];
}
