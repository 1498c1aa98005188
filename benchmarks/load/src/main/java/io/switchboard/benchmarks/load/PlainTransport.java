package io.switchboard.benchmarks.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** Application bytes straight to and from the socket. */
final class PlainTransport implements Transport {
    private final SocketChannel channel;
    private boolean filled;

    PlainTransport(SocketChannel channel) {
        this.channel = channel;
    }

    @Override
    public boolean handshake(ByteBuffer scratch) {
        return true;
    }

    @Override
    public boolean wantsWrite() {
        return false;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int room = dst.remaining();
        int n = channel.read(dst);
        // A read that fills the buffer may have left more in the socket; a short one did not.
        filled = n == room;
        return n;
    }

    @Override
    public boolean readAgain() {
        return filled;
    }

    @Override
    public boolean write(ByteBuffer src) throws IOException {
        if (src.hasRemaining()) {
            channel.write(src);
        }
        return !src.hasRemaining();
    }
}
