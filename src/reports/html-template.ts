/**
 * An escaping HTML template: html`<p>${text}</p>` escapes every interpolated value unless it is
 * already `SafeHtml` (another html`` result, or markup marked with `rawHtml`), so markup is
 * never escaped by hand and never escaped twice.
 *
 * Written here rather than taken from npm: html-template-tag returns plain strings (so nested
 * templates need its `$${}` raw marker at every use) and also escapes backticks, which would
 * change the bytes of existing reports; the escaping must stay exactly the report's own.
 */

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeText(text: string): string {
  return text.replace(/[&<>"']/g, (character) => escapes[character]);
}

/** Markup that is inserted as is. */
export class SafeHtml {
  constructor(private readonly markup: string) {}

  toString(): string {
    return this.markup;
  }
}

/** What a template accepts: text (escaped), markup, numbers, or a list of them (joined with nothing). */
export type HtmlValue = string | number | SafeHtml | readonly HtmlValue[];

function fragment(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.toString();
  if (Array.isArray(value)) return value.map(fragment).join('');
  return escapeText(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += fragment(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/** Marks markup built elsewhere (rendered SVG, a table from `htmlTable`) as safe to insert unescaped. */
export function rawHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** The parts (each escaped unless safe) with the markup `separator` between them. */
export function joinHtml(parts: readonly HtmlValue[], separator: string): SafeHtml {
  return new SafeHtml(parts.map(fragment).join(separator));
}
