// Behaviour every page shares. The Content-Security-Policy runs no inline script or event
// handler, so templates mark elements with data attributes and this file wires them.
document.querySelectorAll('select[data-submit-on-change]').forEach(select => {
  select.addEventListener('change', () => select.form.submit());
});
// a width from data (a progress bar's share), set through the CSSOM, which the policy allows;
// on the page and again in each part HTMX swaps in (a running job's progress)
htmx.onLoad(root => {
  root.querySelectorAll('[data-width]').forEach(el => { el.style.width = `${Number(el.dataset.width)}%`; });
});
