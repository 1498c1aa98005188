package io.switchboard.benchmarks.load;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The local addresses that connections bind to, handed out round-robin.
 *
 * <p>Each local address has its own range of ephemeral ports, so spreading connections over many
 * loopback addresses keeps repeated runs of 10,000 connections from running out of ports or
 * tripping over the previous run's TIME_WAIT sockets.
 */
final class SourceAddresses {
    private final InetSocketAddress[] addresses;
    private int next;

    private SourceAddresses(InetSocketAddress[] addresses) {
        this.addresses = addresses;
    }

    /** Parses {@code first-last} (an inclusive IPv4 range such as 127.0.0.2-127.0.0.200) or one address. */
    static SourceAddresses parse(String range) {
        int dash = range.indexOf('-');
        String firstText = dash < 0 ? range : range.substring(0, dash);
        String lastText = dash < 0 ? range : range.substring(dash + 1);
        long first = ipv4(firstText.trim());
        long last = ipv4(lastText.trim());
        if (last < first || last - first >= 65_536) {
            throw new IllegalArgumentException("bad --sources range: " + range);
        }
        InetSocketAddress[] addresses = new InetSocketAddress[(int) (last - first + 1)];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = new InetSocketAddress(toAddress(first + i), 0);
        }
        return new SourceAddresses(addresses);
    }

    /** The next local address (port 0: the kernel picks the port). */
    InetSocketAddress next() {
        InetSocketAddress address = addresses[next];
        next = (next + 1) % addresses.length;
        return address;
    }

    private static long ipv4(String text) {
        String[] parts = text.split("\\.");
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + text);
        }
        long value = 0;
        for (String part : parts) {
            int octet = Integer.parseInt(part);
            if (octet < 0 || octet > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + text);
            }
            value = value << 8 | octet;
        }
        return value;
    }

    private static InetAddress toAddress(long value) {
        byte[] bytes = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are always an address", e);
        }
    }
}
