package io.switchboard.benchmarks.codec;

import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;

/** The Netty allocators the Netty benchmarks run with, by {@code @Param} name. */
final class NettyAllocators {
    private NettyAllocators() {
    }

    /**
     * @param name {@code pooled} ({@link PooledByteBufAllocator#DEFAULT}, Netty 4.1's default) or
     *             {@code adaptive} (an {@link AdaptiveByteBufAllocator}, Netty 4.2's default)
     */
    static ByteBufAllocator byName(String name) {
        switch (name) {
            case "pooled":
                return PooledByteBufAllocator.DEFAULT;
            case "adaptive":
                return new AdaptiveByteBufAllocator();
            default:
                throw new IllegalArgumentException("unknown allocator " + name);
        }
    }
}
