// What X's single-page app does on a route change, done to a saved page: new URL (pushState, no
// load), new title, new content in the same document. The HTML comes from the test's interception.
async (url) => {
  const html = await (await fetch(url)).text();
  const next = new DOMParser().parseFromString(html, "text/html");
  history.pushState({}, "", url);
  document.title = next.title;
  document.body.replaceChildren(...[...next.body.childNodes].map((node) => document.adoptNode(node)));
  return location.href;
}
