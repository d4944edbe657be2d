// The pipeline board: drag a lead's card to another stage, confirm the date (and the reason
// for a drop or a move back) in the dialog; the page reloads with the lead moved.
(function () {
  const order = JSON.parse(document.getElementById('stage-order').textContent);
  const dialog = document.getElementById('move-dialog');
  const errors = document.getElementById('move-errors');
  const csrf = document.querySelector('#move-dialog-form [name=csrfmiddlewaretoken]').value;
  let dragged = null;
  document.querySelectorAll('.board-card').forEach(card => {
    card.addEventListener('dragstart', e => { dragged = card; e.dataTransfer.setData('text/plain', card.dataset.lead); });
  });
  document.querySelectorAll('.board-column').forEach(column => {
    column.addEventListener('dragover', e => e.preventDefault());
    column.addEventListener('drop', e => {
      e.preventDefault();
      if (!dragged || dragged.dataset.stage === column.dataset.stage) return;
      const from = dragged.dataset.stage, to = column.dataset.stage;
      const back = from === 'dropped' || (order.indexOf(to) >= 0 && order.indexOf(to) < order.indexOf(from));
      document.getElementById('move-stage').value = to;
      document.getElementById('move-dialog-title').textContent = dragged.querySelector('a').textContent + ' → ' + column.querySelector('.card-title').firstChild.textContent.trim();
      document.getElementById('move-reason').required = back || to === 'dropped';
      errors.textContent = '';
      dialog.dataset.lead = dragged.dataset.lead;
      dialog.showModal();
    });
  });
  document.getElementById('move-cancel').addEventListener('click', () => dialog.close());
  document.getElementById('move-dialog-form').addEventListener('submit', async e => {
    e.preventDefault();
    const body = new FormData(e.target);
    const response = await fetch(`${dialog.dataset.leadsUrl}${dialog.dataset.lead}/move/`, {
      method: 'POST', body, headers: {'X-CSRFToken': csrf, 'Accept': 'application/json'}});
    if (response.ok) { window.location.reload(); return; }
    const answer = await response.json().catch(() => ({errors: [response.statusText]}));
    errors.textContent = answer.errors.join(' ');
  });
})();
