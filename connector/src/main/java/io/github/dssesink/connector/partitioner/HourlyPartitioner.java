package io.github.dssesink.connector.partitioner;

import io.github.dssesink.connector.config.DsseS3SinkConfig;

/** A time partitioner with one path per hour: {@code year=YYYY/month=MM/day=dd/hour=HH}. */
public final class HourlyPartitioner extends TimeBasedPartitioner {

    public static final String PATH_FORMAT = "'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH";
    private static final long HOUR_MS = 3_600_000L;

    @Override
    public void configure(DsseS3SinkConfig config) {
        configure(config, PATH_FORMAT, HOUR_MS);
    }
}
