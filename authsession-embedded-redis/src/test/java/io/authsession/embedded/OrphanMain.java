package io.authsession.embedded;

/** A JVM that starts a redis-server and waits to be killed: the orphan tests run it as a child process. */
final class OrphanMain {
    private OrphanMain() {}

    public static void main(String[] args) throws InterruptedException {
        EmbeddedRedis.Builder builder = EmbeddedRedis.builder();
        if (args.length > 0 && args[0].equals("--without-watchdog")) {
            builder.withoutWatchdog();
        }
        EmbeddedRedis redis = builder.start();
        System.out.println("started pid=" + redis.pid() + " directory=" + redis.workingDirectory());
        System.out.flush();
        Thread.sleep(60_000); // bounded: the test kills this JVM long before
    }
}
