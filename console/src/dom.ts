/** A child of `h()`: text is always a text node, so API data can never become markup. */
export type Child = Node | string | number | null | undefined | false | readonly Child[];
export type Attributes = Readonly<Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>>;

/**
 * Creates an element. `onclick`-style keys add listeners, `true`/`false` set or omit boolean
 * attributes, `null`/`undefined` are skipped, everything else is set as an attribute.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes?: Attributes | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/**
 * Replaces `container`'s content. When focus was inside it, focus goes back to the element with
 * the same `data-key` (or id), so an auto-refresh never throws a keyboard user back to the top.
 */
export function replaceContent(container: Element, ...children: Child[]): void {
  const active = document.activeElement;
  const key = active && container.contains(active) ? (active.getAttribute('data-key') ?? (active.id || null)) : null;
  const openDetails = new Set(Array.from(container.querySelectorAll('details[open][data-key]')).map((d) => d.getAttribute('data-key')));
  container.replaceChildren();
  append(container, children);
  for (const details of Array.from(container.querySelectorAll<HTMLDetailsElement>('details[data-key]'))) {
    if (openDetails.has(details.getAttribute('data-key'))) details.open = true;
  }
  if (key !== null) {
    const again = container.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`) ?? container.querySelector<HTMLElement>(`#${CSS.escape(key)}`);
    again?.focus();
  }
}
