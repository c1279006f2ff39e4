package io.authsession.bench;

import io.authsession.core.ConfirmedLogin;
import io.authsession.core.domain.DeviceSession;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Library-level throughput against a real Redis: authsession's session lifecycle beside Spring Session's, and
 * authsession's login. Thread counts, iterations and forks come from {@link Main}; each benchmark starts on an empty
 * Redis.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LibraryBenchmarks {

    /** authsession on the fork's Redis. */
    @State(Scope.Benchmark)
    public static class AuthSessionState {
        AuthSessionRig rig;

        @Setup(Level.Trial)
        public void start() {
            BenchRedis redis = BenchRedis.forFork();
            redis.flushAll();
            rig = new AuthSessionRig(redis, Clock.systemUTC());
        }

        @TearDown(Level.Trial)
        public void stop() {
            rig.close();
        }
    }

    /** Spring Session on the fork's Redis. */
    @State(Scope.Benchmark)
    public static class SpringSessionState {
        SpringSessionRig rig;

        @Setup(Level.Trial)
        public void start() {
            BenchRedis redis = BenchRedis.forFork();
            redis.flushAll();
            rig = new SpringSessionRig(redis);
        }

        @TearDown(Level.Trial)
        public void stop() {
            rig.close();
        }
    }

    /** Send a code, confirm it (the session is created), list the user's sessions, revoke the session. */
    @Benchmark
    public DeviceSession authsessionLifecycle(AuthSessionState state) {
        return state.rig.lifecycle();
    }

    /** Create a session for a principal and save it, find it by principal name, delete it. */
    @Benchmark
    public String springSessionLifecycle(SpringSessionState state) {
        return state.rig.lifecycle();
    }

    /** Send a code and confirm it. */
    @Benchmark
    public ConfirmedLogin authsessionLogin(AuthSessionState state) {
        return state.rig.login(state.rig.freshAddress());
    }
}
