// Send Django's CSRF token with every htmx request (the token is in a hidden form field).
document.addEventListener("htmx:configRequest", function (event) {
  var input = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (input) { event.detail.headers["X-CSRFToken"] = input.value; }
});
// A control with data-dialog-open="<id>" opens that <dialog> as a modal (focus moves into it,
// Esc closes it, focus returns to the control); applying the dialog's filters closes it.
document.addEventListener("click", function (event) {
  var opener = event.target.closest("[data-dialog-open]");
  if (!opener) { return; }
  var dialog = document.getElementById(opener.getAttribute("data-dialog-open"));
  if (dialog && typeof dialog.showModal === "function") { dialog.showModal(); }
});
document.addEventListener("submit", function (event) {
  var dialog = event.target.closest("dialog");
  var method = event.submitter && event.submitter.getAttribute("formmethod");
  if (dialog && dialog.open && method !== "dialog") { dialog.close(); }
});
