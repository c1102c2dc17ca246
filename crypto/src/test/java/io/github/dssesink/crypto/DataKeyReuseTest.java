package io.github.dssesink.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DataKeyReuseTest {
    private final LocalKeyring keyring = Fixtures.keyring();

    /** A clock that tests move forward by hand. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private EnvelopeEncryptor reusing(DataKeyReusePolicy policy, Clock clock) {
        return EnvelopeEncryptor.builder().layer1(keyring, "layer1-key").layer2(keyring, "layer2-key")
                .frameSize(1024).dataKeyReuse(policy).clock(clock).build();
    }

    @Test
    void byteLimitStartsNewPair() {
        try (EnvelopeEncryptor encryptor = reusing(new DataKeyReusePolicy(100, 2500, Duration.ofHours(1)), Clock.systemUTC())) {
            long before = keyring.callCount();
            Fixtures.Sealed first = Fixtures.seal(encryptor, new byte[1000]);
            Fixtures.Sealed second = Fixtures.seal(encryptor, new byte[1000]);
            Fixtures.Sealed third = Fixtures.seal(encryptor, new byte[1000]);
            Fixtures.Sealed fourth = Fixtures.seal(encryptor, new byte[1000]);
            assertArrayEquals(first.keyBlock().toBytes(), second.keyBlock().toBytes());
            assertArrayEquals(first.keyBlock().toBytes(), third.keyBlock().toBytes(), "2000 bytes used, below the 2500 limit");
            assertFalse(Arrays.equals(first.keyBlock().toBytes(), fourth.keyBlock().toBytes()), "3000 bytes used: new pair");
            assertEquals(4, keyring.callCount() - before, "two pairs, two calls each");
        }
    }

    @Test
    void ageLimitStartsNewPair() {
        ManualClock clock = new ManualClock();
        try (EnvelopeEncryptor encryptor = reusing(new DataKeyReusePolicy(100, Long.MAX_VALUE, Duration.ofMinutes(5)), clock)) {
            Fixtures.Sealed first = Fixtures.seal(encryptor, new byte[10]);
            clock.advance(Duration.ofMinutes(4));
            Fixtures.Sealed second = Fixtures.seal(encryptor, new byte[10]);
            clock.advance(Duration.ofMinutes(2));
            Fixtures.Sealed third = Fixtures.seal(encryptor, new byte[10]);
            assertArrayEquals(first.keyBlock().toBytes(), second.keyBlock().toBytes());
            assertFalse(Arrays.equals(first.keyBlock().toBytes(), third.keyBlock().toBytes()), "pair older than 5 minutes");
        }
    }

    @Test
    void pairsAreSeparatePerContext() {
        try (EnvelopeEncryptor encryptor = reusing(new DataKeyReusePolicy(100, Long.MAX_VALUE, Duration.ofHours(1)), Clock.systemUTC())) {
            Fixtures.Sealed orders = Fixtures.seal(encryptor, new byte[10], Map.of("dsse-sink:topic", "orders"));
            Fixtures.Sealed payments = Fixtures.seal(encryptor, new byte[10], Map.of("dsse-sink:topic", "payments"));
            Fixtures.Sealed ordersAgain = Fixtures.seal(encryptor, new byte[10], Map.of("dsse-sink:topic", "orders"));
            assertFalse(Arrays.equals(orders.keyBlock().toBytes(), payments.keyBlock().toBytes()));
            assertArrayEquals(orders.keyBlock().toBytes(), ordersAgain.keyBlock().toBytes());
            EnvelopeDecryptor decryptor = Fixtures.decryptor(keyring);
            assertArrayEquals(new byte[10], decryptor.decrypt(payments.object(), payments.keyBlock()));
            assertArrayEquals(new byte[10], decryptor.decrypt(ordersAgain.object(), ordersAgain.keyBlock()));
        }
    }

    @Test
    void invalidPolicyRejected() {
        EnvelopeException objects = assertThrows(EnvelopeException.class,
                () -> new DataKeyReusePolicy(0, 1, Duration.ofSeconds(1)));
        assertEquals("Invalid data key reuse: max objects is 0, it must be at least 1", objects.getMessage());
        assertThrows(EnvelopeException.class, () -> new DataKeyReusePolicy(1, 0, Duration.ofSeconds(1)));
        assertThrows(EnvelopeException.class, () -> new DataKeyReusePolicy(1, 1, Duration.ZERO));
    }
}
