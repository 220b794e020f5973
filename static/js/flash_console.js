// The flash-sale console (FS3/FS4): mode and template toggles, and the live-stream capture.
// A static file (the Content-Security-Policy allows no inline script); the page passes its
// field ids and texts as data- attributes on #fs-form.
(function () {
  // Mode: show the viewer picker for targeted flash sales only.
  var form = document.getElementById("fs-form");
  if (!form) return;
  var targetRow = document.getElementById("target-row");
  function syncMode() {
    var m = form.querySelector("input[name=mode]:checked");
    targetRow.classList.toggle("d-none", !m || m.value !== "targeted");
  }
  form.querySelectorAll("input[name=mode]").forEach(function (r) { r.addEventListener("change", syncMode); });
  syncMode();
  // New shipping template fields only when no template is picked.
  var tpl = document.getElementById(form.dataset.templateField);
  var newTpl = document.getElementById("new-template");
  function syncTpl() { newTpl.classList.toggle("d-none", !!tpl.value); }
  tpl.addEventListener("change", syncTpl); syncTpl();
  // FS4: capture a frame of the live stream (screen) or the camera into the form.
  var md = navigator.mediaDevices;
  var box = document.getElementById("capture-box");
  var hidden = document.getElementById(form.dataset.capturedField);
  var preview = document.getElementById("capture-preview");
  if (md && (md.getDisplayMedia || md.getUserMedia)) {
    box.classList.remove("d-none");
    if (!md.getDisplayMedia) box.querySelector("[data-capture=screen]").classList.add("d-none");
    if (!md.getUserMedia) box.querySelector("[data-capture=camera]").classList.add("d-none");
  }
  box.querySelectorAll("[data-capture]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var ask = btn.dataset.capture === "screen" ? md.getDisplayMedia({video: true}) : md.getUserMedia({video: true});
      ask.then(function (stream) {
        var video = document.createElement("video");
        video.muted = true; video.playsInline = true; video.srcObject = stream;
        return video.play().then(function () {
          return new Promise(function (ok) { setTimeout(ok, 300); });
        }).then(function () {
          var canvas = document.createElement("canvas");
          canvas.width = video.videoWidth; canvas.height = video.videoHeight;
          canvas.getContext("2d").drawImage(video, 0, 0);
          stream.getTracks().forEach(function (t) { t.stop(); });
          hidden.value = canvas.toDataURL("image/jpeg", 0.85);
          preview.src = hidden.value; preview.classList.remove("d-none");
        });
      }).catch(function () { box.querySelector(".form-text").textContent = form.dataset.noCapture; });
    });
  });
})();
