// A shared text field: the person's own copy of the field's Yjs document (issue 15).
//
// Typing changes the copy and sends the change (a Yjs update) to the server; the other editors'
// changes arrive as updates and merge in, the caret staying where the person is typing. Changes
// not yet confirmed by the server ("ack") are kept and sent again, merged, with the next change
// and after a reconnect, so a phone that was offline loses nothing. The server never sends the
// whole text, only the document once (``doc``) and then updates.
import * as Y from "werkplaats-yjs/yjs.bundle.mjs";

const toB64 = (bytes) => {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s);
};
const fromB64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const high = (code) => code >= 0xd800 && code <= 0xdbff;
const low = (code) => code >= 0xdc00 && code <= 0xdfff;

export default {
  template: `<q-input ref="q" v-bind="$attrs" :model-value="text" @update:model-value="typed" />`,
  inheritAttrs: false,
  emits: ["update:modelValue", "update:value", "edit", "resync"],
  props: { doc: String, stored: Boolean, value: String, keep: String },
  data() {
    return { text: "" };
  },
  created() {
    this.keepKey = this.keep || "";
    this.start(this.doc, this.stored);
  },
  mounted() {
    this.onConnect = () => setTimeout(() => this.resync(), 300);
    window.socket?.on("connect", this.onConnect);
  },
  unmounted() {
    window.socket?.off("connect", this.onConnect);
  },
  methods: {
    start(state, stored) {
      this.ydoc = new Y.Doc();
      this.ytext = this.ydoc.getText("t");
      if (state) Y.applyUpdate(this.ydoc, fromB64(state), "room");
      this.initial = stored || !state ? null : fromB64(state); // a seed the room has not stored yet
      this.pending = []; // [number, update] of my changes the server has not confirmed
      this.counter = 0;
      this.ydoc.on("update", (update, origin) => {
        if (origin !== "me") return;
        this.pending.push([++this.counter, update]);
        this.save();
        this.send("edit");
      });
      // what this phone typed and the room never confirmed, before the page was closed or reloaded
      const kept = this.keepKey ? localStorage.getItem("werkplaats-text:" + this.keepKey) : null;
      if (kept) {
        try {
          Y.applyUpdate(this.ydoc, fromB64(kept), "me");
        } catch (e) {
          localStorage.removeItem("werkplaats-text:" + this.keepKey);
        }
      }
      this.text = this.ytext.toString();
    },
    save() {
      if (!this.keepKey) return;
      try {
        if (this.pending.length) localStorage.setItem("werkplaats-text:" + this.keepKey, this.unconfirmed());
        else localStorage.removeItem("werkplaats-text:" + this.keepKey);
      } catch (e) {} // storage full or refused: the copy in memory still goes out
    },
    unconfirmed() {
      const parts = this.pending.map((p) => p[1]);
      if (this.initial) parts.unshift(this.initial);
      return parts.length ? toB64(Y.mergeUpdates(parts)) : "";
    },
    send(kind) {
      const upto = this.counter;
      const update = this.unconfirmed();
      if (kind === "edit" && !update) return;
      const args = { update, upto };
      if (kind === "resync") args.sv = toB64(Y.encodeStateVector(this.ydoc));
      this.$emit(kind, args);
    },
    resync() {
      this.send("resync");
    },
    ack(upto) {
      this.pending = this.pending.filter((p) => p[0] > upto);
      this.initial = null;
      this.save();
    },
    input() {
      const el = this.$refs.q?.$el;
      return el?.querySelector("textarea, input") || null;
    },
    typed(value) {
      value = value ?? "";
      const old = this.ytext.toString();
      if (value === old) return;
      let start = 0;
      const el = this.input();
      const caret = el && document.activeElement === el ? el.selectionEnd : null;
      const grown = value.length - old.length;
      if (caret !== null && grown > 0 && caret >= grown &&
          old.slice(0, caret - grown) === value.slice(0, caret - grown) && old.slice(caret - grown) === value.slice(caret)) {
        start = caret - grown; // typed (or pasted) at the caret: insert exactly there
      } else {
        while (start < old.length && start < value.length && old[start] === value[start]) start++;
      }
      let endOld = old.length, endNew = value.length;
      while (endOld > start && endNew > start && old[endOld - 1] === value[endNew - 1]) {
        endOld--;
        endNew--;
      }
      if (start > 0 && high(old.charCodeAt(start - 1))) start--; // never split a surrogate pair
      while (endOld < old.length && low(old.charCodeAt(endOld))) {
        endOld++;
        endNew++;
      }
      this.ydoc.transact(() => {
        if (endOld > start) this.ytext.delete(start, endOld - start);
        if (endNew > start) this.ytext.insert(start, value.slice(start, endNew));
      }, "me");
      this.text = this.ytext.toString();
    },
    remote(update) {
      const el = this.input();
      const focused = el && document.activeElement === el;
      // The caret keeps to the letter on its left (assoc -1): where two people type at the end of
      // the same field at once, each one's letters stay together instead of alternating with the
      // other's (a caret tied to "the end" would jump behind every remote letter).
      const collapsed = focused && el.selectionStart === el.selectionEnd;
      const marks = focused
        ? [[el.selectionStart, collapsed ? -1 : 0], [el.selectionEnd, -1]].map(
            ([i, assoc]) => Y.createRelativePositionFromTypeIndex(this.ytext, i, assoc))
        : null;
      Y.applyUpdate(this.ydoc, fromB64(update), "room");
      const text = this.ytext.toString();
      if (text === this.text) return;
      this.text = text;
      if (!marks) return;
      const [a, b] = marks.map((m) => Y.createAbsolutePositionFromRelativePosition(m, this.ydoc)?.index ?? text.length);
      if (el.value !== text) el.value = text; // Vue renders it on the next tick; the caret must not wait
      el.setSelectionRange(a, b);
      this.$nextTick(() => {
        if (document.activeElement === el) el.setSelectionRange(a, b);
      });
    },
    reset(state, stored = true, keep = null) {
      // the room refused my change (a full text) or I missed too much: its document, as it is
      const el = this.input();
      const at = el ? el.selectionEnd : null;
      this.ydoc.destroy();
      if (this.keepKey) localStorage.removeItem("werkplaats-text:" + this.keepKey);
      if (keep !== null) this.keepKey = keep;
      this.start(state, stored);
      if (el && at !== null && document.activeElement === el) {
        this.$nextTick(() => el.setSelectionRange(Math.min(at, this.text.length), Math.min(at, this.text.length)));
      }
    },
    text_now() {
      return this.ytext.toString();
    },
  },
};
