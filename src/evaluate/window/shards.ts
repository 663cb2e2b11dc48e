// Rule-wide state (ratio and spike buckets, absences) split by group into shards, each under its own hash
// tag, so that on a Redis Cluster one busy rule spreads over the masters instead of loading the one that
// holds its slot. One shard (the default) is the layout from before shards.
import { partitionIndex } from "../../queue/partitions.js";

/** shardOf is the shard of a group: a stable hash of its key (0 with one shard). */
export function shardOf(group: string, shards: number): number {
  return partitionIndex(group, shards);
}

/** shardKey names one shard of a rule's state: the rule's state key itself with one shard, else suffixed. */
export function shardKey(ruleKey: string, shard: number, shards: number): string {
  return shards <= 1 ? ruleKey : `${ruleKey}#${shard}`;
}

/** groupShardKey is shardKey of the shard `group` belongs to. */
export function groupShardKey(ruleKey: string, group: string, shards: number): string {
  return shards <= 1 ? ruleKey : shardKey(ruleKey, shardOf(group, shards), shards);
}
