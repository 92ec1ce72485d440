/*
 * The interactive map's client side.
 *
 * The page holds the Folium base map (tiles, searched place, radius) and a JSON config in
 * <script id="map-config">. This script fetches the matching providers as compact arrays
 * (/map/points.json), clusters them with supercluster, draws only the clusters and markers
 * in view, fits the view, opens popups with details fetched on click (/map/popup/<id>),
 * filters by treatment type, and offers "Search this area".
 *
 * Every string from the data or the query reaches the page through textContent or a DOM
 * property (title), never through innerHTML.
 *
 * When the markers are drawn, <html> gets data-map-ready="1" (or "error") and
 * window.mapState.readyAt holds performance.now() at that moment, for tests and benchmarks.
 */
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("map-config").textContent);
  const map = window[config.mapName];
  const statusLine = document.getElementById("map-status");
  const FLAGS = config.flags;
  const KM_PER_MILE = 1.609344;
  const FIELD = { lat: 0, lon: 1, id: 2, name: 3, flags: 4, treatments: 5, km: 6 };
  const CLUSTER_RADIUS = 60;
  // Grouping stops at this zoom (each level costs index time); a group that would still be a
  // group beyond it lists its providers in a popup instead.
  const CLUSTER_MAX_ZOOM = 14;

  const state = {
    rows: [],
    points: [],
    index: null,
    shown: 0,
    providers: 0,
    drawn: new Map(),
    enabled: new Set(config.treatments.map((t) => t.code)),
    details: new Map(),
    readyAt: null,
  };
  window.mapState = state;
  const layer = L.layerGroup().addTo(map);
  const placeMarker = config.placeName ? window[config.placeName] : null;
  if (placeMarker) placeMarker.getElement()?.classList.add("kt-place");

  // --- small DOM helpers: text only ------------------------------------------------------

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function link(href, text) {
    const anchor = element("a", null, text);
    anchor.href = href;
    if (config.embed) {
      anchor.target = "_blank";
      anchor.rel = "noopener";
    }
    return anchor;
  }

  function setStatus(parts) {
    statusLine.replaceChildren(...parts.map((part) => (typeof part === "string" ? document.createTextNode(part) : part)));
  }

  function number(count) {
    return count.toLocaleString("en");
  }

  function plural(count, word) {
    return number(count) + " " + word + (count === 1 ? "" : "s");
  }

  function listUrl() {
    return document.querySelector("#map-help a").href;
  }

  function markReady(value) {
    state.readyAt = performance.now();
    document.documentElement.setAttribute("data-map-ready", value);
  }

  // --- longitudes --------------------------------------------------------------------------

  // Leaflet draws a longitude where it is, so near the antimeridian (Fiji and Samoa, a box
  // from 170 to -170) a point is moved by whole turns to the copy of the world in view.
  function unwrap(lon, reference) {
    return lon + 360 * Math.round((reference - lon) / 360);
  }

  function wrap(lon) {
    return ((((lon + 180) % 360) + 360) % 360) - 180;
  }

  // --- markers -----------------------------------------------------------------------------

  function statusClass(flags) {
    if (flags & FLAGS.closed) return "kt-closed";
    if (flags & FLAGS.temporarilyClosed) return "kt-temporarily-closed";
    return "kt-open";
  }

  function statusWords(flags) {
    const words = [];
    if (flags & FLAGS.closed) words.push("Closed");
    else if (flags & FLAGS.temporarilyClosed) words.push("Temporarily closed");
    if (flags & FLAGS.illustrative) words.push("Illustrative record, not a real provider");
    return words;
  }

  const icons = new Map();

  function pointIcon(flags) {
    if (!icons.has(flags)) {
      const classes = ["kt-marker", statusClass(flags)];
      if (flags & FLAGS.illustrative) classes.push("kt-illustrative");
      icons.set(flags, L.divIcon({ className: classes.join(" "), iconSize: [20, 20], html: "" }));
    }
    return icons.get(flags);
  }

  function clusterIcon(count) {
    const size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    const label = element("span");
    const shown = element("span", null, number(count));
    shown.dataset.count = String(count);
    label.append(shown, element("span", "visually-hidden", " providers here: select to zoom in"));
    return L.divIcon({ className: "kt-cluster kt-cluster-" + size, iconSize: [40, 40], html: label });
  }

  // Markers and clusters are buttons: a click or Enter (or Space) activates them.
  function onActivate(marker, action) {
    marker.on("click", () => action(false));
    marker.on("keypress", (event) => {
      const key = event.originalEvent.key;
      if (key === "Enter" || key === " ") {
        event.originalEvent.preventDefault();
        action(true);
      }
    });
    return marker;
  }

  function pointMarker(index, latlng) {
    const row = state.rows[index];
    const words = statusWords(row[FIELD.flags]);
    const name = row[FIELD.name];
    const marker = L.marker(latlng, {
      icon: pointIcon(row[FIELD.flags]),
      // A DOM property (the native tooltip and the accessible name), never parsed as HTML.
      title: words.length ? name + " (" + words.join("; ") + ")" : name,
    });
    return onActivate(marker, () => openPopup(index, latlng));
  }

  function clusterMarker(feature, latlng) {
    const count = feature.properties.point_count;
    const marker = L.marker(latlng, {
      icon: clusterIcon(count),
      // Where some provider has several sites, a group counts sites, not providers.
      title: plural(count, state.rows.length > state.providers ? "site" : "provider") + " here: select to zoom in",
    });
    return onActivate(marker, (fromKeyboard) => expandCluster(feature, latlng, fromKeyboard));
  }

  function expandCluster(feature, latlng, fromKeyboard) {
    const id = feature.properties.cluster_id;
    const zoom = state.index.getClusterExpansionZoom(id);
    if (zoom <= CLUSTER_MAX_ZOOM) {
      map.setView(latlng, zoom);
      if (fromKeyboard) map.getContainer().focus();
    } else {
      listPopup(id, latlng);
    }
  }

  // --- drawing what is in view ---------------------------------------------------------------

  function queryBox() {
    const bounds = map.getBounds().pad(0.2);
    const south = Math.max(-90, bounds.getSouth());
    const north = Math.min(90, bounds.getNorth());
    if (bounds.getEast() - bounds.getWest() >= 360) return [-180, south, 180, north];
    return [wrap(bounds.getWest()), south, wrap(bounds.getEast()), north];
  }

  function draw() {
    if (!state.index) return;
    const centre = map.getCenter().lng;
    const wanted = new Map();
    for (const feature of state.index.getClusters(queryBox(), Math.round(map.getZoom()))) {
      const [lon, lat] = feature.geometry.coordinates;
      const shown = unwrap(lon, centre);
      const cluster = feature.properties.cluster;
      const key = (cluster ? "c" + feature.properties.cluster_id : "p" + feature.properties.i) + "@" + shown;
      wanted.set(key, { feature, latlng: L.latLng(lat, shown), cluster });
    }
    for (const [key, marker] of state.drawn) {
      if (!wanted.has(key)) {
        layer.removeLayer(marker);
        state.drawn.delete(key);
      }
    }
    for (const [key, item] of wanted) {
      if (state.drawn.has(key)) continue;
      const marker = item.cluster ? clusterMarker(item.feature, item.latlng) : pointMarker(item.feature.properties.i, item.latlng);
      state.drawn.set(key, marker);
      layer.addLayer(marker);
    }
  }

  let pendingReady = false;

  function drawnAndPainted() {
    draw();
    if (!pendingReady) return;
    pendingReady = false;
    requestAnimationFrame(() => setTimeout(() => markReady("1"), 0));
  }

  map.on("moveend", drawnAndPainted);

  function matchesFilter(row) {
    const mask = row[FIELD.treatments];
    if (!mask) return true;
    for (let bit = 0; bit < config.treatments.length; bit++) {
      if (mask & (1 << bit) && state.enabled.has(config.treatments[bit].code)) return true;
    }
    return false;
  }

  // A provider with several sites has a point at each; counts are of providers.
  function providersOf(rows) {
    return new Set(rows.map((row) => row[FIELD.id])).size;
  }

  function buildIndex() {
    const chosen = state.points.filter((point) => matchesFilter(state.rows[point.properties.i]));
    state.shown = providersOf(chosen.map((point) => state.rows[point.properties.i]));
    state.index = new Supercluster({ radius: CLUSTER_RADIUS, minZoom: map.getMinZoom(), maxZoom: CLUSTER_MAX_ZOOM, minPoints: 2 });
    state.index.load(chosen);
    layer.clearLayers();
    state.drawn.clear();
    describe();
  }

  // --- status line ---------------------------------------------------------------------------

  function describe() {
    const count = state.providers;
    if (!count) {
      setStatus(["No providers to show on the map for this search. ", link(listUrl(), "See the list"), " for telehealth options and the nearest providers."]);
      return;
    }
    const parts = [];
    const sites = state.rows.length > count ? " (at " + number(state.rows.length) + " sites)" : "";
    if (state.shown === count) parts.push(plural(count, "provider") + sites + " shown on the map");
    else parts.push(number(state.shown) + " of " + plural(count, "provider") + " shown on the map (filtered by treatment)");
    const telehealthOnly = Math.max(0, config.total - count);
    if (telehealthOnly) {
      parts.push("; " + number(telehealthOnly) + (telehealthOnly === 1 ? " provides" : " provide") + " telehealth only (");
      parts.push(link(listUrl(), "see the list"));
      parts.push(")");
    }
    parts.push(".");
    setStatus(parts);
  }

  // --- popups --------------------------------------------------------------------------------

  function formatDistance(km) {
    const value = config.unit === "mi" ? km / KM_PER_MILE : km;
    const shown = value < 10 ? value.toFixed(1) : number(Math.round(value));
    return shown + " " + config.unit;
  }

  function urlFor(template, id) {
    return template.replace("__id__", encodeURIComponent(id));
  }

  function treatmentList(row, details) {
    const list = element("ul", "kt-popup-treatments");
    if (details) {
      for (const treatment of details.treatments) {
        const item = element("li", null, treatment.label + ": ");
        item.appendChild(element("span", "kt-price", treatment.price));
        list.appendChild(item);
      }
    } else {
      config.treatments.forEach((treatment, bit) => {
        if (row[FIELD.treatments] & (1 << bit)) list.appendChild(element("li", null, treatment.label));
      });
    }
    return list;
  }

  function popupContent(row, details, failed) {
    const box = element("div", "kt-popup");
    box.appendChild(element("h2", "kt-popup-name", row[FIELD.name]));
    for (const word of statusWords(row[FIELD.flags])) box.appendChild(element("p", "kt-popup-flag", word));
    if (row.length > FIELD.km) {
      box.appendChild(element("p", "kt-popup-distance", formatDistance(row[FIELD.km]) + " from the searched place"));
    }
    box.appendChild(element("p", "kt-popup-heading", "Treatments and prices"));
    box.appendChild(treatmentList(row, details));
    if (!details) {
      const note = failed ? "Prices could not be loaded; see the provider's page." : "Loading prices…";
      box.appendChild(element("p", "kt-popup-loading", note));
    }
    const more = element("p", "kt-popup-link");
    let page = details ? details.url : urlFor(config.providerUrl, row[FIELD.id]);
    if (config.origin) page += "?" + new URLSearchParams(config.origin).toString();
    more.appendChild(link(page, "View provider details"));
    box.appendChild(more);
    return box;
  }

  function showPopup(latlng, content) {
    // Never wider than the map less a margin, so a popup fits a 390 px phone.
    const width = Math.max(160, Math.min(320, map.getSize().x - 72));
    return L.popup({ maxWidth: width, minWidth: Math.min(200, width), autoPanPadding: [16, 16], offset: [0, -4] })
      .setLatLng(latlng)
      .setContent(content)
      .openOn(map);
  }

  function openPopup(index, latlng) {
    const row = state.rows[index];
    const id = row[FIELD.id];
    const popup = showPopup(latlng, popupContent(row, state.details.get(id), false));
    if (state.details.has(id)) return;
    fetch(urlFor(config.popupUrl, id))
      .then((response) => {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then((details) => {
        state.details.set(id, details);
        if (popup.isOpen()) popup.setContent(popupContent(row, details, false));
      })
      .catch(() => {
        if (popup.isOpen()) popup.setContent(popupContent(row, null, true));
      });
  }

  // A cluster that no zoom can split (providers at one address) lists its providers instead.
  function listPopup(clusterId, latlng) {
    const leaves = state.index.getLeaves(clusterId, Infinity);
    const box = element("div", "kt-popup");
    box.appendChild(element("h2", "kt-popup-name", plural(leaves.length, "provider") + " close together"));
    const list = element("ul", "kt-popup-list");
    for (const leaf of leaves) {
      const row = state.rows[leaf.properties.i];
      const item = element("li");
      const button = element("button", "kt-popup-choice", row[FIELD.name]);
      button.type = "button";
      button.addEventListener("click", () => openPopup(leaf.properties.i, latlng));
      item.appendChild(button);
      list.appendChild(item);
    }
    box.appendChild(list);
    showPopup(latlng, box);
  }

  // --- legend and treatment filter -------------------------------------------------------------

  // The statuses (and the illustrative flag) that the loaded points have, for the key.
  function presentKinds() {
    const kinds = new Set();
    for (const row of state.rows) {
      const flags = row[FIELD.flags];
      kinds.add(statusClass(flags));
      if (flags & FLAGS.illustrative) kinds.add("kt-illustrative");
    }
    if (state.rows.length > 1) kinds.add("kt-cluster");
    return kinds;
  }

  function legendControl(counts) {
    const control = L.control({ position: "topright" });
    control.onAdd = function () {
      const box = element("div", "kt-legend leaflet-bar");
      const details = element("details");
      details.open = !config.embed && window.innerWidth > 700;
      details.appendChild(element("summary", null, "Key and treatment filter"));
      const fieldset = element("fieldset");
      fieldset.appendChild(element("legend", null, "Show providers offering"));
      config.treatments.forEach((treatment) => {
        const label = element("label", "kt-filter");
        const checkbox = element("input");
        checkbox.type = "checkbox";
        checkbox.value = treatment.code;
        checkbox.checked = state.enabled.has(treatment.code);
        checkbox.addEventListener("change", () => {
          if (checkbox.checked) state.enabled.add(treatment.code);
          else state.enabled.delete(treatment.code);
          buildIndex();
          draw();
        });
        label.appendChild(checkbox);
        label.appendChild(document.createTextNode(" " + treatment.label + " (" + number(counts[treatment.code] || 0) + ")"));
        fieldset.appendChild(label);
      });
      details.appendChild(fieldset);
      const key = element("ul", "kt-key");
      const present = presentKinds();
      [
        ["kt-open", "kt-marker kt-open", "Open"],
        ["kt-temporarily-closed", "kt-marker kt-temporarily-closed", "Temporarily closed"],
        ["kt-closed", "kt-marker kt-closed", "Closed"],
        ["kt-illustrative", "kt-marker kt-open kt-illustrative", "Illustrative record"],
        ["kt-cluster", "kt-cluster kt-cluster-small", "Group of providers (select to zoom in)"],
      ].filter(([kind]) => present.has(kind)).forEach(([, classes, text]) => {
        const item = element("li");
        const swatch = element("span", "kt-swatch " + classes);
        swatch.setAttribute("aria-hidden", "true");
        item.appendChild(swatch);
        item.appendChild(document.createTextNode(" " + text));
        key.appendChild(item);
      });
      details.appendChild(key);
      box.appendChild(details);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    return control;
  }

  // --- "Search this area" ------------------------------------------------------------------

  function round(value) {
    return Math.round(value * 1e5) / 1e5;
  }

  function visibleBox() {
    const bounds = map.getBounds();
    let west = bounds.getWest();
    let east = bounds.getEast();
    if (east - west >= 360) {
      west = -180;
      east = 180;
    }
    const south = Math.max(-90, bounds.getSouth());
    const north = Math.min(90, bounds.getNorth());
    return [west, south, east, north].map(round).join(",");
  }

  function searchAreaControl() {
    const control = L.control({ position: "topleft" });
    control.onAdd = function () {
      const box = element("div", "kt-search-area");
      const button = element("button", "kt-search-area-button", "Search this area");
      button.type = "button";
      button.hidden = true;
      button.addEventListener("click", () => {
        const params = new URLSearchParams(config.searchArgs);
        // An area has no centre: the old place and radius would only contradict it.
        for (const name of ["near", "radius", "page"]) params.delete(name);
        params.set("bbox", visibleBox());
        window.location.assign(config.mapUrl + "?" + params.toString());
      });
      box.appendChild(button);
      L.DomEvent.disableClickPropagation(box);
      // Only a view the user chose is worth searching: Leaflet also moves the map itself
      // (fitting the results, resizing), so wait for a pointer, wheel or key first.
      let touched = false;
      const container = map.getContainer();
      for (const type of ["pointerdown", "wheel", "keydown"]) {
        container.addEventListener(type, () => (touched = true), { passive: true });
      }
      map.on("moveend", () => {
        if (touched && state.readyAt !== null) button.hidden = false;
      });
      return box;
    };
    return control;
  }

  // --- tiles ---------------------------------------------------------------------------------

  let tileNoteShown = false;
  map.eachLayer((tiles) => {
    if (!(tiles instanceof L.TileLayer)) return;
    tiles.on("tileerror", () => {
      if (tileNoteShown) return;
      tileNoteShown = true;
      const note = element("p", "map-status kt-tile-note", "The map background could not be loaded. Markers, popups and the list still work.");
      statusLine.after(note);
    });
  });

  // --- loading -------------------------------------------------------------------------------

  function referenceLongitude(rows) {
    if (placeMarker) return placeMarker.getLatLng().lng;
    let west = 180, east = -180, shiftedWest = 360, shiftedEast = 0;
    for (const row of rows) {
      const lon = row[FIELD.lon];
      const shifted = lon < 0 ? lon + 360 : lon;
      if (lon < west) west = lon;
      if (lon > east) east = lon;
      if (shifted < shiftedWest) shiftedWest = shifted;
      if (shifted > shiftedEast) shiftedEast = shifted;
    }
    return shiftedEast - shiftedWest < east - west ? (shiftedWest + shiftedEast) / 2 : (west + east) / 2;
  }

  function fitToPoints() {
    if (config.fit !== "points" || !state.rows.length) return;
    const reference = referenceLongitude(state.rows);
    let south = 90, north = -90, west = Infinity, east = -Infinity;
    for (const row of state.rows) {
      const lat = row[FIELD.lat];
      const lon = unwrap(row[FIELD.lon], reference);
      if (lat < south) south = lat;
      if (lat > north) north = lat;
      if (lon < west) west = lon;
      if (lon > east) east = lon;
    }
    const bounds = L.latLngBounds([south, west], [north, east]);
    if (placeMarker) bounds.extend(placeMarker.getLatLng());
    // Keep the points clear of an open key in the top right corner.
    const legend = map.getContainer().querySelector(".kt-legend details[open]");
    const right = legend ? Math.min(legend.parentElement.offsetWidth + 20, map.getSize().x / 3) : 0;
    map.fitBounds(bounds, {
      paddingTopLeft: [30, 30],
      paddingBottomRight: [30 + right, 30],
      maxZoom: 13,
      animate: false,
    });
  }

  function load(payload) {
    state.rows = payload.points;
    state.points = state.rows.map((row, i) => ({
      type: "Feature",
      properties: { i: i },
      geometry: { type: "Point", coordinates: [row[FIELD.lon], row[FIELD.lat]] },
    }));
    state.providers = providersOf(state.rows);
    const counts = {};
    const counted = new Set();
    for (const row of state.rows) {
      if (counted.has(row[FIELD.id])) continue;
      counted.add(row[FIELD.id]);
      config.treatments.forEach((treatment, bit) => {
        if (row[FIELD.treatments] & (1 << bit)) counts[treatment.code] = (counts[treatment.code] || 0) + 1;
      });
    }
    buildIndex();
    legendControl(counts).addTo(map);
    searchAreaControl().addTo(map);
    pendingReady = true;
    fitToPoints();
    drawnAndPainted();
  }

  // No extra headers: the request must match the page's <link rel="preload"> to reuse it.
  fetch(config.pointsUrl)
    .then((response) => {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    })
    .then(load)
    .catch((error) => {
      setStatus(["The providers could not be loaded on the map (" + error.message + "). ", link(listUrl(), "See them as a list"), "."]);
      markReady("error");
    });
})();
