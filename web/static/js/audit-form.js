// Evenly's audit form, made resilient: drafts kept on the phone and the server, conditions
// shown live, photos resized before upload, and submissions queued while offline. Without
// this script the form still works as a plain HTML form.
(function () {
  "use strict";
  var QUEUE = "evenly.queue";
  var REJECTED = "evenly.rejected";

  function readJSON(key, fallback) {
    try { return JSON.parse(localStorage.getItem(key)) || fallback; } catch (e) { return fallback; }
  }
  function writeJSON(key, value) { localStorage.setItem(key, JSON.stringify(value)); }
  // Messages in the page's language (web/templates/_js_text.html); English if missing.
  var TEXT = (function () {
    var node = document.getElementById("evenly-text");
    try { return node ? JSON.parse(node.textContent) : {}; } catch (e) { return {}; }
  })();
  function text(key, english, values) {
    var message = TEXT[key] || english;
    Object.keys(values || {}).forEach(function (name) {
      message = message.replace("{" + name + "}", values[name]);
    });
    return message;
  }
  function say(element, text, offline) {
    if (!element) return;
    element.textContent = text;
    element.hidden = !text;
    element.classList.toggle("offline", !!offline);
  }

  // --- Writes to /api with the session cookie carry the CSRF token (x-csrftoken). -------
  // Read from the csrftoken cookie at send time, never kept with a queued audit: by the time
  // the queue is sent (a reopened page, another day) the token may have changed.
  function csrfCookie() {
    var found = document.cookie.split("; ").filter(function (c) { return c.indexOf("csrftoken=") === 0; })[0];
    return found ? decodeURIComponent(found.slice("csrftoken=".length)) : "";
  }
  function csrfToken() {
    if (csrfCookie()) return Promise.resolve(csrfCookie());
    // No cookie (a new browser session): any page sets one; /health is the cheapest.
    return fetch("/health", { credentials: "same-origin" }).then(csrfCookie, csrfCookie);
  }
  function apiWrite(url, method, body, json) {
    return csrfToken().then(function (token) {
      var headers = { "X-CSRFToken": token, "Accept": "application/json" };
      if (json) headers["Content-Type"] = "application/json";
      return fetch(url, {
        method: method, credentials: "same-origin", headers: headers,
        body: json ? JSON.stringify(body) : body
      });
    });
  }

  // --- The queue of audits waiting for a connection (any page flushes it). -------------
  var flushing = null;  // the flush under way, so a second caller waits for the same one
  function queued() { return readJSON(QUEUE, []); }
  function enqueue(body) {
    var items = queued().filter(function (q) { return q.id !== body.id; });
    items.push({ id: body.id, body: body });
    writeJSON(QUEUE, items);
  }
  function post(body) { return apiWrite("/api/audits", "POST", body, true); }
  function flush() {
    if (flushing) return flushing;
    if (!navigator.onLine || !queued().length) return Promise.resolve();
    var items = queued();
    flushing = items.reduce(function (chain, item) {
      return chain.then(function () {
        return post(item.body).then(function (response) {
          if (response.ok || response.status === 409 || response.status === 422) {
            // Sent (or refused for good): either way it leaves the queue, never doubled.
            writeJSON(QUEUE, queued().filter(function (q) { return q.id !== item.id; }));
            localStorage.removeItem("evenly.draft." + item.id);
            localStorage.removeItem("evenly.presence." + item.id);
            if (!response.ok) {
              var rejected = readJSON(REJECTED, []);
              rejected.push(item);
              writeJSON(REJECTED, rejected);
            }
          }
        });
      });
    }, Promise.resolve()).catch(function () { /* still offline: try again later */ })
      .then(function () { flushing = null; showQueue(); });
    return flushing;
  }
  function showQueue() {
    var status = document.getElementById("queue-status");
    var waiting = queued().length;
    var message = waiting ? text("queued", "Audits saved on this phone, waiting for a connection: {n}.", { n: waiting }) : "";
    var rejected = readJSON(REJECTED, []).length;
    if (rejected) message += " " + text("rejected", "Audits the server refused, to file again: {n}.", { n: rejected });
    say(status, message.trim(), waiting > 0);
  }
  window.addEventListener("online", flush);
  setInterval(flush, 15000);

  // --- The form. ---------------------------------------------------------------------
  var form = document.getElementById("audit-form");
  if (!form) { showQueue(); flush(); return; }
  var auditId = form.dataset.auditId;
  var draftKey = "evenly.draft." + auditId;
  var status = document.getElementById("sync-status");

  function fields() {
    var values = {};
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string" && name !== "_csrf_token") values[name] = value;
    });
    return values;
  }
  function restore(values) {
    Object.keys(values).forEach(function (name) {
      var inputs = form.querySelectorAll('[name="' + CSS.escape(name) + '"]');
      inputs.forEach(function (input) {
        if (input.type === "radio" || input.type === "checkbox") input.checked = input.value === values[name];
        else if (input.type !== "file") input.value = values[name];
      });
    });
  }

  var serverTimer = null;
  function saveDraft() {
    var values = fields();
    writeJSON(draftKey, { values: values, at: Date.now() });
    clearTimeout(serverTimer);
    serverTimer = setTimeout(function () {
      if (!navigator.onLine) return;
      apiWrite("/api/drafts/" + auditId, "PUT", values, true).catch(function () {});
    }, 2000);
  }

  // The form's rules come from the server (web/audit_form.py form_rules), made from the
  // checklist: which answer each field value is, and which items show when.
  var RULES = (function () {
    var node = document.getElementById("evenly-form-rules");
    try { return node ? JSON.parse(node.textContent) : { items: [] }; } catch (e) { return { items: [] }; }
  })();
  var RULE = {};
  RULES.items.forEach(function (rule) { RULE[rule.key] = rule; });

  // A field's value as the answer the API takes (as answer_from_field reads it).
  function answerValue(key, raw) {
    var rule = RULE[key] || {};
    if (rule.answers && Object.prototype.hasOwnProperty.call(rule.answers, raw)) return rule.answers[raw];
    if (rule.decimal) { var n = Number(raw.replace(",", ".")); return isNaN(n) ? raw : n; }
    return raw;
  }
  function applyConditions() {
    var values = fields();
    RULES.items.forEach(function (rule) {  // in checklist order: a condition looks back
      var field = document.getElementById("item-" + rule.key);
      if (!rule.when || !field) return;
      var source = document.getElementById("item-" + rule.when.item);
      var raw = values["answers." + rule.when.item];
      var visible = (!source || !source.hidden) && raw !== undefined &&
        rule.when.in.indexOf(answerValue(rule.when.item, raw.trim())) >= 0;
      field.hidden = !visible;
      field.querySelectorAll("input, textarea, select").forEach(function (i) { i.disabled = !visible; });
    });
  }

  // Photos: resized on the phone (longest side 1600 px, JPEG) and uploaded on their own.
  function resize(file) {
    return new Promise(function (resolve, reject) {
      var image = new Image();
      image.onload = function () {
        var scale = Math.min(1, 1600 / Math.max(image.width, image.height));
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(image.width * scale);
        canvas.height = Math.round(image.height * scale);
        canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
        canvas.toBlob(function (blob) { blob ? resolve(blob) : reject(new Error("resize")); },
          "image/jpeg", 0.82);
      };
      image.onerror = function () { reject(new Error("not an image")); };
      image.src = URL.createObjectURL(file);
    });
  }
  // A photo's id reaches the branch's managers: only a random (version 4) UUID says nothing
  // of when or on which phone it was made, and the server refuses any other.
  function randomUuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));  // randomUUID needs HTTPS
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  // One photo chosen in ``input``: resized, uploaded with its item's key, then ``done(id, blob)``.
  function uploadPhoto(input, done) {
    var field = input.closest(".field");
    var file = input.files[0];
    if (!file) return;
    var taken = null;  // the camera's capture time, carried into the resized photo
    var reading = file.arrayBuffer ? file.slice(0, 256 * 1024).arrayBuffer() : Promise.resolve(null);
    reading.then(function (head) {
      taken = head && window.EvenlyPresence ? EvenlyPresence.takenAt(head) : null;
    }, function () {}).then(function () { return resize(file); }).then(function (blob) {
      return window.EvenlyPresence ? EvenlyPresence.withTakenAt(blob, taken) : blob;
    }).then(function (blob) {
      var limit = Number(form.dataset.maxPhotoMb) * 1024 * 1024;
      if (blob.size > limit) throw new Error(text("photo_large", "The photo is larger than {mb} MB.", { mb: form.dataset.maxPhotoMb }));
      var id = randomUuid();
      var data = new FormData();
      data.append("file", blob, "photo.jpg");
      data.append("id", id);
      data.append("item", field.id.replace("item-", ""));
      return apiWrite("/api/evidence", "POST", data, false)
        .then(function (response) {
          if (!response.ok) return response.json().then(function (b) { throw new Error(b.detail); });
          input.value = "";
          done(id, blob);
          saveDraft();
        });
    }).catch(function (error) { say(status, text("photo_failed", "Photo not added:") + " " + error.message, true); });
  }

  function photoItemDone(input) {
    return function (id, blob) {
      var field = input.closest(".field");
      field.querySelector(".photo-ref").value = id;
      var preview = field.querySelector(".photo-preview");
      preview.src = URL.createObjectURL(blob);
      preview.hidden = false;
    };
  }

  // Photos attached to any item: their ids in the item's ``photos.<item>`` field, a thumbnail
  // each with Remove and Replace. What is submitted is that field: removing clears the id.
  var blobs = {};  // id → this session's own picture of it (shown offline too)
  function attachedIds(extras) {
    return extras.querySelector(".photos-ref").value.split(/\s+/).filter(Boolean);
  }
  function setAttached(extras, ids) {
    extras.querySelector(".photos-ref").value = ids.join(" ");
    showThumbs(extras);
    saveDraft();
    evaluate();
  }
  function button(className, label) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = className;
    b.textContent = label;
    return b;
  }
  function showThumbs(extras) {
    var list = extras.querySelector(".thumbs");
    list.textContent = "";
    attachedIds(extras).forEach(function (id) {
      var item = document.createElement("li");
      item.className = "thumb";
      item.dataset.id = id;
      var image = document.createElement("img");
      image.alt = "";
      image.src = blobs[id] || "/api/evidence/" + id;
      var state = document.createElement("span");
      state.textContent = text("photo_added", "Photo added");
      item.append(image, " ", state, " ", button("photo-remove", text("remove", "Remove")), " ",
        button("photo-replace", text("replace", "Replace")));
      list.appendChild(item);
    });
  }
  function itemPhotoDone(input) {
    var extras = input.closest(".item-extras");
    var replacing = input.dataset.replace;
    delete input.dataset.replace;
    return function (id, blob) {
      blobs[id] = URL.createObjectURL(blob);
      var ids = attachedIds(extras);
      var at = replacing ? ids.indexOf(replacing) : -1;
      if (at >= 0) ids[at] = id; else ids.push(id);
      setAttached(extras, ids);
    };
  }
  form.addEventListener("click", function (event) {
    var thumb = event.target.closest(".thumb");
    if (!thumb) return;
    var extras = thumb.closest(".item-extras");
    if (event.target.classList.contains("photo-remove")) {
      setAttached(extras, attachedIds(extras).filter(function (id) { return id !== thumb.dataset.id; }));
    } else if (event.target.classList.contains("photo-replace")) {
      var input = extras.querySelector(".item-photo-input");
      input.dataset.replace = thumb.dataset.id;
      input.click();
    }
  });

  // A failed answer (the scoring's own rule, in RULES: ``fails`` values, a number outside
  // ``passes``) opens the comment and says what the checklist's ``on_fail`` asks for.
  function failing(rule, raw) {
    if (!raw) return false;
    if (rule.fails && rule.fails.indexOf(raw) >= 0) return true;
    if (!rule.passes || raw === "na") return false;
    var n = Number(raw.replace(",", "."));
    if (isNaN(n)) return false;
    return (rule.passes[0] !== null && n < rule.passes[0]) || (rule.passes[1] !== null && n > rule.passes[1]);
  }
  var digits = (function () {
    try { return new Intl.NumberFormat(document.documentElement.lang || "en"); } catch (e) { return null; }
  })();
  function number(n) { return digits ? digits.format(n) : String(n); }
  function evaluate() {
    var values = fields();
    var answered = 0, applicable = 0;
    form.querySelectorAll(".field").forEach(function (field) {
      if (field.hidden) return;
      var key = field.id.replace("item-", "");
      var raw = (values["answers." + key] || "").trim();
      applicable += 1;
      if (raw) answered += 1;
      var rule = RULE[key], extras = field.querySelector(".item-extras");
      if (!rule || !extras) return;
      var failed = failing(rule, raw);
      var comment = extras.querySelector(".comment");
      var needComment = failed && extras.dataset.comment === "required";
      var needPhoto = failed && extras.dataset.photo === "required";
      if (failed && !comment.open) comment.open = true;
      extras.querySelector(".ask-comment").hidden = !failed || needComment;
      extras.querySelector(".need-comment").hidden = !needComment;
      extras.querySelector(".need-photo").hidden = !needPhoto;
      comment.querySelector("textarea").required = needComment;
      extras.querySelector(".item-photo-input").required = needPhoto && !attachedIds(extras).length;
      field.classList.toggle("failing", failed);
    });
    var shown = text("progress", "{n} of {total} answered", { n: number(answered), total: number(applicable) });
    document.querySelectorAll(".form-progress").forEach(function (p) { p.textContent = shown; });
  }

  function body() {
    var values = fields();
    var answers = {}, comments = {}, photos = {};
    form.querySelectorAll(".field").forEach(function (field) {
      if (field.hidden) return;
      var key = field.id.replace("item-", "");
      var raw = (values["answers." + key] || "").trim();
      if (raw) answers[key] = answerValue(key, raw);
      var comment = (values["comments." + key] || "").trim();
      if (comment) comments[key] = comment;
      var attached = (values["photos." + key] || "").split(/\s+/).filter(Boolean);
      if (attached.length) photos[key] = attached;
    });
    var visited = values.visited_at || "";
    return {
      id: auditId, branch: values.branch, checklist: values.checklist,
      visit: values.visit ? parseInt(values.visit, 10) : null,
      visited_at: visited.length === 16 ? visited + ":00" : visited,
      visit_minutes: values.visit_minutes ? parseInt(values.visit_minutes, 10) : null,
      channel: values.channel, staff: values.staff || null,
      staff_description: values.staff_description || "", answers: answers, comments: comments,
      photos: photos
    };
  }

  function submit(event) {
    // A language switch (the footer's buttons) goes to the server as a plain form post, which
    // keeps the answers as a draft and opens the form again in that language.
    if (event.submitter && event.submitter.name === "switch_language") { saveDraft(); return; }
    event.preventDefault();
    if (sending) return;
    sending = true;
    saveDraft();
    // The location at sending is asked for at most a few seconds; without one the audit goes.
    var collecting = presence ? EvenlyPresence.collect(presence) : Promise.resolve(null);
    collecting.catch(function () { return null; }).then(function (evidence) {
      var audit = body();
      if (evidence) audit.evidence = evidence;
      sending = false;
      send(audit);
    });
  }
  function send(audit) {
    if (!navigator.onLine) return queueIt(audit);
    post(audit).then(function (response) {
      if (response.ok) {
        localStorage.removeItem(draftKey);
        if (presence) EvenlyPresence.forget(auditId);
        window.location.assign("/audits/" + auditId);
      } else if (response.status === 422 || response.status === 409) {
        form.removeEventListener("submit", submit);
        form.submit();  // the server shows each error beside its field, keeping every answer
      } else {
        queueIt(audit);
      }
    }).catch(function () { queueIt(audit); });
  }
  function queueIt(audit) {
    enqueue(audit);
    say(status, text("offline", "You are offline. The audit is saved on this phone and will be sent " +
      "as soon as the connection returns."), true);
  }

  var sending = false;
  // Evidence of presence (presence.js): the consent sentence is on the form.
  var presence = window.EvenlyPresence ? EvenlyPresence.start(form, auditId) : null;
  var saved = readJSON(draftKey, null);
  if (saved && !form.querySelector(".field-error")) restore(saved.values);
  form.querySelectorAll(".item-extras").forEach(showThumbs);
  applyConditions();
  evaluate();
  form.addEventListener("input", function () { applyConditions(); evaluate(); saveDraft(); });
  form.addEventListener("change", function (event) {
    var input = event.target;
    if (input.classList.contains("photo-input")) uploadPhoto(input, photoItemDone(input));
    if (input.classList.contains("item-photo-input")) uploadPhoto(input, itemPhotoDone(input));
    applyConditions();
    evaluate();
    saveDraft();
  });
  form.addEventListener("submit", submit);
  window.addEventListener("online", function () {
    if (!queued().some(function (q) { return q.id === auditId; })) return;
    flush().then(function () {
      if (!queued().some(function (q) { return q.id === auditId; })) {
        say(status, text("sent", "Sent."), false);
        window.location.assign("/audits/" + auditId);
      }
    });
  });
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js").catch(function () {});
  flush();
})();
