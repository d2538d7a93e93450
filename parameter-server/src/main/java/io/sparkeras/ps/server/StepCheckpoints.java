package io.sparkeras.ps.server;

import io.sparkeras.ps.ParameterServerContext;
import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A checkpoint of every shard after every sync step ({@link
 * ParameterServerContext#stepCheckpoints}), so that a server node killed at any moment loses at
 * most the step in progress: shard i writes {@code <dir>/shard-<i>.v<version>} on its own thread
 * after the version advances and before anyone can pull that version, and then deletes its file
 * of {@code version - 2}. A step t + 1 can only complete after every worker pulled version t from
 * every shard, so whenever any shard is at version v, every shard has written v - 1: the newest
 * version that every shard holds ({@link #latestCommon}) is a consistent cut of the job, at most
 * one step behind the most advanced shard. Restoring every node from it
 * ({@link #files}) and replaying from there applies nothing twice (pushes of steps a shard has
 * applied are acknowledged as duplicates).
 *
 * <pre>{@code
 * ctx.stepCheckpoints("hdfs://nn/jobs/42/steps");        // every node of the job
 * // after a node was lost:
 * long v = StepCheckpoints.latestCommon(dir, shards, conf);
 * ctx.restoreFrom(StepCheckpoints.files(dir, first, count, v));   // node by node
 * }</pre>
 */
public final class StepCheckpoints {
  private static final Pattern NAME = Pattern.compile("shard-(\\d+)\\.v(\\d+)");

  private final String dir;
  private final int shard;
  private final Configuration conf = new Configuration();

  StepCheckpoints(String dir, int shard) {
    this.dir = dir;
    this.shard = shard;
  }

  /** The file of {@code shard} at {@code version}. */
  public static String path(String dir, int shard, long version) {
    return dir + "/shard-" + shard + ".v" + version;
  }

  /**
   * The restore path of shards {@code [first, first + count)} at {@code version}: their files,
   * comma-separated, as {@link ParameterServerContext#restoreFrom} takes them.
   */
  public static String files(String dir, int first, int count, long version) {
    StringBuilder b = new StringBuilder();
    for (int s = first; s < first + count; s++) {
      b.append(s == first ? "" : ",").append(path(dir, s, version));
    }
    return b.toString();
  }

  /** Writes this shard's snapshot at its version and drops its file two versions older. */
  void write(ParameterServerContext ctx, ShardSnapshot snapshot) throws IOException {
    Checkpoints.write(path(dir, shard, snapshot.version), conf, ctx.parameterCount(),
        ctx.workers(), ctx.mode().ordinal(), ctx.updateRule().name(),
        ctx.updateRule().stateSlots(), new ShardSnapshot[] {snapshot});
    Path old = new Path(URI.create(path(dir, shard, snapshot.version - 2)));
    old.getFileSystem(conf).delete(old, false);
  }

  /** The newest version every one of {@code shards} shards has a file of under {@code dir}, or -1. */
  public static long latestCommon(String dir, int shards, Configuration conf) throws IOException {
    Path root = new Path(URI.create(dir));
    FileSystem fs = root.getFileSystem(conf);
    if (!fs.exists(root)) {
      return -1;
    }
    Map<Long, Set<Integer>> holders = new HashMap<>();
    for (FileStatus st : fs.listStatus(root)) {
      Matcher m = NAME.matcher(st.getPath().getName());
      if (m.matches()) {
        holders.computeIfAbsent(Long.parseLong(m.group(2)), v -> new HashSet<>())
            .add(Integer.parseInt(m.group(1)));
      }
    }
    long best = -1;
    for (Map.Entry<Long, Set<Integer>> e : holders.entrySet()) {
      if (e.getValue().size() == shards && e.getKey() > best) {
        best = e.getKey();
      }
    }
    return best;
  }
}
