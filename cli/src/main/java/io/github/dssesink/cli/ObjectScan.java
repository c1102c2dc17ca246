package io.github.dssesink.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.github.dssesink.reader.S3Location;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Runs one task per object on a fixed pool of threads and returns the results in the order of
 * the objects, with a progress bar on standard error when it is an interactive terminal.
 */
final class ObjectScan {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private ObjectScan() {
    }

    /** Runs {@code task} on every object. The task reports its own failures in its result. */
    static <T> List<T> run(String taskName, List<S3Location> objects, CommonOptions options, Function<S3Location, T> task) {
        if (options.concurrency < 1) {
            throw new ToolException("Invalid --concurrency " + options.concurrency + ": it must be 1 or more");
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(options.concurrency, Math.max(1, objects.size())), runnable -> {
            Thread thread = new Thread(runnable, "dsse-scan-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try (ProgressBar progress = progressBar(taskName, objects.size(), options)) {
            List<Future<T>> futures = new ArrayList<>();
            for (S3Location object : objects) {
                futures.add(pool.submit(() -> {
                    try {
                        return task.apply(object);
                    } finally {
                        if (progress != null) {
                            progress.step();
                        }
                    }
                }));
            }
            List<T> results = new ArrayList<>(objects.size());
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException("Interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new ToolException(String.valueOf(e.getCause()), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Returns null (no bar) unless standard error is an interactive terminal and the scan is longer than one object. */
    private static ProgressBar progressBar(String taskName, int total, CommonOptions options) {
        if (options.noProgress || System.console() == null || total < 2) {
            return null;
        }
        return new ProgressBarBuilder()
                .setTaskName(taskName)
                .setInitialMax(total)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setUpdateIntervalMillis(200)
                .build();
    }
}
