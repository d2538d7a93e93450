package io.sparkeras.api.tuner;

/**
 * What a trial is doing, as KerasTuner's {@code TrialStatus}. {@code createTrial} answers
 * RUNNING (start it), IDLE (nothing to start until a running trial ends) or STOPPED (the search
 * is over); trials end COMPLETED or FAILED (after their retries).
 */
public enum TrialStatus { RUNNING, IDLE, STOPPED, COMPLETED, FAILED, INVALID }
