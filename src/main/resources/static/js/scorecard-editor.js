// The scorecard editor: CodeMirror over the YAML text area (line numbers, YAML colours, each problem marked in the
// gutter at its line with the reason on hover), the form view of weights and thresholds, and the question asked
// before publishing. The text area stays the form's field, so without this script the page still saves and publishes.
document.addEventListener('DOMContentLoaded', () => {
  const textarea = document.getElementById('yaml');
  if (!textarea || typeof CodeMirror === 'undefined') {
    return;
  }

  const headers = (extra) => {
    const all = Object.assign({'HX-Request': 'true'}, extra || {});
    const token = document.querySelector('meta[name="csrf-token"]');
    const header = document.querySelector('meta[name="csrf-header"]');
    if (token && header) {
      all[header.content] = token.content;
    }
    return all;
  };
  const post = (url, params) => fetch(url, {
    method: 'POST',
    headers: headers({'Content-Type': 'application/x-www-form-urlencoded'}),
    body: new URLSearchParams(params),
  });

  const validateUrl = textarea.dataset.validateUrl;

  // Asks Steward to check the text, shows its list of problems above the editor and hands each problem that has a
  // line to the gutter.
  const check = (text, updateLinting, options, editor) => {
    post(validateUrl, {yaml: text})
      .then((response) => response.text())
      .then((html) => {
        const fresh = document.createElement('template');
        fresh.innerHTML = html.trim();
        const panel = fresh.content.firstElementChild;
        const current = document.getElementById('validation');
        if (panel && current) {
          current.replaceWith(panel);
        }
        const annotations = [];
        (panel ? panel.querySelectorAll('[data-line]') : []).forEach((item) => {
          const line = Math.min(Math.max(Number(item.dataset.line) - 1, 0), editor.lineCount() - 1);
          const column = Math.max(Number(item.dataset.column || 1) - 1, 0);
          const length = editor.getLine(line).length;
          annotations.push({
            from: CodeMirror.Pos(line, Math.min(column, length)),
            to: CodeMirror.Pos(line, Math.max(length, Math.min(column, length) + 1)),
            message: (item.dataset.field ? item.dataset.field + ': ' : '') + item.dataset.reason,
            severity: 'error',
          });
        });
        updateLinting(annotations);
      })
      .catch(() => updateLinting([]));
  };

  const editor = CodeMirror.fromTextArea(textarea, {
    mode: 'yaml',
    lineNumbers: true,
    readOnly: textarea.readOnly,
    indentUnit: 2,
    tabSize: 2,
    viewportMargin: Infinity,
    gutters: ['CodeMirror-linenumbers', 'CodeMirror-lint-markers'],
    // Tabs are not YAML indentation: the Tab key indents with spaces.
    extraKeys: {Tab: (cm) => cm.execCommand(cm.somethingSelected() ? 'indentMore' : 'insertSoftTab')},
    lint: validateUrl ? {getAnnotations: check, async: true, delay: 400, highlightLines: true} : false,
  });
  editor.getWrapperElement().setAttribute('data-testid', 'code-editor');
  // The text area is what the draft form sends.
  editor.on('change', () => editor.save());
  document.getElementById('editor-tabs').classList.remove('d-none');

  // The form view: read from the editor's text each time it is shown; a changed number comes back as the whole text
  // with that one value replaced, which the editor takes as an edit (so it can be undone) and checks again.
  const formPane = document.getElementById('form-pane');
  const loadForm = () => {
    post(textarea.dataset.formUrl, {yaml: editor.getValue()})
      .then((response) => response.text())
      .then((html) => {
        formPane.innerHTML = html;
        formPane.querySelectorAll('input').forEach((input) => {
          input.readOnly = textarea.readOnly;
        });
      });
  };
  document.getElementById('form-tab').addEventListener('shown.bs.tab', loadForm);
  document.getElementById('yaml-tab').addEventListener('shown.bs.tab', () => editor.refresh());
  formPane.addEventListener('change', (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.dataset.field || textarea.readOnly) {
      return;
    }
    post(textarea.dataset.formUrl + '/edit', {yaml: editor.getValue(), field: input.dataset.field, value: input.value})
      .then((response) => response.json().then((body) => ({ok: response.ok, body})))
      .then(({ok, body}) => {
        let feedback = input.parentElement.querySelector('.invalid-feedback');
        if (!ok) {
          input.classList.add('is-invalid');
          if (!feedback) {
            feedback = document.createElement('div');
            feedback.className = 'invalid-feedback';
            input.insertAdjacentElement('afterend', feedback);
          }
          feedback.textContent = body.detail;
          return;
        }
        input.classList.remove('is-invalid');
        if (feedback) {
          feedback.remove();
        }
        const last = editor.lastLine();
        editor.replaceRange(body.yaml, CodeMirror.Pos(0, 0), CodeMirror.Pos(last, editor.getLine(last).length));
        // A number the document left out was added (thresholds come as a pair): show the form of the new text.
        if (input.placeholder) {
          loadForm();
        }
      });
  });

  // Publishing re-scores every account: first show what the preview says it would change, then publish on the
  // dialog's own button.
  const publishForm = document.getElementById('publish-form');
  const dialog = document.getElementById('publish-confirm');
  if (publishForm && dialog) {
    const body = document.getElementById('publish-confirm-body');
    const confirm = dialog.querySelector('[data-confirmed]');
    const waiting = body.innerHTML;
    publishForm.addEventListener('submit', (event) => {
      if (event.submitter === confirm) {
        return;
      }
      event.preventDefault();
      body.innerHTML = waiting;
      confirm.disabled = true;
      bootstrap.Modal.getOrCreateInstance(dialog).show();
      fetch(publishForm.dataset.previewUrl, {headers: headers()})
        .then((response) => response.text())
        .then((html) => {
          body.innerHTML = html;
          confirm.disabled = body.querySelector('[data-testid="confirmation-refusal"]') !== null;
        })
        .catch(() => {
          body.textContent = 'The preview could not be computed; publishing is still possible.';
          confirm.disabled = false;
        });
    });
  }
});
