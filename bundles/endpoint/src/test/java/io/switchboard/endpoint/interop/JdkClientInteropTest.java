package io.switchboard.endpoint.interop;

/** The interop scenarios with the JDK's {@code java.net.http.WebSocket} client. */
class JdkClientInteropTest extends ClientInteropScenarios {
    private static final JdkClient CLIENT = new JdkClient();

    @Override
    ClientDriver client() {
        return CLIENT;
    }
}
