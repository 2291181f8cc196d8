// Every badge host on the page (chips live in closed shadow roots; their hosts' attributes say what
// they show): handle, shown or hidden, stage, and how many chips share its parent. Shared by the
// Chromium and Firefox tests.
(selector) => Array.from(document.querySelectorAll(selector)).map((host) => ({
  handle: host.getAttribute('data-handle'),
  shown: host.getAttribute('data-state') === 'shown',
  stage: host.hasAttribute('data-stage') ? Number(host.getAttribute('data-stage')) : null,
  siblings: Array.from(host.parentElement.children).filter((el) => el.hasAttribute('data-rapport-chip')).length,
}))
