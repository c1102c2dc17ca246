package io.github.dssesink.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints the medians of {@link SinkRun} results as a Markdown table, the first case being the baseline of the ratios. */
final class ResultTable {

    private ResultTable() {
    }

    static void print(int objectMib, Map<SinkCase, List<SinkRun.Result>> results) {
        if (results.isEmpty()) {
            return;
        }
        List<SinkRun.Result> baseline = results.values().iterator().next();
        System.out.printf(Locale.ROOT, "%n%d MiB objects, median of each case (ratios against %s)%n%n", objectMib,
                baseline.get(0).sinkCase().label());
        System.out.println("| case | runs | MB/s | min-max MB/s | ratio of medians | median of round ratios "
                + "| encryption share of wall | setup ms/object | process CPU s/GB | task thread CPU s/GB | allocated B/B "
                + "| KMS calls/object | uploads/object |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        double baselineMedian = median(baseline, SinkRun.Result::megabytesPerSecond);
        for (List<SinkRun.Result> runs : results.values()) {
            double[] roundRatios = new double[Math.min(runs.size(), baseline.size())];
            for (int round = 0; round < roundRatios.length; round++) {
                roundRatios[round] = runs.get(round).megabytesPerSecond() / baseline.get(round).megabytesPerSecond();
            }
            double medianMbps = median(runs, SinkRun.Result::megabytesPerSecond);
            System.out.printf(Locale.ROOT, "| %s | %d | %,.0f | %,.0f-%,.0f | %.2f | %.2f | %.2f | %.1f | %.2f | %.2f | %.1f | %.2f | %.2f |%n",
                    runs.get(0).sinkCase().label(), runs.size(), medianMbps,
                    runs.stream().mapToDouble(SinkRun.Result::megabytesPerSecond).min().orElse(0),
                    runs.stream().mapToDouble(SinkRun.Result::megabytesPerSecond).max().orElse(0),
                    medianMbps / baselineMedian, median(roundRatios),
                    median(runs, r -> r.encryptionMs() * 1e6 / r.wallNanos()),
                    median(runs, r -> r.encryptionSetupMs() / r.objects()),
                    median(runs, r -> r.processCpuNanos() / (double) r.recordBytes()),
                    median(runs, r -> r.taskThreadCpuNanos() / (double) r.recordBytes()),
                    median(runs, r -> r.taskThreadAllocatedBytes() / (double) r.recordBytes()),
                    median(runs, r -> r.kmsCalls() / (double) r.objects()),
                    median(runs, r -> r.uploadRequests() / (double) r.objects()));
        }
    }

    private interface Metric {
        double of(SinkRun.Result result);
    }

    private static double median(List<SinkRun.Result> runs, Metric metric) {
        List<Double> values = new ArrayList<>();
        runs.forEach(run -> values.add(metric.of(run)));
        return median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
