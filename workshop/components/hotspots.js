// The host's hotspots (group × slider, widest apart first), each opening the group's markers with
// names and reasons, and the spotlight: put one of them on the screen, with names or anonymised,
// and take the screen back to the room. One element; which entries are open stays in the browser,
// so a flush with new figures does not close what the host is reading.
export default {
  template: `
    <div class="w-full" data-testid="hotspots">
      <div v-if="current" class="wp-spot-on row items-center q-gutter-sm" role="status" data-testid="spotlight-current">
        <span class="font-bold">{{ current }}</span>
        <q-btn no-caps outline color="primary" :label="backLabel" data-testid="spotlight-off" @click="$emit('back')" />
      </div>
      <template v-if="spots.length">
        <div class="row items-center justify-between q-gutter-sm">
          <div class="font-bold">{{ title }}</div>
          <q-toggle :model-value="names" :label="namesLabel" data-testid="spotlight-names"
            @update:model-value="(v) => $emit('names', v)" />
        </div>
        <ol class="text-sm wp-hotspots">
          <li v-for="s in spots" :key="s.key">
            <details class="wp-details" :open="!!opened[s.key]" @toggle="(e) => (opened[s.key] = e.target.open)">
              <summary :data-testid="'hotspot-' + s.key"><span v-html="s.summary"></span></summary>
              <div v-html="s.body"></div>
              <q-btn v-if="s.revealed" no-caps unelevated color="primary" icon="cast" :label="showLabel"
                :data-testid="'spotlight-' + s.key" @click="$emit('spotlight', { group: s.group, item: s.item })" />
              <div v-else class="wp-muted">{{ hiddenLabel }}</div>
            </details>
          </li>
        </ol>
      </template>
    </div>
  `,
  props: {
    spots: { type: Array, default: () => [] },
    title: String,
    current: String,
    names: Boolean,
    namesLabel: String,
    showLabel: String,
    hiddenLabel: String,
    backLabel: String,
  },
  emits: ["spotlight", "names", "back"],
  data() {
    return { opened: {} };
  },
};
