// Evidence of presence for the audit form (audit-form.js uses it): with the shopper's consent,
// the phone's location when the form opens and when it is sent, and the time spent on the form
// and on each section; a photo's capture time carried from the camera's file to the resized
// upload. Nothing here may delay or block filing: a refused or slow location is left out.
window.EvenlyPresence = (function () {
  "use strict";
  var FIX_WAIT_MS = 3000;  // at sending, wait at most this long for a location
  var FIX_OPTIONS = { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 };

  function storeKey(auditId) { return "evenly.presence." + auditId; }
  function load(auditId) {
    try { return JSON.parse(localStorage.getItem(storeKey(auditId))) || {}; } catch (e) { return {}; }
  }
  function save(auditId, state) {
    try { localStorage.setItem(storeKey(auditId), JSON.stringify(state)); } catch (e) { /* full */ }
  }

  // One location, or null: refused, unavailable, or not found within `wait` ms.
  function locate(wait) {
    return new Promise(function (resolve) {
      if (!navigator.geolocation) return resolve(null);
      var done = false;
      function finish(fix) { if (!done) { done = true; resolve(fix); } }
      setTimeout(function () { finish(null); }, wait);
      try {
        navigator.geolocation.getCurrentPosition(function (position) {
          var c = position.coords;
          finish({ latitude: c.latitude, longitude: c.longitude,
            accuracy: Math.min(Math.round(c.accuracy || 0), 100000) });
        }, function () { finish(null); }, FIX_OPTIONS);
      } catch (e) { finish(null); }
    });
  }

  // Seconds on the form while the page is in view, and on the section last touched.
  function start(form, auditId) {
    var state = load(auditId);
    state.form_seconds = state.form_seconds || 0;
    state.section_seconds = state.section_seconds || {};
    var section = null;
    form.addEventListener("focusin", function (event) {
      var fieldset = event.target.closest("fieldset[data-section]");
      if (fieldset) section = fieldset.dataset.section;
    });
    setInterval(function () {
      if (document.visibilityState !== "visible") return;
      state.form_seconds = Math.min(state.form_seconds + 1, 86400);
      if (section) state.section_seconds[section] = Math.min((state.section_seconds[section] || 0) + 1, 86400);
      save(auditId, state);
    }, 1000);
    if (!state.opened) {
      locate(FIX_OPTIONS.timeout).then(function (fix) {
        if (fix) { state.opened = fix; save(auditId, state); }
      });
    }
    return state;
  }

  // The evidence object the API takes, with the location at sending (never waits long).
  function collect(state) {
    return locate(FIX_WAIT_MS).then(function (fix) {
      var evidence = { form_seconds: state.form_seconds, section_seconds: state.section_seconds };
      if (state.opened) evidence.opened = state.opened;
      if (fix) evidence.sent = fix;
      return evidence;
    });
  }
  function forget(auditId) { localStorage.removeItem(storeKey(auditId)); }

  // --- A photo's capture time: EXIF DateTimeOriginal read from the camera's file, written
  // into the resized JPEG (a canvas drops all metadata) as the only tag, so the server reads
  // it before it drops the metadata in turn. GPS and camera details never leave the phone.
  function takenAt(buffer) {
    try {
      var view = new DataView(buffer);
      if (view.getUint16(0) !== 0xFFD8) return null;
      var offset = 2;
      while (offset + 10 < view.byteLength) {
        var marker = view.getUint16(offset);
        if (marker === 0xFFE1 && view.getUint32(offset + 4) === 0x45786966) return exifTime(view, offset + 10);
        if ((marker & 0xFF00) !== 0xFF00 || marker === 0xFFDA) return null;
        offset += 2 + view.getUint16(offset + 2);
      }
    } catch (e) { /* a damaged file: no time */ }
    return null;
  }
  function exifTime(view, start) {
    var little = view.getUint16(start) === 0x4949;
    function u16(at) { return view.getUint16(start + at, little); }
    function u32(at) { return view.getUint32(start + at, little); }
    function entry(ifd, tag) {
      for (var i = 0, n = u16(ifd); i < n; i++) if (u16(ifd + 2 + i * 12) === tag) return ifd + 2 + i * 12;
      return -1;
    }
    var exif = entry(u32(4), 0x8769);
    if (exif < 0) return null;
    var original = entry(u32(exif + 8), 0x9003);
    if (original < 0) return null;
    var at = u32(original + 8), value = "";
    for (var i = 0; i < 19; i++) value += String.fromCharCode(view.getUint8(start + at + i));
    return /^\d{4}:\d\d:\d\d \d\d:\d\d:\d\d$/.test(value) ? value : null;
  }
  // The JPEG `blob` with an EXIF segment holding DateTimeOriginal `value` alone.
  function withTakenAt(blob, value) {
    if (!value) return Promise.resolve(blob);
    var segment = new DataView(new ArrayBuffer(74));
    var words = [[0, 0xFFE1], [2, 72], [4, 0x4578], [6, 0x6966], [8, 0], [10, 0x4D4D], [12, 42]];
    words.forEach(function (w) { segment.setUint16(w[0], w[1]); });
    segment.setUint32(14, 8);  // IFD0 at 8 (offsets from the TIFF header at byte 10)
    segment.setUint16(18, 1); segment.setUint16(20, 0x8769); segment.setUint16(22, 4);
    segment.setUint32(24, 1); segment.setUint32(28, 26); segment.setUint32(32, 0);
    segment.setUint16(36, 1); segment.setUint16(38, 0x9003); segment.setUint16(40, 2);
    segment.setUint32(42, 20); segment.setUint32(46, 44); segment.setUint32(50, 0);
    for (var i = 0; i < 19; i++) segment.setUint8(54 + i, value.charCodeAt(i));
    return blob.arrayBuffer().then(function (bytes) {
      var jpeg = new Uint8Array(bytes);
      var after = 2;  // after the SOI, and after a JFIF segment if the encoder wrote one
      if (jpeg[2] === 0xFF && jpeg[3] === 0xE0) after = 4 + ((jpeg[4] << 8) | jpeg[5]);
      return new Blob([jpeg.slice(0, after), segment.buffer, jpeg.slice(after)], { type: "image/jpeg" });
    });
  }

  return { start: start, collect: collect, forget: forget, takenAt: takenAt, withTakenAt: withTakenAt };
})();
