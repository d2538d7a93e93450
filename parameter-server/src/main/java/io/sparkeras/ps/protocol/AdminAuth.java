package io.sparkeras.ps.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.agrona.DirectBuffer;

/**
 * Authentication of the admin sessions by which a driver initialises a server node. The node and
 * the driver share an admin secret (a file on both sides, never a command-line argument). An
 * admin session starts with a client nonce and a fresh server nonce; both sides derive
 * {@code sessionKey = HMAC-SHA256(adminSecret, "sparkeras-ps-admin-v1" | clientNonce |
 * serverNonce)}, and every request carries {@code HMAC-SHA256(sessionKey, the request's bytes
 * before its mac)}, with a sequence number the node requires to increase: a request cannot be
 * forged, altered or replayed (in this session or another) without the admin secret. The job
 * secret an INIT hands over travels sealed: XOR-ed with {@code HMAC-SHA256(sessionKey,
 * "job-secret" | sequence | block)} blocks, so it is never on the wire in the clear.
 *
 * <pre>{@code
 * AdminAuth auth = AdminAuth.session(adminSecret, clientNonce, serverNonce);
 * byte[] mac = auth.mac(buffer, offset, lengthBeforeMac);
 * byte[] sealed = auth.seal(jobSecret, sequence);     // the node: auth.seal(sealed, sequence)
 * }</pre>
 *
 * <p>One instance per session and thread.
 */
public final class AdminAuth {
  /** Shortest accepted admin secret, in bytes (as a job secret). */
  public static final int MIN_SECRET_LENGTH = HmacAuth.MIN_SECRET_LENGTH;
  /** Longest job secret an INIT can carry, in bytes. */
  public static final int MAX_SEALED_LENGTH = 256;
  private static final byte[] DOMAIN = "sparkeras-ps-admin-v1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SEAL = "job-secret".getBytes(StandardCharsets.US_ASCII);

  private final Mac mac;
  private final byte[] scratch = new byte[HmacAuth.MAC_LENGTH];

  private AdminAuth(byte[] key) {
    mac = hmac(key);
  }

  /** The session's authenticator, derived from the admin secret and the two nonces. */
  public static AdminAuth session(byte[] adminSecret, long clientNonce, long serverNonce) {
    if (adminSecret == null || adminSecret.length < MIN_SECRET_LENGTH) {
      throw new IllegalArgumentException("admin secret: at least " + MIN_SECRET_LENGTH
          + " bytes required");
    }
    Mac m = hmac(adminSecret);
    m.update(DOMAIN);
    m.update(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(clientNonce)
        .putLong(serverNonce).array());
    return new AdminAuth(m.doFinal());
  }

  private static Mac hmac(byte[] key) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(key, "HmacSHA256"));
      return m;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** The MAC of {@code buffer[offset, offset + length)}. */
  public byte[] mac(DirectBuffer buffer, int offset, int length) {
    byte[] out = new byte[HmacAuth.MAC_LENGTH];
    macInto(buffer, offset, length, out);
    return out;
  }

  private void macInto(DirectBuffer buffer, int offset, int length, byte[] out) {
    byte[] copy = new byte[length]; // admin requests are rare: no hot path here
    buffer.getBytes(offset, copy);
    mac.update(copy);
    try {
      mac.doFinal(out, 0);
    } catch (javax.crypto.ShortBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Constant-time check of {@code received} against the MAC of the given bytes. */
  public boolean verify(DirectBuffer buffer, int offset, int length, byte[] received) {
    macInto(buffer, offset, length, scratch);
    return MessageDigest.isEqual(scratch, received);
  }

  /** Seals (or, applied to the sealed bytes, opens) a job secret for request {@code sequence}. */
  public byte[] seal(byte[] secret, long sequence) {
    if (secret.length > MAX_SEALED_LENGTH) {
      throw new IllegalArgumentException("job secret: at most " + MAX_SEALED_LENGTH
          + " bytes, found " + secret.length);
    }
    byte[] out = new byte[secret.length];
    ByteBuffer block = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    for (int b = 0; b * HmacAuth.MAC_LENGTH < secret.length; b++) {
      block.clear();
      mac.update(SEAL);
      mac.update(block.putLong(sequence).putInt(b).array());
      byte[] pad = mac.doFinal();
      for (int i = 0; i < pad.length && b * pad.length + i < secret.length; i++) {
        int k = b * pad.length + i;
        out[k] = (byte) (secret[k] ^ pad[i]);
      }
    }
    return out;
  }
}
