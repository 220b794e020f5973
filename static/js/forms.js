// Every page's forms (a static file: the Content-Security-Policy allows no inline script).
(function () {
  // One click, one submission: a form's submit buttons are disabled once it is sent, so a
  // double click cannot post it twice (the server also refuses a repeated submission).
  // Disabled on the next tick, after the browser has taken the clicked button's name/value.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || form.method.toLowerCase() !== "post") return;
    setTimeout(function () {
      form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]").forEach(function (b) {
        if (!b.disabled) { b.disabled = true; b.setAttribute("data-sent", ""); }
      });
    }, 0);
  });
  // Coming back to the page (the back button) gives the buttons back.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("[data-sent]").forEach(function (b) {
      b.disabled = false; b.removeAttribute("data-sent");
    });
  });
  // <select data-sets-form-action>: the chosen option's value is where its form posts.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-sets-form-action]") && select.form) {
      select.form.action = select.value;
    }
  });
})();
