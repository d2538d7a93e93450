package io.sparkeras.ps.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The per-job HMAC challenge. A client proves it knows the job secret without sending it:
 * {@code mac = HMAC-SHA256(secret, "sparkeras-ps-v1" | jobId | workerId | partition | shardId |
 * clientNonce | serverNonce)}, where the server nonce is fresh per handshake (so a recorded proof
 * cannot be replayed) and the proof is bound to the Aeron session it arrived on.
 *
 * <p>One instance per thread; it reuses its {@link Mac} and scratch buffer.
 */
public final class HmacAuth {
  /** Length of the proof in bytes. */
  public static final int MAC_LENGTH = 32;
  /** Shortest accepted job secret, in bytes. */
  public static final int MIN_SECRET_LENGTH = 16;
  private static final byte[] DOMAIN = "sparkeras-ps-v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final Mac mac;
  private final ByteBuffer transcript = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
  private final byte[] scratch = new byte[MAC_LENGTH];

  public HmacAuth(byte[] secret) {
    if (secret == null || secret.length < MIN_SECRET_LENGTH) {
      throw new IllegalArgumentException("job secret: at least " + MIN_SECRET_LENGTH + " bytes required");
    }
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** Writes the proof into {@code out[0, 32)}. */
  public void prove(long jobId, int workerId, int partition, int shardId, long clientNonce,
      long serverNonce, byte[] out) {
    transcript.clear();
    transcript.put(DOMAIN).putLong(jobId).putInt(workerId).putInt(partition).putInt(shardId)
        .putLong(clientNonce).putLong(serverNonce);
    mac.update(transcript.array(), 0, transcript.position());
    try {
      mac.doFinal(out, 0);
    } catch (javax.crypto.ShortBufferException e) {
      throw new IllegalArgumentException("proof buffer shorter than " + MAC_LENGTH, e);
    }
  }

  /** Constant-time check of a received proof. */
  public boolean verify(long jobId, int workerId, int partition, int shardId, long clientNonce,
      long serverNonce, byte[] received) {
    prove(jobId, workerId, partition, shardId, clientNonce, serverNonce, scratch);
    return MessageDigest.isEqual(scratch, received);
  }
}
