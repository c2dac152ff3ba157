/* lvzhi: a few conveniences; every page works without this file. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) { window.print(); }
  });
  /* Filter selects apply at once; the 查找 button stays for keyboards and old browsers. */
  document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.name === "kind") {
        var category = select.form.querySelector("select[name=category]");
        if (category) { category.value = ""; }
      }
      select.form.submit();
    });
  });
  /* Ctrl+Enter sends the routing form. */
  var matter = document.getElementById("matter");
  if (matter) {
    matter.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { matter.form.submit(); }
    });
  }
  /* Printed pages show when they were printed, and folded parts unfold. */
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("[data-now]").forEach(function (el) {
      el.textContent = new Date().toLocaleString("zh-CN");
    });
    document.querySelectorAll("details").forEach(function (el) { el.open = true; });
  });
})();
