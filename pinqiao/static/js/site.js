// Send Django's CSRF token with every htmx request (the token is in a hidden form field).
document.addEventListener("htmx:configRequest", function (event) {
  var input = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (input) { event.detail.headers["X-CSRFToken"] = input.value; }
});
