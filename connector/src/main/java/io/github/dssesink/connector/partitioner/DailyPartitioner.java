package io.github.dssesink.connector.partitioner;

import io.github.dssesink.connector.config.DsseS3SinkConfig;

/** A time partitioner with one path per day: {@code year=YYYY/month=MM/day=dd}. */
public final class DailyPartitioner extends TimeBasedPartitioner {

    public static final String PATH_FORMAT = "'year'=YYYY/'month'=MM/'day'=dd";
    private static final long DAY_MS = 86_400_000L;

    @Override
    public void configure(DsseS3SinkConfig config) {
        configure(config, PATH_FORMAT, DAY_MS);
    }
}
