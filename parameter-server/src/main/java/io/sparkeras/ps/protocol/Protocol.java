package io.sparkeras.ps.protocol;

import io.aeron.protocol.DataHeaderFlyweight;
import io.sparkeras.ps.codecs.MessageHeaderDecoder;
import io.sparkeras.ps.codecs.ParamsChunkEncoder;
import io.sparkeras.ps.codecs.PushEncoder;
import io.sparkeras.ps.codecs.VarDataEncodingEncoder;
import java.util.regex.Pattern;

/** Constants and layout rules of the wire protocol shared by shards and clients. */
public final class Protocol {
  private Protocol() {}

  /** Bytes of SBE framing around a chunk's payload: header + largest chunk block + length field. */
  public static final int CHUNK_OVERHEAD = MessageHeaderDecoder.ENCODED_LENGTH
      + Math.max(PushEncoder.BLOCK_LENGTH, ParamsChunkEncoder.BLOCK_LENGTH)
      + VarDataEncodingEncoder.lengthEncodingLength();

  private static final Pattern ENDPOINT = Pattern.compile("[A-Za-z0-9.\\-]{1,253}:[0-9]{1,5}");

  /**
   * How many floats one chunk carries for a given MTU: the largest multiple of 16 whose float32
   * encoding, with SBE framing, fits one Aeron frame, so that no message is ever fragmented.
   */
  public static int chunkFloats(int mtuLength) {
    int maxPayload = mtuLength - DataHeaderFlyweight.HEADER_LENGTH;
    return ((maxPayload - CHUNK_OVERHEAD) / Float.BYTES) & ~15;
  }

  /** Number of chunks a shard of {@code length} floats is cut into. */
  public static int chunkCount(int length, int chunkFloats) {
    return (int) (((long) length + chunkFloats - 1) / chunkFloats);
  }

  /** Floats in chunk {@code index}. */
  public static int chunkLength(int length, int chunkFloats, int index) {
    return Math.min(chunkFloats, length - index * chunkFloats);
  }

  /** First float (inclusive) of shard {@code shard} when {@code total} floats are split into {@code shards}. */
  public static int shardOffset(int total, int shards, int shard) {
    int base = total / shards;
    int extra = total % shards;
    return shard * base + Math.min(shard, extra);
  }

  /** Length of shard {@code shard}. */
  public static int shardLength(int total, int shards, int shard) {
    return total / shards + (shard < total % shards ? 1 : 0);
  }

  /**
   * First shard of server node {@code node} when {@code shards} shards are spread over
   * {@code nodes} nodes ({@code node == nodes} gives {@code shards}): contiguous ranges whose
   * sizes differ by at most one, the larger ones first.
   */
  public static int firstShardOfNode(int shards, int nodes, int node) {
    return shardOffset(shards, nodes, node);
  }

  /** The server node that runs shard {@code shard} (see {@link #firstShardOfNode}). */
  public static int nodeOfShard(int shard, int shards, int nodes) {
    int node = 0;
    while (firstShardOfNode(shards, nodes, node + 1) <= shard) {
      node++;
    }
    return node;
  }

  /** Bytes one float takes for a payload encoding (threshold entries are 4-byte indices). */
  public static int bytesPerFloat(io.sparkeras.ps.codecs.Encoding encoding) {
    return encoding == io.sparkeras.ps.codecs.Encoding.FP16
        || encoding == io.sparkeras.ps.codecs.Encoding.BF16 ? 2 : 4;
  }

  /** True if {@code endpoint} is a plain {@code host:port} (no URI parameters can be smuggled in). */
  public static boolean isValidEndpoint(String endpoint) {
    if (endpoint == null || !ENDPOINT.matcher(endpoint).matches()) {
      return false;
    }
    int port = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    return port > 0 && port <= 65535;
  }

  /**
   * Receiver window for one of {@code images} streams that share one UDP socket: the windows
   * together stay within half the socket receive buffer (the kernel charges a datagram more than
   * its payload), so a slow receiver thread makes senders wait instead of dropping datagrams and
   * paying NAK round trips. Never above {@code configured}, never below one MTU.
   */
  public static int sharedWindow(int configured, int socketBuffer, int mtu, int images) {
    long share = socketBuffer / (2L * Math.max(1, images));
    return (int) Math.max(mtu, Math.min(configured, share));
  }

  /**
   * The reply endpoint a client sends in its Hello when it shares the server's media driver and
   * wants its replies over shared memory ({@link #ipcChannel}) instead of UDP.
   */
  public static final String IPC_ENDPOINT = "ipc";

  /**
   * The shared-memory channel of clients that use the server's own media driver (same host, same
   * Aeron directory): no sockets, no loss, no receiver window; one copy into the log buffer and
   * one out of it. The MTU is the job's, so that a chunk fits one frame as over UDP.
   */
  public static String ipcChannel(int mtu, int termLength) {
    return "aeron:ipc?mtu=" + mtu + "|term-length=" + termLength;
  }

  /** A UDP channel URI for {@code endpoint} with the transport settings the job was tuned with. */
  public static String udpChannel(String endpoint, int mtu, int termLength, int socketBuffer,
      int receiverWindow) {
    return "aeron:udp?endpoint=" + endpoint + "|mtu=" + mtu + "|term-length=" + termLength
        + "|so-sndbuf=" + socketBuffer + "|so-rcvbuf=" + socketBuffer + "|rcv-wnd=" + receiverWindow;
  }
}
