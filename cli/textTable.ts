/** Columns padded to their widest cell; the last column is not padded. */
export function textTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** `label: value` lines with the labels aligned. */
export function fieldList(entries: ReadonlyArray<readonly [string, string]>): string {
  const width = Math.max(...entries.map(([label]) => label.length));
  return entries.map(([label, value]) => `${`${label}:`.padEnd(width + 2)}${value}`).join('\n');
}

/** ISO instant as "2026-03-29T01:00:00Z (in 3 h)". */
export function instant(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '-';
  const text = iso.replace(/\.\d{3}Z$/, 'Z');
  const delta = Math.round((Date.parse(iso) - now) / 1000);
  const size = Math.abs(delta);
  if (size > 7 * 86_400) return text;
  const amount = size < 60 ? `${size} s` : size < 3600 ? `${Math.round(size / 60)} min` : size < 86_400 ? `${Math.round(size / 3600)} h` : `${Math.round(size / 86_400)} d`;
  return `${text} (${size === 0 ? 'now' : delta > 0 ? `in ${amount}` : `${amount} ago`})`;
}

/** One line, at most `max` characters. */
export function oneLine(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
