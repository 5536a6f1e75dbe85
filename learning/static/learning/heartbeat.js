// Study-time heartbeat of a lesson page: while the page is visible, post a beat every
// data-interval seconds; the server (learning/study.py) credits the time between beats.
//
// Each beat carries elapsed_ms, this page's own measure (performance.now()) of the time
// since its previous beat, and the server credits no more than that: a beat that waits
// in a busy server's queue earns nothing for the wait. A beat that fails on the way
// (offline for a moment) hands its time on to the next one, so the time is not lost;
// one that is merely slow does not, since it may still arrive and be credited.
//
// Hidden pages earn nothing. When the page is hidden the timer stops, and when it is
// visible again the script starts a new page view (a new id, seq back to 1). The first
// beat of a view only starts the server's clock for it, so the hidden gap credits
// nothing at all; carrying on with the old view would credit up to the server's cap
// (60 s) of time nobody was looking. On hiding, one last beat (sendBeacon, which also
// survives the page being closed or left for the next lesson) credits the visible
// time since the previous beat, which would otherwise be lost.
(function () {
  "use strict";

  const script = document.currentScript;
  const url = script.dataset.url;
  const lesson = script.dataset.lesson;
  const intervalMs = Number(script.dataset.interval) * 1000;
  const csrfCookie = script.dataset.csrfCookie;
  const MAX_ELAPSED_MS = 2147483647;

  let viewId = null;
  let seq = 0;
  let timer = null;
  let refused = false;
  let lastBeatAt = null; // performance.now() when this view's previous beat was sent
  let unsentMs = 0; // time of beats that failed to reach the server

  // crypto.randomUUID needs a secure context and a recent browser; older phones and
  // plain-HTTP test servers get a version 4 UUID from getRandomValues instead.
  function newViewId() {
    if (window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    const bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function csrfToken() {
    const prefix = csrfCookie + "=";
    const found = document.cookie.split("; ").find((part) => part.startsWith(prefix));
    return found ? decodeURIComponent(found.slice(prefix.length)) : "";
  }

  // Whole milliseconds, rounded down, so the page never claims more than it measured;
  // at most what the server accepts (a day's sleep is far beyond any beat's cap anyway).
  function elapsedMs() {
    const now = performance.now();
    const elapsed = lastBeatAt === null ? 0 : Math.floor(now - lastBeatAt) + unsentMs;
    lastBeatAt = now;
    unsentMs = 0;
    return Math.min(elapsed, MAX_ELAPSED_MS);
  }

  // A form body carries its own CSRF token, so fetch and sendBeacon send the same thing.
  function nextBeat(elapsed) {
    seq += 1;
    return new URLSearchParams({
      lesson: lesson,
      view: viewId,
      seq: String(seq),
      elapsed_ms: String(elapsed),
      csrfmiddlewaretoken: csrfToken(),
    });
  }

  function beat() {
    const elapsed = elapsedMs();
    const sentFor = viewId;
    // Offline for a moment, or a server error: the next beat of this view claims the time
    // too, and the server still credits no more than its own clock allows.
    const failed = () => {
      if (viewId === sentFor) {
        unsentMs += elapsed;
      }
    };
    fetch(url, { method: "POST", body: nextBeat(elapsed), credentials: "same-origin" })
      .then((response) => {
        // Logged out, not enrolled, lesson gone: beating on would only be refused again.
        if (response.status >= 400 && response.status < 500) {
          refused = true;
          stop();
        } else if (!response.ok) {
          failed();
        }
      })
      .catch(failed);
  }

  function start() {
    viewId = newViewId();
    seq = 0;
    lastBeatAt = null;
    unsentMs = 0;
    beat();
    timer = window.setInterval(beat, intervalMs);
  }

  function stop() {
    window.clearInterval(timer);
    timer = null;
  }

  // Beat while visible, not while hidden, whatever happened in between.
  function follow() {
    if (refused) {
      return;
    }
    if (document.visibilityState === "visible") {
      if (timer === null) {
        start();
      }
    } else if (timer !== null) {
      stop();
      if (navigator.sendBeacon) {
        navigator.sendBeacon(url, nextBeat(elapsedMs()));
      }
    }
  }

  document.addEventListener("visibilitychange", follow);
  // A page brought back with the browser's Back button resumes as it was left.
  window.addEventListener("pageshow", follow);
  follow();
})();
