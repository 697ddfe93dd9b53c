// dossier explorer: small progressive enhancements; every page works without this file.
"use strict";

// Timeline: filter the events shown as the entity, period and type change (no reload).
function overlaps(date, end, lo, hi) {
  if (!lo && !hi) return true;
  if (!date) return false;
  const last = (end || date) + "~";
  return (!hi || date <= hi + "~") && (!lo || last >= lo);
}

function setupTimeline() {
  const form = document.getElementById("timeline-filter");
  const list = document.getElementById("timeline");
  if (!form || !list) return;
  const entity = document.getElementById("tl-entity");
  const from = document.getElementById("tl-from");
  const to = document.getElementById("tl-to");
  const type = document.getElementById("tl-type");
  const count = document.getElementById("tl-count");
  const apply = () => {
    const items = list.querySelectorAll("li.event");
    let shown = 0;
    items.forEach((li) => {
      const ids = (li.dataset.entities || "").split(/\s+/);
      const ok = (!entity.value || ids.includes(entity.value)) &&
        (!type.value || li.dataset.type === type.value) &&
        overlaps(li.dataset.date, li.dataset.dateEnd, from.value.trim(), to.value.trim());
      li.hidden = !ok;
      if (ok) shown += 1;
    });
    if (count) count.textContent = shown + " of " + items.length + " events shown";
  };
  [entity, type].forEach((el) => el.addEventListener("change", apply));
  [from, to].forEach((el) => el.addEventListener("input", apply));
}

// Network: hovering an entity lights its links; the weight box hides weaker links at once.
function setupNetwork() {
  const svg = document.getElementById("network");
  if (!svg) return;
  const lines = Array.from(svg.querySelectorAll("line"));
  svg.querySelectorAll("a.node").forEach((node) => {
    const id = node.dataset.id;
    node.addEventListener("mouseenter", () => {
      const near = new Set([id]);
      lines.forEach((l) => {
        const on = l.dataset.source === id || l.dataset.target === id;
        l.classList.toggle("lit", on);
        if (on) { near.add(l.dataset.source); near.add(l.dataset.target); }
      });
      svg.querySelectorAll("a.node").forEach((n) => n.classList.toggle("dim", !near.has(n.dataset.id)));
    });
    node.addEventListener("mouseleave", () => {
      lines.forEach((l) => l.classList.remove("lit"));
      svg.querySelectorAll("a.node").forEach((n) => n.classList.remove("dim"));
    });
  });
  const weight = document.getElementById("min-weight");
  if (weight) {
    weight.addEventListener("input", () => {
      const min = Number(weight.value) || 1;
      lines.forEach((l) => l.classList.toggle("hidden", Number(l.dataset.weight) < min));
    });
  }
}

// Coverage: colour the legend swatches like the bars.
function setupCoverage() {
  document.querySelectorAll(".swatch[data-colour]").forEach((s) => { s.style.background = s.dataset.colour; });
}

document.addEventListener("DOMContentLoaded", () => {
  setupTimeline();
  setupNetwork();
  setupCoverage();
});
