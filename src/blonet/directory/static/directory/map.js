// The directory map: Leaflet without tiles; country borders from world-atlas (npm), sites and
// counterpart links from /directory/map.json. Works with no internet connection.
(function () {
  "use strict";
  const el = document.getElementById("map");
  if (!el || !window.L || !window.topojson) return;
  const COLORS = {
    bcp: "#d62728", border_outpost: "#8c564b", airport: "#1f77b4", terminal: "#9467bd",
    imt_office: "#2ca02c", situation_centre: "#ff7f0e", regional_centre: "#e377c2", headquarters: "#7f7f7f",
  };
  // ISO 3166 numeric codes of the five countries (world-atlas uses numeric ids).
  const NETWORK = new Set(["398", "417", "762", "795", "860"]);
  const status = document.getElementById("map-status");
  const map = L.map(el, { zoomSnap: 0.25, minZoom: 4, maxZoom: 12, attributionControl: false, preferCanvas: false })
    .setView([41.0, 66.5], 5.25);
  map.setMaxBounds([[25, 40], [58, 95]]);
  const markers = {};
  const names = document.getElementById("map-names");

  function esc(text) {
    const d = document.createElement("div");
    d.textContent = text == null ? "" : String(text);
    return d.innerHTML;
  }
  function url(template, key, id) { return template.replace(key, encodeURIComponent(id)); }

  Promise.all([fetch(el.dataset.atlas).then((r) => r.json()), fetch(el.dataset.sites, { credentials: "same-origin" }).then((r) => r.json())])
    .then(([atlas, data]) => {
      const countries = topojson.feature(atlas, atlas.objects.countries);
      L.geoJSON(countries, {
        style: (f) => NETWORK.has(String(f.id))
          ? { color: "#495057", weight: 1.2, fillColor: "#fdfdf6", fillOpacity: 1 }
          : { color: "#adb5bd", weight: 0.8, fillColor: "#f1f3f5", fillOpacity: 1 },
        interactive: false,
      }).addTo(map);
      for (const p of data.pairs) {
        L.polyline([p.from, p.to], { color: "#d62728", weight: 3, dashArray: "4 4", className: "counterpart-link" })
          .bindTooltip(esc(p.a_name) + " ↔ " + esc(p.b_name)).addTo(map);
      }
      for (const s of data.sites) {
        const marker = L.circleMarker([s.lat, s.lon], {
          radius: s.kind === "bcp" ? 7 : 6, color: "#212529", weight: 1,
          fillColor: COLORS[s.kind] || "#000", fillOpacity: s.precision === "exact" ? 0.95 : 0.7,
        });
        const offices = s.offices.map((o) =>
          '<li><a href="' + url(el.dataset.officeUrl, "OFFICE", o.id) + '">' + esc(o.name) + "</a> <small>(" + esc(o.kind) + ")</small></li>").join("");
        marker.bindPopup('<strong><a href="' + url(el.dataset.siteUrl, "SITE", s.id) + '">' + esc(s.name) + "</a></strong><br><small>" +
          esc(s.kind_label) + (s.border ? " · " + esc(s.border) : "") + "</small><ul class=\"mb-0 ps-3\">" + offices + "</ul>");
        marker.bindTooltip(esc(s.name));
        marker.addTo(map);
        if (marker.getElement) { const e = marker.getElement(); if (e) e.setAttribute("data-site", s.id); }
        markers[s.name.toLowerCase()] = marker;
        for (const o of s.offices) markers[o.name.toLowerCase()] = marker;
        const opt = document.createElement("option"); opt.value = s.name; names.appendChild(opt);
      }
      const legend = L.control({ position: "bottomleft" });
      legend.onAdd = () => {
        const div = L.DomUtil.create("div", "map-legend small");
        const seen = [...new Set(data.sites.map((s) => s.kind))];
        div.innerHTML = "<strong>" + esc(el.dataset.labelLegend) + "</strong><br>" +
          seen.map((k) => '<span class="swatch swatch-' + k + '"></span>' + esc(data.sites.find((s) => s.kind === k).kind_label)).join("<br>") +
          '<br><span class="swatch swatch-pair"></span>' + esc(el.dataset.labelPair);
        return div;
      };
      legend.addTo(map);
      el.dataset.ready = "true";
      el.dataset.siteCount = String(data.sites.length);
      el.dataset.pairCount = String(data.pairs.length);
      status.textContent = el.dataset.labelStatus
        .replace("%(sites)s", String(data.sites.length)).replace("%(pairs)s", String(data.pairs.length));
    })
    .catch(() => { status.textContent = el.dataset.labelFailed; });

  document.getElementById("map-search").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const q = document.getElementById("map-q").value.trim().toLowerCase();
    if (!q) return;
    const key = Object.keys(markers).find((k) => k === q) || Object.keys(markers).find((k) => k.includes(q));
    if (!key) { status.textContent = el.dataset.labelNotfound; return; }
    const m = markers[key];
    map.setView(m.getLatLng(), 9);
    m.openPopup();
  });
})();
