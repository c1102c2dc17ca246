package io.github.dssesink.connector.format;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Passes writes through and turns {@link #close()} into a flush, so a wrapper's close keeps the stream below open. */
public final class ShieldedOutputStream extends FilterOutputStream {

    public ShieldedOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
