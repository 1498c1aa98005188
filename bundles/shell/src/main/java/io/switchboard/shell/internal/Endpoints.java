package io.switchboard.shell.internal;

import java.net.InetSocketAddress;
import java.util.Comparator;
import java.util.List;

import io.switchboard.whiteboard.SwitchboardEndpoint;

/** What the commands share: the endpoints in name order, addresses as numbers. */
final class Endpoints {
    private Endpoints() {
    }

    /** The endpoints sorted by name; none if the reference list was not injected. */
    static List<SwitchboardEndpoint> byName(List<SwitchboardEndpoint> endpoints) {
        return endpoints == null ? List.of()
                : endpoints.stream().sorted(Comparator.comparing(SwitchboardEndpoint::name)).toList();
    }

    /** The address as a number ({@code 0.0.0.0} for every interface), or the host name if unresolved. */
    static String host(InetSocketAddress address) {
        return address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
    }
}
