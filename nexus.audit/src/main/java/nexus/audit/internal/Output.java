package nexus.audit.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/**
 * A journal file open for appending. The seam through which tests make the disk fail; the product
 * uses {@link #open}. Not thread-safe.
 */
interface Output extends Closeable {

    /** Opens journal files. */
    @FunctionalInterface
    interface Opener {
        /** Opens the file for writing, creating it when it does not exist. */
        Output open(Path file) throws IOException;
    }

    /** @return the file's size now */
    long size() throws IOException;

    /** Cuts the file to {@code size} bytes and writes from there on. */
    void truncate(long size) throws IOException;

    /** Appends {@code length} bytes of {@code bytes}, all of them or an exception. */
    void write(byte[] bytes, int length) throws IOException;

    /** Forces what was written to the disk (data and the size). */
    void sync() throws IOException;

    /**
     * The file system, through a {@link RandomAccessFile} rather than a channel: a channel closes
     * itself when the thread writing is interrupted, and the thread committing is a caller's.
     */
    static Output open(Path file) throws IOException {
        RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw");
        try {
            raf.seek(raf.length());
        } catch (IOException e) {
            raf.close();
            throw e;
        }
        return new Output() {
            @Override
            public long size() throws IOException {
                return raf.length();
            }

            @Override
            public void truncate(long size) throws IOException {
                raf.setLength(size);
                raf.seek(size);
            }

            @Override
            public void write(byte[] bytes, int length) throws IOException {
                raf.write(bytes, 0, length);
            }

            @Override
            public void sync() throws IOException {
                raf.getFD().sync();
            }

            @Override
            public void close() throws IOException {
                raf.close();
            }
        };
    }
}
