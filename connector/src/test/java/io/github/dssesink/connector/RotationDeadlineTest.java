package io.github.dssesink.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class RotationDeadlineTest {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final long HOUR_MS = Duration.ofHours(1).toMillis();
    private static final long DAY_MS = Duration.ofDays(1).toMillis();

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void hourlyBoundaryInUtc() {
        assertEquals(at("2024-05-01T13:00:00Z"), WriterSettings.nextLocalBoundary(at("2024-05-01T12:34:56Z"), HOUR_MS, ZoneId.of("UTC")));
        assertEquals(at("2024-05-01T14:00:00Z"), WriterSettings.nextLocalBoundary(at("2024-05-01T13:00:00Z"), HOUR_MS, ZoneId.of("UTC")));
    }

    @Test
    void dailyBoundaryIsLocalMidnight() {
        // 2024-05-01 20:00 in New York (EDT, UTC-4): the next local midnight is 2024-05-02T04:00Z.
        assertEquals(at("2024-05-02T04:00:00Z"), WriterSettings.nextLocalBoundary(at("2024-05-02T00:00:00Z"), DAY_MS, NEW_YORK));
    }

    @Test
    void dailyBoundaryAcrossSpringForward() {
        // Clocks went from EST (UTC-5) to EDT (UTC-4) at 2024-03-10 02:00 local time. From the evening
        // before, in EST, the next local midnight is 2024-03-11 00:00 EDT, which is 04:00Z, not 05:00Z.
        assertEquals(at("2024-03-11T04:00:00Z"), WriterSettings.nextLocalBoundary(at("2024-03-10T05:30:00Z"), DAY_MS, NEW_YORK));
    }

    @Test
    void dailyBoundaryAcrossFallBack() {
        // Clocks went from EDT back to EST at 2024-11-03 02:00 local time. From that morning, in EDT,
        // the next local midnight is 2024-11-04 00:00 EST, which is 05:00Z.
        assertEquals(at("2024-11-04T05:00:00Z"), WriterSettings.nextLocalBoundary(at("2024-11-03T04:30:00Z"), DAY_MS, NEW_YORK));
    }

    @Test
    void hourlyBoundaryInSpringForwardGap() {
        // 01:30 EST; local 02:00 does not exist that day, so the boundary is 03:00 EDT (07:00Z).
        assertEquals(at("2024-03-10T07:00:00Z"), WriterSettings.nextLocalBoundary(at("2024-03-10T06:30:00Z"), HOUR_MS, NEW_YORK));
    }
}
