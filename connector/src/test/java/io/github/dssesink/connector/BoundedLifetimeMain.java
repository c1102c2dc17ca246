package io.github.dssesink.connector;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Runs another main class and exits the JVM when its standard input closes or a maximum lifetime
 * in seconds has passed. A test starts a server in a child JVM through this class, so the server
 * stops when the test JVM ends, because that closes the pipe, or at the latest after that lifetime.
 *
 * <p>Usage: {@code BoundedLifetimeMain MAX_SECONDS MAIN_CLASS [ARGS...]}. {@link LocalSchemaRegistry}
 * copies this class file alone onto the child's class path, so it must stay one class file: no
 * nested or anonymous classes (lambdas and method references compile to no extra files).
 */
public final class BoundedLifetimeMain {

    /** Time that shutdown hooks get after an exit request before the JVM halts. */
    private static final long SHUTDOWN_GRACE_MILLIS = 10_000;

    private BoundedLifetimeMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("Usage: BoundedLifetimeMain MAX_SECONDS MAIN_CLASS [ARGS...]");
            System.exit(2);
        }
        long maxSeconds = Long.parseLong(args[0]);
        startDaemon("exit-on-stdin-close", BoundedLifetimeMain::awaitStandardInputClosed);
        startDaemon("exit-after-max-lifetime", () -> sleepThenExit(maxSeconds * 1000, "maximum lifetime of " + maxSeconds + " s reached"));

        Method main = Class.forName(args[1]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
    }

    private static void awaitStandardInputClosed() {
        try {
            while (System.in.read() >= 0) {
                // Discards input, because only the end of the stream counts.
            }
        } catch (IOException e) {
            // A broken pipe means the parent is gone, the same as end of stream.
        }
        exit("standard input closed");
    }

    private static void sleepThenExit(long millis, String reason) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            return;
        }
        exit(reason);
    }

    /** Runs shutdown hooks, and halts if they take longer than {@link #SHUTDOWN_GRACE_MILLIS}. */
    private static void exit(String reason) {
        System.err.println("BoundedLifetimeMain: exiting, " + reason);
        startDaemon("halt-after-grace", () -> {
            try {
                Thread.sleep(SHUTDOWN_GRACE_MILLIS);
            } catch (InterruptedException e) {
                // Halts at once.
            }
            Runtime.getRuntime().halt(1);
        });
        System.exit(0);
    }

    private static void startDaemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }
}
