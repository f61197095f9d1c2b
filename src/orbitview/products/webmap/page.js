/* orbitview map page.  Every position was computed by orbitview in Python and
 * embedded below; this script interpolates between samples and draws.
 *   - satellites: Earth-fixed (ITRS) km at a fixed step, cubic Lagrange
 *     interpolation over four samples, then WGS84 geodetic coordinates;
 *   - footprints: edge points solved by orbitview at a coarser step, moved with
 *     the interpolated sub-point and interpolated linearly between samples;
 *   - night side: the circle 90.833 deg from the subsolar point orbitview
 *     computed (the Sun 0.833 deg below the horizon, as cartopy's Nightshade).
 */
(function () {
  'use strict';
  const D = JSON.parse(document.getElementById('orbitview-data').textContent);
  /* The local zone orbitview chose (--tz, config, site, else Pakistan's) and every
   * offset it keeps over the window, so daylight-saving changes show as the clocks did. */
  const Z = D.clock;
  function zoneAt(ms) {
    let c = Z.changes[0];
    for (const x of Z.changes) if (x.from_ms <= ms) c = x;
    return c;
  }
  const DAY_MS = 86400 * 1000;
  const DEG = Math.PI / 180;

  // ------------------------------------------------------------------ time text
  const pad = (n) => String(n).padStart(2, '0');
  function stamp(ms) {
    const d = new Date(ms);
    return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()) +
      ' ' + pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()) + ':' + pad(d.getUTCSeconds());
  }
  const utc = (ms) => stamp(ms) + ' UTC';
  const local = (ms) => { const c = zoneAt(ms); return stamp(ms + c.offset_ms) + ' ' + c.abbr; };
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));

  // ------------------------------------------------------------------ geometry
  const WGS84_A = 6378.137;
  const WGS84_F = 1 / 298.257223563;
  const E2 = WGS84_F * (2 - WGS84_F);

  /* Earth-fixed km -> [lat deg, lon deg, height km] on WGS84 (fixed-point iteration). */
  function geodetic(x, y, z) {
    const p = Math.hypot(x, y);
    let lat = Math.atan2(z, p * (1 - E2));
    let h = 0;
    for (let k = 0; k < 6; k++) {
      const s = Math.sin(lat);
      const N = WGS84_A / Math.sqrt(1 - E2 * s * s);
      h = p * Math.cos(lat) + (z + E2 * N * s) * s - N;
      lat = Math.atan2(z, p * (1 - E2 * N / (N + h)));
    }
    return [lat / DEG, Math.atan2(y, x) / DEG, h];
  }

  const wrap180 = (lon) => ((lon + 180) % 360 + 360) % 360 - 180;

  function unwrap(lons) {
    const out = [lons[0]];
    for (let i = 1; i < lons.length; i++) {
      let d = lons[i] - lons[i - 1];
      d -= 360 * Math.round(d / 360);
      out.push(out[i - 1] + d);
    }
    return out;
  }

  /* Turns of a closed ring of continuous longitudes round a pole: -1, 0 or 1. */
  function winding(lons) {
    const last = lons[lons.length - 1];
    let d = lons[0] - last;
    d -= 360 * Math.round(d / 360);
    return Math.round((last + d - lons[0]) / 360);
  }

  /* A ring (continuous longitudes) as Leaflet multipolygon rings: a ring that
   * winds round a pole is closed along that pole; copies shifted by 360 deg
   * fill the map on both sides of the antimeridian. */
  function ringLatLngs(lats, lons, poleSign, baseLon) {
    const pts = lats.map((la, i) => [Math.max(-90, Math.min(90, la)), lons[i]]);
    const w = winding(lons);
    if (w !== 0) {
      const pole = poleSign >= 0 ? 90 : -90;
      const n = lons.length;
      let closeLon = lons[n - 1] + (lons[0] - lons[n - 1] - 360 * Math.round((lons[0] - lons[n - 1]) / 360));
      pts.push([lats[0], closeLon], [pole, closeLon], [pole, lons[0]]);
    }
    const base = baseLon !== undefined ? baseLon : lons.reduce((a, b) => a + b, 0) / lons.length;
    const shift0 = -360 * Math.round(base / 360);
    return [-360, 0, 360].map((s) => [pts.map(([la, lo]) => [la, lo + s + shift0])]);
  }

  /* Point at angular distance r (deg) and bearing b (deg) from (lat, lon) on a sphere. */
  function destination(lat, lon, b, r) {
    const p1 = lat * DEG, l1 = lon * DEG, br = b * DEG, d = r * DEG;
    const p2 = Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(br));
    const l2 = l1 + Math.atan2(Math.sin(br) * Math.sin(d) * Math.cos(p1),
      Math.cos(d) - Math.sin(p1) * Math.sin(p2));
    return [p2 / DEG, l2 / DEG];
  }

  // ------------------------------------------------------------------ interpolation
  function sampleXYZ(sat, k) {
    const a = sat.xyz_km;
    const x = a[3 * k], y = a[3 * k + 1], z = a[3 * k + 2];
    return x === null ? null : [x, y, z];
  }

  /* Earth-fixed position at ms: cubic Lagrange over the four samples around it. */
  function positionKm(sat, ms) {
    const n = sat.n;
    if (n === 1) return ms === sat.t0_ms ? sampleXYZ(sat, 0) : null;
    const u = (ms - sat.t0_ms) / 1000 / sat.step_s;
    if (u < -1e-9 || u > n - 1 + 1e-9) return null;
    let j = Math.min(Math.floor(u), n - 2);
    if (n >= 4) {
      const k0 = Math.max(0, Math.min(j - 1, n - 4));
      const nodes = [0, 1, 2, 3].map((i) => sampleXYZ(sat, k0 + i));
      if (nodes.every((v) => v !== null)) {
        const x = u - k0;
        const out = [0, 0, 0];
        for (let i = 0; i < 4; i++) {
          let w = 1;
          for (let m = 0; m < 4; m++) if (m !== i) w *= (x - m) / (i - m);
          for (let c = 0; c < 3; c++) out[c] += w * nodes[i][c];
        }
        return out;
      }
    }
    const a = sampleXYZ(sat, j), b = sampleXYZ(sat, j + 1);
    if (a === null || b === null) return null;
    const f = u - j;
    return [0, 1, 2].map((c) => a[c] + f * (b[c] - a[c]));
  }

  function state(sat, ms) {
    const xyz = positionKm(sat, ms);
    if (xyz === null) return null;
    const [lat, lon, h] = geodetic(xyz[0], xyz[1], xyz[2]);
    const k = Math.max(0, Math.min(sat.n - 1, Math.round((ms - sat.t0_ms) / 1000 / sat.step_s)));
    let set = sat.element_runs[0][1];
    for (const [start, idx] of sat.element_runs) if (start <= k) set = idx;
    const el = sat.elements[set];
    return { lat, lon, altitude_km: h, ms, element: el, age_days: (ms - el.epoch_ms) / DAY_MS };
  }

  function bracket(times, ms) {
    if (ms < times[0] || ms > times[times.length - 1]) return null;
    let lo = 0, hi = times.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (times[mid] <= ms) lo = mid; else hi = mid;
    }
    const span = times[hi] - times[lo];
    return [lo, hi, span > 0 ? (ms - times[lo]) / span : 0];
  }

  /* One edge (E: rel_lon and lat per sample) moved with the sub-point at state st. */
  function edgeRing(F, E, br, st) {
    let [i, j, f] = br;
    const relA = E.rel_lon[i], relB = E.rel_lon[j];
    if (winding(relA) !== winding(relB)) { if (f < 0.5) j = i; else i = j; f = 0; }
    const lats = [], lons = [];
    for (let b = 0; b < relA.length; b++) {
      const dA = E.lat[i][b] - F.sub_lat[i], dB = E.lat[j][b] - F.sub_lat[j];
      lats.push(st.lat + dA + f * (dB - dA));
      lons.push(st.lon + E.rel_lon[i][b] + f * (E.rel_lon[j][b] - E.rel_lon[i][b]));
    }
    return [lats, lons];
  }

  /* The footprint's polygons at st: its edge, or for a radar the band between the far
   * edge and the near one (a hole: nadir is outside the incidence window). */
  function footprintRing(sat, st) {
    const F = sat.footprint;
    if (!F || !st) return null;
    const br = bracket(F.t_ms, st.ms);
    if (!br) return null;
    const [lats, lons] = edgeRing(F, F, br, st);
    const outer = ringLatLngs(lats, lons, st.lat);
    if (!F.inner) return outer;
    // The hole shifted by the same multiple of 360 deg as its ring, copy by copy.
    const base = lons.reduce((a, b) => a + b, 0) / lons.length;
    const inner = ringLatLngs(...edgeRing(F, F.inner, br, st), st.lat, base);
    return outer.map((poly, k) => [poly[0], inner[k][0]]);
  }

  const REFRACTION_DEG = 0.833;
  function nightRing(ms) {
    const S = D.sun;
    if (!S) return null;
    const br = bracket(S.t_ms, ms);
    if (!br) return null;
    const [i, j, f] = br;
    let dl = S.lon[j] - S.lon[i];
    dl -= 360 * Math.round(dl / 360);
    const lat = S.lat[i] + f * (S.lat[j] - S.lat[i]);
    const lon = S.lon[i] + f * dl;
    const anti = [-lat, lon + 180];
    const lats = [], lons = [];
    for (let b = 0; b < 360; b += 2) {
      const p = destination(anti[0], anti[1], b, 90 - REFRACTION_DEG);
      lats.push(p[0]); lons.push(p[1]);
    }
    return { rings: ringLatLngs(lats, unwrap(lons), anti[0]), subsolar: [lat, wrap180(lon)] };
  }

  // ------------------------------------------------------------------ map and basemap
  const map = L.map('map', { worldCopyJump: false, minZoom: 1, maxZoom: 11, zoomSnap: 0.25,
    maxBounds: [[-88, -230], [88, 230]], maxBoundsViscosity: 0.7, attributionControl: true });
  map.attributionControl.setPrefix('');
  const panes = { base: 200, coverage: 320, night: 330, borders: 340, footprints: 400,
    tracks: 420, links: 430, sites: 450, sats: 620 };
  for (const [name, z] of Object.entries(panes)) {
    map.createPane(name).style.zIndex = z;
  }
  map.getPane('night').style.pointerEvents = 'none';
  map.getPane('footprints').style.pointerEvents = 'none';

  const B = D.basemap;
  const offline = L.layerGroup([
    L.geoJSON(B.land, { pane: 'base', interactive: false,
      style: { stroke: false, fillColor: '#efeadf', fillOpacity: 1 } }),
    L.geoJSON(B.lakes, { pane: 'base', interactive: false,
      style: { color: '#6b7b88', weight: 0.5, fillColor: '#d7e6f0', fillOpacity: 1 } }),
    L.geoJSON(B.coastline, { pane: 'borders', interactive: false,
      style: { color: '#6b7b88', weight: 0.8, fill: false } }),
    L.geoJSON(B.borders, { pane: 'borders', interactive: false,
      style: { color: '#555555', weight: 0.9, fill: false } }),
  ]).addTo(map);
  map.attributionControl.addAttribution('Natural Earth (public domain) | orbitview');
  const online = L.tileLayer(D.online_tiles.url, { attribution: D.online_tiles.attribution,
    maxZoom: 11, noWrap: false });
  const provinceLines = L.geoJSON(B.provinces, { pane: 'borders', interactive: false,
    style: { color: '#8a6d3b', weight: 1.1, dashArray: '5 3', fill: false } });
  const provinceNames = L.layerGroup(D.province_labels.map((p) => L.marker([p.lat, p.lon], {
    pane: 'borders', interactive: false, keyboard: false,
    icon: L.divIcon({ className: 'province-label', html: esc(p.label), iconSize: null }) })));
  const provinces = L.layerGroup([provinceLines, provinceNames]).addTo(map);
  function provinceLabelsForZoom() {
    if (!map.hasLayer(provinces)) return;
    if (map.getZoom() >= 4.5) provinces.addLayer(provinceNames); else provinces.removeLayer(provinceNames);
  }
  map.on('zoomend', provinceLabelsForZoom);

  // ------------------------------------------------------------------ satellites
  const tracks = L.layerGroup().addTo(map);
  const sats = L.layerGroup().addTo(map);
  const footprints = L.layerGroup().addTo(map);
  /* Whether where on its orbit a satellite is cannot be said at ms (its 90 % bound is
   * phase lost at a bound sample either side): then it gets no marker or footprint. */
  function lostAt(sat, ms) {
    const B = sat.bounds;
    if (!B || !B.t_ms.length) return false;
    const br = bracket(B.t_ms, ms) || (ms < B.t_ms[0] ? [0, 0, 0] : [B.t_ms.length - 1, B.t_ms.length - 1, 0]);
    return Boolean(B.phase_lost[br[0]] || B.phase_lost[br[1]]);
  }
  /* 'position unknown (elements 158 d old)' at its oldest unknown sample, or null. */
  function unknownText(sat) {
    const U = (sat.bounds && sat.bounds.unknown) || [];
    const last = U.filter((u) => u !== null).pop();
    return last === undefined ? null : 'position ' + last;
  }
  const S = D.satellites.map((sat) => {
    const unknown = unknownText(sat) !== null;
    for (const piece of sat.track) {
      // A satellite whose position is unknown: its track faint and dotted, one it may be on.
      L.polyline(piece, { pane: 'tracks', color: sat.colour, weight: sat.geo ? 3 : 1.6,
        opacity: unknown ? 0.45 : 0.75, dashArray: unknown ? '2 5' : null,
        interactive: false, className: unknown ? 'track-unknown' : '' }).addTo(tracks);
    }
    const icon = L.divIcon({ className: 'sat-icon' + (sat.geo ? ' geo' : ''), iconSize: [14, 14],
      iconAnchor: [7, 7],
      html: '<span class="dot" style="background:' + sat.colour + '"></span>' +
        '<span class="name" style="color:' + sat.colour + '">' + esc(sat.name) + '</span>' });
    const marker = L.marker([0, 0], { pane: 'sats', icon, keyboard: true, title: sat.name,
      riseOnHover: true });
    marker.bindTooltip('', { direction: 'auto', offset: [0, 0], className: 'sat-tip' });
    marker.bindPopup('', { maxWidth: 360, className: 'sat-popup' });
    const fp = sat.footprint ? L.polygon([], { pane: 'footprints', color: sat.colour, weight: 1.5,
      fillColor: sat.colour, fillOpacity: sat.geo ? 0.03 : 0.07, interactive: false }) : null;
    if (fp) fp.addTo(footprints);
    return { data: sat, marker, fp, state: null, lost: false };
  });

  function ageText(days) {
    const stale = Math.abs(days) > D.stale_after_days;
    const t = Math.abs(days).toFixed(1) + ' days ' + (days >= 0 ? 'after' : 'before') + ' epoch';
    return stale ? '<span class="stale">' + t + '<br>STALE: more than ' + D.stale_after_days +
      ' days from its epoch (see the error bound)</span>' : t;
  }

  const roundKm = (v) => v < 10 ? v.toFixed(1) : Number(v.toPrecision(2)).toLocaleString('en-US');

  /* The largest 90 % error bound of a satellite over the window, as text. */
  function worstBound(sat) {
    const B = sat.bounds;
    if (!B || !B.t_ms.length) return 'not estimated';
    if (B.phase_lost.some(Boolean)) return unknownText(sat) || 'anywhere along its orbit';
    return '&plusmn;' + roundKm(Math.max(...B.km.filter((v) => v !== null))) + ' km';
  }

  /* The 90 % error bound (orbitview.orbit.accuracy) at ms, interpolated between its samples. */
  function boundText(sat, ms) {
    const B = sat.bounds;
    if (!B || !B.t_ms.length) return 'not estimated';
    const br = bracket(B.t_ms, ms) || [0, 0, 0];
    const [i, j, f] = br;
    if (B.phase_lost[i] || B.phase_lost[j]) return '<span class="stale">anywhere along its orbit</span> (90 %)';
    const km = B.km[i] + f * (B.km[j] - B.km[i]);
    let text = '&plusmn;' + roundKm(km) + ' km';
    if (B.timing_s[i] !== null) {
      const s = B.timing_s[i] + f * (B.timing_s[j] - B.timing_s[i]);
      text += ', &plusmn;' + (s < 100 ? s.toFixed(0) + ' s' : (s / 60).toFixed(0) + ' min') + ' in timing';
    }
    return text + ' (90 %)';
  }

  function info(s, full) {
    const st = s.state, sat = s.data;
    if (!st) return '<b>' + esc(sat.name) + '</b>: no position at this time';
    const bound = boundText(sat, st.ms);
    let html = '<b>' + esc(sat.name) + '</b> <span class="muted">NORAD ' + sat.norad_id +
      (sat.cospar_id ? ', ' + esc(sat.cospar_id) : '') + '</span><br>' +
      utc(st.ms) + '<br>' + local(st.ms) + '<br>' +
      'lat ' + st.lat.toFixed(4) + '&deg;, lon ' + wrap180(st.lon).toFixed(4) + '&deg;<br>' +
      'altitude ' + st.altitude_km.toFixed(1) + ' km<br>' +
      'elements of ' + esc(st.element.epoch_utc) + ',<br>' + ageText(st.age_days) + '<br>' +
      'error bound: ' + bound;
    if (sat.hold) html += '<br><span class="muted">' + esc(sat.hold) + '</span>';
    if (full) {
      html += '<br><span class="muted">bound: ' + esc(sat.bounds.basis) + '</span>';
      html += '<br><span class="muted">source: ' + esc(st.element.source) + '<br>' +
        esc(st.element.origin) + '</span>';
      for (const e of sat.sgp4_errors) html += '<br><span class="stale">' + esc(e) + '</span>';
    }
    return html;
  }

  // ------------------------------------------------------------------ catalogue view
  /* A large catalogue (thousands of objects): positions orbitview computed, packed as
   * int16 hundredths of a degree, time-major; drawn as dots on one canvas over the map,
   * interpolated along the great circle between samples. */
  const CAT = D.catalogue ? (function () {
    const K = D.catalogue;
    const unpack = (b64) => {
      const bin = atob(b64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      return new Int16Array(bytes.buffer);
    };
    const LAT = unpack(K.lat_cdeg), LON = unpack(K.lon_cdeg);
    const n = K.n_sat;
    const lat = new Float64Array(n), lon = new Float64Array(n), px = new Float32Array(n),
      py = new Float32Array(n), ok = new Uint8Array(n);
    const canvas = L.DomUtil.create('canvas', 'catalogue-canvas', map.getContainer());
    canvas.style.position = 'absolute'; canvas.style.left = '0'; canvas.style.top = '0';
    canvas.style.zIndex = 610; canvas.style.pointerEvents = 'none';
    const ctx = canvas.getContext('2d');
    const tip = L.DomUtil.create('div', 'catalogue-tip', map.getContainer());
    let drawn = 0, drawMs = 0, at = K.t0_ms;
    function positions(ms) {
      const u = K.step_s > 0 ? (ms - K.t0_ms) / 1000 / K.step_s : 0;
      const j = Math.max(0, Math.min(Math.floor(u), K.n_time - 2));
      const f = K.n_time > 1 ? Math.max(0, Math.min(1, u - j)) : 0;
      const a = j * n, b = Math.min(j + 1, K.n_time - 1) * n;
      const R = DEG / 100;
      for (let i = 0; i < n; i++) {
        const la = LAT[a + i], lb = LAT[b + i];
        if (la === K.no_position || lb === K.no_position) { ok[i] = 0; continue; }
        // Along the great circle between the two samples (unit vectors, normalised blend):
        // a ground track 30 s long is that arc to within metres, even near the poles.
        const p1 = la * R, l1 = LON[a + i] * R, p2 = lb * R, l2 = LON[b + i] * R;
        const c1 = Math.cos(p1), c2 = Math.cos(p2);
        const x = (1 - f) * c1 * Math.cos(l1) + f * c2 * Math.cos(l2);
        const y = (1 - f) * c1 * Math.sin(l1) + f * c2 * Math.sin(l2);
        const z = (1 - f) * Math.sin(p1) + f * Math.sin(p2);
        lat[i] = Math.atan2(z, Math.hypot(x, y)) / DEG;
        lon[i] = Math.atan2(y, x) / DEG;
        ok[i] = 1;
      }
    }
    function draw(ms) {
      const t0 = performance.now();
      if (ms !== undefined) at = ms;
      positions(at);
      const size = map.getSize();
      if (canvas.width !== size.x || canvas.height !== size.y) {
        canvas.width = size.x; canvas.height = size.y;
      }
      ctx.clearRect(0, 0, size.x, size.y);
      ctx.fillStyle = '#c0392b';
      const centre = map.getCenter().lng;
      const w360 = map.latLngToContainerPoint([0, 360]).x - map.latLngToContainerPoint([0, 0]).x;
      drawn = 0;
      for (let i = 0; i < n; i++) {
        // No dot where the position is unknown (bound -1: where on its orbit, unknown).
        if (!ok[i] || K.bound_km[i] < 0) { px[i] = -1e9; continue; }
        const p = map.latLngToContainerPoint([lat[i], lon[i] + 360 * Math.round((centre - lon[i]) / 360)]);
        px[i] = p.x; py[i] = p.y;
        if (p.y < -2 || p.y > size.y + 2) continue;
        let seen = false;
        for (const x of [p.x, p.x - w360, p.x + w360]) {     // the copies either side too
          if (x < -2 || x > size.x + 2) continue;
          ctx.fillRect(x - 1.5, p.y - 1.5, 3, 3);
          seen = true;
        }
        if (seen) drawn++;
      }
      drawMs = performance.now() - t0;
    }
    map.on('move zoom resize', () => { if (visible) draw(); });
    let visible = true;
    const layer = new (L.Layer.extend({
      onAdd() { visible = true; canvas.style.display = ''; draw(); },
      onRemove() { visible = false; canvas.style.display = 'none'; tip.style.display = 'none'; },
    }))();
    map.getContainer().addEventListener('mousemove', (e) => {
      const r = map.getContainer().getBoundingClientRect();
      const x = e.clientX - r.left, y = e.clientY - r.top;
      let best = -1, bd = 36;
      for (let i = 0; i < n; i++) {
        const d = (px[i] - x) * (px[i] - x) + (py[i] - y) * (py[i] - y);
        if (d < bd) { bd = d; best = i; }
      }
      if (best < 0 || !visible) { tip.style.display = 'none'; return; }
      const age = (at - K.epoch_ms[best]) / DAY_MS;
      tip.innerHTML = '<b>' + esc(K.names[best]) + '</b> <span class="muted">NORAD ' +
        K.norad_ids[best] + '</span><br>' + utc(at) + '<br>' + local(at) + '<br>lat ' +
        lat[best].toFixed(2) + '&deg;, lon ' + lon[best].toFixed(2) + '&deg;<br>' +
        ageText(age) + '<br>90 % error bound ' + catalogueBoundText(K.bound_km[best]);
      tip.style.left = (x + 12) + 'px'; tip.style.top = (y + 12) + 'px';
      tip.style.display = 'block';
    });
    map.getContainer().addEventListener('mouseleave', () => { tip.style.display = 'none'; });
    const epochs = K.epoch_ms.slice().sort((a, b) => a - b);
    return { draw, layer, count: n, drawn: () => drawn, drawMs: () => drawMs,
      epochs: [epochs[0], epochs[epochs.length - 1]],
      position: (i) => (ok[i] && K.bound_km[i] >= 0 ? [lat[i], lon[i]] : null), names: K.names,
      norad_ids: K.norad_ids };
  })() : null;

  // ------------------------------------------------------------------ night side
  const night = L.polygon([], { pane: 'night', stroke: false, fillColor: '#0b1a33',
    fillOpacity: 0.2, interactive: false }).addTo(map);
  const subsolar = L.circleMarker([0, 0], { pane: 'night', radius: 5, color: '#b8860b',
    weight: 1.5, fillColor: '#ffd34d', fillOpacity: 0.9, interactive: false });
  const nightLayer = L.layerGroup([night, subsolar]).addTo(map);

  // ------------------------------------------------------------------ sites and passes
  const siteLayer = L.layerGroup();
  const links = [];
  for (const site of D.sites) {
    const m = L.circleMarker([site.lat, site.lon], { pane: 'sites', radius: 4.5, color: '#000',
      weight: 1.5, fillColor: '#fff', fillOpacity: 1 });
    m.bindTooltip(esc(site.name), { permanent: true, direction: 'right', className: 'site-label',
      offset: [6, 0] });
    /* Each pass as 'orbitview passes' prints it (orbitview formats the cells, so the times
     * and the elevation are the same to the second and the tenth of a degree). */
    let rows = site.passes.map((p) =>
      '<tr data-aos="' + p.aos_ms + '" data-los="' + p.los_ms + '"><td>' + esc(p.name) + '</td><td>' +
      esc(p.table.aos) + '</td><td>' + esc(p.table.tca) + '</td><td>' + esc(p.table.los) +
      '</td><td>' + esc(p.table.max_el) + (p.unknown ? '' : '&deg;') + '</td><td>' +
      esc(p.table.aos_utc) + '</td><td>' +
      (p.unknown ? 'unknown' : p.sunlit_at_tca ? 'sunlit' : 'eclipsed') + '</td></tr>').join('');
    if (!rows) rows = '<tr><td colspan="7">no passes in this window</td></tr>';
    const abbr = esc(zoneAt(D.start_ms).abbr);
    const under = site.passes.some((p) => p.in_progress_at_start || p.in_progress_at_end)
      ? '<div class="muted small">* pass already under way at the start (or still under way at the end).</div>' : '';
    const notes = site.notes.map((t) => '<div class="muted">' + esc(t) + '</div>').join('');
    m.bindPopup('<b>' + esc(site.name) + '</b> <span class="muted">' + site.lat.toFixed(4) +
      '&deg;, ' + site.lon.toFixed(4) + '&deg;, ' + site.height_m.toFixed(0) + ' m</span>' +
      '<div class="muted">passes with ' + esc(D.rule) + ', ' + esc(D.start_utc) + ' to ' +
      esc(D.end_utc) + '</div><table class="passes"><tr><th>satellite</th><th>AOS ' + abbr +
      '</th><th>TCA ' + abbr + '</th><th>LOS ' + abbr + '</th><th>max el</th><th>AOS UTC</th>' +
      '<th>at TCA</th></tr>' + rows + '</table>' + under + notes,
    { maxWidth: 640 });
    m.addTo(siteLayer);
    for (const p of site.passes) {
      const line = L.polyline([], { pane: 'links', color: '#111', weight: 1.2, dashArray: '4 4',
        interactive: false });
      links.push({ site, pass: p, line, sat: S.find((s) => s.data.norad_id === p.norad_id) });
    }
  }
  if (D.sites.length) siteLayer.addTo(map);

  // ------------------------------------------------------------------ coverage
  let coverageLayer = null;
  let coverageMetric = null;
  const C = D.coverage;
  if (C) {
    const renderer = L.canvas({ pane: 'coverage', padding: 0.2 });
    const h = C.resolution_deg / 2;
    coverageLayer = L.featureGroup(C.lat.map((la, i) => {
      const r = L.rectangle([[la - h, C.lon[i] - h], [la + h, C.lon[i] + h]], { renderer,
        stroke: false, fillOpacity: 0.72 });
      r.cellIndex = i;
      return r;
    }));
    coverageLayer.on('click', (e) => {
      const i = e.layer.cellIndex;
      const lines = Object.values(C.metrics).map((m) => esc(m.label) + ': ' +
        (m.values[i] === null ? esc(m.blank || 'no value') : m.values[i]));
      L.popup().setLatLng(e.latlng).setContent('<b>cell ' + C.lat[i].toFixed(3) + '&deg;, ' +
        C.lon[i].toFixed(3) + '&deg;</b> <span class="muted">' + esc(C.access) + ' access</span><br>' +
        lines.join('<br>')).openOn(map);
    });
    coverageMetric = C.metric;
    coverageLayer.addTo(map);
  }
  function colourCoverage() {
    if (!C) return;
    const m = C.metrics[coverageMetric];
    /* A cell without a value (never imaged, imaged once: no mean revisit) is left
     * uncoloured, with a grey outline, and the legend says what that means. */
    coverageLayer.eachLayer((r) => {
      const c = m.colours[r.cellIndex];
      r.setStyle(c === null ? { fillColor: '#ffffff', fillOpacity: 0, stroke: true, color: '#888',
        weight: 0.6 } : { fillColor: c, fillOpacity: 0.72, stroke: false });
    });
    const bar = document.getElementById('coverage-bar');
    if (bar) {
      bar.style.background = 'linear-gradient(to right,' + m.ramp.join(',') + ')';
      const span = m.vmax - m.vmin;
      const digits = span >= 20 ? 0 : span >= 2 ? 1 : 2;      // ends that differ where they should
      document.getElementById('coverage-min').textContent = m.vmin.toFixed(digits);
      document.getElementById('coverage-max').textContent = m.vmax.toFixed(digits);
      document.getElementById('coverage-label').textContent = m.label;
      document.getElementById('coverage-blank').textContent = m.empty
        ? 'outlined, uncoloured: ' + m.empty + ' of ' + C.lat.length + ' cells ' +
          (m.blank || 'without a value') : '';
    }
  }

  // ------------------------------------------------------------------ layer control
  const overlays = CAT
    ? { 'Satellites': CAT.layer.addTo(map), 'Night side': nightLayer, "Pakistan's provinces": provinces }
    : { 'Ground tracks': tracks, 'Satellites': sats, 'Footprints': footprints,
      'Night side': nightLayer, "Pakistan's provinces": provinces };
  if (D.sites.length) overlays['Sites and passes'] = siteLayer;
  if (coverageLayer) overlays['Coverage'] = coverageLayer;
  L.control.layers({ 'Natural Earth (offline)': offline, [D.online_tiles.name]: online }, overlays,
    { collapsed: false, position: 'topright' }).addTo(map);
  L.control.scale({ imperial: false, position: 'bottomright' }).addTo(map);
  map.on('overlayadd', (e) => { if (e.layer === provinces) provinceLabelsForZoom(); });

  // ------------------------------------------------------------------ legend
  function boundSummary(K) {
    // The 90 % error bounds of orbitview.accuracy, each at the map time farthest from
    // the object's epoch: -1 where it is phase lost (a quarter orbit; not drawn).
    const lost = K.bound_km.filter((b) => b < 0).length;
    const km = K.bound_km.filter((b) => b >= 0).sort((a, b) => a - b);
    const n = (v) => v.toLocaleString('en-US');
    let text = '90 % error bounds of the positions (orbitview.orbit.accuracy, at the map time ' +
      'farthest from each epoch): ';
    if (km.length) {
      text += 'median &plusmn;' + n(km[Math.floor((km.length - 1) / 2)]) + ' km, up to &plusmn;' +
        n(km[km.length - 1]) + ' km';
    }
    if (lost) {
      text += (km.length ? '; ' : '') + n(lost) + ' of ' + n(K.n_sat) +
        ' could be anywhere along their orbits (position unknown: not drawn)';
    }
    return text + '. Hover an object for its own.';
  }

  function catalogueBoundText(b) {
    return b < 0 ? 'anywhere along its orbit' : 'up to &plusmn;' + b.toLocaleString('en-US') +
      ' km over the map times';
  }

  function catalogueLegend() {
    const K = D.catalogue;
    const farthest = Math.max(Math.abs(D.end_ms - CAT.epochs[0]), Math.abs(D.start_ms - CAT.epochs[1]));
    const old = K.epoch_ms.filter((e) => Math.max(Math.abs(D.start_ms - e), Math.abs(D.end_ms - e)) >
      D.stale_after_days * DAY_MS).length;
    return '<div class="title"><button id="legend-toggle" type="button" aria-label="fold legend">' +
      '&minus;</button>' + esc(D.title) + '</div><div id="legend-body">' +
      '<p>Catalogue view: ' + K.n_sat.toLocaleString('en-US') + ' objects, each a dot; hover one ' +
      'for its name, NORAD number and element age.</p>' +
      '<div class="muted small">Element epochs ' + utc(CAT.epochs[0]).slice(0, 10) + ' to ' +
      utc(CAT.epochs[1]).slice(0, 10) + ' (up to ' + (farthest / DAY_MS).toFixed(0) +
      ' days from the map times).</div>' +
      (old ? '<div class="stale">&#9888; ' + old.toLocaleString('en-US') + ' of ' +
        K.n_sat.toLocaleString('en-US') + ' element sets are more than ' + D.stale_after_days +
        ' days from the map times.</div>' : '') +
      '<div class="small">' + boundSummary(K) + '</div>' +
      '<div class="muted small">Positions by ' + esc(D.generator) + ' (SGP4, WGS84) every ' +
      K.step_s + ' s, interpolated along the great circle between samples; no tracks or ' +
      'footprints in a catalogue view. Local time: ' + esc(Z.describe) + ', ' + esc(Z.why) +
      '.</div></div>';
  }

  function wireFold() {
    const fold = document.getElementById('legend-toggle');
    fold.addEventListener('click', () => {
      const body = document.getElementById('legend-body');
      const hide = body.style.display !== 'none';
      body.style.display = hide ? 'none' : '';
      fold.innerHTML = hide ? '+' : '&minus;';
    });
  }

  function legend() {
    const el = document.getElementById('legend');
    if (CAT) {
      el.innerHTML = catalogueLegend();
      wireFold();
      return;
    }
    const stale = S.filter((s) => s.data.max_age_days > D.stale_after_days);
    let html = '<div class="title"><button id="legend-toggle" type="button" aria-label="fold legend">' +
      '&minus;</button>' + esc(D.title) + '</div><div id="legend-body"><ul>';
    for (const s of S) {
      const sat = s.data;
      const el0 = sat.elements[sat.elements.length - 1];
      const old = sat.max_age_days > D.stale_after_days;
      const unknown = unknownText(sat);
      html += '<li title="element set of ' + esc(el0.epoch_utc) + '; ' + esc(el0.source) + '"' +
        (unknown ? ' class="unknown"' : '') + '>' +
        '<span class="swatch' + (sat.geo ? ' geo' : '') + '" style="background:' + sat.colour + '"></span>' +
        '<b>' + esc(sat.name) + '</b> <span class="muted">' + sat.norad_id + '</span> ' +
        '<span class="' + (old || unknown ? 'stale' : 'muted') + '">' +
        sat.max_age_days.toFixed(0) + ' d old' +
        (old || unknown ? ', ' + worstBound(sat) : '') + '</span></li>';
    }
    html += '</ul>';
    const lost = S.filter((s) => unknownText(s.data) !== null);
    if (lost.length) {
      const names = lost.map((s) => esc(s.data.name));
      html += '<div class="stale">&#9888; Where on ' + (lost.length === 1 ? 'its orbit ' +
        names[0] + ' is' : 'their orbits ' + names.slice(0, -1).join(', ') + ' and ' +
        names[names.length - 1] + ' are') +
        ' cannot be said (position unknown): no marker or footprint is drawn for ' +
        (lost.length === 1 ? 'it' : 'them') + ' while so, only a faint dotted track ' +
        (lost.length === 1 ? 'it' : 'each') + ' may be on.</div>';
    }
    if (stale.length) {
      html += '<div class="stale">&#9888; ' + stale.length + ' of ' + S.length + ' element sets are more than ' +
        D.stale_after_days + ' days from the map times: their positions may be off by as much as ' +
        'the 90 % error bound beside each. Refresh with \'orbitview tle update --all\' when ' +
        'online.</div>';
    }
    const cut = D.rule.indexOf(': ');
    html += '<details class="muted"><summary>Footprints and passes: ' +
      esc(cut > 0 ? D.rule.slice(0, cut) : D.rule) + '</summary>' +
      esc(cut > 0 ? D.rule.slice(cut + 2) : '') + '.' +
      (S.some((s) => s.fp && s.data.footprint.kind === 'imaging')
        ? ' Imaging footprints are the field of regard; the Sun condition is not drawn.' : '') +
      (D.assumptions ? ' ' + esc(D.assumptions) : '') + '</details>';
    if (C) {
      html += '<div class="coverage-legend"><div id="coverage-access"><b>Coverage, ' + esc(C.access) +
        ' access</b>' + (C.rule ? ': ' + esc(C.rule) : '') + '</div>' +
        '<select id="coverage-metric" aria-label="coverage metric">' +
        Object.entries(C.metrics).map(([k, m]) => '<option value="' + k + '"' +
          (k === C.metric ? ' selected' : '') + '>' + esc(m.label) + '</option>').join('') +
        '</select><div id="coverage-bar"></div><div class="bar-ticks"><span id="coverage-min"></span>' +
        '<span id="coverage-label"></span><span id="coverage-max"></span></div>' +
        '<div id="coverage-blank" class="muted small"></div>' +
        '<div class="muted">from ' + esc(C.source) + ', ' + C.resolution_deg + '&deg; cells</div>' +
        (C.note ? '<div class="muted small">' + esc(C.note) + '</div>' : '') + '</div>';
    }
    html += '<div class="muted small">Ages: element-set epoch to the farthest map time. Positions by ' + esc(D.generator) + ' (SGP4, WGS84) every ' +
      (S.length ? S[0].data.step_s : 0) + ' s, interpolated between. Local time: ' + esc(Z.describe) + ', ' + esc(Z.why) + '. ' +
      'Click a satellite for its element set.</div></div>';
    el.innerHTML = html;
    const sel = document.getElementById('coverage-metric');
    if (sel) sel.addEventListener('change', () => { coverageMetric = sel.value; colourCoverage(); });
    wireFold();
  }
  legend();
  colourCoverage();

  // ------------------------------------------------------------------ time
  const slider = document.getElementById('slider');
  slider.max = String(Math.round((D.end_ms - D.start_ms) / 1000));
  let now = D.start_ms;

  function setTime(ms) {
    now = Math.max(D.start_ms, Math.min(D.end_ms, ms));
    slider.value = String(Math.round((now - D.start_ms) / 1000));
    document.getElementById('clock-utc').textContent = utc(now);
    document.getElementById('clock-local').textContent = local(now);
    for (const s of S) {
      s.state = state(s.data, now);
      s.lost = lostAt(s.data, now);
      if (s.state && !s.lost) {
        s.marker.setLatLng([s.state.lat, wrap180(s.state.lon)]);
        if (!sats.hasLayer(s.marker)) sats.addLayer(s.marker);
        if (s.marker.isTooltipOpen()) s.marker.setTooltipContent(info(s, false));
        if (s.marker.isPopupOpen()) s.marker.setPopupContent(info(s, true));
      } else if (sats.hasLayer(s.marker)) {
        sats.removeLayer(s.marker);
      }
      if (s.fp) {
        const ring = s.state && !s.lost
          ? footprintRing(s.data, { ...s.state, lon: wrap180(s.state.lon) }) : null;
        s.fp.setLatLngs(ring || []);
      }
    }
    placeLabels();
    if (CAT) CAT.draw(now);
    const n = nightRing(now);
    if (n) { night.setLatLngs(n.rings); subsolar.setLatLng(n.subsolar); }
    for (const k of links) {
      const on = k.sat && k.sat.state && !k.sat.lost && !k.pass.unknown &&
        now >= k.pass.aos_ms && now <= k.pass.los_ms;
      if (on) {
        let lon = wrap180(k.sat.state.lon);
        lon += -360 * Math.round((lon - k.site.lon) / 360);
        k.line.setLatLngs([[k.site.lat, k.site.lon], [k.sat.state.lat, lon]]);
        if (!siteLayer.hasLayer(k.line)) siteLayer.addLayer(k.line);
      } else if (siteLayer.hasLayer(k.line)) {
        siteLayer.removeLayer(k.line);
      }
    }
  }

  /* Move a satellite's name to another side of its dot when it would cover another name. */
  const SLOTS = ['right', 'left', 'below', 'above'];
  function placeLabels() {
    const boxes = [];
    for (const s of S) {
      const el = s.marker.getElement();
      if (!el || !s.state || s.lost) continue;
      const p = map.latLngToContainerPoint(s.marker.getLatLng());
      const w = 7.2 * s.data.name.length + 4;
      const cand = {
        right: [p.x + 9, p.y - 8, p.x + 9 + w, p.y + 8],
        left: [p.x - 9 - w, p.y - 8, p.x - 9, p.y + 8],
        below: [p.x - w / 2, p.y + 8, p.x + w / 2, p.y + 24],
        above: [p.x - w / 2, p.y - 24, p.x + w / 2, p.y - 8],
      };
      const free = SLOTS.find((k) => boxes.every((b) => cand[k][2] < b[0] || cand[k][0] > b[2] ||
        cand[k][3] < b[1] || cand[k][1] > b[3])) || 'right';
      boxes.push(cand[free], [p.x - 7, p.y - 7, p.x + 7, p.y + 7]);
      for (const k of SLOTS) el.classList.toggle('lbl-' + k, k === free);
    }
  }
  map.on('zoomend moveend', placeLabels);

  for (const s of S) {
    s.marker.on('tooltipopen', () => {
      const tip = s.marker.getTooltip();
      const y = map.latLngToContainerPoint(s.marker.getLatLng()).y;
      tip.options.direction = y < 170 ? 'bottom' : (y > map.getSize().y - 170 ? 'top' : 'auto');
      s.marker.setTooltipContent(info(s, false));
    });
    s.marker.on('popupopen', () => s.marker.setPopupContent(info(s, true)));
  }

  slider.addEventListener('input', () => setTime(D.start_ms + Number(slider.value) * 1000));

  let playing = false;
  let last = null;
  const play = document.getElementById('play');
  function frame(ts) {
    if (!playing) return;
    if (last !== null) {
      const speed = Number(document.getElementById('speed').value);
      setTime(now + (ts - last) * speed);
      if (now >= D.end_ms) { toggle(false); return; }
    }
    last = ts;
    requestAnimationFrame(frame);
  }
  function toggle(on) {
    playing = on === undefined ? !playing : on;
    play.innerHTML = playing ? '&#10074;&#10074;' : '&#9654;';
    play.setAttribute('aria-label', playing ? 'pause' : 'play');
    last = null;
    if (playing) {
      if (now >= D.end_ms) setTime(D.start_ms);
      requestAnimationFrame(frame);
    }
  }
  play.addEventListener('click', () => toggle());
  document.addEventListener('keydown', (e) => {
    if (e.code === 'Space' && e.target === document.body) { e.preventDefault(); toggle(); }
  });

  // ------------------------------------------------------------------ initial view
  if (D.region) {
    const [w, e, s, n] = D.region;
    map.fitBounds([[s, w], [n, e]]);
  } else {
    map.fitBounds([[-60, -180], [75, 180]]);
  }
  provinceLabelsForZoom();
  setTime(D.start_ms);

  /* For tests and scripts: the page's own state, read-only in spirit. */
  window.orbitview = {
    map, setTime, time: () => now, playing: () => playing,
    satellites: S.map((s) => ({ name: s.data.name, norad_id: s.data.norad_id,
      marker: s.marker, footprint: s.fp, state: () => s.state, lost: () => s.lost })),
    layers: Object.assign({}, overlays, { 'Natural Earth (offline)': offline,
      [D.online_tiles.name]: online }),
    night, positionKm: (i, ms) => positionKm(S[i].data, ms),
    catalogue: CAT,
  };
  document.body.dataset.ready = '1';
})();
