// What-if: recompute as soon as a level changes (the form also works without this script).
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("whatif-form");
  if (!form) return;
  form.addEventListener("change", function (event) {
    if (event.target.tagName !== "SELECT") return;
    sessionStorage.setItem("whatif-scroll", String(window.scrollY));
    form.submit();
  });
  var y = sessionStorage.getItem("whatif-scroll");
  if (y !== null) { sessionStorage.removeItem("whatif-scroll"); window.scrollTo(0, parseInt(y, 10)); }
});
