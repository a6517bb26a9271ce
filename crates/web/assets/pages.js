// Improves the pages when JavaScript runs; every page works without it.
(function () {
  // Preselect the browser's own time zone while the merchant has not chosen one.
  var zone = document.querySelector('select[data-browser-zone]');
  if (zone && !zone.value) {
    try {
      var mine = Intl.DateTimeFormat().resolvedOptions().timeZone;
      for (var i = 0; i < zone.options.length; i++) {
        if (zone.options[i].value === mine) { zone.value = mine; break; }
      }
    } catch (e) { /* an old browser keeps the list as it is */ }
  }
  // Move focus to the error summary so screen readers announce it.
  var summary = document.querySelector('.error-summary');
  if (summary) { summary.focus(); }
})();
