/* The school map: markers from the page's JSON (json_script "map-points"), tiles only when
   the office configured a tile URL (data-tile-url); otherwise a blank map with the markers. */
(function () {
  "use strict";
  var element = document.getElementById("school-map");
  var data = document.getElementById("map-points");
  if (!element || !data || typeof L === "undefined") { return; }
  var points = JSON.parse(data.textContent);
  var map = L.map(element, { scrollWheelZoom: false, attributionControl: true, zoomControl: false });
  // Leaflet's own control titles are English: the page passes them in its language.
  L.control.zoom({
    zoomInTitle: element.getAttribute("data-zoom-in") || "+",
    zoomOutTitle: element.getAttribute("data-zoom-out") || "-"
  }).addTo(map);
  map.attributionControl.setPrefix('<a href="https://leafletjs.com" translate="no">Leaflet</a>');
  var tileUrl = element.getAttribute("data-tile-url");
  if (tileUrl) {
    L.tileLayer(tileUrl, { maxZoom: 18, attribution: element.getAttribute("data-attribution") || "" }).addTo(map);
  }
  var bounds = [];
  points.forEach(function (p) {
    var marker = L.circleMarker([p.lat, p.lng], {
      radius: 8, color: "#ffffff", weight: 2, fillColor: p.colour, fillOpacity: 0.9,
      className: "school-marker"
    }).addTo(map);
    var label = document.createElement("div");
    var name = document.createElement("strong");
    name.textContent = p.name + " (" + p.code + ")";
    label.appendChild(name);
    if (p.status) { label.appendChild(document.createElement("br")); label.appendChild(document.createTextNode(p.status)); }
    marker.bindPopup(label);
    bounds.push([p.lat, p.lng]);
  });
  if (bounds.length) { map.fitBounds(bounds, { padding: [24, 24], maxZoom: 13 }); }
  else { map.setView([13.75, 100.5], 6); }
})();
