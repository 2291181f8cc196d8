// X recycles a timeline cell in place: React rewrites the hrefs and the text of the same elements.
// Here the author block of the first post by `from` becomes `to`'s. Shared by the Chromium and Firefox tests.
([from, to]) => {
  const name = Array.from(document.querySelectorAll('[data-testid="User-Name"]'))
    .find((el) => el.querySelector('a[href]').getAttribute('href').replace(/^.*\//, '') === from);
  for (const a of name.querySelectorAll('a[href]')) a.setAttribute('href', a.getAttribute('href').replace(from, to));
  const walker = document.createTreeWalker(name, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) walker.currentNode.nodeValue = walker.currentNode.nodeValue.replace(from, to);
  name.setAttribute('data-recycled', to);
  return true;
}
