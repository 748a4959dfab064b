// The editor's desk: keeps the page current (polls /api/status and swaps the page images
// when the build number changes), finds people by name, previews a dedication (a new one,
// or the change to the one being edited).
// Plain script, no build step; every value goes into the page as text, never as HTML.
"use strict";

(function () {
  const POLL_MS = 500;
  const state = document.getElementById("state");
  let build = Number(state.dataset.build);
  let checked = state.dataset.checked === "true";
  let attempt = Number(state.dataset.attempt);

  function element(tag, attributes, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // -- the build ---------------------------------------------------------------------------

  async function poll() {
    try {
      const answer = await fetch("/api/status", { cache: "no-store", credentials: "same-origin" });
      if (answer.ok) update(await answer.json());
    } catch (error) {
      // the desk is restarting: try again
    }
    window.setTimeout(poll, POLL_MS);
  }

  function update(status) {
    showState(status);
    if (status.attempt !== attempt) {
      showErrors(status.errors);
      attempt = status.attempt;
    }
    if (status.build !== build || status.checked !== checked) {
      showPages(status.pages, status.build !== build);
      showNotes(document.getElementById("document-notes"), status.notes, "span");
      showRows(status.rows);
      showDownloads(status.downloads);
      build = status.build;
      checked = status.checked;
      state.dataset.build = String(build);
    }
  }

  function showState(status) {
    const words = { building: "building…", failed: "the last build failed", ready: "ready" };
    let text = words[status.state] || status.state;
    if (status.built) text += " · build " + status.build + ": " + status.built;
    if (status.checked) {
      const count = status.pages.reduce((n, page) => n + page.notes.length, status.notes.length);
      text += " · preflight: " + (count ? count + " finding" + (count > 1 ? "s" : "") : "clean");
    }
    state.textContent = text;
    state.className = "state state-" + status.state;
  }

  function showErrors(errors) {
    const box = document.getElementById("errors");
    box.replaceChildren(...errors.map((line) => element("p", {}, line)));
  }

  function showPages(pages, fresh) {
    const grid = document.getElementById("pages");
    const figures = Array.from(grid.querySelectorAll("figure.page"));
    if (figures.length !== pages.length) grid.replaceChildren();
    pages.forEach((page, index) => {
      let figure = figures.length === pages.length ? figures[index] : null;
      if (!figure) {
        figure = element("figure", { class: "page" });
        figure.append(
          element("img", { alt: "", width: "495", height: "765" }),
          element("figcaption"),
          element("ul", { class: "notes" })
        );
        grid.append(figure);
      }
      figure.dataset.number = String(page.number);
      figure.dataset.part = page.part;
      const image = figure.querySelector("img");
      image.dataset.part = page.part;
      image.alt = "Page " + page.label;
      if (image.getAttribute("src") !== page.src) {
        image.setAttribute("src", page.src);
        if (fresh && figure.dataset.digest && figure.dataset.digest !== page.digest) flash(image);
      }
      figure.dataset.digest = page.digest;
      figure.querySelector("figcaption").replaceChildren(
        element("span", { class: "label" }, page.label),
        document.createTextNode(" "),
        element("span", { class: "part" }, page.part)
      );
      showNotes(figure.querySelector("ul.notes"), page.notes, "li");
    });
  }

  function flash(image) {
    image.classList.add("fresh");
    window.setTimeout(() => image.classList.remove("fresh"), 1200);
  }

  function showNotes(list, notes, tag) {
    list.replaceChildren(
      ...notes.map((note) =>
        element(tag, { class: "note note-" + note.level }, note.file + ": " + note.text)
      )
    );
  }

  function showRows(rows) {
    for (const list of document.querySelectorAll("#rows ol.rows")) {
      const mine = rows.filter((row) => row.role === list.dataset.role);
      list.replaceChildren(...mine.map(rowItem));
    }
  }

  // A row's small form: its hidden fields (name → value) and its button.
  function rowForm(method, action, kind, fields, label, title) {
    const form = element("form", { method: method, action: action, class: kind });
    for (const [name, value] of Object.entries(fields)) {
      form.append(element("input", { type: "hidden", name: name, value: String(value) }));
    }
    form.append(element("button", { type: "submit", title: title }, label));
    return form;
  }

  // A row as the template draws it (a memorial box with its heading and donors).
  function rowItem(row) {
    const item = element("li");
    const entry = {
      edit_role: row.role, edit_index: row.index, edit_key: row.key, edit_digest: row.digest,
    };
    const proof = row.place ? { key: row.key, place: row.place } : { key: row.key };
    if (row.heading) {
      item.append(element("span", { class: "box-heading", dir: row.dirs.heading }, row.heading));
    }
    item.append(element("span", { class: "line", dir: row.dirs.line }, row.line));
    if (row.role === "memorial_boxes") {
      const donors = row.donors.length ? ": " + row.donors.join("; ") : "";
      item.append(element("span", { class: "donors", dir: row.dirs.donors }, row.dedicated_by + donors));
    }
    item.append(
      rowForm("get", "/#add-form", "edit", entry, "Edit", "Edit " + row.key),
      rowForm("post", "/dedications/proof#proof", "proof", proof, "Proof",
        "The proof of " + row.key + " for the sponsor"),
      rowForm("post", "/dedications/remove", "remove",
        { role: row.role, index: row.index, key: row.key, digest: row.digest }, "Remove",
        "Remove " + row.key)
    );
    return item;
  }

  function showDownloads(downloads) {
    for (const link of document.querySelectorAll("#downloads a")) {
      const href = downloads[link.dataset.kind];
      link.setAttribute("href", href || "#");
      link.classList.toggle("off", !href);
      if (href) link.removeAttribute("aria-disabled");
    }
  }

  // -- choosing an issue -------------------------------------------------------------------

  const issue = document.getElementById("issue");
  if (issue) {
    issue.addEventListener("change", () => {
      document.getElementById("edition").value = "";
    });
  }

  // -- the dedication form -----------------------------------------------------------------

  const form = document.getElementById("add-form");
  const search = document.getElementById("search");
  const found = document.getElementById("found");
  const person = document.getElementById("person");
  const role = document.getElementById("role");
  const boxFields = document.getElementById("box-fields");
  const donors = document.getElementById("donors");
  const editing = Boolean(form && form.querySelector('[name="edit_role"]'));
  let searchTimer = 0;
  let previewTimer = 0;

  function debounce(timer, wait, work) {
    window.clearTimeout(timer);
    return window.setTimeout(work, wait);
  }

  async function lookUp() {
    const query = search.value.trim();
    if (!query) {
      found.replaceChildren();
      return;
    }
    const answer = await fetch("/api/people?q=" + encodeURIComponent(query), {
      credentials: "same-origin",
    });
    if (!answer.ok) return;
    const data = await answer.json();
    found.replaceChildren(...data.found.map(foundItem));
  }

  function foundItem(record) {
    const button = element("button", { type: "button", "data-key": record.key });
    button.append(element("span", { dir: "auto" }, record.name));
    if (record.hebrew) {
      button.append(document.createTextNode(" "), element("span", { dir: "rtl", lang: "he" }, record.hebrew));
    }
    const about = record.living ? "" : " · passed " + record.passed;
    button.append(element("span", { class: "key" }, " (" + record.key + about + ")"));
    button.addEventListener("click", () => {
      person.value = record.key;
      found.replaceChildren();
      if (editing) clearRecord(); // the fields were the other person's record
      schedulePreview();
    });
    const item = element("li");
    item.append(button);
    if (boxMode()) {
      // a memorial box: the person found may be a donor instead
      const donor = element("button", { type: "button", class: "as-donor", "data-key": record.key },
        "+ donor");
      donor.addEventListener("click", () => {
        const keys = donors.value.split(/[\s,]+/).filter((key) => key && key !== record.key);
        donors.value = keys.concat([record.key]).join(", ");
        found.replaceChildren();
        schedulePreview();
      });
      item.append(donor);
    }
    return item;
  }

  function boxMode() {
    return role.value === "memorial_boxes";
  }

  function showBoxFields() {
    boxFields.hidden = !boxMode();
  }

  function clearRecord() {
    for (const input of form.querySelectorAll("#new-record input, #new-record select")) {
      if (input.type === "checkbox") input.checked = false;
      else input.value = "";
    }
    document.getElementById("new-record").open = false;
  }

  function clearFieldErrors() {
    for (const slot of form.querySelectorAll(".field-error")) slot.replaceChildren();
  }

  function showFieldErrors(field, errors) {
    const slot =
      form.querySelector('.field-error[data-for="' + field + '"]') ||
      form.querySelector('.field-error[data-for="form"]');
    slot.replaceChildren(...errors.map((line) => element("span", {}, line)));
  }

  async function preview() {
    const box = document.getElementById("preview");
    const fields = new URLSearchParams(new FormData(form));
    if (!fields.get("person") && !fields.get("given")) {
      box.hidden = true;
      clearFieldErrors();
      return;
    }
    const answer = await fetch("/api/preview?" + fields.toString(), { credentials: "same-origin" });
    if (!answer.ok) return;
    const data = await answer.json();
    clearFieldErrors();
    if (!data.ok) {
      box.hidden = true;
      showFieldErrors(data.field, data.errors);
      return;
    }
    document.getElementById("preview-line").textContent = data.line;
    document.getElementById("preview-honorific").textContent = data.honorific;
    document.getElementById("preview-date").textContent = data.printed_date;
    document.getElementById("preview-hebrew").textContent = data.hebrew_date;
    box.hidden = false;
  }

  function schedulePreview() {
    previewTimer = debounce(previewTimer, 300, preview);
  }

  if (form) {
    search.addEventListener("input", () => {
      searchTimer = debounce(searchTimer, 200, lookUp);
    });
    search.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault();
    });
    form.addEventListener("input", (event) => {
      if (event.target !== search) schedulePreview();
    });
    form.addEventListener("change", (event) => {
      if (event.target === role) showBoxFields();
      if (event.target !== search) schedulePreview();
    });
    showBoxFields();
    if (editing) schedulePreview(); // what the entry prints now
  }

  window.setTimeout(poll, POLL_MS);
})();
