// Elements Rapport adds to x.com live in closed shadow roots: X's styles do not reach in, X's
// scripts cannot read them, and their light DOM stays empty (the scrapers never see them).

/**
 * A new `tag` element marked with `attribute`=`value`, holding a closed shadow root with `css`.
 * @returns {{host: HTMLElement, root: ShadowRoot}}
 */
export function shadowHost(doc, tag, attribute, value, css) {
  const host = doc.createElement(tag);
  host.setAttribute(attribute, value);
  const root = host.attachShadow({ mode: "closed" });
  const style = doc.createElement("style");
  style.textContent = css;
  root.append(style);
  return { host, root };
}
