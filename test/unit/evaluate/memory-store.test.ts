// The shared window semantics, run against the in-process store.
import { createMemoryWindowStore } from "../../../src/evaluate/window/memory-store.js";
import { windowStoreSuite } from "./window-suite.js";

windowStoreSuite([
  {
    name: "memory",
    async make() {
      const store = createMemoryWindowStore();
      return {
        store,
        sizes: async (key, nowMs) => store.sizes(key, nowMs) ?? { ids: 0, values: 0, samples: 0 },
        close: async () => {},
      };
    },
  },
]);
