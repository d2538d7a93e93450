package io.sparkeras.ps.server;

import io.sparkeras.core.fs.AtomicWrite;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Checkpoint files of the parameter server, on any Hadoop {@link FileSystem} ({@code file:},
 * {@code hdfs://}, ...). Written to a hidden temporary sibling and renamed into place
 * ({@link AtomicWrite}), so a reader sees either the previous checkpoint or the complete new one.
 *
 * <p>Format (all little-endian): magic {@code "SPKPSCK1"}, int format version (1), int total
 * floats, int shard count, int workers, int mode ordinal, int optimizer-name length + UTF-8 name,
 * int state slots; then per shard: int shard id, int offset, int length, long version, long[workers]
 * worker clocks, float[length] parameters, slots x float[length] optimizer state; then a long
 * CRC-32 of everything before it.
 */
public final class Checkpoints {
  private static final long MAGIC = 0x314b43535350_4b53L; // "SKPSSCK1" little-endian bytes
  private static final int FORMAT_VERSION = 1;

  private Checkpoints() {}

  /** What a checkpoint holds. */
  public static final class Checkpoint {
    public final int totalLength;
    public final int workers;
    public final int modeOrdinal;
    public final String optimizer;
    public final int stateSlots;
    public final ShardSnapshot[] shards;

    Checkpoint(int totalLength, int workers, int modeOrdinal, String optimizer, int stateSlots,
        ShardSnapshot[] shards) {
      this.totalLength = totalLength;
      this.workers = workers;
      this.modeOrdinal = modeOrdinal;
      this.optimizer = optimizer;
      this.stateSlots = stateSlots;
      this.shards = shards;
    }
  }

  /** Writes the snapshots atomically to {@code uri} ({@link AtomicWrite}). */
  public static void write(String uri, Configuration conf, int totalLength, int workers,
      int modeOrdinal, String optimizer, int stateSlots, ShardSnapshot[] shards) throws IOException {
    Path target = new Path(URI.create(uri));
    FileSystem fs = target.getFileSystem(conf);
    AtomicWrite.file(fs, target, AtomicWrite.IfExists.REPLACE, raw -> {
      LeOut out = new LeOut(new BufferedOutputStream(raw, 1 << 20));
      out.putLong(MAGIC);
      out.putInt(FORMAT_VERSION);
      out.putInt(totalLength);
      out.putInt(shards.length);
      out.putInt(workers);
      out.putInt(modeOrdinal);
      byte[] name = optimizer.getBytes(StandardCharsets.UTF_8);
      out.putInt(name.length);
      out.putBytes(name);
      out.putInt(stateSlots);
      for (ShardSnapshot s : shards) {
        out.putInt(s.shardId);
        out.putInt(s.offset);
        out.putInt(s.params.length);
        out.putLong(s.version);
        for (long c : s.clocks) {
          out.putLong(c);
        }
        out.putFloats(s.params);
        for (float[] slot : s.state) {
          out.putFloats(slot);
        }
      }
      out.flushScratch();
      out.putLong(out.crc.getValue());
      out.finish();
    });
  }

  /**
   * One checkpoint of the shards of {@code a} followed by those of {@code b} (read from
   * {@code uriOfB}), which must come from the same job and continue its shard ids.
   */
  public static Checkpoint concat(Checkpoint a, Checkpoint b, String uriOfB) {
    ShardSnapshot last = a.shards[a.shards.length - 1];
    if (a.totalLength != b.totalLength || a.workers != b.workers
        || a.modeOrdinal != b.modeOrdinal || !a.optimizer.equals(b.optimizer)
        || a.stateSlots != b.stateSlots || b.shards[0].shardId != last.shardId + 1) {
      throw new IllegalArgumentException("restore: " + uriOfB + " is not the continuation of "
          + "the checkpoints before it (another job, or not shard " + (last.shardId + 1) + ")");
    }
    ShardSnapshot[] all = java.util.Arrays.copyOf(a.shards, a.shards.length + b.shards.length);
    System.arraycopy(b.shards, 0, all, a.shards.length, b.shards.length);
    return new Checkpoint(a.totalLength, a.workers, a.modeOrdinal, a.optimizer, a.stateSlots,
        all);
  }

  /** Reads and verifies a checkpoint. */
  public static Checkpoint read(String uri, Configuration conf) throws IOException {
    Path path = new Path(URI.create(uri));
    FileSystem fs = path.getFileSystem(conf);
    try (LeIn in = new LeIn(new BufferedInputStream(fs.open(path), 1 << 20))) {
      if (in.getLong() != MAGIC) {
        throw new IOException("checkpoint " + uri + ": not a Sparkeras parameter-server checkpoint");
      }
      int format = in.getInt();
      if (format != FORMAT_VERSION) {
        throw new IOException("checkpoint " + uri + ": unsupported format version " + format);
      }
      int total = in.getInt();
      int shardCount = in.getInt();
      int workers = in.getInt();
      int mode = in.getInt();
      int nameLength = in.getInt();
      if (total < 1 || shardCount < 1 || shardCount > total || workers < 1 || nameLength < 1
          || nameLength > 256) {
        throw new IOException("checkpoint " + uri + ": corrupt header");
      }
      String name = new String(in.getBytes(nameLength), StandardCharsets.UTF_8);
      int slots = in.getInt();
      if (slots < 0 || slots > 16) {
        throw new IOException("checkpoint " + uri + ": corrupt header");
      }
      ShardSnapshot[] shards = new ShardSnapshot[shardCount];
      int firstId = 0;
      for (int i = 0; i < shardCount; i++) {
        int id = in.getInt();
        int offset = in.getInt();
        int length = in.getInt();
        if (i == 0) {
          firstId = id; // a server node's checkpoint holds its own, consecutive shards
        }
        if (id < 0 || id != firstId + i || length < 1 || (long) offset + length > total) {
          throw new IOException("checkpoint " + uri + ": corrupt shard header " + i);
        }
        long version = in.getLong();
        long[] clocks = new long[workers];
        for (int w = 0; w < workers; w++) {
          clocks[w] = in.getLong();
        }
        float[] params = in.getFloats(length);
        float[][] state = new float[slots][];
        for (int s = 0; s < slots; s++) {
          state[s] = in.getFloats(length);
        }
        shards[i] = new ShardSnapshot(id, offset, params, state, version, clocks);
      }
      long expectedCrc = in.crc.getValue();
      if (in.getLong() != expectedCrc) {
        throw new IOException("checkpoint " + uri + ": CRC mismatch");
      }
      return new Checkpoint(total, workers, mode, name, slots, shards);
    }
  }

  private static final class LeOut {
    final OutputStream out;
    final CRC32 crc = new CRC32();
    final ByteBuffer scratch = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);

    LeOut(OutputStream out) {
      this.out = out;
    }

    void flushScratch() throws IOException {
      crc.update(scratch.array(), 0, scratch.position());
      out.write(scratch.array(), 0, scratch.position());
      scratch.clear();
    }

    void ensure(int n) throws IOException {
      if (scratch.remaining() < n) {
        flushScratch();
      }
    }

    void putInt(int v) throws IOException {
      ensure(4);
      scratch.putInt(v);
    }

    void putLong(long v) throws IOException {
      ensure(8);
      scratch.putLong(v);
    }

    void putBytes(byte[] b) throws IOException {
      flushScratch();
      crc.update(b);
      out.write(b);
    }

    void putFloats(float[] f) throws IOException {
      for (float v : f) {
        ensure(4);
        scratch.putFloat(v);
      }
    }

    /** Writes what is buffered; the stream stays open. */
    void finish() throws IOException {
      flushScratch();
      out.flush();
    }
  }

  private static final class LeIn implements AutoCloseable {
    final DataInputStream in;
    final CRC32 crc = new CRC32();
    final ByteBuffer scratch = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);

    LeIn(InputStream in) {
      this.in = new DataInputStream(in);
    }

    ByteBuffer fill(int n) throws IOException {
      scratch.clear();
      try {
        in.readFully(scratch.array(), 0, n);
      } catch (EOFException e) {
        throw new IOException("checkpoint truncated", e);
      }
      scratch.limit(n);
      return scratch;
    }

    int getInt() throws IOException {
      int v = fill(4).getInt();
      crc.update(scratch.array(), 0, 4);
      return v;
    }

    long getLong() throws IOException {
      long v = fill(8).getLong();
      crc.update(scratch.array(), 0, 8);
      return v;
    }

    byte[] getBytes(int n) throws IOException {
      byte[] b = new byte[n];
      in.readFully(b);
      crc.update(b);
      return b;
    }

    float[] getFloats(int n) throws IOException {
      float[] f = new float[n];
      int i = 0;
      while (i < n) {
        int batch = Math.min(n - i, scratch.capacity() / 4);
        ByteBuffer b = fill(batch * 4);
        crc.update(b.array(), 0, batch * 4);
        b.asFloatBuffer().get(f, i, batch);
        i += batch;
      }
      return f;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
