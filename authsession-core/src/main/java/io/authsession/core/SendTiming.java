package io.authsession.core;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * How sends are timed (CONTRACT §2.1: the same answer whatever happened): every send answers {@code answerTime}
 * after it started; delivery (the user lookup and the mail) runs on {@code delivery} meanwhile, and the answer is
 * scheduled on {@code scheduler}.
 */
record SendTiming(Duration answerTime, ScheduledExecutorService scheduler, Executor delivery) {}
