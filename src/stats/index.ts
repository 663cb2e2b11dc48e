// The activity counters: recorded by the events workers, read by the admin API.
export { createStatsReader, type StatsReader, type StatsReply, type StatsSeries } from "./reader.js";
export { createStatsRecorder, type StatsRecorder } from "./recorder.js";
export { startStatsBuffer, type StatsBuffer } from "./buffer.js";
export { MAX_POINTS, parseStatsQuery, type RawStatsQuery } from "./query.js";
export { STATS_MEASURES, type StatsBy, type StatsCount } from "./layout.js";
