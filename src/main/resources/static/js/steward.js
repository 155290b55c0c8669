// Sends the CSRF token with every htmx request, so forms and buttons driven by htmx pass Spring Security's check.
document.addEventListener('htmx:configRequest', (event) => {
  const token = document.querySelector('meta[name="csrf-token"]');
  const header = document.querySelector('meta[name="csrf-header"]');
  if (token && header) {
    event.detail.headers[header.content] = token.content;
  }
});

// Forms marked data-reset-on-success empty themselves after htmx sent them successfully.
document.addEventListener('htmx:afterRequest', (event) => {
  const form = event.detail.elt;
  if (event.detail.successful && form instanceof HTMLFormElement && form.hasAttribute('data-reset-on-success')) {
    form.reset();
  }
});

// Forms marked data-confirm ask before they are sent.
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// A form refused with 422 answers the form again with what was wrong: show it where the answer goes.
document.addEventListener('htmx:beforeSwap', (event) => {
  if (event.detail.xhr.status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
