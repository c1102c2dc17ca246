package io.github.dssesink.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class RangeDecryptTest {
    private static final int FRAME = 1024;
    private final LocalKeyring keyring = Fixtures.keyring();

    /** A byte range source over an array that records the ranges read. */
    private static final class RecordingSource implements ByteRangeSource {
        final byte[] object;
        final List<long[]> reads = new ArrayList<>();

        RecordingSource(byte[] object) {
            this.object = object;
        }

        @Override
        public InputStream open(long offset, long length) {
            reads.add(new long[] {offset, length});
            return new ByteArrayInputStream(object, (int) offset, (int) Math.min(length, object.length - offset));
        }

        long bytesRead() {
            return reads.stream().mapToLong(r -> r[1]).sum();
        }
    }

    @Test
    void rangesEqualSlicesOfFullDecrypt() throws IOException {
        byte[] plaintext = Fixtures.bytes(10 * FRAME + 321, 5);
        Fixtures.Sealed sealed;
        try (EnvelopeEncryptor encryptor = Fixtures.encryptor(keyring, FRAME)) {
            sealed = Fixtures.seal(encryptor, plaintext);
        }
        EnvelopeDecryptor decryptor = Fixtures.decryptor(keyring);
        byte[] full = decryptor.decrypt(sealed.object(), sealed.keyBlock());
        long[][] ranges = {
            {0, 0}, {0, 1}, {0, FRAME}, {FRAME - 1, FRAME + 1}, {FRAME, 2 * FRAME}, {5, 3 * FRAME + 7},
            {10 * FRAME, 10 * FRAME + 321}, {10 * FRAME + 320, 10 * FRAME + 321}, {0, plaintext.length}, {4000, 4001},
        };
        for (long[] range : ranges) {
            RecordingSource source = new RecordingSource(sealed.object());
            byte[] slice;
            try (InputStream in = decryptor.openRange(source, sealed.object().length, sealed.keyBlock(), range[0], range[1])) {
                slice = in.readAllBytes();
            }
            assertArrayEquals(Arrays.copyOfRange(full, (int) range[0], (int) range[1]), slice,
                    "range [" + range[0] + ", " + range[1] + ")");
        }
    }

    @Test
    void rangeReadsOnlyNeededFrames() throws IOException {
        byte[] plaintext = Fixtures.bytes(100 * FRAME, 6);
        Fixtures.Sealed sealed;
        try (EnvelopeEncryptor encryptor = Fixtures.encryptor(keyring, FRAME)) {
            sealed = Fixtures.seal(encryptor, plaintext);
        }
        RecordingSource source = new RecordingSource(sealed.object());
        try (InputStream in = Fixtures.decryptor(keyring).openRange(source, sealed.object().length, sealed.keyBlock(),
                50L * FRAME + 10, 51L * FRAME + 10)) {
            assertArrayEquals(Arrays.copyOfRange(plaintext, 50 * FRAME + 10, 51 * FRAME + 10), in.readAllBytes());
        }
        int headerLength = EnvelopeHeader.parse(sealed.object()).lengthInBytes();
        long[] frameRead = source.reads.get(source.reads.size() - 1);
        assertEquals(headerLength + 50L * (FRAME + 32), frameRead[0], "first frame offset");
        assertEquals(2L * (FRAME + 32), frameRead[1], "exactly two frames read");
    }

    @Test
    void tamperedFrameInRangeRejected() throws IOException {
        byte[] plaintext = Fixtures.bytes(5 * FRAME, 8);
        Fixtures.Sealed sealed;
        try (EnvelopeEncryptor encryptor = Fixtures.encryptor(keyring, FRAME)) {
            sealed = Fixtures.seal(encryptor, plaintext);
        }
        byte[] object = sealed.object().clone();
        object[object.length - 40] ^= 1;
        EnvelopeDecryptor decryptor = Fixtures.decryptor(keyring);
        try (InputStream in = decryptor.openRange(new RecordingSource(object), object.length, sealed.keyBlock(), 4L * FRAME, 5L * FRAME)) {
            IOException e = assertThrows(IOException.class, in::readAllBytes);
            assertEquals(EnvelopeException.Reason.FRAME, ((EnvelopeException) e.getCause()).reason());
        }
        try (InputStream in = decryptor.openRange(new RecordingSource(object), object.length, sealed.keyBlock(), 0, FRAME)) {
            assertArrayEquals(Arrays.copyOfRange(plaintext, 0, FRAME), in.readAllBytes(), "untouched frames still decrypt");
        }
    }

    @Test
    void rangeOutsideObjectRejected() {
        Fixtures.Sealed sealed;
        try (EnvelopeEncryptor encryptor = Fixtures.encryptor(keyring, FRAME)) {
            sealed = Fixtures.seal(encryptor, new byte[100]);
        }
        EnvelopeException e = assertThrows(EnvelopeException.class, () -> Fixtures.decryptor(keyring)
                .openRange(new RecordingSource(sealed.object()), sealed.object().length, sealed.keyBlock(), 50, 101));
        assertEquals(EnvelopeException.Reason.INVALID_ARGUMENT, e.reason());
        assertEquals("Invalid range [50, 101): the object holds 100 plaintext bytes", e.getMessage());
    }
}
