package io.authsession.embedded;

import java.util.List;

/** A JVM that starts a redis-server and then exits or waits to be killed: the orphan tests run it as a child. */
final class OrphanMain {
    private OrphanMain() {}

    public static void main(String[] args) throws InterruptedException {
        List<String> options = List.of(args);
        EmbeddedRedis.Builder builder = EmbeddedRedis.builder();
        if (options.contains("--without-watchdog")) {
            builder.withoutWatchdog();
        }
        if (options.contains("--closed-by-owner")) {
            builder.closedByOwnerAtJvmExit();
        }
        EmbeddedRedis redis = builder.start();
        System.out.println("started pid=" + redis.pid() + " directory=" + redis.workingDirectory());
        System.out.flush();
        if (options.contains("--exit")) {
            System.exit(0); // without closing it
        }
        Thread.sleep(60_000); // bounded: the test kills this JVM long before
    }
}
