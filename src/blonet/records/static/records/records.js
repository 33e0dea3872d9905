// The record forms: add rows of items and entities, show the fields of an entity's kind, link an
// existing person offered by the duplicate check, follow a change of owner office.
// No inline script anywhere: the Content-Security-Policy forbids it.
(() => {
  "use strict";

  const rowOf = (element) => element.closest("[data-row]");
  const entityInput = (row) => row.querySelector("input[name$='-entity']");

  function showKind(row) {
    const select = row.querySelector("select[name$='-kind']");
    if (!select) return;
    for (const group of row.querySelectorAll("[data-kind-fields]")) {
      group.hidden = group.dataset.kindFields !== select.value;
    }
  }

  function firstField(row) {
    const fields = row.querySelectorAll(
      "input:not([type=hidden]):not([type=checkbox]), select, textarea",
    );
    return [...fields].find(
      (field) => !field.closest("[hidden]") && !field.matches("[name$='-kind'], [name$='-role']"),
    );
  }

  function addRow(button) {
    const name = button.dataset.addRow;
    const total = document.getElementById(`id_${name}-TOTAL_FORMS`);
    const template = document.getElementById(`${name}-template`);
    const rows = document.getElementById(`${name}-rows`);
    if (!total || !template || !rows) return;
    const index = Number(total.value);
    const holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replaceAll("__prefix__", String(index));
    const row = holder.firstElementChild;
    rows.append(row);
    total.value = String(index + 1);
    if (button.dataset.kind) {
      row.querySelector("select[name$='-kind']").value = button.dataset.kind;
      const role = row.querySelector("select[name$='-role']");
      if (role && button.dataset.role) role.value = button.dataset.role;
      showKind(row);
    }
    if (window.htmx) window.htmx.process(row);
    const field = firstField(row);
    if (field) field.focus();
  }

  function link(row, button) {
    entityInput(row).value = button.dataset.entity;
    const linked = row.querySelector(".js-linked");
    const anchor = linked.querySelector("a");
    anchor.textContent = button.dataset.label;
    anchor.href = button.dataset.url;
    linked.hidden = false;
    row.querySelector(".js-new-entity").hidden = true;
    linked.querySelector("button").focus();
  }

  function unlink(row) {
    entityInput(row).value = "";
    row.querySelector(".js-linked").hidden = true;
    row.querySelector(".js-new-entity").hidden = false;
  }

  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    const add = target.closest("[data-add-row]");
    if (add) {
      event.preventDefault();
      addRow(add);
      return;
    }
    const use = target.closest(".js-use-entity");
    if (use) {
      event.preventDefault();
      const row = rowOf(use);
      const box = use.closest(".duplicates");
      if (row) link(row, use);
      if (box) box.replaceChildren();
      return;
    }
    const other = target.closest(".js-unlink-entity");
    if (other) {
      event.preventDefault();
      const row = rowOf(other);
      if (row) {
        unlink(row);
        const field = firstField(row);
        if (field) field.focus();
      }
    }
  });

  document.addEventListener("change", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    if (target.matches("[data-row] select[name$='-kind']")) {
      const row = rowOf(target);
      if (row) {
        if (entityInput(row).value) unlink(row);
        showKind(row);
      }
    } else if (target.matches("#id_owner_office")) {
      const option = target.selectedOptions[0];
      if (!option) return;
      const site = document.getElementById("id_site");
      if (site && option.dataset.site) site.value = option.dataset.site;
      const agencies = document.getElementById("id_agencies");
      if (agencies && option.dataset.agency) {
        for (const choice of agencies.options) choice.selected = choice.value === option.dataset.agency;
      }
    }
  });
})();
