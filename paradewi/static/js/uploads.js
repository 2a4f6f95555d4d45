/*
 * Uploads that fit the connection: progressive enhancement of the requirement upload forms
 * (requests/_partials/upload_row.html) on the request edit page.
 *
 * - The upload starts as soon as a file is chosen (the button stays for pages without script).
 * - Nothing the server would refuse for its size or type is sent: after a photo is shrunk,
 *   a file above data-upload-limit (the server's limit) or of a type outside data-accept-types
 *   is refused at its row with a message saying what to do (a PDF cannot be shrunk here:
 *   photograph the page instead, or scan again smaller). Not one byte of it leaves the phone.
 * - Photos are shrunk on the phone: decoded upright, drawn with the long side at most
 *   data-max-side pixels and encoded as JPEG, lowering the quality and then the size until
 *   the file is under data-max-bytes. PDFs, and images the browser cannot decode, are sent
 *   as they are: the server judges them.
 * - The file is sent with XMLHttpRequest (upload progress) and the header `HX-Request: true`,
 *   so the server answers with the requirement row (and the out-of-band list of what is still
 *   missing), which replaces the row in place.
 * - A dropped connection or a server error (5xx) re-sends the same prepared bytes a few times
 *   with growing pauses (data-retry-delays, milliseconds), then offers "try again". The server
 *   keeps one copy of the same bytes, so a request that arrived but whose answer was lost is
 *   never stored twice.
 *
 * Settings and the texts shown come from data- attributes of the [data-uploads] container,
 * rendered and translated by the template: no inline script, no inline handler.
 */
(function () {
  "use strict";

  const FORM = "form[data-upload]";
  const ROW = ".req-row";
  const QUALITIES = [0.82, 0.72, 0.62, 0.5];
  const SIZE_STEP = 0.75; // then the size, a quarter smaller each round
  const SIZE_ROUNDS = 4;
  const STALL_MS = 60000; // no progress for this long: the connection is gone
  const jobs = new WeakMap(); // form -> the upload in progress or the last failed one
  const failed = new Set();

  function config(form) {
    const box = form.closest("[data-uploads]");
    const data = box ? box.dataset : {};
    const delays = (data.retryDelays || "1000,3000,8000")
      .split(",")
      .map(Number)
      .filter((delay) => Number.isFinite(delay) && delay >= 0);
    return {
      maxSide: parseInt(data.maxSide, 10) || 2000,
      maxBytes: parseInt(data.maxBytes, 10) || 500000,
      retryDelays: delays,
      limit: parseInt(data.uploadLimit, 10) || 0,
      types: (data.acceptTypes || "").split(",").filter(Boolean),
      text: {
        wrongType: data.msgWrongType || "",
        tooBigPdf: data.msgTooBigPdf || "",
        tooBig: data.msgTooBig || "",
        compressing: data.msgCompressing || "",
        uploading: data.msgUploading || "",
        checking: data.msgChecking || "",
        retrying: data.msgRetrying || "",
        failed: data.msgFailed || "",
      },
    };
  }

  function parts(form) {
    return {
      input: form.querySelector("input[type=file]"),
      bar: form.querySelector("[data-upload-bar]"),
      status: form.querySelector("[data-upload-status]"),
      percent: form.querySelector("[data-upload-percent]"),
      retry: form.querySelector("[data-upload-retry]"),
    };
  }

  // --- what the row shows ------------------------------------------------------------------

  function show(job, phase, value) {
    const ui = parts(job.form);
    const text = config(job.form).text;
    const row = job.form.closest(ROW);
    if (row) {
      row.classList.toggle("upload-busy", phase !== "failed");
      row.classList.toggle("upload-failed", phase === "failed");
    }
    if (ui.status && ui.status.textContent !== text[phase]) {
      ui.status.textContent = text[phase] || "";
    }
    if (ui.bar) {
      ui.bar.hidden = phase === "failed" || phase === "retrying";
      if (phase === "uploading") {
        ui.bar.value = value;
      } else if (phase === "checking") {
        ui.bar.value = 100;
      } else {
        ui.bar.removeAttribute("value"); // an indeterminate bar while the photo is shrunk
      }
    }
    if (ui.percent) {
      ui.percent.textContent = phase === "uploading" ? value + "%" : "";
    }
    if (ui.retry) {
      ui.retry.hidden = phase !== "failed";
    }
  }

  function announce(form, text) {
    const box = form.closest("[data-uploads]");
    const region = box && box.querySelector("[data-upload-announce]");
    if (region && text) {
      region.textContent = text;
    }
  }

  // --- shrinking a photo -------------------------------------------------------------------

  function isImage(file) {
    return /^image\//.test(file.type || "");
  }

  function jpegName(name) {
    const base = (name || "photo").replace(/\.[^./\\]{1,5}$/, "");
    return (base || "photo") + ".jpg";
  }

  function loadImage(file) {
    return new Promise((resolve, reject) => {
      const url = URL.createObjectURL(file);
      const image = new Image();
      image.onload = () => {
        URL.revokeObjectURL(url);
        resolve({ image, width: image.naturalWidth, height: image.naturalHeight, close() {} });
      };
      image.onerror = () => {
        URL.revokeObjectURL(url);
        reject(new Error("The image cannot be decoded."));
      };
      image.src = url;
    });
  }

  async function decode(file) {
    if (typeof createImageBitmap === "function") {
      try {
        const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
        return { image: bitmap, width: bitmap.width, height: bitmap.height, close: () => bitmap.close() };
      } catch (error) {
        // Older browsers reject the option or the format: an <img> applies the orientation too.
      }
    }
    return loadImage(file);
  }

  function canvasOf(width, height) {
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    return canvas;
  }

  function release(canvas) {
    // Phones keep canvas memory until the size is zeroed.
    canvas.width = 0;
    canvas.height = 0;
  }

  function draw(decoded, width, height) {
    let source = decoded.image;
    let sourceWidth = decoded.width;
    let sourceHeight = decoded.height;
    let step = null;
    // Halve first when shrinking a lot: one big step blurs unevenly in some browsers.
    while (sourceWidth > width * 2 && sourceHeight > height * 2) {
      const half = canvasOf(Math.round(sourceWidth / 2), Math.round(sourceHeight / 2));
      const context = half.getContext("2d");
      context.imageSmoothingQuality = "high";
      context.drawImage(source, 0, 0, half.width, half.height);
      if (step) release(step);
      step = half;
      source = half;
      sourceWidth = half.width;
      sourceHeight = half.height;
    }
    const canvas = canvasOf(width, height);
    const context = canvas.getContext("2d");
    context.fillStyle = "#fff"; // transparent parts of a PNG become white, not black
    context.fillRect(0, 0, width, height);
    context.imageSmoothingQuality = "high";
    context.drawImage(source, 0, 0, width, height);
    if (step) release(step);
    return canvas;
  }

  function toJpeg(canvas, quality) {
    return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));
  }

  async function shrink(decoded, settings) {
    let scale = Math.min(1, settings.maxSide / Math.max(decoded.width, decoded.height));
    let smallest = null;
    for (let round = 0; round < SIZE_ROUNDS; round += 1) {
      const width = Math.max(1, Math.round(decoded.width * scale));
      const height = Math.max(1, Math.round(decoded.height * scale));
      const canvas = draw(decoded, width, height);
      try {
        for (const quality of QUALITIES) {
          const blob = await toJpeg(canvas, quality);
          if (!blob) return smallest;
          if (!smallest || blob.size < smallest.size) smallest = blob;
          if (blob.size < settings.maxBytes) return blob;
        }
      } finally {
        release(canvas);
      }
      scale *= SIZE_STEP;
    }
    return smallest;
  }

  /* The bytes to send for a chosen file, and their name: {blob, name}. */
  async function prepare(file, settings) {
    const original = { blob: file, name: file.name };
    if (!isImage(file)) return original;
    let decoded;
    try {
      decoded = await decode(file);
    } catch (error) {
      return original;
    }
    try {
      const fits = Math.max(decoded.width, decoded.height) <= settings.maxSide;
      const accepted = file.type === "image/jpeg" || file.type === "image/png";
      if (accepted && fits && file.size < settings.maxBytes) return original;
      const blob = await shrink(decoded, settings);
      if (!blob || (accepted && fits && blob.size >= file.size)) return original;
      return { blob, name: jpegName(file.name) };
    } catch (error) {
      return original;
    } finally {
      decoded.close();
    }
  }

  // --- what the server would refuse anyway ------------------------------------------------

  function megabytes(bytes) {
    const lang = document.documentElement.lang || "id";
    const value = bytes / (1024 * 1024);
    return value.toLocaleString(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) + " MB";
  }

  function typeOf(blob, name) {
    if (blob.type) return blob.type;
    const extension = (/\.([a-z0-9]{1,5})$/i.exec(name || "") || ["", ""])[1].toLowerCase();
    return { pdf: "application/pdf", jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png" }[extension] || "";
  }

  /* The message for prepared bytes the server would refuse, or "" when they may be sent. */
  function refusal(prepared, settings) {
    const type = typeOf(prepared.blob, prepared.name);
    if (settings.types.length && type && !settings.types.includes(type)) return settings.text.wrongType;
    if (settings.limit && prepared.blob.size > settings.limit) {
      const template = type === "application/pdf" ? settings.text.tooBigPdf : settings.text.tooBig;
      const sizes = { size: megabytes(prepared.blob.size), limit: megabytes(settings.limit) };
      return template.replace(/\{(\w+)\}/g, (whole, key) => (key in sizes ? sizes[key] : whole));
    }
    return "";
  }

  function refuse(job, text) {
    const ui = parts(job.form);
    const row = job.form.closest(ROW);
    job.busy = false;
    jobs.delete(job.form);
    if (row) {
      row.classList.remove("upload-busy");
      row.classList.add("upload-failed");
    }
    if (ui.bar) ui.bar.hidden = true;
    if (ui.percent) ui.percent.textContent = "";
    if (ui.retry) ui.retry.hidden = true;
    if (ui.status) ui.status.textContent = text;
    if (ui.input) ui.input.value = ""; // the same file chosen again is checked again
    announce(job.form, text);
  }

  // --- sending -----------------------------------------------------------------------------

  function stop(job) {
    clearTimeout(job.timer);
    clearTimeout(job.watchdog);
    failed.delete(job);
    if (job.xhr) {
      job.cancelled = true;
      job.xhr.abort();
      job.xhr = null;
    }
  }

  function current(job) {
    return jobs.get(job.form) === job && job.form.isConnected;
  }

  async function start(form, file) {
    const previous = jobs.get(form);
    if (previous) stop(previous);
    const job = { form, file, prepared: null, xhr: null, attempt: 0, timer: 0, watchdog: 0, busy: true };
    jobs.set(form, job);
    if (isImage(file)) show(job, "compressing");
    const settings = config(form);
    job.prepared = await prepare(file, settings);
    if (!current(job)) return;
    const refused = refusal(job.prepared, settings);
    if (refused) refuse(job, refused);
    else send(job);
  }

  function send(job) {
    const form = job.form;
    const ui = parts(form);
    const data = new FormData(form);
    data.set(ui.input.name, job.prepared.blob, job.prepared.name);
    const xhr = new XMLHttpRequest();
    job.xhr = xhr;
    job.busy = true;
    job.cancelled = false;
    const watch = () => {
      clearTimeout(job.watchdog);
      job.watchdog = setTimeout(() => {
        job.stalled = true;
        xhr.abort();
      }, STALL_MS);
    };
    xhr.open("POST", form.action);
    xhr.setRequestHeader("HX-Request", "true");
    xhr.responseType = "text";
    xhr.upload.addEventListener("progress", (event) => {
      watch();
      if (event.lengthComputable && event.total > 0) {
        show(job, "uploading", Math.min(100, Math.floor((event.loaded * 100) / event.total)));
      }
    });
    xhr.upload.addEventListener("load", () => show(job, "checking"));
    xhr.addEventListener("progress", watch);
    xhr.addEventListener("load", () => {
      clearTimeout(job.watchdog);
      job.xhr = null;
      if (xhr.status === 413) {
        refuse(job, (xhr.responseText || "").trim() || config(job.form).text.failed);
      } else if (xhr.status >= 500 || xhr.status === 0) {
        retryLater(job);
      } else if (!(xhr.status === 200 && swapRow(job, xhr.responseText))) {
        // Not the row: a session that ran out, a refused request. Nothing to retry by itself.
        giveUp(job);
      }
    });
    const lost = () => {
      clearTimeout(job.watchdog);
      job.xhr = null;
      if (job.cancelled && !job.stalled) return;
      job.stalled = false;
      retryLater(job);
    };
    xhr.addEventListener("error", lost);
    xhr.addEventListener("abort", lost);
    watch();
    show(job, "uploading", 0);
    xhr.send(data);
  }

  function retryLater(job) {
    if (!current(job)) return;
    const delays = config(job.form).retryDelays;
    if (job.attempt >= delays.length) {
      giveUp(job);
      return;
    }
    const delay = delays[job.attempt];
    job.attempt += 1;
    show(job, "retrying");
    job.timer = setTimeout(() => {
      if (current(job)) send(job);
    }, delay);
  }

  function giveUp(job) {
    job.busy = false;
    if (!current(job)) return;
    failed.add(job);
    show(job, "failed");
  }

  function again(job) {
    stop(job);
    job.attempt = 0;
    send(job);
  }

  // --- the answer: the row, and what is still missing ---------------------------------------

  function activate(element) {
    if (window.htmx && typeof window.htmx.process === "function") {
      window.htmx.process(element);
    }
  }

  function swapRow(job, html) {
    const row = job.form.closest(ROW);
    if (!row || !row.id) return false;
    const template = document.createElement("template");
    template.innerHTML = html;
    const fragment = template.content;
    const fresh = fragment.getElementById(row.id);
    if (!fresh) return false;
    // Out-of-band parts of the answer (hx-swap-oob="true"): each replaces the element with its id.
    for (const part of Array.from(fragment.children)) {
      if (part === fresh || !part.hasAttribute("hx-swap-oob")) continue;
      const target = part.id ? document.getElementById(part.id) : null;
      part.remove();
      part.removeAttribute("hx-swap-oob");
      if (target) {
        target.replaceWith(part);
        activate(part);
      }
    }
    const hadFocus = row.contains(document.activeElement);
    failed.delete(job);
    job.busy = false;
    row.replaceWith(fresh);
    activate(fresh);
    if (hadFocus) {
      const next = fresh.querySelector("input[type=file]") || fresh.querySelector("a");
      if (next) next.focus();
    }
    const said = fresh.querySelector(".errorlist, .req-notice");
    if (said) announce(fresh, said.textContent.trim());
    return true;
  }

  // --- wiring (delegated, so rows swapped in work without binding again) ---------------------

  document.addEventListener("change", (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file") return;
    const form = input.closest(FORM);
    if (form && input.files && input.files.length) start(form, input.files[0]);
  });

  // Capture: the plain form submission (the no-script path) never starts while the script runs.
  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || !form.matches(FORM)) return;
      event.preventDefault();
      event.stopPropagation();
      const input = parts(form).input;
      const job = jobs.get(form);
      const file = input && input.files && input.files[0];
      if (job && job.busy) return; // already on its way
      if (job && job.prepared && job.file === file) {
        again(job);
      } else if (file) {
        start(form, file);
      } else if (input) {
        input.click(); // nothing chosen yet: open the file chooser
      }
    },
    true,
  );

  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element && event.target.closest("[data-upload-retry]");
    if (!button) return;
    const form = button.closest(FORM);
    const job = form && jobs.get(form);
    if (job && job.prepared) again(job);
  });

  // Back on line: send what failed while the connection was gone.
  window.addEventListener("online", () => {
    for (const job of Array.from(failed)) {
      if (current(job)) again(job);
      else failed.delete(job);
    }
  });
})();
