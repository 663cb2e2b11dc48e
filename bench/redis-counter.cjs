// Preloaded into the engine processes by the bench (`node --require`): counts Redis round trips
// (stand-alone commands + pipeline flushes), commands, and jobs added, and writes them to
// $BENCH_COUNT_DIR/<pid>.json twice a second, so the harness can divide them by requests and batches;
// also the event loop's delay p99 of each half second (is a slow ack the process's own doing?).
"use strict";
const { renameSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");
const dir = process.env.BENCH_COUNT_DIR;
if (dir) {
  const counts = { roundTrips: 0, commands: 0, pipelines: 0, jobsAdded: 0 };
  const { Redis } = require("ioredis");
  const Pipeline = require("ioredis/built/Pipeline").default;
  const sendCommand = Redis.prototype.sendCommand;
  Redis.prototype.sendCommand = function (command, stream, node) {
    counts.commands++;
    // Pipelined commands are handed a stand-in stream; they travel in the pipeline's one write.
    if (!stream) counts.roundTrips++;
    return sendCommand.call(this, command, stream, node);
  };
  const exec = Pipeline.prototype.exec;
  Pipeline.prototype.exec = function (...args) {
    counts.pipelines++;
    counts.roundTrips++;
    return exec.apply(this, args);
  };
  const { Queue } = require("bullmq");
  const add = Queue.prototype.add;
  Queue.prototype.add = function (...args) {
    if (this.name === "events") counts.jobsAdded++;
    return add.apply(this, args);
  };
  const { monitorEventLoopDelay } = require("node:perf_hooks");
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  counts.loopDelay = [];
  const file = join(dir, `${process.pid}.json`);
  const flush = () => {
    counts.loopDelay.push([Date.now(), delay.percentile(99) / 1e6, delay.max / 1e6]);
    const m = process.memoryUsage();
    // The largest RSS seen, with the heap and off-heap figures of that moment, to tell where memory goes.
    if (!counts.memory || m.rss > counts.memory.rss) counts.memory = m;
    if (counts.loopDelay.length > 60) counts.loopDelay.shift();
    delay.reset();
    try {
      // Write then rename, so the harness never reads a half-written file.
      writeFileSync(`${file}.tmp`, JSON.stringify(counts));
      renameSync(`${file}.tmp`, file);
    } catch {
      // The bench may have removed its directory already.
    }
  };
  setInterval(flush, 500).unref();
  process.on("exit", flush);
}
