package io.sparkeras.ps.server;

/**
 * Counters of one shard. Every fragment a shard receives increments {@link #RECEIVED} and exactly
 * one <em>outcome</em> counter, so {@code sum(outcomes) == RECEIVED} always holds and a dropped
 * message is always counted with its reason.
 */
public enum ShardCounter {
  RECEIVED(false, "fragments received"),
  // outcomes: accepted
  HELLO(true, "handshakes started (challenge sent)"),
  AUTH_OK(true, "handshakes completed"),
  PUSH_ACCEPTED(true, "push chunks accepted"),
  PUSH_DUPLICATE(true, "push chunks already received or already applied (acknowledged, not applied)"),
  PULL(true, "pull requests"),
  HEARTBEAT(true, "heartbeats"),
  BYE(true, "byes"),
  // outcomes: dropped
  AUTH_FAILED(true, "dropped: HMAC proof wrong"),
  WRONG_JOB(true, "dropped: hello for another job"),
  UNAUTHENTICATED(true, "dropped: from a session that has not proved the job secret"),
  MALFORMED(true, "dropped: bad schema, length, offset, count or field value"),
  UNKNOWN_TEMPLATE(true, "dropped: unknown message type"),
  FRAGMENTED(true, "dropped: fragmented message (never sent by a client)"),
  BAD_REQUEST(true, "dropped: well formed but not allowed (wrong shard, partition, kind, encoding)"),
  STEP_AHEAD(true, "dropped: push for a step the shard has not reached"),
  JOB_FAILED(true, "dropped: job already failed"),
  HANDSHAKE_LIMIT(true, "dropped: too many handshakes or sessions"),
  // not outcomes
  STEPS(false, "optimizer steps / averaging rounds applied"),
  PULLS_PARKED(false, "pulls that had to wait"),
  CHUNKS_SENT(false, "parameter chunks sent"),
  BACK_PRESSURE(false, "offers that were back pressured or not connected"),
  OUTBOX_OVERFLOW(false, "control messages dropped because a client did not read"),
  SESSIONS_CLOSED(false, "sessions closed");

  private final boolean outcome;
  private final String description;

  ShardCounter(boolean outcome, String description) {
    this.outcome = outcome;
    this.description = description;
  }

  /** True for counters that classify a received fragment. */
  public boolean isOutcome() {
    return outcome;
  }

  public String description() {
    return description;
  }
}
