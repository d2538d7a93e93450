package io.sparkeras.ps.server;

/** A consistent copy of one shard's state: parameters, optimizer state, version and worker clocks. */
public final class ShardSnapshot {
  public final int shardId;
  public final int offset;
  public final float[] params;
  public final float[][] state;
  public final long version;
  public final long[] clocks;

  public ShardSnapshot(int shardId, int offset, float[] params, float[][] state, long version,
      long[] clocks) {
    this.shardId = shardId;
    this.offset = offset;
    this.params = params;
    this.state = state;
    this.version = version;
    this.clocks = clocks;
  }
}
