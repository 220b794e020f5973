// Polling without evaluated trigger filters (the Content-Security-Policy forbids eval, which
// htmx's `[...]` filters need). An element that polls with hx-trigger="every …" skips a tick:
//   data-poll-when-visible  while the tab is hidden;
//   data-poll-when-idle     while the tab is hidden or a control inside it has the focus
//                           (a viewer typing a quantity keeps what they typed).
document.addEventListener("htmx:beforeRequest", function (event) {
  var elt = event.detail.elt;
  if (!elt || !elt.hasAttribute) return;
  var idle = elt.hasAttribute("data-poll-when-idle");
  if ((idle || elt.hasAttribute("data-poll-when-visible")) && document.hidden) event.preventDefault();
  else if (idle && elt.contains(document.activeElement)) event.preventDefault();
});
