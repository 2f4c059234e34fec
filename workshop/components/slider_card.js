// One slider item on a phone, as one NiceGUI element: its sliders, number fields, reason, status,
// the group's markers and the lines below them. NiceGUI pays per element in server CPU and memory,
// and a whole room opens this page at once; here a card is one element and a flush is one update.
// Every update re-sends the element's props and listeners, so all the card says to the server goes
// through one "act" event. The static title and help ride along as a prop: as a child element they
// cost ~6 KB of server memory per card and phone, while the bytes of an update did not measurably
// cost CPU (docs/benchmarks.md).
//
// The thumb a person is moving belongs to the browser: the server's props say what the room stored
// (`stored`) and only `sync` (a counter and values) moves a thumb, on a new round or a refused move.
export default {
  template: `
    <q-card>
      <div class="w-full" v-html="head"></div>
      <template v-for="p in positions" :key="p.id">
        <div class="nicegui-row w-full items-center justify-between no-wrap">
          <div class="font-medium grow">{{ p.label }}</div>
          <q-input
            type="number" dense outlined inputmode="numeric" class="w-20" min="0" max="100" step="1"
            :model-value="numbers[p.id]" @update:model-value="(v) => (numbers[p.id] = v)"
            @keydown.enter="typed(p.id)" @blur="typed(p.id)" :disable="!editable"
            :data-testid="'number-' + item + '-' + p.id" :aria-label="p.numberAria"
          />
          <div class="text-lg font-bold w-10 text-right" aria-live="polite" :data-testid="'value-' + item + '-' + p.id">
            {{ p.id in stored ? stored[p.id] : '—' }}
          </div>
        </div>
        <q-slider
          :model-value="values[p.id]" @update:model-value="(v) => moving(p.id, v)" @change="(v) => placed(p.id, v)"
          :min="0" :max="100" :step="1" label color="primary" :disable="!editable"
          :class="p.id in stored ? 'px-2' : 'px-2 wp-unplaced'"
          :data-testid="'slider-' + item + '-' + p.id" :aria-label="p.aria"
        />
      </template>
      <div v-if="low || high" class="w-full flex justify-between text-xs wp-muted">
        <span>{{ low }}</span><span>{{ high }}</span>
      </div>
      <q-input
        v-if="reasonLabel" type="textarea" autogrow maxlength="1000" outlined dense class="w-full"
        :label="reasonLabel" :model-value="reasonText" @update:model-value="writing" @blur="flushReason"
        :disable="!editable" :data-testid="'reason-' + item"
      />
      <div class="text-sm wp-muted" aria-live="polite" :data-testid="'status-' + item">{{ status }}</div>
      <div ref="markersBox" class="w-full" :data-testid="'markers-' + item + '-box'" v-html="markers"></div>
      <div v-if="keep || round || divergence" class="nicegui-column w-full gap-1">
        <q-btn v-if="keep" flat dense no-caps :label="keep" :data-testid="'keep-' + item" @click="$emit('act', { kind: 'keep' })" />
        <div v-if="round" class="text-sm font-medium" :data-testid="'round-' + item">{{ round }}</div>
        <div v-if="divergence" class="wp-diverge" role="status" :data-testid="'divergence-' + item">
          {{ divergence }}
        </div>
      </div>
    </q-card>
  `,
  props: {
    item: String,
    head: String,
    positions: { type: Array, default: () => [] },
    low: String,
    high: String,
    reasonLabel: String,
    live: Boolean,
    editable: Boolean,
    stored: { type: Object, default: () => ({}) },
    sync: { type: Object, default: () => ({ n: 0, values: {} }) },
    reason: { type: Object, default: () => ({ n: 0, text: "" }) },
    status: String,
    markers: String,
    keep: String,
    round: String,
    divergence: String,
    me: Number,
  },
  emits: ["act"],
  data() {
    const values = {};
    const numbers = {};
    for (const p of this.positions) {
      values[p.id] = this.sync?.values?.[p.id] ?? 50;
      numbers[p.id] = this.stored?.[p.id] ?? null;
    }
    return {
      values,
      numbers,
      typedLast: { ...this.stored },
      lastStored: { ...this.stored },
      reasonText: this.reason?.text ?? "",
      pendingDrag: {},
      dragTimer: null,
      reasonTimer: null,
    };
  },
  watch: {
    "sync.n"() {
      Object.assign(this.values, this.sync.values);
    },
    "reason.n"() {
      this.reasonText = this.reason.text;
    },
    stored(now) {
      // what the room stored shows in the number field too (typed, dragged or from another device)
      for (const p of this.positions) {
        if (p.id in now && now[p.id] !== this.lastStored[p.id]) {
          this.numbers[p.id] = now[p.id];
          this.typedLast[p.id] = now[p.id];
        } else if (!(p.id in now) && p.id in this.lastStored) {
          // a new round: nothing placed any more, so the box is empty like the value ("—")
          this.numbers[p.id] = null;
          this.typedLast[p.id] = null;
        }
      }
      this.lastStored = { ...now };
    },
  },
  mounted() {
    this.markMine();
  },
  updated() {
    this.markMine();
  },
  beforeUnmount() {
    clearTimeout(this.dragTimer);
    this.flushReason();
  },
  methods: {
    markMine() {
      // the markers are drawn once for the whole group; this page outlines its own person's dots
      const box = this.$refs.markersBox;
      if (!box) return;
      for (const dot of box.querySelectorAll(".wp-dot")) dot.classList.toggle("me", dot.dataset.p === String(this.me));
    },
    placed(position, value) {
      this.$emit("act", { kind: "place", position, value });
    },
    moving(position, value) {
      this.values[position] = value;
      if (!this.live) return;
      // live reveal: the group sees the marker move while it is dragged, at most 4 times a second
      this.pendingDrag[position] = value;
      if (this.dragTimer) return;
      this.dragTimer = setTimeout(() => {
        this.dragTimer = null;
        for (const [p, v] of Object.entries(this.pendingDrag)) this.$emit("act", { kind: "drag", position: p, value: v });
        this.pendingDrag = {};
      }, 250);
    },
    typed(position) {
      // for people who cannot drag: the number is placed on Enter or when the field loses focus
      const raw = this.numbers[position];
      if (raw === null || raw === undefined || raw === "") return;
      const value = Number(raw);
      if (!Number.isFinite(value) || value === this.typedLast[position]) return;
      this.typedLast[position] = value;
      this.values[position] = value;
      this.$emit("act", { kind: "place", position, value });
    },
    writing(text) {
      this.reasonText = text ?? "";
      if (this.reasonTimer) return;
      this.reasonTimer = setTimeout(this.flushReason, 1000);
    },
    flushReason() {
      if (!this.reasonTimer) return;
      clearTimeout(this.reasonTimer);
      this.reasonTimer = null;
      this.$emit("act", { kind: "reason", text: this.reasonText });
    },
  },
};
