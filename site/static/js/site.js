// Behaviour the site's own templates ask for by data attributes: scripts live in files, so
// the Content-Security-Policy allows no inline script (settings CONTENT_SECURITY_POLICY).
(function () {
  // The language switcher submits as soon as a language is picked (a button without script).
  document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // Resend of an SMS code opens after the per-number limit (data-wait seconds), counting
  // down on the button with the words in data-countdown ("__SECONDS__" for the number).
  document.querySelectorAll("button[data-wait][data-countdown]").forEach(function (button) {
    var label = button.textContent;
    var left = parseInt(button.dataset.wait, 10);
    var template = button.dataset.countdown;
    button.disabled = true;
    function tick() {
      if (left <= 0) { button.disabled = false; button.textContent = label; return; }
      button.textContent = template.replace("__SECONDS__", left);
      left -= 1;
      setTimeout(tick, 1000);
    }
    tick();
  });

  // A print button (the certificate).
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
